"""Errors the pipeline reports about its inputs (never about the person using it)."""

from __future__ import annotations


class NormalizeError(ValueError):
    """A raw item that cannot become a listing. ``reason`` is a short code counted in the
    data-quality report; the message says what is wrong in words."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class WarehouseBusyError(RuntimeError):
    """Another process holds the warehouse's write lock."""
