"""The public screen in the Balai Kota lobby (/layar): what it shows, slide by slide, as HTML.

Everything here is plain data and text. ektp_metrics/web.py serves it: every slide is rendered here and
sent as JSON to a plain page (ektp_metrics/html/layar.html) that only rotates the slides, polls for new
figures and keeps the last ones through a server restart. Sizes are in viewport units (vh), so one layout
fits a 1920×1080 and a 1366×768 screen (same 16:9 shape) without scrolling. This module decides what each
slide shows (which rows, which figures, the texts); the HTML is the Jinja template
ektp_metrics/html/layar_slide.html (ektp_metrics/html/layar_menunggu.html while there are no figures), rendered
with autoescape on, so every value is escaped there: the page inserts these slides as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pandas as pd

from ektp_metrics import formatting, metrics, settings
from ektp_metrics.db import PUBLIC_TEXTS, Database
from ektp_metrics.html import ENV

DEFAULT_SECONDS, MIN_SECONDS, MAX_SECONDS = 15, 5, 300
SLIDES = ("kota", "safari", "kecamatan", "kartu", "ajakan")
LONG_AJAKAN = 160           # characters: a longer call to action is set smaller, to fit the screen
UPCOMING_DAYS = 14          # the safari slide lists visits starting within this many days
UPCOMING_BLOCKS = 3         # … at most this many visit blocks (5 kelurahan each in Solo)
# Rows that fit the screen: the progress slide and the cards slide (which has figures above its table).
# Solo has 5 kecamatan; a province's list has dozens of kabupaten/kota: then the lowest are shown.
MAX_ROWS, MAX_ROWS_KARTU = 8, 6
LEVEL_NAMES = {"provinsi": "provinsi", "kota": "kabupaten/kota", "kecamatan": "kecamatan", "kelurahan": "kelurahan"}


def seconds_from(value: object, default: int = DEFAULT_SECONDS, low: int = MIN_SECONDS,
                 high: int = MAX_SECONDS) -> int:
    """Seconds from the URL (?detik=20 per slide, ?segar=15 between reads of the figures): a whole number
    from `low` to `high`, else `default`."""
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return min(max(seconds, low), high)


def calendar_day(db: Database, now: dt.datetime | None = None) -> dt.date:
    """The calendar day of the lobby (for 'the safari today'): EKTP_TODAY if set; for the demo database
    the day of its latest data (it portrays Friday 25 October 2013); else today's date in Solo (EKTP_TZ, WIB).

    A live database uses the clock, not the latest data: tonight's counts arrive tonight, but the
    residents in the lobby this morning need this morning's safari."""
    override = settings.today_override()
    if override is not None:
        return override
    if db.get_setting("demo") == "1":
        return metrics.reference_day(db) or formatting.lokal(now or dt.datetime.now(dt.UTC)).date()
    return formatting.lokal(now or dt.datetime.now(dt.UTC)).date()


@dataclass(frozen=True)
class Board:
    """One consistent read of everything the screen shows."""

    data_per: dt.date                       # the date of the latest data (the figures are as of this day)
    hari_ini: dt.date                       # the calendar day (safari "today")
    deadline: dt.date
    kota: metrics.Summary                   # the whole region list (Kota Surakarta by default)
    bagian: list[metrics.Summary]           # the regions one level below it (Solo: its 5 kecamatan)
    safari: pd.DataFrame                    # metrics.safari_schedule from hari_ini on
    texts: dict[str, str] = field(default_factory=dict)
    demo: bool = False
    tingkat_bagian: str = "kecamatan"


def read_board(db: Database) -> Board | None:
    """The figures for the screen, or None while the database has no data."""
    data_per = metrics.reference_day(db)
    if data_per is None:
        return None
    whole = metrics.scope(db)
    kota = metrics.city_summary(db, data_per, whole)
    if kota is None:
        return None
    hari_ini = calendar_day(db)
    texts = {k: db.get_setting(k) or "" for k in PUBLIC_TEXTS}
    below = whole.levels[0]    # the level right below the whole: kecamatan for a kota's list
    return Board(data_per=data_per, hari_ini=hari_ini, deadline=settings.deadline(), kota=kota,
                 bagian=metrics.summaries(db, data_per, below),
                 safari=metrics.safari_schedule(db, hari_ini, hari_ini + dt.timedelta(days=UPCOMING_DAYS)),
                 texts=texts, demo=db.get_setting("demo") == "1", tingkat_bagian=below)


