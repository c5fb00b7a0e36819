"""The progress of a refresh, read from the lines `ippo refresh` prints as it goes.

The refresh runs the command itself (ippo.commands.refresh over ippo.steps), so what it reports
is what an operator sees in a terminal: ``[1/3] crawl``, one line per source crawled, ``[2/3]
load`` and its totals, ``[3/3] publish`` and the snapshot published. ``RefreshProgress`` is fed
those lines with the time each arrived and keeps, per step and per source, the status, the
items, the errors and the time taken; lines it does not recognise are kept as the step's summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

STEPS = ("crawl", "load", "publish")
_STEP = re.compile(r"^\[(\d)/3\] (crawl|load|publish)\b")
_CRAWLING = re.compile(r"^crawling (?P<source>\S+) \(")
_CRAWLED = re.compile(r"^\s+(?P<source>\S+): (?P<items>\d+) items, (?P<requests>\d+) requests, "
                      r"(?P<invalid>\d+) invalid JSON-LD blocks, (?P<seconds>[\d.]+)s")
_CRAWL_FAILED = re.compile(r"^\s+(?P<source>\S+): crawl FAILED \((?P<reason>.*)\); see ")
_LOADED = re.compile(r"^loaded \d+ raw run\(s\): (?P<items>\d+) items -> .* (?P<quarantined>\d+) quarantined")
_PUBLISHED = re.compile(r"^published snapshot (?P<version>\S+): (?P<listings>\d+) listings")
_PROBLEM = re.compile(r"^(error|warning): ")


@dataclass
class SourceProgress:
    source: str
    started: float
    status: str = "running"
    items: int | None = None
    requests: int | None = None
    invalid_jsonld: int | None = None
    errors: list[str] = field(default_factory=list)
    elapsed_s: float | None = None

    def to_dict(self, now: float) -> dict[str, Any]:
        elapsed = self.elapsed_s if self.elapsed_s is not None else round(now - self.started, 1)
        return {"source": self.source, "status": self.status, "items": self.items, "requests": self.requests,
                "invalid_jsonld": self.invalid_jsonld, "errors": self.errors, "elapsed_s": elapsed}


@dataclass
class StepProgress:
    step: str
    status: str = "pending"
    started: float | None = None
    finished: float | None = None
    items: int | None = None
    errors: int | None = None
    summary: list[str] = field(default_factory=list)
    sources: list[SourceProgress] = field(default_factory=list)

    def to_dict(self, now: float) -> dict[str, Any]:
        elapsed = None
        if self.started is not None:
            elapsed = round((self.finished if self.finished is not None else now) - self.started, 1)
        return {"step": self.step, "status": self.status, "elapsed_s": elapsed, "items": self.items,
                "errors": self.errors, "summary": self.summary, "sources": [s.to_dict(now) for s in self.sources]}


class RefreshProgress:
    """Steps and sources of one refresh, from its output lines."""

    def __init__(self) -> None:
        self.steps = {name: StepProgress(name) for name in STEPS}
        self.current: StepProgress | None = None
        self.snapshot_version: str | None = None
        self.problems: list[str] = []

    def feed(self, line: str, at: float) -> None:
        text = line.rstrip()
        if not text:
            return
        step = _STEP.match(text)
        if step:
            self._start(step.group(2), at)
            if step.group(2) == "crawl":
                self.steps["crawl"].summary.append(text)
            return
        if _PROBLEM.match(text):
            self.problems.append(text)
        if self.current is None:
            return
        if self.current.step == "crawl" and self._crawl_line(text, at):
            return
        self._step_line(self.current, text)

    def _start(self, name: str, at: float) -> None:
        if self.current is not None:
            self._finish(self.current, at)
        self.current = self.steps[name]
        self.current.status, self.current.started = "running", at

    def _finish(self, step: StepProgress, at: float, failed: bool = False) -> None:
        step.status, step.finished = ("failed" if failed else "done"), at
        if step.step == "crawl":
            crawled = [s for s in step.sources if s.status == "done"]
            step.items = sum(s.items or 0 for s in crawled)
            step.errors = sum(s.status == "failed" for s in step.sources)
            for source in step.sources:
                if source.status == "running":
                    source.status, source.elapsed_s = ("failed" if failed else "done"), round(at - source.started, 1)

    def _crawl_line(self, text: str, at: float) -> bool:
        crawl = self.steps["crawl"]
        starting, crawled, failed = _CRAWLING.match(text), _CRAWLED.match(text), _CRAWL_FAILED.match(text)
        if starting:
            crawl.sources.append(SourceProgress(starting.group("source"), started=at))
            return True
        ended = crawled or failed
        source = self._source(crawl, ended.group("source")) if ended is not None else None
        if source is None:
            return False
        source.elapsed_s = round(at - source.started, 1)
        if crawled:
            source.status, source.items = "done", int(crawled.group("items"))
            source.requests, source.invalid_jsonld = int(crawled.group("requests")), int(crawled.group("invalid"))
            source.elapsed_s = float(crawled.group("seconds"))
        elif failed:
            source.status = "failed"
            source.errors.append(failed.group("reason"))
        return True

    @staticmethod
    def _source(crawl: StepProgress, name: str) -> SourceProgress | None:
        return next((s for s in reversed(crawl.sources) if s.source == name), None)

    def _step_line(self, step: StepProgress, text: str) -> None:
        step.summary.append(text.strip())
        loaded = _LOADED.match(text)
        if loaded:
            step.items, step.errors = int(loaded.group("items")), int(loaded.group("quarantined"))
        published = _PUBLISHED.match(text)
        if published:
            step.items, self.snapshot_version = int(published.group("listings")), published.group("version")

    def end(self, exit_code: int, at: float) -> None:
        """The command ended: the step it was in is done (exit 0, or a crawl failure reported after
        publishing) or failed."""
        if self.current is None:
            return
        published = self.current.step == "publish" and self.snapshot_version is not None
        self._finish(self.current, at, failed=exit_code != 0 and not published)
        self.current = None

    def to_list(self, now: float) -> list[dict[str, Any]]:
        return [self.steps[name].to_dict(now) for name in STEPS]
