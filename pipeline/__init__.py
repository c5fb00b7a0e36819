"""ippo's pipeline: raw runs -> canonical listings -> the warehouse -> published snapshots.

Shipped data files live beside this package: ``vocab/`` (places, signal and registry vocabularies)
and ``data/`` (occupation tables). Modules find them through these two paths.
"""

from pathlib import Path

VOCAB_DIR = Path(__file__).resolve().parent / "vocab"
DATA_DIR = Path(__file__).resolve().parent / "data"