def slides_for(board: Board) -> list[str]:
    """The slides worth showing: the call to action only when an admin has written one."""
    return [s for s in SLIDES if s != "ajakan" or board.texts.get("wawali_ajakan")]


def next_slide(current: int | None, count: int) -> int:
    """The slide after `current` (0 first); wraps around."""
    if count <= 0:
        return 0
    return 0 if current is None else (current + 1) % count


def kira_kira(n: int) -> str:
    """A number as said aloud: 32.122 → '± 32 ribu'; 1.500.000 → '± 1,5 juta'; under 1.000 exact."""
    if n < 1000:
        return formatting.angka(n)
    if n < 1_000_000:
        return f"± {formatting.angka(round(n / 1000))} ribu"
    return f"± {formatting.desimal(round(n / 1_000_000, 1), 1)} juta"


# ---- the slides --------------------------------------------------------------------------------------------

# The page's style sheet (ektp_metrics/html/layar.html puts it in its <style> element): the whole viewport
# for the slide, never a scrollbar. "Source Sans" is Streamlit's bundled font when serve.py passes it to the
# page; otherwise the system's sans-serif. Nothing is fetched from outside the server.
CSS = """
html, body { margin: 0; height: 100%; overflow: hidden; background: #fff; }
body { box-sizing: border-box; padding: 2vh 3vw 0 3vw; }
[hidden] { display: none !important; }
.layar { font-family: "Source Sans", "Source Sans Pro", "Noto Sans", "DejaVu Sans", Arial, sans-serif;
         color: #111; height: 94vh;
         display: flex; flex-direction: column; }
.layar-atas { display: flex; justify-content: space-between; align-items: baseline; font-size: 2.6vh;
              color: #333; border-bottom: 0.3vh solid #0072B2; padding-bottom: 1vh; }
.layar-atas b { color: #0072B2; font-size: 3.2vh; }
.layar-contoh { background: #FFF3C4; color: #5c4400; padding: 0.2vh 1vw; border-radius: 1vh; margin-left: 1vw; }
.layar-isi { flex: 1; display: flex; flex-direction: column; justify-content: center; min-width: 0; }
/* Text an admin writes (the ajakan, a name, a place) may hold a long unbroken string (a link, a hashtag): it
   breaks inside its box rather than run off the screen (issue 21). */
.layar, .layar-atas span { overflow-wrap: anywhere; min-width: 0; }
.layar h1 { font-size: 6.5vh; margin: 0 0 2vh 0; line-height: 1.1; color: #111; font-weight: 700; }
.layar .raksasa { font-size: 20vh; font-weight: 800; line-height: 1; color: #0072B2; }
.layar .sub { font-size: 4.2vh; color: #222; }
.layar .baris { display: flex; gap: 4vw; margin-top: 3vh; }
.layar .angka { font-size: 9vh; font-weight: 700; line-height: 1.05; }
.layar .ket { font-size: 3.6vh; color: #333; }
.layar .belum { color: #B34700; }
.layar .bar { position: relative; height: 5vh; background: #E3E3E3; border-radius: 2.5vh; overflow: hidden; margin: 2vh 0; }
.layar .bar .isi { height: 100%; background: #0072B2; }
.layar .target { font-size: 4vh; margin-top: 2vh; }
.layar table { border-collapse: collapse; width: 100%; font-size: 4vh; }
.layar td { padding: 1.1vh 1vw; border-bottom: 0.2vh solid #DDD; vertical-align: middle; }
/* a long name (Kabupaten Pangkajene dan Kepulauan) stays on one line, cut with an ellipsis: rows keep their height */
.layar td.nama { font-weight: 700; width: 32%; max-width: 32vw; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.layar td.num { text-align: right; white-space: nowrap; width: 16%; }
.layar td.barcell { width: 36%; }
.layar td.barcell .bar { margin: 0; height: 3.6vh; }
.layar .sekarang { background: #E8F4FB; border-left: 1vw solid #0072B2; padding: 1.5vh 2vw; margin-bottom: 2vh; }
.layar td.hari { text-align: left; width: 22%; font-weight: 700; }
.layar td.nama-daftar { font-size: 3.6vh; }
.layar .sekarang .tempat { font-size: 5.5vh; font-weight: 700; line-height: 1.15; }
.layar .jam { font-size: 4vh; }
.layar .kutipan { font-size: 5.6vh; line-height: 1.3; font-weight: 600; }
.layar .kutipan.panjang { font-size: 4vh; }   /* up to 500 characters still fit the screen */
.layar .nama-wawali { font-size: 3.8vh; margin-top: 3vh; color: #333; }
.layar-bawah { display: flex; justify-content: space-between; align-items: center; font-size: 2.4vh; color: #555;
               padding: 1vh 0 0 0; }
.layar-titik span { display: inline-block; width: 1.6vh; height: 1.6vh; border-radius: 50%; background: #CCC;
                    margin-left: 0.8vh; }
.layar-titik span.aktif { background: #0072B2; }
.layar-catatan { color: #8a5a00; }
"""


