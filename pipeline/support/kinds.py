"""The raw item kinds of support data, and the payloads the spiders write for them.

Raw items keep what the source said: one ``wam_office_row`` per CSV row (the row as a mapping
of WAM's column names), one ``wam_office_file`` after the last row of a file read whole (so the
loader knows that file was a full refresh of its service), one ``hellowork_table`` per
jp-hello-work table. The loader turns them into warehouse rows (pipeline/support/store.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OFFICE_ROW = "wam_office_row"
OFFICE_FILE = "wam_office_file"
HELLOWORK_TABLE = "hellowork_table"
SUPPORT_KINDS = frozenset({OFFICE_ROW, OFFICE_FILE, HELLOWORK_TABLE})


def office_row_payload(file: str, service_hint: str | None, row_number: int, row: Mapping[str, str]) -> dict[str, Any]:
    return {"file": file, "service_hint": service_hint, "row_number": row_number, "row": dict(row)}


def office_file_payload(file: str, service_hint: str | None, rows: int, encoding: str) -> dict[str, Any]:
    return {"file": file, "service_hint": service_hint, "rows": rows, "encoding": encoding}


def hellowork_payload(file: str, data: Any) -> dict[str, Any]:
    return {"file": file, "data": data}
