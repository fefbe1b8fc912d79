"""Reading a spreadsheet file into a table of cells, whatever its format.

Accepted: CSV separated by comma, semicolon or tab; UTF-8 with or without BOM, Windows-1252, UTF-16 with
BOM (Excel's "Unicode Text"); CRLF line ends; trailing blank lines and trailing separators; .xlsx (the first
sheet or a named one). Cells are never evaluated: an xlsx formula arrives as its text ("=SUM(B2:B9)").
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass, field

DELIMITERS = (";", ",", "\t")
XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"   # legacy .xls


class UnreadableFile(Exception):
    """The file is not a table we can read; `code` names the reason (see i18n 'problem_<code>')."""

    def __init__(self, code: str, **params: object):
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass
class RawTable:
    header: list[str]
    rows: list[list[object]]          # cells: str for CSV; str/int/float/datetime/time/None for xlsx
    row_numbers: list[int]            # spreadsheet numbering: the header is baris 1
    format: str                       # 'csv' or 'xlsx'
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    ragged: list[tuple[int, int]] = field(default_factory=list)   # (baris, number of fields) of bad rows


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise UnreadableFile("not_a_table")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _is_blank(cells: list[object] | tuple[object, ...]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _trim_header(header: list[str]) -> list[str]:
    """Drop empty header cells at the end (trailing separators)."""
    while header and not str(header[-1]).strip():
        header.pop()
    return header


def _read_csv(data: bytes) -> RawTable:
    text, encoding = _decode(data)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = {d: first_line.count(d) for d in DELIMITERS}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as exc:
        raise UnreadableFile("not_a_table") from exc
    if not lines or all(_is_blank(line) for line in lines):
        raise UnreadableFile("empty_file")
    header = _trim_header([h.strip() for h in lines[0]])
    width = len(header)
    rows, numbers, ragged = [], [], []
    for number, line in enumerate(lines[1:], start=2):
        if _is_blank(line):
            continue
        if len(line) > width:
            # Trailing separators leave empty cells at the end: only non-empty extras are an error.
            extra = line[width:]
            if not _is_blank(extra):
                ragged.append((number, len(line)))
            line = line[:width]
        elif len(line) < width:
            ragged.append((number, len(line)))
            line = line + [""] * (width - len(line))
        rows.append(line)
        numbers.append(number)
    return RawTable(header, rows, numbers, "csv", encoding=encoding, delimiter=delimiter, ragged=ragged)


def _read_xlsx(data: bytes, sheet: str | None) -> RawTable:
    import openpyxl  # imported here: only xlsx uploads pay for it

    try:
        # data_only=False: a formula stays text and is never evaluated.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile("not_a_table") from exc
    try:
        names = list(book.sheetnames)
        if sheet is not None and sheet not in names:
            raise UnreadableFile("unknown_sheet", sheet=sheet, sheets=", ".join(names))
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        values = [list(r) for r in ws.iter_rows(min_row=1, values_only=True)]
    finally:
        book.close()
    if not values or all(_is_blank(r) for r in values):
        raise UnreadableFile("empty_file")
    header = _trim_header(["" if h is None else str(h).strip() for h in values[0]])
    width = len(header)
    rows, numbers, ragged = [], [], []
    for number, line in enumerate(values[1:], start=2):
        if _is_blank(line):
            continue
        if len(line) > width and not _is_blank(line[width:]):
            ragged.append((number, len(line)))
        line = (line + [None] * width)[:width]
        rows.append([c.strip() if isinstance(c, str) else c for c in line])
        numbers.append(number)
    return RawTable(header, rows, numbers, "xlsx", sheet=ws.title, sheets=names, ragged=ragged)


def read_table(data: bytes, sheet: str | None = None) -> RawTable:
    """Read CSV or xlsx bytes into a RawTable; raise UnreadableFile with a reason code."""
    if not data.strip():
        raise UnreadableFile("empty_file")
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, sheet)
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile("legacy_xls")
    return _read_csv(data)


def cell_text(value: object) -> str:
    """A cell as a person would read it, for messages and previews."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
