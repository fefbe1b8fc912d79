"""Tables as CSV and Excel downloads, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return) would run as a formula in Excel: it gets a
leading apostrophe, so it is shown as the text it is (OWASP "CSV injection"). openpyxl would even write
such a string as a live formula, so the xlsx export neutralises too.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from openpyxl.utils import get_column_letter

_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_value(value: object) -> object:
    if isinstance(value, str) and value.startswith(_DANGEROUS):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_value)
    out.columns = [neutralise_value(str(c)) for c in out.columns]
    return out


def to_csv(frame: pd.DataFrame) -> bytes:
    """Semicolon separated, decimal comma, UTF-8 BOM: opens correctly in Excel with the Indonesian locale."""
    return neutralise(frame).to_csv(index=False, sep=";", decimal=",").encode("utf-8-sig")


# Excel number formats for real dates (issue 21): a day as 25/10/2013 (the Indonesian order), a moment with
# its time; never the text-like 2013-10-25 00:00:00 that openpyxl writes by default.
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"


def _date_format(values: pd.Series) -> str | None:
    """The Excel number format for a column of dates or moments; None for any other column."""
    present = values.dropna()
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = pd.DatetimeIndex(present)
        return DATE_FORMAT if (stamps == stamps.normalize()).all() else DATETIME_FORMAT
    if len(present) and all(isinstance(v, dt.date) for v in present):
        if all(not isinstance(v, dt.datetime) or v == dt.datetime.combine(v.date(), dt.time()) for v in present):
            return DATE_FORMAT
        return DATETIME_FORMAT
    return None


def to_xlsx(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    """One sheet: the table's values as cells, dates as real Excel dates shown the Indonesian way."""
    out = io.BytesIO()
    safe = neutralise(frame)
    for column in safe.columns:   # Excel has no time zones
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet)
        cells = writer.sheets[sheet]
        for position, column in enumerate(safe.columns, start=1):
            number_format = _date_format(safe[column])
            if number_format is None:
                continue
            letter = get_column_letter(position)
            for row in range(2, len(safe) + 2):
                cells[f"{letter}{row}"].number_format = number_format
            cells.column_dimensions[letter].width = max(12, len(str(column)) + 2)
    return out.getvalue()
