"""The page's words: one catalogue per language (messages/<language>.toml, the same keys in
each), and the language a person reads the page in."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any, Literal

from fastapi import Request

PageLanguage = Literal["ja", "en"]
LANGUAGES: tuple[PageLanguage, ...] = ("ja", "en")
LANGUAGE_COOKIE = "ippo_lang"
MESSAGES = Path(__file__).parent / "messages"


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = str(value)
    return flat


@cache
def catalogue(language: PageLanguage) -> dict[str, str]:
    """Every message of ``language`` by its dotted key (``step.work.title``)."""
    with (MESSAGES / f"{language}.toml").open("rb") as handle:
        return _flatten(tomllib.load(handle))


class Words:
    """The messages of one language: ``words("jobs.hours", min=10, max=20)``. An unknown key is
    a programming error, raised with the key named."""

    def __init__(self, language: PageLanguage) -> None:
        self.language = language
        self._table = catalogue(language)

    def __call__(self, key: str, **values: Any) -> str:
        try:
            template = self._table[key]
        except KeyError:
            raise KeyError(f"api/page/messages/{self.language}.toml has no message {key!r}; add it to both "
                           "catalogues") from None
        return template.format(**values) if values else template

    def has(self, key: str) -> bool:
        return key in self._table


def from_accept_language(header: str) -> PageLanguage:
    """The first of ja and en the browser asks for (by q weight), else Japanese."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        ranked.append((-weight, position, tag.strip().lower().split("-")[0]))
    for _, _, tag in sorted(ranked):
        if tag in LANGUAGES:
            return "ja" if tag == "ja" else "en"
    return "ja"


def page_language(request: Request) -> PageLanguage:
    """The language the person chose (a cookie), else the browser's."""
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen == "en":
        return "en"
    if chosen == "ja":
        return "ja"
    return from_accept_language(request.headers.get("accept-language", ""))
