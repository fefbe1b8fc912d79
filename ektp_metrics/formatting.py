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
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from babel.dates import format_date, get_month_names
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

if TYPE_CHECKING:   # pandas only where a column is formatted: `summary` and plain imports run without it
    import pandas as pd

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


# ---- moments for people --------------------------------------------------------------------------------
# The database stores moments in UTC (naive TIMESTAMP columns: db.Database sets DuckDB's TimeZone to UTC);
# people see them in EKTP_TZ (Solo: Asia/Jakarta, WIB), with the zone named. Every moment shown on a page,
# in a message, in a download or by the CLI is converted here, nowhere else.

# Indonesia's zones by their Indonesian names; any other zone is named by its UTC offset.
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def zona() -> ZoneInfo:
    """The zone of every time shown to people: EKTP_TZ (default Asia/Jakarta)."""
    from ektp_metrics import settings

    return settings.timezone()


def lokal(value: dt.datetime) -> dt.datetime:
    """A moment in EKTP_TZ (aware). A naive value is UTC, as the database stores it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(zona())


def _offset_name(offset: dt.timedelta | None) -> str:
    minutes = int((offset or dt.timedelta()).total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{'+' if minutes > 0 else '−'}{hours}" + (f":{rest:02d}" if rest else "")


def nama_zona(value: dt.datetime) -> str:
    """The zone's short name at a local moment: WIB / WITA / WIT, else its offset ('UTC+1', 'UTC−3:30')."""
    key = getattr(value.tzinfo, "key", None)
    return ZONE_NAMES[key] if key in ZONE_NAMES else _offset_name(value.utcoffset())


def nama_zona_kolom() -> str:
    """The zone named in a download's header ('Waktu (WIB)'): its short name when it has one, else the
    IANA name (a zone with summer time has two offsets)."""
    zone = zona()
    return ZONE_NAMES.get(zone.key, zone.key)


def waktu(value: dt.datetime, lang: str = "id") -> str:
    """A moment for people, in EKTP_TZ: '4 Desember 2026 23.43 WIB' (id) / '4 December 2026 11:43 PM WIB' (en).
    A naive value is UTC (as the database stores it)."""
    local = lokal(value)
    return f"{local.day} {_month_names(lang)[local.month]} {local.year} {_clock(local.hour, local.minute, lang)} " \
           f"{nama_zona(local)}"


def awal_hari_utc(day: dt.date) -> dt.datetime:
    """The moment a day begins in EKTP_TZ, as the database stores moments (naive UTC): for filters by the
    days people see."""
    return dt.datetime.combine(day, dt.time(), tzinfo=zona()).astimezone(dt.UTC).replace(tzinfo=None)


def hari_ini() -> dt.date:
    """Today's date by the clock in EKTP_TZ (a file dated today in Solo is not from the future at 01.00 WIB,
    when UTC is still on yesterday). The data's "today" (metrics.reference_day) is the latest data date."""
    return dt.datetime.now(zona()).date()


def pukul(value: dt.datetime, lang: str = "id") -> str:
    """The clock time of a moment, in EKTP_TZ: '23.43 WIB' (id) / '11:43 PM WIB' (en). Naive = UTC."""
    local = lokal(value)
    return f"{_clock(local.hour, local.minute, lang)} {nama_zona(local)}"


def _clock(hour: int, minute: int, lang: str) -> str:
    if lang == "en":
        return f"{(hour + 11) % 12 + 1}:{minute:02d} {'AM' if hour < 12 else 'PM'}"
    return f"{hour:02d}.{minute:02d}"


@functools.lru_cache(maxsize=8)
def _month_names(lang: str) -> dict[int, str]:
    """Month names as in a date ('Desember' / 'December'), from Babel."""
    return dict(get_month_names("wide", context="format", locale=_locale(lang)))


def lokal_kolom(values: pd.Series) -> pd.Series:
    """A column of moments (naive = UTC) in EKTP_TZ, tz-aware; missing stays missing."""
    import pandas as pd
    stamps = pd.to_datetime(values)
    if stamps.dt.tz is None:
        stamps = stamps.dt.tz_localize("UTC")
    return stamps.dt.tz_convert(zona())


def waktu_kolom(values: pd.Series, lang: str = "id") -> pd.Series:
    """`waktu` for a whole column at once (no per-row Babel): text, None where a moment is missing."""
    import pandas as pd
    local = lokal_kolom(values)
    present = local.notna()
    if not present.any():
        return pd.Series([None] * len(values), index=values.index, dtype=object)
    shown = local[present]
    hour, minute = shown.dt.hour, shown.dt.minute
    if lang == "en":
        clock = ((hour + 11) % 12 + 1).astype(str) + ":" + minute.astype(str).str.zfill(2) + " " \
            + hour.lt(12).map({True: "AM", False: "PM"})
    else:
        clock = hour.astype(str).str.zfill(2) + "." + minute.astype(str).str.zfill(2)
    zone = zona()
    if zone.key in ZONE_NAMES:
        names = pd.Series(ZONE_NAMES[zone.key], index=shown.index)
    else:   # a zone with summer time: the offset of each moment
        offsets = shown.dt.tz_localize(None) - shown.dt.tz_convert("UTC").dt.tz_localize(None)
        names = offsets.map({o: _offset_name(o.to_pytimedelta()) for o in offsets.unique()})
    text = (shown.dt.day.astype(str) + " " + shown.dt.month.map(_month_names(lang)) + " "
            + shown.dt.year.astype(str) + " " + clock + " " + names)
    return text.reindex(values.index).astype(object).where(present, None)


def lokal_naif_kolom(values: pd.Series) -> pd.Series:
    """Moments as local wall-clock times without a zone, for a download (Excel has no zones): the header
    names the zone (nama_zona_kolom)."""
    return lokal_kolom(values).dt.tz_localize(None)


def jam(value: dt.datetime) -> str:
    """Clock time as written in Indonesia: 14.05 (of the value as given: convert with `lokal` first)."""
    return f"{value:%H.%M}"


def bulan(value: dt.date, lang: str = "id", *, singkat: bool = True) -> str:
    """Month name for chart ticks: 'Okt 2013' / 'Oktober 2013'."""
    return format_date(value, format="MMM y" if singkat else "MMMM y", locale=_locale(lang))


def bulan_tanpa_tahun(value: dt.date, lang: str = "id") -> str:
    return format_date(value, format="d MMM", locale=_locale(lang))


def plotly_separators(lang: str = "id") -> str:
    """plotly layout.separators: decimal then thousands ',.' for Indonesian."""
    return ",." if lang == "id" else ".,"
