"""The one error a support row can raise: a short reason (counted) and a message (for people)."""

from __future__ import annotations


class SupportRowError(ValueError):
    """A row that cannot become a support office; ``reason`` is counted in the load report."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
