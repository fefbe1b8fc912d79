"""The public screen in the Balai Kota lobby (/layar): what it shows, slide by slide, as HTML.

Everything here is plain data and text. ektp_metrics/web.py serves it: every slide is rendered here and
sent as JSON to a plain page (ektp_metrics/html/layar.html) that only rotates the slides, polls for new
figures and keeps the last ones through a server restart. Sizes are in viewport units (vh), so one layout
fits a 1920×1080 and a 1366×768 screen (same 16:9 shape) without scrolling. Every value that reaches the
HTML is escaped here: the page inserts these slides as they are.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pandas as pd

from ektp_metrics import formatting, metrics, settings
from ektp_metrics.db import PUBLIC_TEXTS, Database

WIB = ZoneInfo("Asia/Jakarta")
DEFAULT_SECONDS, MIN_SECONDS, MAX_SECONDS = 15, 5, 300
SLIDES = ("kota", "safari", "kecamatan", "kartu", "ajakan")
UPCOMING_DAYS = 14          # the safari slide lists visits starting within this many days
UPCOMING_BLOCKS = 3         # … at most this many visit blocks (5 kelurahan each in Solo)
# Rows that fit the screen: the progress slide and the cards slide (which has figures above its table).
# Solo has 5 kecamatan; a province's list has dozens of kabupaten/kota: then the lowest are shown.
MAX_ROWS, MAX_ROWS_KARTU = 8, 6
LEVEL_NAMES = {"provinsi": "provinsi", "kota": "kabupaten/kota", "kecamatan": "kecamatan", "kelurahan": "kelurahan"}


def seconds_from(value: object) -> int:
    """Seconds per slide from the URL (?detik=20): a whole number from 5 to 300, else the default 15."""
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        return DEFAULT_SECONDS
    return min(max(seconds, MIN_SECONDS), MAX_SECONDS)


def calendar_day(db: Database, now: dt.datetime | None = None) -> dt.date:
    """The calendar day of the lobby (for 'the safari today'): EKTP_TODAY if set; for the demo database
    the day of its latest data (it portrays Friday 25 October 2013); else today's date in Solo (WIB).

    A live database uses the clock, not the latest data: tonight's counts arrive tonight, but the
    residents in the lobby this morning need this morning's safari."""
    override = settings.today_override()
    if override is not None:
        return override
    if db.get_setting("demo") == "1":
        return metrics.reference_day(db) or (now or dt.datetime.now(WIB)).astimezone(WIB).date()
    return (now or dt.datetime.now(WIB)).astimezone(WIB).date()


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


