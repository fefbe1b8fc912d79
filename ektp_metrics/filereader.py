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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:   # a file's cells become pandas columns only when validated (ektp_metrics.ingest)
    import numpy as np
    import pandas as pd

DELIMITERS = (";", ",", "\t")
MAX_COLUMNS = 64                   # no upload format has more; wider sheets are read up to here
MAX_XLSX_UNPACKED = 400 * 1024 * 1024   # an xlsx that unpacks beyond this is refused before opening
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
    """The cells of a file under its header row. Either `rows` (cells row by row) or, for a regular UTF-8
    CSV read in bulk, `columns` (one string Series per header position, `rows` empty)."""
    header: list[str]
    rows: Sequence[Sequence[object]]  # cells: str for CSV; str/int/float/datetime/time/None for xlsx
    row_numbers: list[int] | np.ndarray   # spreadsheet numbering: the header is baris 1
    format: str                       # 'csv' or 'xlsx'
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    ragged: list[tuple[int, int]] = field(default_factory=list)   # (baris, number of fields) of bad rows
    head: Sequence[tuple[int, Sequence[object]]] = field(default_factory=list)  # first lines, untruncated
    columns: list[pd.Series] | None = None

    @property
    def n_rows(self) -> int:
        return len(self.columns[0]) if self.columns is not None else len(self.rows)

    def column(self, pos: int) -> pd.Series:
        """The cells at header position `pos`, one per row (a string Series in bulk, else objects)."""
        import pandas as pd

        if self.columns is not None:
            return self.columns[pos]
        return pd.Series([row[pos] for row in self.rows], dtype="object")


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


def _is_blank(cells: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _trim_header(header: list[str]) -> list[str]:
    """Drop empty header cells at the end (trailing separators)."""
    while header and not str(header[-1]).strip():
        header.pop()
    return header


def _delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in DELIMITERS}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def regular_csv_start(data: bytes) -> tuple[str, tuple[int, int], str, list[list[str]], list[str]] | None:
    """(encoding, span, delimiter, first lines' cells, header) of a file that may be a regular UTF-8 CSV
    (see _read_csv_bulk; the body, data[span[0]:span[1]], is the file without BOM and trailing line ends; a
    span rather than a copy: a national file is 40 MB), or None when its start already shows it is not one:
    not UTF-8, no second line, fewer than two columns, trailing separators in the header or a blank line
    among the first twelve (with one column a blank line would read as an empty record)."""
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    begin = 3 if encoding == "utf-8-sig" else 0
    tail_start = max(begin, len(data) - 4096)       # the trailing line ends, found in the tail
    tail = data[tail_start:].rstrip(b"\r\n ")
    end = tail_start + len(tail) if tail else begin + len(data[begin:].rstrip(b"\r\n "))
    if b"\x00" in data[begin:min(end, begin + 4096)] or data.find(b"\n", begin, end) < 0:
        return None
    try:
        start = data[begin:min(end, begin + 65536)].decode("utf-8", errors="strict" if end - begin <= 65536 else "ignore")
    except UnicodeDecodeError:
        return None
    first_lines = start.splitlines()[:12]
    delimiter = _delimiter(first_lines[0])
    head = list(csv.reader(first_lines, delimiter=delimiter))
    header = _trim_header([h.strip() for h in head[0]])
    if len(header) < 2 or len(head[0]) != len(header) or any(_is_blank(line) for line in head):
        return None
    return encoding, (begin, end), delimiter, head, header


