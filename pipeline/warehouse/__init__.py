"""The warehouse and its snapshots: migrations, reading raw runs, the load's stages, enrichment,
cross-source dedupe, freshness, and publishing the read-only serving snapshot.
"""
