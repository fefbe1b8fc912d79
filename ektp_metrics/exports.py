"""Tables as CSV and Excel downloads, safe to open in a spreadsheet.

A cell that starts with = + - @ (or a tab or carriage return) would run as a formula in Excel: it gets a
leading apostrophe, so it is shown as the text it is (OWASP "CSV injection"). openpyxl would even write
such a string as a live formula, so the xlsx export neutralises too.
"""

from __future__ import annotations

import io

import pandas as pd

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


def to_xlsx(frame: pd.DataFrame, sheet: str = "Data") -> bytes:
    out = io.BytesIO()
    safe = neutralise(frame)
    for column in safe.columns:   # Excel has no time zones
        if isinstance(safe[column].dtype, pd.DatetimeTZDtype):
            safe[column] = safe[column].dt.tz_localize(None)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet)
    return out.getvalue()
