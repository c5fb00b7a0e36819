"""Codes of WAM rows that a spreadsheet stripped of their leading zeros, restored and checked."""

from __future__ import annotations

import unicodedata

from pipeline.employers.names import is_valid_corporate_number, normalize_corporate_number
from pipeline.support.errors import SupportRowError


def _digits(text: str | None) -> str:
    folded = unicodedata.normalize("NFKC", text or "").strip()
    return folded[:-2] if folded.endswith(".0") else folded


def office_number(text: str | None) -> str:
    """事業所番号 as its 10 digits ('110102134' -> '0110102134'); SupportRowError otherwise."""
    digits = _digits(text)
    if not digits:
        raise SupportRowError("missing_office_number", "the row has no 事業所番号")
    if not digits.isdigit() or len(digits) > 10:
        raise SupportRowError("bad_office_number", f"事業所番号 {text!r} is not a number of at most 10 digits")
    return digits.zfill(10)


def authority_code(text: str | None) -> str | None:
    """都道府県コード又は市区町村コード of the designating authority: '1100' -> '01100'; six digits stay six."""
    digits = _digits(text)
    if not digits.isdigit() or len(digits) > 6:
        return None
    return digits.zfill(5) if len(digits) <= 5 else digits


def corporate_number(text: str | None) -> str | None:
    """法人番号 as 13 digits when its check digit holds, else None."""
    number = normalize_corporate_number(text) if text else None
    return number if number and is_valid_corporate_number(number) else None
