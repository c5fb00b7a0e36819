"""Downloader middlewares: retry with backoff and Retry-After, and bytes-on-the-wire counters."""
