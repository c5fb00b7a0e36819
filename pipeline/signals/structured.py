"""Tags raised by structured fields (schema.org JobPosting, Lever, Ashby, SmartRecruiters, USAJOBS).

Structured data outranks text (docs/signals.md), so these signals carry
source="structured" and an evidence string naming the field and its value, e.g.
"jobLocationType: TELECOMMUTE". The field table lives in pipeline/vocab/signals_structured.toml.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pipeline import VOCAB_DIR
from pipeline.canonical import Signal
from pipeline.text.language import is_japanese

_VOCAB_PATH = VOCAB_DIR / "signals_structured.toml"
_WRAPPERS = ("MatchedObjectDescriptor",)
_OBJECT_VALUE_KEYS = ("Name", "name", "label", "id", "Code", "code")


@dataclass(frozen=True)
class _FieldRule:
    path: tuple[str, ...]
    values: frozenset[object]
    tag: str
    unless_lang: str | None


def _load_rules() -> tuple[_FieldRule, ...]:
    try:
        data = tomllib.loads(_VOCAB_PATH.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{_VOCAB_PATH}: not valid TOML: {exc}") from exc
    rules = []
    for entry in data.get("field", []):
        values = frozenset(v.lower() if isinstance(v, str) else v for v in entry["values"])
        rules.append(
            _FieldRule(tuple(entry["path"].split(".")), values, entry["tag"], entry.get("unless_lang"))
        )
    return tuple(rules)


_RULES = _load_rules()


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[Any]:
    if not path:
        if isinstance(node, list):
            for item in node:
                yield from _walk(item, path)
        else:
            yield node
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, path)
    elif isinstance(node, dict) and path[0] in node:
        yield from _walk(node[path[0]], path[1:])


def _leaf_values(value: Any) -> Iterator[tuple[object, str]]:
    """(comparable value, display text) for a field value."""
    if isinstance(value, bool):
        yield value, "true" if value else "false"
    elif isinstance(value, str):
        yield value.strip().lower(), value.strip()
    elif isinstance(value, (int, float)):
        yield str(value), str(value)
    elif isinstance(value, dict):
        for key in _OBJECT_VALUE_KEYS:
            inner = value.get(key)
            if isinstance(inner, (str, int)) and not isinstance(inner, bool):
                yield str(inner).strip().lower(), str(inner).strip()


def _posting_is_japanese(posting: dict[str, Any]) -> bool:
    for key in ("title", "name", "text", "description", "PositionTitle"):
        value = posting.get(key)
        if isinstance(value, str) and is_japanese(value):
            return True
    lang = posting.get("language") or posting.get("inLanguage")
    if isinstance(lang, dict):
        lang = lang.get("code")
    return isinstance(lang, str) and lang.lower().startswith("ja")


def tag_structured(posting: dict[str, Any]) -> list[Signal]:
    """Tags from structured fields of one posting; one signal per tag, in rule order."""
    if not isinstance(posting, dict):
        raise TypeError(f"tag_structured: expected a posting object (dict), got {type(posting).__name__}")
    roots = [posting] + [posting[w] for w in _WRAPPERS if isinstance(posting.get(w), dict)]
    found: dict[str, Signal] = {}
    japanese: bool | None = None  # looked up only when a rule that depends on it matches
    for rule in _RULES:
        if rule.tag in found:
            continue
        for root in roots:
            hit = _first_hit(root, rule)
            if hit is None:
                continue
            if rule.unless_lang == "ja":
                if japanese is None:
                    japanese = any(_posting_is_japanese(r) for r in roots)
                if japanese:
                    break
            field = ".".join(rule.path)
            found[rule.tag] = Signal(tag=rule.tag, evidence=f"{field}: {hit}", source="structured")
            break
    return list(found.values())


def _first_hit(root: Any, rule: _FieldRule) -> str | None:
    """The display text of the first value under the rule's path that the rule lists."""
    for value in _walk(root, rule.path):
        for comparable, shown in _leaf_values(value):
            if comparable in rule.values:
                return shown
    return None
