"""Every number, percentage and date shown to a person goes through here (Babel, Indonesian locale).

Percentages are floored to two decimals, never rounded: progress is never overstated, and
383.427 / 415.549 = 92,2699…% is shown 92,26%, the officially reported figure.
"""

from __future__ import annotations

import datetime as dt
import functools
import numbers
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

LOCALES = {"id": "id_ID", "en": "en_US"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["id"])


def persen_floor(numerator: int, denominator: int) -> Decimal | None:
    """numerator/denominator as a percentage floored to 2 decimals, with exact integer arithmetic.

    None when the denominator is zero or missing (no target: the percentage is unknown, not 0).
    """
    if not denominator:
        return None
    hundredths = (int(numerator) * 10000) // int(denominator)  # floor division: rounds toward -inf
    return Decimal(hundredths).scaleb(-2)


@functools.lru_cache(maxsize=8)
def _group_symbol(lang: str) -> str:
    return get_group_symbol(_locale(lang))


@functools.lru_cache(maxsize=8)
def _separators(lang: str) -> dict[int, str]:
    """str.translate table from Python's ',' / '.' to the locale's group and decimal symbols."""
    return {ord(","): get_group_symbol(_locale(lang)), ord("."): get_decimal_symbol(_locale(lang))}


def angka(value: float | Decimal | None, lang: str = "id") -> str:
    """383427 → '383.427' (id) or '383,427' (en); None → '–'."""
    if value is None:
        return "–"
    if isinstance(value, numbers.Integral):
        # Integers (also numpy's) take the fast path: Python groups by thousands, Babel gives the symbol.
        return f"{int(value):,}".replace(",", _group_symbol(lang))
    return format_decimal(value, format="#,##0", locale=_locale(lang))


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md(value: object) -> str:
    """Text from a file or a person, escaped for Streamlit markdown: shown as typed, never as a link,
    an image (which the browser would fetch) or formatting."""
    escaped = _MARKDOWN.sub(r"\\\1", str(value))
    # GitHub-flavoured markdown turns bare URLs into links even when escaped: break them with a
    # zero-width space, invisible to a reader.
    return re.sub(r"(?i)(://|www\\?\.)", lambda m: m.group(1)[0] + "\u200b" + m.group(1)[1:], escaped)


def selisih(value: int, lang: str = "id") -> str:
    """A signed change: +649, −1.050 (a true minus sign), ±0."""
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "−") + angka(abs(value), lang)


def selisih_desimal(value: Decimal | float, lang: str = "id") -> str:
    """A signed change with two decimals: +0,26 / −1,05 / ±0,00."""
    if value == 0:
        return "±" + desimal(Decimal(0), 2, lang)
    return ("+" if value > 0 else "−") + desimal(abs(Decimal(str(value))), 2, lang)


def desimal(value: float | Decimal | None, digits: int = 2, lang: str = "id") -> str:
    """A number with exactly `digits` decimals, as given (round before calling if needed)."""
    if value is None:
        return "–"
    # Python lays the number out (groups of three, half-even rounding: what Babel's '#,##0.00' gives for
    # both locales, checked in tests/test_formatting.py); Babel gives the symbols. Babel per call was a
    # fifth of `summary --json` over 500 regions.
    return f"{Decimal(str(value)):,.{digits}f}".translate(_separators(lang))


def persen_angka(numerator: int, denominator: int, lang: str = "id") -> str:
    """'92,26' (id) / '92.26' (en): the floored percentage without the sign; '–' when unknown."""
    value = persen_floor(numerator, denominator)
    return desimal(value, 2, lang) if value is not None else "–"


def persen(numerator: int, denominator: int, lang: str = "id") -> str:
    """'92,26%' (id) / '92.26%' (en); '–' when the denominator is zero."""
    value = persen_floor(numerator, denominator)
    return desimal(value, 2, lang) + "%" if value is not None else "–"


def persen_nilai(value: Decimal | float | None, lang: str = "id") -> str:
    """Format an already floored percentage value ('92,26%')."""
    return desimal(value, 2, lang) + "%" if value is not None else "–"


def tanggal(value: dt.date | None, lang: str = "id", *, hari: bool = False, singkat: bool = False) -> str:
    """25 Oktober 2013; with hari=True 'Jumat, 25 Oktober 2013'; singkat=True '25 Okt 2013'."""
    if value is None:
        return "–"
    if hari:
        pattern = "EEEE, d MMMM y"
    elif singkat:
        pattern = "d MMM y"
    else:
        pattern = "d MMMM y"
    return format_date(value, format=pattern, locale=_locale(lang))


def tanggal_jam(value: dt.datetime, lang: str = "id") -> str:
    """25 Oktober 2013 19.30 (id) / October 25, 2013, 7:30 PM (en)."""
    pattern = "d MMMM y HH.mm" if lang == "id" else "MMMM d, y, h:mm a"
    return format_datetime(value, format=pattern, locale=_locale(lang))


WIB = ZoneInfo("Asia/Jakarta")   # Solo's time: every moment shown to people is in it


def waktu(value: dt.datetime, lang: str = "id") -> str:
    """A moment for people, in Solo's time: '4 Desember 2026 23.43 WIB' (id) / '4 December 2026 11:43 PM WIB' (en).
    A naive value is UTC (DuckDB's current_timestamp as stored)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    local = value.astimezone(WIB)
    pattern = "d MMMM y HH.mm" if lang == "id" else "d MMMM y h:mm a"
    return format_datetime(local, format=pattern, locale=_locale(lang), tzinfo=WIB) + " WIB"


def jam(value: dt.datetime) -> str:
    """Clock time as written in Indonesia: 14.05."""
    return f"{value:%H.%M}"


def bulan(value: dt.date, lang: str = "id", *, singkat: bool = True) -> str:
    """Month name for chart ticks: 'Okt 2013' / 'Oktober 2013'."""
    return format_date(value, format="MMM y" if singkat else "MMMM y", locale=_locale(lang))


def bulan_tanpa_tahun(value: dt.date, lang: str = "id") -> str:
    return format_date(value, format="d MMM", locale=_locale(lang))


def plotly_separators(lang: str = "id") -> str:
    """plotly layout.separators: decimal then thousands ',.' for Indonesian."""
    return ",." if lang == "id" else ".,"