def _width(persen: Decimal | None) -> float:
    """A progress bar's filled width in percent, 0–100 (none without a target)."""
    return 0.0 if persen is None else max(0.0, min(float(persen), 100.0))


def _jam(start, end) -> str:
    if start is None or pd.isna(start) or end is None or pd.isna(end):
        return ""
    return f"pukul {start:%H.%M}–{end:%H.%M} (sore–malam)" if start.hour >= 12 else f"pukul {start:%H.%M}–{end:%H.%M}"


def _days(start: dt.date, end: dt.date) -> str:
    if start == end:
        return formatting.tanggal(start, hari=True).rsplit(" ", 1)[0]
    return f"{formatting.bulan_tanpa_tahun(start)} – {formatting.bulan_tanpa_tahun(end)}"


# Each slide_* function gives what its slide shows, as plain values (texts, formatted figures): the HTML is
# the macro of the same name in ektp_metrics/html/layar_slide.html, which escapes every one of them.
Values = dict[str, object]


def slide_kota(board: Board) -> Values:
    k = board.kota
    left = metrics.days_left(board.hari_ini, board.deadline)   # days on the calendar, not since the data
    return {"nama": k.nama, "persen": formatting.persen_nilai(k.persen_rekam), "lebar": _width(k.persen_rekam),
            "sudah": formatting.angka(k.sudah_rekam), "belum": kira_kira(k.belum_rekam),
            "batas": formatting.tanggal(board.deadline),
            "hari_lagi": formatting.angka(left) if left >= 0 else None,           # None: the deadline has passed
            "tanpa_target": formatting.angka(k.kelurahan_tanpa_target) if k.kelurahan_tanpa_target else None}


def slide_safari(board: Board) -> Values:
    frame = board.safari
    d = pd.Timestamp(board.hari_ini)
    today = frame[(frame["tanggal_mulai"] <= d) & (frame["tanggal_selesai"] >= d)] if len(frame) else frame
    later = frame[frame["tanggal_mulai"] > d] if len(frame) else frame
    one: Values | None = None
    many: Values | None = None
    if len(today):
        hours = _jam(today.iloc[0]["jam_mulai"], today.iloc[0]["jam_selesai"])
        places = today["tempat"].map(lambda x: "" if x is None or pd.isna(x) else str(x).strip())
        row_hours = [_jam(a, b) for a, b in zip(today["jam_mulai"], today["jam_selesai"])]
        if len(today) == 1:
            r = today.iloc[0]
            one = {"kelurahan": r["kelurahan"], "kecamatan": r["kecamatan"],
                   "tempat": places.iloc[0] or "Kantor Kelurahan " + r["kelurahan"], "jam": hours}
        else:
            at_office = bool(places.map(lambda x: x == "" or x.startswith("Kantor Kelurahan")).all())
            same_hours = len(set(row_hours)) == 1
            names = [k if at_office else f"{k} ({p or 'kantor kelurahan'})" for k, p in zip(today["kelurahan"], places)]
            if not same_hours:   # each its own hours
                names = [f"{n} {h.replace(' (sore–malam)', '')}".strip() for n, h in zip(names, row_hours)]
            many = {"nama": ", ".join(names), "di_kantor": at_office, "jam": hours if same_hours else ""}
    blocks: list[tuple[str, str]] = []
    later_hours = ""
    if len(later):
        # One row per visit block: its days, the kelurahan served together; the hours of the first.
        grouped = later.groupby(["tanggal_mulai", "tanggal_selesai"], sort=True)
        blocks = [(_days(start.date(), end.date()), ", ".join(block["kelurahan"]))
                  for (start, end), block in list(grouped)[:UPCOMING_BLOCKS]]
        later_hours = _jam(later.iloc[0]["jam_mulai"], later.iloc[0]["jam_selesai"])
    return {"hari_ini": formatting.tanggal(board.hari_ini, hari=True), "satu": one, "banyak": many,
            "jadwal": blocks, "jam_jadwal": later_hours}


