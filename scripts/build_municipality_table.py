"""Regenerate pipeline/vocab/municipality_prefectures.json from the Hello Work jurisdiction table.

Usage (from the repository root): python -m scripts.build_municipality_table [--shared PATH]

The source is ../shared/data/hellowork_jurisdiction/hellowork_by_municipality_code.json (repo
pachikuriii/jp-hello-work, data/zip5.json, MIT): JIS 5-digit municipality codes and names per
Hello Work office. The first two digits of a code are the prefecture, so each municipality name
gets its 都道府県; names used in more than one prefecture (伊達市, 府中市) are left out, since the
name alone does not say which one is meant. pipeline.employers.records.prefecture_of reads the
shipped table at run time; this script is only needed when the source or the derivation changes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from benchmarks.shared_data import add_shared_option
from pipeline.employers.records import MUNICIPALITY_TABLE, municipality_in, prefecture_from_code

SOURCE_FILE = Path("hellowork_jurisdiction") / "hellowork_by_municipality_code.json"
SOURCE = "pachikuriii/jp-hello-work data/zip5.json @ 76ac3d8c1123d7978ec699f21edf91ac1d953bf3"
LICENCE = (
    "MIT. Copyright (c) 2022 Saya Kitano. Permission is hereby granted, free of charge, to any person obtaining "
    'a copy of this software and associated documentation files (the "Software"), to deal in the Software '
    "without restriction, including without limitation the rights to use, copy, modify, merge, publish, "
    "distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is "
    "furnished to do so, subject to the following conditions: The above copyright notice and this permission "
    "notice shall be included in all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED "
    '"AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF '
    "MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR "
    "COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, "
    "TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS "
    "IN THE SOFTWARE."
)


class SourceDataError(Exception):
    """The jurisdiction file is missing or not in the expected shape."""


def read_offices(path: Path) -> Mapping[str, Mapping[str, Any]]:
    """The {office: {JIS code: municipality name}} part of the jurisdiction file."""
    try:
        offices = json.loads(path.read_text(encoding="utf-8"))["zip5"]["helloWorks"]
    except OSError as exc:
        raise SourceDataError(f"{path}: cannot read the jurisdiction file ({exc}); give --shared PATH") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise SourceDataError(f"{path}: expected {{'zip5': {{'helloWorks': {{...}}}}}} ({exc!r})") from None
    if not isinstance(offices, Mapping):
        raise SourceDataError(f"{path}: zip5.helloWorks is not a table")
    return offices


def municipality_prefectures(offices: Mapping[str, Mapping[str, Any]]) -> dict[str, str]:
    """Municipality name -> 都道府県, for names found in one prefecture only, sorted by name."""
    seen: dict[str, set[str]] = {}
    for municipalities in offices.values():
        for code, name in municipalities.items():
            if not (isinstance(code, str) and code[:2].isdigit() and isinstance(name, str)):
                continue
            prefecture = prefecture_from_code(code[:2])
            municipality = municipality_in(name.split("郡")[-1])
            if prefecture and municipality:
                seen.setdefault(municipality, set()).add(prefecture)
    return {name: next(iter(prefs)) for name, prefs in sorted(seen.items()) if len(prefs) == 1}


def write_table(table: Mapping[str, str], path: Path) -> None:
    document = {"source": SOURCE, "licence": LICENCE, "municipalities": dict(table)}
    path.write_text(json.dumps(document, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_shared_option(parser)
    args = parser.parse_args(argv)
    try:
        table = municipality_prefectures(read_offices(args.shared / SOURCE_FILE))
    except SourceDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    write_table(table, MUNICIPALITY_TABLE)
    print(f"{MUNICIPALITY_TABLE}: {len(table)} municipalities, {MUNICIPALITY_TABLE.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
