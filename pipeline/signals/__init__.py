"""Supportive signals: the vocabulary of tags, the text tagger with evidence, tags from structured
fields, and the supportiveness score. Importing this package loads nothing; the tagger compiles its
vocabulary when ``pipeline.signals.tagger`` is imported.
"""