def _of_all(shown: int, total: int, which: str) -> str:
    """' — 8 terendah dari 34' when the screen holds only part of the list."""
    return f" — {formatting.angka(shown)} {which} dari {formatting.angka(total)}" if shown < total else ""


def slide_kecamatan(board: Board) -> Values:
    """Progress of the regions below the whole, best first; the MAX_ROWS lowest when there are more."""
    rows = metrics.lowest(board.bagian, MAX_ROWS)
    rows = sorted(rows, key=lambda s: (s.persen_rekam is None, s.persen_rekam or 0), reverse=True)
    return {"judul": f"Kemajuan per {LEVEL_NAMES[board.tingkat_bagian]}{_of_all(len(rows), len(board.bagian), 'terendah')}",
            "baris": [{"nama": s.nama, "lebar": _width(s.persen_rekam), "persen": formatting.persen_nilai(s.persen_rekam),
                       "belum": formatting.angka(s.belum_rekam)} for s in rows]}


def slide_kartu(board: Board) -> Values:
    k = board.kota
    rows = sorted(board.bagian, key=lambda s: s.backlog_distribusi, reverse=True)[:MAX_ROWS_KARTU]
    ready = None
    if k.kartu_diterima is not None and k.kartu_diterima > k.sudah_distribusi and k.tanggal_kartu is not None:
        ready = {"jumlah": formatting.angka(k.kartu_diterima - k.sudah_distribusi),
                 "tanggal": formatting.tanggal(k.tanggal_kartu)}
    return {"sudah": formatting.angka(k.sudah_distribusi), "belum": formatting.angka(max(k.backlog_distribusi, 0)),
            "siap": ready,
            "per": f"per {LEVEL_NAMES[board.tingkat_bagian]}{_of_all(len(rows), len(board.bagian), 'terbanyak')}",
            "baris": [{"nama": s.nama, "kartu": formatting.angka(max(s.backlog_distribusi, 0))} for s in rows],
            "tempat": board.texts.get("kartu_tempat") or ""}


def slide_ajakan(board: Board) -> Values:
    ajakan = board.texts.get("wawali_ajakan", "")
    return {"ajakan": ajakan, "nama": board.texts.get("wawali_nama") or "", "panjang": len(ajakan) > LONG_AJAKAN}


_VALUES = {"kota": slide_kota, "safari": slide_safari, "kecamatan": slide_kecamatan, "kartu": slide_kartu,
           "ajakan": slide_ajakan}


def render(board: Board, slide: str, position: int, count: int, refreshed: dt.datetime,
           stale_since: dt.datetime | None = None) -> str:
    """One slide with the header ('Data per …') and the footer (slide dots, a discreet stale notice)."""
    local = formatting.lokal(refreshed)
    return ENV.get_template("layar_slide.html").render(
        slide=slide, isi=_VALUES[slide](board), nama=board.kota.nama, demo=board.demo,
        data_per=formatting.tanggal(board.data_per, hari=True), diperbarui=formatting.jam(local),
        zona=formatting.nama_zona(local),
        tertunda=stale_since is not None, posisi=position, titik=count)


def waiting(nama: str = "") -> str:
    """Shown before the first figures exist: calm, no error. `nama`: the whole region list's name."""
    return ENV.get_template("layar_menunggu.html").render(judul=("e-KTP " + nama).strip())
