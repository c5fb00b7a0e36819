"""Fixtures shared by the pipeline tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module")
def lexical_occupations() -> Iterator[None]:
    """Lexical occupation matching only: fast, and independent of the embedding model being installed."""
    mp = pytest.MonkeyPatch()
    mp.setenv("IPPO_OCCUPATIONS_DENSE", "0")
    yield
    mp.undo()
