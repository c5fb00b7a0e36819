"""The cache of listing facts reads a snapshot version once, even when many requests ask at once."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest

import ranker.listing_facts as listing_facts
from benchmarks.generated_snapshot import write_snapshot
from ranker.listing_facts import FactsCache
from ranker.serving_index import ServingIndex
from tests.api.served import listing_row


def test_concurrent_first_requests_read_the_snapshot_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_snapshot([listing_row("a1", "看護師"), listing_row("a2", "介護職員")], None, tmp_path,
                          version="20261126T000000Z")
    index = ServingIndex.from_snapshot(path)
    reads: list[str] = []
    original = listing_facts._read_facts

    def slow_read(snapshot: Path, served: ServingIndex) -> Any:
        reads.append(served.version)
        time.sleep(0.2)  # long enough for every thread to ask while the first one reads
        return original(snapshot, served)

    monkeypatch.setattr(listing_facts, "_read_facts", slow_read)
    cache = FactsCache()
    got: list[Any] = []
    threads = [threading.Thread(target=lambda: got.append(cache.facts(index, path))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reads == [index.version]
    assert len(got) == 8 and all(facts is got[0] for facts in got)
