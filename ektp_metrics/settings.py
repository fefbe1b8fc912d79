"""Every setting of the application, declared once with its default and help text.

A setting is read from the environment variable of the same name. tests/test_settings.py checks that
each one is documented in README.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ektp_metrics import PROJECT_ROOT


@dataclass(frozen=True)
class Setting:
    name: str
    default: str | None
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("EKTP_DB", "data/ektp.duckdb",
            "Path of the DuckDB database file (relative paths are relative to the project folder)."),
    Setting("EKTP_TODAY", None,
            "The app's reference day (YYYY-MM-DD). Default: the date of the latest data."),
    Setting("EKTP_DEADLINE", "2013-12-31",
            "Deadline for 100% recording and full card delivery (YYYY-MM-DD)."),
    Setting("EKTP_LANG", "id", "Default interface language: id (Bahasa Indonesia) or en (English)."),
    Setting("EKTP_TZ", "Asia/Jakarta",
            "Time zone (IANA name) of every time shown to people and in downloads; times are stored in UTC. "
            "Asia/Jakarta is named WIB, Asia/Makassar WITA, Asia/Jayapura WIT, another zone by its UTC offset."),
    Setting("EKTP_MAX_DAILY", "500",
            "A daily count per kelurahan and lokasi above this is implausible: refused unless confirmed."),
    Setting("EKTP_MAX_UPLOAD_MB", "50",
            "Largest upload in MB, checked on the server (keep server.maxUploadSize in .streamlit/config.toml equal)."),
    Setting("EKTP_MAX_ROWS", "1000000", "Most data rows in one upload."),
    Setting("EKTP_MAX_PROBLEMS", "200", "Most problems listed for each check of a refused file."),
    Setting("EKTP_EXEC_LOGIN", "0",
            "1: the dashboards need a login too; 0 (default): open on the office network. Staff pages always do."),
    Setting("EKTP_CACHE_SECONDS", "60",
            "How long the app keeps a query's figures before reading the database again (the lobby screen's "
            "refresh; uploads clear the cache at once)."),
    Setting("EKTP_SESSION_MINUTES", "30", "A logged-in session ends after this many minutes without activity."),
    Setting("EKTP_LOCKOUT_FAILURES", "5", "Wrong passwords within the lockout window that lock an account."),
    Setting("EKTP_LOCKOUT_MINUTES", "15", "The lockout window, and how long a locked account stays locked."),
    Setting("EKTP_TRUSTED_PROXY", None,
            "Addresses (comma-separated) of the reverse proxies in front of the app, e.g. 127.0.0.1: only a "
            "request from one of them has its client address taken from X-Forwarded-For (and HTTPS from "
            "X-Forwarded-Proto). Default: none; the connection's own address counts."),
    Setting("EKTP_MIN_FREE_MB", "50",
            "Writes are refused (nothing half-written) when the database's disk has less free space than this, "
            "in MB (an upload also needs a few times its size). 0 turns the check off."),
    Setting("EKTP_MAX_JUMP_DAYS", "14",
            "A file whose dates lie more than this many days after the latest data date (it would move the app's "
            "'today') is refused unless confirmed."),
    Setting("EKTP_BACKUP_DIR", None,
            "Folder of the backups. Default: 'cadangan' beside the database file (data/cadangan)."),
    Setting("EKTP_BACKUP_TIME", "02.00",
            "Time of day (in EKTP_TZ, HH.MM) of the running app's daily backup."),
    Setting("EKTP_BACKUP_KEEP", "14",
            "Daily backups kept (the newest of each day); besides them the newest backup of each month is kept "
            "for a year."),
    Setting("EKTP_ALLOWED_ORIGINS", None,
            "Web origins besides the app's own (comma-separated scheme://host[:port], http or https, no path) "
            "whose pages may use the app, e.g. a reverse proxy's public https://dasbor.surakarta.go.id; "
            "requests and websockets from any other origin are refused (ektp_metrics.origins)."),
    Setting("EKTP_API_RATE", "120",
            "Requests per minute the HTTP API (/api/v1) answers one client without a token (by its address; "
            "behind a proxy see EKTP_TRUSTED_PROXY); more get 429 with Retry-After. Requests with a token are not "
            "limited."),
    Setting("EKTP_API_BURST", "30",
            "Requests one client without a token may send at once before EKTP_API_RATE applies."),
    Setting("EKTP_TOKEN", None,
            "The command line's API token for --url (made on Pengguna): import, batches, cek and backup against "
            "a running app. Never an argument, so it stays out of the process list and the shell's history."),
    Setting("EKTP_PASSWORD", None,
            "Password for `init` (the first admin), `users add`/`users reset` when not typed at the terminal or "
            "given on standard input."),
    Setting("EKTP_CHROMIUM", "/usr/bin/chromium", "Chromium used by the browser tests."),
    Setting("EKTP_REQUIRE_BROWSER", "0",
            "1 turns a skipped browser test (no Chromium) into a failure; .ci/run sets it."),
)

# The safari planner's defaults, from the report of 25 October 2013: 10 devices, 5 kelurahan every 3 days;
# five kelurahan together record about 400 a day, i.e. 40 per device per day. And its ordering rules.
DEFAULT_DEVICES, DEFAULT_PER_BLOCK, DEFAULT_BLOCK_DAYS, DEFAULT_CAPACITY = 10, 5, 3, 40
RULES = ("belum_rekam", "persen", "kecamatan", "kode")

_BY_NAME = {s.name: s for s in SETTINGS}
_DATES = ("EKTP_TODAY", "EKTP_DEADLINE")
_POSITIVE_NUMBERS = ("EKTP_CACHE_SECONDS", "EKTP_MAX_DAILY", "EKTP_MAX_UPLOAD_MB", "EKTP_MAX_ROWS", "EKTP_MAX_PROBLEMS",
                     "EKTP_SESSION_MINUTES", "EKTP_LOCKOUT_FAILURES", "EKTP_LOCKOUT_MINUTES", "EKTP_MAX_JUMP_DAYS",
                     "EKTP_BACKUP_KEEP", "EKTP_API_RATE", "EKTP_API_BURST")
_NON_NEGATIVE_NUMBERS = ("EKTP_MIN_FREE_MB",)
_BACKUP_TIME = re.compile(r"(\d{1,2})[.:](\d{2})")
# An origin as browsers send it: scheme://host[:port], the host a name, an IPv4 address or [an IPv6 address].
_ORIGIN = re.compile(r"(https?)://([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?|\[[0-9a-f:.]+\])(?::([0-9]{1,5}))?")


class InvalidSetting(ValueError):
    """A setting has a value of the wrong form; the message names the variable and the form."""


def get(name: str) -> str | None:
    """The value of a declared setting: the environment variable if set and non-empty, else the default."""
    setting = _BY_NAME[name]
    value = os.environ.get(name, "").strip()
    return value if value else setting.default


def db_path() -> Path:
    path = Path(get("EKTP_DB") or "data/ektp.duckdb")
    return path if path.is_absolute() else PROJECT_ROOT / path


def _date(name: str) -> dt.date | None:
    value = get(name)
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidSetting(f"{name}={value!r} bukan tanggal YYYY-MM-DD / is not a YYYY-MM-DD date") from exc


def number(name: str, *, allow_zero: bool = False) -> float:
    """A positive number setting (EKTP_MAX_*); with allow_zero, zero too."""
    value = get(name) or ""
    try:
        parsed = float(value)
    except ValueError:
        parsed = -1.0
    if parsed < 0 or (parsed == 0 and not allow_zero):
        what = "angka nol atau positif / is not zero or a positive number" if allow_zero else \
            "angka positif / is not a positive number"
        raise InvalidSetting(f"{name}={value!r} bukan {what}")
    return parsed


def backup_dir(database: Path | None = None) -> Path:
    """EKTP_BACKUP_DIR, else the folder 'cadangan' beside the database file (data/cadangan)."""
    value = get("EKTP_BACKUP_DIR")
    if value:
        path = Path(value)
        return path if path.is_absolute() else PROJECT_ROOT / path
    return (database or db_path()).parent / "cadangan"


def timezone() -> ZoneInfo:
    """EKTP_TZ, the zone of every time shown to people (Asia/Jakarta: WIB)."""
    value = get("EKTP_TZ") or "Asia/Jakarta"
    try:
        return _zone(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:   # ValueError: a malformed key ('../x', '/etc')
        raise InvalidSetting(f"EKTP_TZ={value!r} bukan zona waktu yang dikenal (misalnya Asia/Jakarta) / "
                             f"is not a known time zone (e.g. Asia/Jakarta)") from exc


@functools.lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def backup_time() -> dt.time:
    """EKTP_BACKUP_TIME as a time of day (in EKTP_TZ): '02.00' or '2:00'."""
    value = get("EKTP_BACKUP_TIME") or "02.00"
    match = _BACKUP_TIME.fullmatch(value)
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidSetting(f"EKTP_BACKUP_TIME={value!r} bukan jam HH.MM (00.00–23.59) / is not a time HH.MM")
    return dt.time(int(match[1]), int(match[2]))


def _origin_entries() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """EKTP_ALLOWED_ORIGINS split into its well-formed entries (lower case, as browsers send an Origin:
    scheme://host[:port], the port left out when it is the scheme's default) and its malformed ones."""
    good: list[str] = []
    bad: list[str] = []
    for raw in (get("EKTP_ALLOWED_ORIGINS") or "").split(","):
        entry = raw.strip()
        if not entry:
            continue
        match = _ORIGIN.fullmatch(entry.lower())
        if match is None or (match[3] is not None and not 0 < int(match[3]) < 65536):
            bad.append(entry)
            continue
        scheme, host, port = match[1], match[2], match[3]
        default = "443" if scheme == "https" else "80"
        good.append(f"{scheme}://{host}" + (f":{int(port)}" if port is not None and int(port) != int(default)
                                            else ""))
    return tuple(good), tuple(bad)


def allowed_origins() -> tuple[str, ...]:
    """The well-formed entries of EKTP_ALLOWED_ORIGINS, normalised (see _origin_entries); a malformed entry
    is left out here (never allowed) and reported by problems()."""
    return _origin_entries()[0]


def problems() -> list[str]:
    """Every setting with a malformed value, as messages; empty when all are fine.

    The CLI and the app check this first, so a typo in the environment is reported before anything runs.
    """
    found = []
    for name in _DATES:
        try:
            _date(name)
        except InvalidSetting as exc:
            found.append(str(exc))
    for name in _POSITIVE_NUMBERS:
        try:
            number(name)
        except InvalidSetting as exc:
            found.append(str(exc))
    for name in _NON_NEGATIVE_NUMBERS:
        try:
            number(name, allow_zero=True)
        except InvalidSetting as exc:
            found.append(str(exc))
    for check in (backup_time, timezone):
        try:
            check()
        except InvalidSetting as exc:
            found.append(str(exc))
    found.extend(f"EKTP_ALLOWED_ORIGINS: {entry!r} bukan asal web scheme://host[:port] (http atau https, tanpa "
                 f"path), mis. https://dasbor.surakarta.go.id / is not a web origin scheme://host[:port] "
                 f"(http or https, no path)" for entry in _origin_entries()[1])
    lang = (get("EKTP_LANG") or "id").lower()
    if lang not in ("id", "en"):
        found.append(f"EKTP_LANG={lang!r}: pilih id atau en / choose id or en")
    return found


def today_override() -> dt.date | None:
    return _date("EKTP_TODAY")


def deadline() -> dt.date:
    value = _date("EKTP_DEADLINE")
    assert value is not None
    return value


def default_lang() -> str:
    lang = (get("EKTP_LANG") or "id").lower()
    return lang if lang in ("id", "en") else "id"