# ---- HTML -------------------------------------------------------------------------------------------------

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
.layar-isi { flex: 1; display: flex; flex-direction: column; justify-content: center; }
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
.layar .nama-wawali { font-size: 3.8vh; margin-top: 3vh; color: #333; }
.layar-bawah { display: flex; justify-content: space-between; align-items: center; font-size: 2.4vh; color: #555;
               padding: 1vh 0 0 0; }
.layar-titik span { display: inline-block; width: 1.6vh; height: 1.6vh; border-radius: 50%; background: #CCC;
                    margin-left: 0.8vh; }
.layar-titik span.aktif { background: #0072B2; }
.layar-catatan { color: #8a5a00; }
"""


def _e(value: object) -> str:
    return html.escape(str(value))


def _bar(persen: float | None) -> str:
    width = 0.0 if persen is None else max(0.0, min(float(persen), 100.0))
    return f'<div class="bar"><div class="isi" style="width:{width:.2f}%"></div></div>'


def _jam(start, end) -> str:
    if start is None or pd.isna(start) or end is None or pd.isna(end):
        return ""
    return f"pukul {start:%H.%M}–{end:%H.%M} (sore–malam)" if start.hour >= 12 else f"pukul {start:%H.%M}–{end:%H.%M}"


def _days(start: dt.date, end: dt.date) -> str:
    if start == end:
        return formatting.tanggal(start, hari=True).rsplit(" ", 1)[0]
    return f"{formatting.bulan_tanpa_tahun(start)} – {formatting.bulan_tanpa_tahun(end)}"


def slide_kota(board: Board) -> str:
    k = board.kota
    left = metrics.days_left(board.hari_ini, board.deadline)   # days on the calendar, not since the data
    target = (f"Target: 100% pada {_e(formatting.tanggal(board.deadline))} — {_e(formatting.angka(left))} hari lagi"
              if left >= 0 else f"Batas {_e(formatting.tanggal(board.deadline))} sudah lewat")
    return f"""<h1>Perekaman e-KTP {_e(k.nama)}</h1>
<div class="raksasa">{_e(formatting.persen_nilai(k.persen_rekam))}</div>
<div class="sub">warga wajib KTP sudah merekam data e-KTP</div>
{_bar(None if k.persen_rekam is None else float(k.persen_rekam))}
<div class="baris">
  <div><div class="angka">{_e(formatting.angka(k.sudah_rekam))}</div><div class="ket">warga sudah rekam</div></div>
  <div><div class="angka belum">{_e(kira_kira(k.belum_rekam))}</div><div class="ket">warga belum rekam</div></div>
</div>
<div class="target">{target}</div>{_missing_targets(k)}"""


def _missing_targets(k: metrics.Summary) -> str:
    if not k.kelurahan_tanpa_target:
        return ""
    return (f'<div class="ket">{_e(formatting.angka(k.kelurahan_tanpa_target))} kelurahan belum punya angka wajib KTP '
            f'dan belum dihitung di sini.</div>')


def slide_safari(board: Board) -> str:
    frame = board.safari
    d = pd.Timestamp(board.hari_ini)
    today = frame[(frame["tanggal_mulai"] <= d) & (frame["tanggal_selesai"] >= d)] if len(frame) else frame
    later = frame[frame["tanggal_mulai"] > d] if len(frame) else frame
    parts = ['<h1>Belum rekam e-KTP? Datang ke kelurahan</h1>']
    if len(today):
        day = f'<div class="sub">Hari ini, {_e(formatting.tanggal(board.hari_ini, hari=True))}</div>'
        hours = _jam(today.iloc[0]["jam_mulai"], today.iloc[0]["jam_selesai"])
        places = today["tempat"].map(lambda x: "" if x is None or pd.isna(x) else str(x).strip())
        row_hours = [_jam(a, b) for a, b in zip(today["jam_mulai"], today["jam_selesai"])]
        if len(today) == 1:
            r = today.iloc[0]
            where = places.iloc[0] or "Kantor Kelurahan " + r["kelurahan"]
            body = (f'<div class="tempat">{_e(r["kelurahan"])} <span class="jam">· Kec. {_e(r["kecamatan"])}</span></div>'
                    f'<div class="jam">{_e(where)}{", " + _e(hours) if hours else ""}</div>')
        else:
            at_office = places.map(lambda x: x == "" or x.startswith("Kantor Kelurahan")).all()
            same_hours = len(set(row_hours)) == 1
            names = [k if at_office else f"{k} ({p or 'kantor kelurahan'})" for k, p in zip(today["kelurahan"], places)]
            if not same_hours:   # each its own hours
                names = [f"{n} {h.replace(' (sore–malam)', '')}".strip() for n, h in zip(names, row_hours)]
            body = (f'<div class="tempat">{_e(", ".join(names))}</div>'
                    f'<div class="jam">{"di kantor kelurahan masing-masing" if at_office else ""}'
                    f'{", " + _e(hours) if hours and same_hours else ""}</div>')
        parts.append(f'<div class="sekarang">{day}{body}</div>')
    else:
        parts.append(f'<div class="sekarang"><div class="sub">Hari ini, {_e(formatting.tanggal(board.hari_ini, hari=True))}, '
                     'tidak ada layanan keliling. Tanyakan di kantor kelurahan Anda.</div></div>')
    if len(later):
        # One row per visit block: its days, the kelurahan served together, the hours.
        blocks = later.groupby(["tanggal_mulai", "tanggal_selesai"], sort=True)
        rows = "".join(
            f'<tr><td class="num hari">{_e(_days(start.date(), end.date()))}</td>'
            f'<td class="nama-daftar">{_e(", ".join(block["kelurahan"]))}</td></tr>'
            for (start, end), block in list(blocks)[:UPCOMING_BLOCKS])
        hours = _jam(later.iloc[0]["jam_mulai"], later.iloc[0]["jam_selesai"])
        parts.append(f'<div class="sub">Jadwal berikutnya{", " + _e(hours) if hours else ""}</div><table>{rows}</table>')
    return "".join(parts)


def _of_all(shown: int, total: int, which: str) -> str:
    """' — 8 terendah dari 34' when the screen holds only part of the list."""
    return f" — {formatting.angka(shown)} {which} dari {formatting.angka(total)}" if shown < total else ""


def slide_kecamatan(board: Board) -> str:
    """Progress of the regions below the whole, best first; the MAX_ROWS lowest when there are more."""
    rows = metrics.lowest(board.bagian, MAX_ROWS)
    rows = sorted(rows, key=lambda s: (s.persen_rekam is None, s.persen_rekam or 0), reverse=True)
    body = "".join(
        f'<tr><td class="nama">{_e(s.nama)}</td><td class="barcell">{_bar(None if s.persen_rekam is None else float(s.persen_rekam))}</td>'
        f'<td class="num">{_e(formatting.persen_nilai(s.persen_rekam))}</td>'
        f'<td class="num belum">{_e(formatting.angka(s.belum_rekam))} belum</td></tr>' for s in rows)
    title = f"Kemajuan per {LEVEL_NAMES[board.tingkat_bagian]}{_of_all(len(rows), len(board.bagian), 'terendah')}"
    return f"<h1>{_e(title)}</h1><table>{body}</table>"


def slide_kartu(board: Board) -> str:
    k = board.kota
    rows = sorted(board.bagian, key=lambda s: s.backlog_distribusi, reverse=True)[:MAX_ROWS_KARTU]
    body = "".join(f'<tr><td class="nama">{_e(s.nama)}</td><td class="num">{_e(formatting.angka(max(s.backlog_distribusi, 0)))} kartu</td></tr>'
                   for s in rows)
    where = f"per {LEVEL_NAMES[board.tingkat_bagian]}{_of_all(len(rows), len(board.bagian), 'terbanyak')}"
    place = board.texts.get("kartu_tempat") or ""
    ready = ""
    if k.kartu_diterima is not None and k.kartu_diterima > k.sudah_distribusi and k.tanggal_kartu is not None:
        ready = (f'<div class="sub">{_e(formatting.angka(k.kartu_diterima - k.sudah_distribusi))} kartu sudah '
                 f'tiba dari pusat dan siap diambil (per {_e(formatting.tanggal(k.tanggal_kartu))}).</div>')
    return f"""<h1>Kartu e-KTP</h1>
<div class="baris" style="margin-top:0">
  <div><div class="angka">{_e(formatting.angka(k.sudah_distribusi))}</div><div class="ket">kartu sudah diterima warga</div></div>
  <div><div class="angka belum">{_e(formatting.angka(max(k.backlog_distribusi, 0)))}</div><div class="ket">warga sudah rekam, kartu belum diterima</div></div>
</div>{ready}
<div class="sub" style="margin-top:2vh">Kartu yang belum diterima, {_e(where)}</div><table>{body}</table>
{f'<div class="target">{_e(place)}</div>' if place else ''}"""


def slide_ajakan(board: Board) -> str:
    name = board.texts.get("wawali_nama") or ""
    return (f'<h1>Ayo rekam e-KTP</h1><div class="kutipan">“{_e(board.texts.get("wawali_ajakan", ""))}”</div>'
            + (f'<div class="nama-wawali">— {_e(name)}</div>' if name else ""))


_RENDER = {"kota": slide_kota, "safari": slide_safari, "kecamatan": slide_kecamatan, "kartu": slide_kartu,
           "ajakan": slide_ajakan}


def render(board: Board, slide: str, position: int, count: int, refreshed: dt.datetime,
           stale_since: dt.datetime | None = None) -> str:
    """One slide with the header ('Data per …') and the footer (slide dots, a discreet stale notice)."""
    refreshed_wib = refreshed.astimezone(WIB)
    demo = '<span class="layar-contoh">DATA CONTOH</span>' if board.demo else ""
    dots = "".join(f'<span class="{"aktif" if i == position else ""}"></span>' for i in range(count))
    # The note is always there, hidden unless stale: the page un-hides it when the server does not answer
    # and these figures, read at `refreshed`, are the last it has.
    hidden = "" if stale_since is not None else " hidden"
    note = (f'<span class="layar-catatan"{hidden}>Pembaruan data tertunda; angka terakhir dari pukul '
            f'{_e(formatting.jam(refreshed_wib))} WIB</span>')
    return f"""<div class="layar" data-slide="{_e(slide)}">
<div class="layar-atas"><span><b>e-KTP {_e(board.kota.nama)}</b>{demo}</span>
<span>Data per {_e(formatting.tanggal(board.data_per, hari=True))} · diperbarui {_e(formatting.jam(refreshed_wib))} WIB</span></div>
<div class="layar-isi">{_RENDER[slide](board)}</div>
<div class="layar-bawah"><span>{note}</span><span class="layar-titik">{dots}</span></div>
</div>"""


def waiting(nama: str = "") -> str:
    """Shown before the first figures exist: calm, no error. `nama`: the whole region list's name."""
    return (f'<div class="layar"><div class="layar-isi"><h1>{_e(("e-KTP " + nama).strip())}</h1>'
            '<div class="sub">Data sedang disiapkan.</div></div></div>')
