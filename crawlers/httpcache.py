"""The HTTP cache policy: RFC 2616/7234 caching that really revalidates ``no-cache`` pages.

Scrapy's RFC2616Policy treats a stored response marked ``Cache-Control: no-cache`` as stale but
returns before adding If-None-Match / If-Modified-Since, so every such page is downloaded in
full again. RFC 7234 (5.2.2.2) says ``no-cache`` means "revalidate before use", which is exactly
a conditional request. Many job sites send ``no-cache`` on every page, so without this an
unchanged site would cost full downloads instead of 304s.
"""

from __future__ import annotations

from scrapy.extensions.httpcache import RFC2616Policy
from scrapy.http import Request, Response


class RevalidatingRFC2616Policy(RFC2616Policy):
    def is_cached_response_fresh(self, cachedresponse: Response, request: Request) -> bool:
        fresh = super().is_cached_response_fresh(cachedresponse, request)
        if not fresh and b"no-cache" in self._parse_cachecontrol(cachedresponse):
            self._set_conditional_validators(request, cachedresponse)
        return fresh
