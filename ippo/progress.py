"""What a person sees while a command works: progress bars on the terminal, nothing elsewhere.

Every command that makes someone wait (load, publish, crawl, refresh) opens one ``Display``
and hands its methods down: ``stage`` is the pipeline's progress listener
(pipeline/progress.py: stage, done, total), ``crawl`` shows a source's crawl as it runs, and
``echo`` prints a line above the bars. The pipeline never sees rich: only this module renders.

The bars show only when both stdout and stderr are terminals and the command was not asked
for ``--json``; otherwise every method is silent except ``echo``, which prints as before.
Bars are drawn on stderr, so stdout carries exactly what it carried without them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import TracebackType
from typing import IO, Any

import typer

# What each stage counts, said after its figures.
_UNITS = {"scan": "runs", "copy": "listings", "embeddings": "texts"}
_STAGE_NAMES = {
    "scan": "reading raw runs",
    "normalize": "normalize + tag",
    "employers": "employers",
    "occupations": "occupations",
    "upsert": "upsert",
    "dedupe": "dedupe",
    "copy": "copy to snapshot",
    "embeddings": "embeddings",
    "ranking_index": "ranking index",
}


def attached_to_terminal() -> bool:
    return sys.stdout.isatty() and sys.stderr.isatty()


class Display:
    """Progress of one command; a context manager (bars live between enter and exit)."""

    def __init__(self, enabled: bool, echo: Callable[[str], None] = typer.echo, file: IO[str] | None = None,
                 width: int | None = None) -> None:
        self.enabled = enabled
        self._echo = echo
        self._file = file  # where the bars go (stderr unless given: a given file is drawn on as a terminal)
        self._width = width
        self._bars: Any = None
        self._tasks: dict[str, Any] = {}

    @classmethod
    def for_command(cls, as_json: bool = False) -> Display:
        """Bars when a person watches a terminal; quiet for --json and for pipes and files."""
        return cls(enabled=not as_json and attached_to_terminal())

    def __enter__(self) -> Display:
        if self.enabled:
            self._bars = _new_bars(self._file, self._width)
            self._bars.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._bars is not None:
            self._bars.stop()
            self._bars = None
        self._tasks.clear()

    def echo(self, message: str) -> None:
        """A line of the command's report; above the bars while they show."""
        if self._bars is not None:
            self._bars.console.print(message, markup=False, highlight=False)
        else:
            self._echo(message)

    def stage(self, stage: str, done: int, total: int) -> None:
        """The pipeline's progress listener: one bar per stage, with items/s and time left."""
        if self._bars is None:
            return
        task = self._tasks.get(stage)
        if task is None and total <= 0:
            return  # nothing to do in this stage: no bar
        if task is None:
            name = _STAGE_NAMES.get(stage, stage.replace("_", " "))
            task = self._tasks[stage] = self._bars.add_task(
                name, total=max(total, 0), unit=_UNITS.get(stage, "items"), status="")
        self._bars.update(task, completed=done, total=max(total, 0))

    def crawl(self, source: str, items: int, requests: int, errors: int, elapsed_s: float) -> None:
        """A source's crawl so far: one line per source, updated as the crawl process reports."""
        if self._bars is None:
            return
        key = f"crawl:{source}"
        task = self._tasks.get(key)
        status = f"{items} items, {requests} requests, {errors} errors, {elapsed_s:.0f}s"
        if task is None:
            task = self._tasks[key] = self._bars.add_task(f"crawl {source}", total=None, unit="items", status=status)
        self._bars.update(task, completed=items, status=status)

    def crawl_done(self, source: str) -> None:
        """The source's crawl process has exited: its line stops moving."""
        task = self._tasks.get(f"crawl:{source}")
        if self._bars is not None and task is not None:
            self._bars.update(task, total=self._bars.tasks[task].completed)


def _new_bars(file: IO[str] | None, width: int | None) -> Any:
    """rich's Progress on stderr (imported here: rich costs start-up time no command needs otherwise)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        """Items per second of the stage, in its unit."""

        def render(self, task: Task) -> Text:
            speed = task.finished_speed or task.speed
            if not speed and task.finished and (task.elapsed or 0) >= 0.05:
                speed = task.completed / (task.elapsed or 1)  # a stage done in one piece
            if not speed:
                return Text("")
            return Text(f"{speed:,.0f} {task.fields.get('unit', 'items')}/s")

    console = Console(file=file or sys.stderr, force_terminal=file is not None or None, width=width)
    return Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        Rate(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[status]}"),
        console=console,
        transient=False,
    )
