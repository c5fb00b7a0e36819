"""Published WAM files -> rows: a zip of CSVs or one CSV, in UTF-8 or Shift_JIS (cp932).

Bytes in, rows out: the spider hands over what it downloaded, tests hand over a file's bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field


class SupportFileError(ValueError):
    """A downloaded file that is no CSV (or zip of CSVs) ippo can read; the message says why."""


@dataclass
class CsvTable:
    name: str  # the file (or zip member) name
    encoding: str
    rows: list[dict[str, str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def decode_csv(body: bytes, name: str) -> tuple[str, str]:
    """(text, encoding): UTF-8 (with or without BOM) when it decodes cleanly, else cp932 (Shift_JIS
    with the NEC/IBM extensions Japanese offices write)."""
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return body.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SupportFileError(f"{name} is neither UTF-8 nor Shift_JIS (cp932) text")


def _table(body: bytes, name: str) -> CsvTable:
    text, encoding = decode_csv(body, name)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    table = CsvTable(name=name, encoding=encoding, header=header)
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        table.rows.append(dict(zip(header, values, strict=False)))
    return table


def csv_tables(body: bytes, name: str) -> list[CsvTable]:
    """Every CSV in ``body``: the CSV members of a zip, or the body itself."""
    if body[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(body))
        except zipfile.BadZipFile as exc:
            raise SupportFileError(f"{name} looks like a zip file but cannot be opened ({exc})") from None
        with archive:
            members = [m for m in archive.infolist() if m.filename.lower().endswith(".csv") and not m.is_dir()]
            if not members:
                raise SupportFileError(f"{name} holds no CSV file (members: {archive.namelist()})")
            return [_table(archive.read(m), f"{name}!{m.filename}") for m in members]
    return [_table(body, name)]
