"""How long-running pipeline stages say how far they are, without knowing who listens.

A stage calls ``progress(stage, done, total)``: once with ``done = 0`` when it starts, as work
gets done, and with ``done = total`` when it ends. The commands layer turns these calls into
progress bars (ippo/progress.py); benchmarks time stages with them; everything else passes
``no_progress``. Nothing here renders anything.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """The listener of a caller that does not watch."""
