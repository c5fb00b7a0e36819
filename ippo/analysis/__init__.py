"""Queries and figures for the analyst notebooks (notebooks/), over a published snapshot only.

Every function takes a read-only connection to a serving snapshot (:func:`open_snapshot`) and
returns a pandas DataFrame, so a notebook cell is one call and one plot. A field a listing does not
state is counted as ``"unknown"`` (the :data:`UNKNOWN` label), never dropped.

pandas and matplotlib come with the ``analysis`` extra (``pip install -e ".[analysis]"``); nothing
the CLI, the API or the pipeline runs imports this package.
"""

from ippo.analysis.snapshot import UNKNOWN, SnapshotNotFoundError, open_snapshot, snapshot_path, snapshot_summary

__all__ = ["UNKNOWN", "SnapshotNotFoundError", "open_snapshot", "snapshot_path", "snapshot_summary"]