def _read_csv_bulk(data: bytes) -> RawTable | None:
    """A regular UTF-8 CSV read column by column by Arrow's CSV reader, with no Python work per row.

    Regular: every line below the header is one record with the header's number of fields (no blank line
    inside, no line break inside a quoted cell, no ragged row). Then a record's spreadsheet row is its
    position + 2. Anything else returns None and the file is read row by row, which names each irregular row.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    start = regular_csv_start(data)
    if start is None:
        return None
    encoding, (begin, end), delimiter, head, header = start
    body = data[begin:end]
    names = [f"c{i}" for i in range(len(header))]
    irregular: list[object] = []

    def note(row: object) -> str:
        irregular.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=names),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                             newlines_in_values=False, ignore_empty_lines=False,
                                             invalid_row_handler=note),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    if irregular or table.num_rows != body.count(b"\n") or _has_blank_record(table):
        return None
    return RawTable(header, [], np.arange(2, table.num_rows + 2), "csv", encoding=encoding, delimiter=delimiter,
                    head=list(enumerate(head, start=1)),
                    columns=[table.column(i).to_pandas() for i in range(len(header))])


def _has_blank_record(table) -> bool:
    """A record whose every cell is blank (a line of separators only), which the row-by-row reader skips:
    each column's distinct cells are tested once with the same rule (_is_blank), then combined per row."""
    import numpy as np

    blank = np.ones(table.num_rows, dtype=bool)
    for column in table.columns:
        encoded = column.combine_chunks().dictionary_encode()
        is_blank = np.array([_is_blank([v]) for v in encoded.dictionary.to_pylist()] + [False], dtype=bool)
        blank &= is_blank[encoded.indices.to_numpy(zero_copy_only=False)]
        if not blank.any():
            return False
    return bool(blank.any())


def _read_csv(data: bytes, bulk: bool = True) -> RawTable:
    if bulk and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        table = _read_csv_bulk(data)
        if table is not None:
            return table
    text, encoding = _decode(data)
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = _delimiter(first_line)
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=delimiter)
    try:
        lines = list(reader)
    except csv.Error as exc:
        raise UnreadableFile("not_a_table") from exc
    if not lines or all(_is_blank(line) for line in lines):
        raise UnreadableFile("empty_file")
    header = _trim_header([h.strip() for h in lines[0]])
    width = len(header)
    head = [(n, line) for n, line in enumerate(lines[:12], start=1) if not _is_blank(line)]
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
    return RawTable(header, rows, numbers, "csv", encoding=encoding, delimiter=delimiter, ragged=ragged,
                    head=head)


def _read_xlsx(data: bytes, sheet: str | None, max_rows: int) -> RawTable:
    import openpyxl  # imported here: only xlsx uploads pay for it

    try:
        unpacked = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise UnreadableFile("not_a_table") from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise UnreadableFile("xlsx_too_big", mb=MAX_XLSX_UNPACKED // 1048576)
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
        # Streamed row by row with a column cap: a sparse sheet with one cell far away stays cheap.
        stream = ws.iter_rows(min_row=1, max_col=MAX_COLUMNS, values_only=True)
        values: list[list[object]] = []
        numbers_seen: list[int] = []
        for number, row in enumerate(stream, start=1):
            if _is_blank(row):
                continue
            values.append(list(row))
            numbers_seen.append(number)
            if len(values) > max_rows + 1:     # enough to say "too many rows"
                break
    finally:
        book.close()
    if not values:
        raise UnreadableFile("empty_file")
    if numbers_seen[0] != 1:
        values.insert(0, [])
        numbers_seen.insert(0, 1)
    header = _trim_header(["" if h is None else str(h).strip() for h in values[0]])
    width = len(header)
    rows, numbers, ragged = [], [], []
    for number, line in zip(numbers_seen[1:], values[1:]):
        if len(line) > width and not _is_blank(line[width:]):
            ragged.append((number, len(line)))
        line = (line + [None] * width)[:width]
        rows.append([c.strip() if isinstance(c, str) else c for c in line])
        numbers.append(number)
    return RawTable(header, rows, numbers, "xlsx", sheet=ws.title, sheets=names, ragged=ragged,
                    head=list(zip(numbers_seen[:12], values[:12])))


def read_table(data: bytes, sheet: str | None = None, max_rows: int = 1_000_000, *, bulk: bool = True) -> RawTable:
    """Read CSV or xlsx bytes into a RawTable; raise UnreadableFile with a reason code.
    bulk=False reads a CSV row by row even when it is regular (tests compare the two ways)."""
    if not data.strip():
        raise UnreadableFile("empty_file")
    if data.startswith(XLSX_MAGIC):
        return _read_xlsx(data, sheet, max_rows)
    if data.startswith(OLE_MAGIC):
        raise UnreadableFile("legacy_xls")
    return _read_csv(data, bulk)


def sheet_names(data: bytes) -> list[str]:
    """The sheets of an xlsx file (reads only the workbook index); [] for anything else or a broken file."""
    if not data.startswith(XLSX_MAGIC):
        return []
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return []
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def cell_text(value: object) -> str:
    """A cell as a person would read it, for messages and previews."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
