"""Benchmarks (``bench_*``: speed and memory) and evaluations (``eval_*``: quality), run as
``python -m benchmarks.<name>``, with the generators of GENERATED data built from real shapes.
"""
