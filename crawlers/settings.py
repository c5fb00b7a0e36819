"""Scrapy settings for ippo's crawlers: polite by default, bounded in time and size, incremental.

Per-source overrides come from sources.toml (see crawlers/sources.py) and are passed as
``-s NAME=VALUE`` to each crawl process, so a slow or touchy site gets its own delay without
touching the others.

ippo's own settings (ippo.config) are read once here, in the crawl process: `ippo crawl` hands
IPPO_HOME and IPPO_RUN_ID over through the process environment (crawlers/run.py); the rest
come from the environment or $IPPO_HOME/ippo.toml like in every other ippo process.
"""

from __future__ import annotations

from ippo.config import Settings

_ippo = Settings()  # lower case: not a Scrapy setting

BOT_NAME = "ippo"
SPIDER_MODULES = ["crawlers.spiders"]
NEWSPIDER_MODULE = "crawlers.spiders"

# An honest User-Agent: who we are and where to reach the operator.
# The operator sets contact_url (IPPO_CONTACT_URL: a page or mailto: where site owners can reach
# them); no contact is invented when it is unset, and `ippo crawl` warns about it.
IPPO_CONTACT_URL = _ippo.contact_url
USER_AGENT = (
    f"ippo-jobs-bot/0.1 (+{IPPO_CONTACT_URL})"
    if IPPO_CONTACT_URL
    else "ippo-jobs-bot/0.1 (job-listing crawler; operator contact not configured)"
)

ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2

# Never hang on a slow server (Scrapy's default is 180 s) and never swallow a huge body.
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024

# Retries: the stock middleware is replaced by one that waits before retrying (exponential
# backoff, or the server's own Retry-After), so a 429 slows us down instead of hammering on.
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
IPPO_RETRY_BACKOFF_BASE = 2.0  # seconds before the first retry; doubled for each further one
IPPO_RETRY_BACKOFF_MAX = 120.0  # no single wait is longer than this
IPPO_RETRY_AFTER_MAX = 600.0  # a Retry-After beyond this is not waited for: the request gives up

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawlers.middlewares.robots.ConcurrentSafeRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawlers.middlewares.retry_after.BackoffRetryMiddleware": 550,
    # Closer to the network than the HTTP cache (900), so it sees the 304s, not the cached pages.
    "crawlers.middlewares.wire_stats.WireStatsMiddleware": 950,
}

# Incremental crawling: pages are cached on disk and revalidated with If-None-Match /
# If-Modified-Since (RFC 2616 policy, see crawlers/httpcache.py), so an unchanged site answers
# with 304s, not pages.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "crawlers.httpcache.RevalidatingRFC2616Policy"
HTTPCACHE_STORAGE = "scrapy.extensions.httpcache.FilesystemCacheStorage"
HTTPCACHE_DIR = str(_ippo.httpcache_dir)
HTTPCACHE_EXPIRATION_SECS = 0  # the policy decides freshness; entries are never dropped by age
HTTPCACHE_GZIP = True

ITEM_PIPELINES = {
    "crawlers.pipelines.validate.ValidatePipeline": 100,
    "crawlers.pipelines.dedupe.InRunDedupePipeline": 200,
    "crawlers.pipelines.raw_writer.RawWriterPipeline": 900,
}

IPPO_HOME = str(_ippo.home)
# Set by crawlers/run.py so the caller knows which raw file this run writes.
IPPO_RUN_ID = _ippo.run_id

TELNETCONSOLE_ENABLED = False
LOG_LEVEL = _ippo.crawl_log_level
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
