"""What every API spider shares: the source name, a base URL operators (and tests) can point
elsewhere, the raw item shape, JSON decoding that reports instead of crashing, and the
seen-ids state of the source."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scrapy
from scrapy.http import Response

from crawlers.items import RawItem
from crawlers.state import SeenState


class SourceConfigError(ValueError):
    """A source is configured so that it cannot run (missing board, missing API key, ...)."""


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class ApiSpider(scrapy.Spider):
    """A spider reading one JSON API endpoint family for one source."""

    default_base_url = ""
    # The item kind this spider writes (the pipeline's normalizer is chosen by it).
    kind = ""

    def __init__(
        self,
        source: str | None = None,
        base_url: str | None = None,
        company: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.source = source or self.name
        # The employer's name, for APIs whose payloads do not carry it (Lever, Ashby).
        self.company = company.strip() if company and company.strip() else None
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        if not re.match(r"^(https?|file)://", self.base_url):
            raise SourceConfigError(
                f"source {self.source!r}: base_url {self.base_url!r} is not an http(s) URL"
            )
        self._state: SeenState | None = None

    @property
    def state_file(self) -> SeenState:
        if self._state is None:
            self._state = SeenState.for_source(Path(self.settings.get("IPPO_HOME")), self.source)
        return self._state

    def closed(self, reason: str) -> None:
        if self._state is None:
            return
        stats = self.crawler.stats
        assert stats is not None
        stats.set_value("ippo/ats/removed_since_last_run", len(self._state.removed()))
        # A run cut short has not seen every job: keep the old ids too, so it does not look
        # as if they were all removed (and their details fetched again) next time.
        if reason != "finished":
            self._state.now = {**self._state.before, **self._state.now}
        self._state.save()

    def item(self, response: Response, payload: dict[str, Any], **extra: Any) -> RawItem:
        item = RawItem(
            kind=self.kind, source=self.source, url=response.url, fetched_at=utc_now_iso(), payload=payload
        )
        if self.company:
            extra.setdefault("company", self.company)
        item.update(extra)  # type: ignore[typeddict-item]
        return item

    def problem(self, response: Response | None, message: str, url: str | None = None) -> RawItem:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value("ippo/problems")
        return RawItem(
            kind="problem",
            source=self.source,
            url=url or (response.url if response else ""),
            fetched_at=utc_now_iso(),
            problem=message,
        )

    def read_json(self, response: Response) -> tuple[Any, str | None]:
        """The response's JSON, or (None, a message saying why it is unusable)."""
        if response.status >= 400:
            return None, f"HTTP {response.status} from {response.url}"
        try:
            return json.loads(response.body), None
        except (ValueError, UnicodeDecodeError) as exc:
            return None, f"the response of {response.url} is not JSON ({exc})"

    def read_jobs(self, response: Response, board: str) -> tuple[list[Any], str | None]:
        """The response's "jobs" array (counted as listed), or ([], a message saying why not)."""
        data, problem = self.read_json(response)
        if problem:
            return [], problem
        jobs = data.get("jobs") if isinstance(data, dict) else None
        if not isinstance(jobs, list):
            return [], f"the job board {board!r} has no 'jobs' array"
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("ippo/ats/listed", len(jobs))
        return jobs, None

    def on_error(self, failure: Any) -> Any:
        """A request that failed for good (after retries) becomes a problem item, never a silent gap."""
        request = getattr(failure, "request", None)
        response = getattr(failure.value, "response", None)
        reason = (
            f"HTTP {response.status}"
            if response is not None
            else failure.getErrorMessage() or repr(failure.value)
        )
        url = request.url if request is not None else ""
        yield self.problem(None, f"could not fetch {url}: {reason}", url=url)


class BoardSpider(ApiSpider):
    """An ATS job board API: one source is one board (`board = "..."` in sources.toml)."""

    # What the board argument is called in that ATS's own terms, for the error message.
    board_label = "board name"

    def __init__(self, board: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not board or not board.strip():
            raise SourceConfigError(
                f'source {self.source!r}: the {self.name} spider needs board = "<{self.board_label}>"'
            )
        self.board = board.strip()
