"""`usajobs`: US federal jobs through the USAJOBS Search API (needs a free API key).

    [sources.usajobs-disability]
    spider = "usajobs"
    hiring_path = "disability"   # optional: HiringPath code(s), e.g. "disability", "public"
    keyword = "data"             # optional
    remote = true                # optional: remote jobs only
    # the key and the e-mail the API asks for as User-Agent are ippo settings, set in the
    # environment: USAJOBS_API_KEY and USAJOBS_EMAIL

Each search result (``MatchedObjectId`` + ``MatchedObjectDescriptor``) is written as it came,
so HiringPath (lower-case codes such as "disability"), TeleworkEligible and RemoteIndicator
reach the normalizer untouched. Pages are followed until NumberOfPages (or max_pages).
Without a key the spider refuses to start with a message saying which variable to set; the
source is reported failed and the other sources still run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from crawlers.spiders.base import ApiSpider, SourceConfigError
from ippo.config import Settings, env_name

_KEY_VARIABLE = env_name("usajobs_api_key")
_EMAIL_VARIABLE = env_name("usajobs_email")


class UsajobsSpider(ApiSpider):
    name = "usajobs"
    kind = "usajobs_job"
    default_base_url = "https://data.usajobs.gov/api/search"

    def __init__(
        self,
        keyword: str | None = None,
        hiring_path: str | None = None,
        location_name: str | None = None,
        remote: str | None = None,
        date_posted: str | None = None,
        results_per_page: str = "500",
        max_pages: str = "20",
        api_key: str | None = None,
        email: str | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        """api_key / email: the USAJOBS key and its e-mail; None reads the settings (USAJOBS_API_KEY,
        USAJOBS_EMAIL), which is how a crawl gets them: secrets never go in sources.toml."""
        super().__init__(*args, **kwargs)
        if api_key is None or email is None:
            settings = Settings()
            api_key = settings.usajobs_api_key_value() if api_key is None else api_key
            email = settings.usajobs_email if email is None else email
        self.api_key = api_key.strip()
        self.email = email.strip()
        if not self.api_key:
            raise SourceConfigError(
                f"source {self.source!r}: {_KEY_VARIABLE} is not set; request a key at "
                f"https://developer.usajobs.gov/apirequest/ and export {_KEY_VARIABLE}=<key>"
            )
        if "@" not in self.email:
            raise SourceConfigError(
                f"source {self.source!r}: {_EMAIL_VARIABLE} must be the e-mail address "
                f"the USAJOBS key was issued to "
                f"(the API requires it as User-Agent)"
            )
        try:
            self.results_per_page = max(1, min(500, int(results_per_page)))
            self.max_pages = max(1, int(max_pages))
        except ValueError:
            raise SourceConfigError(
                f"source {self.source!r}: results_per_page and max_pages must be whole numbers"
            ) from None
        params: dict[str, str] = {"ResultsPerPage": str(self.results_per_page)}
        if keyword:
            params["Keyword"] = keyword
        if hiring_path:
            params["HiringPath"] = ";".join(p.strip().lower() for p in hiring_path.split(",") if p.strip())
        if location_name:
            params["LocationName"] = location_name
        if remote and remote.lower() in ("1", "true", "yes"):
            params["RemoteIndicator"] = "True"
        if date_posted:
            params["DatePosted"] = date_posted
        self.params = params

    def page_request(self, page: int) -> scrapy.Request:
        query = urlencode({**self.params, "Page": str(page)})
        headers = {"Authorization-Key": self.api_key, "User-Agent": self.email, "Accept": "application/json"}
        return scrapy.Request(
            f"{self.base_url}?{query}",
            headers=headers,
            callback=self.parse,
            errback=self.on_error,
            cb_kwargs={"page": page},
        )

    async def start(self) -> AsyncIterator[Any]:
        yield self.page_request(1)

    def parse(self, response: Response, page: int = 1, **kwargs: Any) -> Iterator[Any]:
        data, problem = self.read_json(response)
        if problem:
            yield self.problem(response, problem)
            return
        result = data.get("SearchResult") if isinstance(data, dict) else None
        items = result.get("SearchResultItems") if isinstance(result, dict) else None
        if not isinstance(result, dict) or not isinstance(items, list):
            yield self.problem(response, "the USAJOBS response has no SearchResult.SearchResultItems")
            return
        stats = self.crawler.stats
        assert stats is not None
        if page == 1:
            stats.set_value("ippo/ats/listed", result.get("SearchResultCountAll"))
        for entry in items:
            descriptor = entry.get("MatchedObjectDescriptor") if isinstance(entry, dict) else None
            if not isinstance(descriptor, dict) or not entry.get("MatchedObjectId"):
                yield self.problem(
                    response, "a USAJOBS result has no MatchedObjectId/MatchedObjectDescriptor"
                )
                continue
            self.state_file.mark(
                str(entry["MatchedObjectId"]), str(descriptor.get("PublicationStartDate") or "")
            )
            yield self.item(response, entry)
        user_area = result.get("UserArea")
        if not isinstance(user_area, dict):
            user_area = {}
        try:
            pages = int(user_area.get("NumberOfPages") or 1)
        except (TypeError, ValueError):
            pages = 1
        if page < min(pages, self.max_pages):
            yield self.page_request(page + 1)
