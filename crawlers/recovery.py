"""Finalize raw runs whose crawl process died (kill -9, OOM, power loss) before closing them.

A running crawl appends to ``<run>.jsonl.part`` and names itself in ``<run>.pid``. If the
process is gone and the .part file is still there, nobody will ever rename it, and the loader
(which reads only ``*.jsonl``) would never see the items already written. Before a source runs
again, its orphaned .part files are turned into ordinary runs: complete lines are kept, a last
line cut off mid-write is dropped (and counted), and a stats file says the run was recovered.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from crawlers.pipelines.raw_writer import write_stats


@dataclass
class Recovered:
    raw_file: Path
    lines_kept: int
    truncated_lines_dropped: int


def process_alive(pid: int) -> bool:
    """True when a process with this id exists and looks like a crawl (Python running scrapy)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive, and not ours to judge
    cmdline = Path(f"/proc/{pid}/cmdline")
    if cmdline.exists():
        try:
            args = cmdline.read_bytes().replace(b"\0", b" ")
        except OSError:
            return True
        return b"scrapy" in args
    return True


def _writer_alive(part: Path) -> bool:
    pid_file = part.with_name(part.name.removesuffix(".jsonl.part") + ".pid")
    try:
        pid = int(pid_file.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return False
    return process_alive(pid)


def _complete_lines(data: bytes) -> tuple[bytes, int]:
    """The bytes up to the last complete JSON line, and how many trailing lines were dropped."""
    dropped = 0
    if data and not data.endswith(b"\n"):
        cut = data.rfind(b"\n")
        data = data[: cut + 1] if cut >= 0 else b""
        dropped += 1
    # A line can be complete but still broken if the disk lost its tail; check the last one.
    while data:
        cut = data.rfind(b"\n", 0, len(data) - 1)
        last = data[cut + 1 :]
        try:
            json.loads(last)
            break
        except ValueError:
            data = data[: cut + 1] if cut >= 0 else b""
            dropped += 1
    return data, dropped


def finalize_orphans(folder: Path) -> list[Recovered]:
    """Finalize every orphaned ``*.jsonl.part`` of one source folder; returns what was recovered."""
    recovered: list[Recovered] = []
    if not folder.is_dir():
        return recovered
    for part in sorted(folder.glob("*.jsonl.part")):
        if _writer_alive(part):
            continue
        run_id = part.name.removesuffix(".jsonl.part")
        last_write = part.stat().st_mtime
        data, dropped = _complete_lines(part.read_bytes())
        final = part.with_name(f"{run_id}.jsonl")
        tmp = part.with_name(f"{run_id}.jsonl.recovering")
        tmp.write_bytes(data)
        os.replace(tmp, final)
        part.unlink()
        part.with_name(f"{run_id}.pid").unlink(missing_ok=True)
        lines = data.count(b"\n")
        write_stats(
            final.with_name(f"{run_id}.stats.json"),
            {
                "source": folder.name,
                "run_id": run_id,
                "raw_file": final.name,
                "items_written": lines,
                "finish_reason": "killed",
                "recovered": True,
                "truncated_lines_dropped": dropped,
                "finished_at": datetime.fromtimestamp(last_write, UTC)
                .isoformat(timespec="seconds")
                .replace("+00:00", "Z"),
                "scrapy_stats": {},
            },
        )
        recovered.append(Recovered(raw_file=final, lines_kept=lines, truncated_lines_dropped=dropped))
    return recovered
