"""End to end, issues 6 and 17: the lobby screen in Chromium at 1920×1080 and 1366×768, through server
restarts. /layar is a plain page (ektp_metrics/web.py), not a Streamlit page."""

import datetime as dt
import time

import pytest

from tests.browser import POLL_MS, free_port, screenshot, settled, streamlit_process, upload_as
from tests.conftest import ROOT

pytestmark = pytest.mark.browser
SIZES = [(1920, 1080), (1366, 768)]
# Anything a person could press or type into.
CONTROLS = "button:visible, input:visible, textarea:visible, select:visible, a:visible, [tabindex]:visible"
CURRENT = ".layar[data-slide]"
SOME_FRIDAY = dt.datetime(2013, 10, 25, 9, 0, tzinfo=dt.UTC)   # for the page's clock, when the test moves it
DATA = "/layar/data.json"
NEW_CITY = "383.871"   # sudah rekam after the example daily report (383.427 + 444)
# The two states the page can be in with figures on screen (the note belongs to the slide on screen).
STALE = """() => { const n = document.querySelector('.layar[data-slide] .layar-catatan');
    return !!n && !n.hidden && n.getClientRects().length > 0 && n.innerText.startsWith('Pembaruan data tertunda'); }"""
FRESH = """() => { const n = document.querySelector('.layar[data-slide] .layar-catatan');
    return !!n && n.hidden && document.documentElement.dataset.status === 'segar'; }"""
CITY = """() => { const s = document.querySelector('.layar[data-slide]');
    return !!s && s.dataset.slide === 'kota' && s.innerText.includes('92,26%'); }"""
# What the old Streamlit page showed on a restart, and what the screen must never show.
NEVER = ("Connection error", "not responding", "Are you connected", "Data sedang disiapkan", "Traceback", "Error",
         "Galat", "galat")


def current_slide(page) -> str:
    return page.locator(CURRENT).first.get_attribute("data-slide")


def fits_without_scrolling(page) -> bool:
    return page.evaluate("""() => {
        const doc = document.scrollingElement;
        const layar = document.querySelector('.layar');
        const slide = layar.getBoundingClientRect();
        return doc.scrollHeight <= window.innerHeight + 1 && doc.scrollWidth <= window.innerWidth + 1
            && layar.scrollHeight <= layar.clientHeight + 1 && layar.scrollWidth <= layar.clientWidth + 1
            && slide.top >= 0 && slide.left >= 0
            && slide.bottom <= window.innerHeight + 1 && slide.right <= window.innerWidth + 1;
    }""")


def nothing_to_touch(page) -> None:
    assert page.locator(CONTROLS).count() == 0
    assert page.locator("[data-testid]").count() == 0          # no Streamlit frame at all: a plain page


@pytest.mark.parametrize("width,height", SIZES)
def test_lobby_screen_rotates_fits_and_offers_nothing_to_touch(demo_server, new_page, width, height):
    page = new_page(width, height)
    # The page's clock stands still (Playwright's fake timers) and is moved on by the test: the slides
    # change every 5 s of it, exactly, and the test need not wait those seconds.
    page.clock.install(time=SOME_FRIDAY)
    page.clock.pause_at(SOME_FRIDAY + dt.timedelta(hours=1))   # ahead of install's time, however slow the machine
    page.goto(demo_server + "/layar?embed=true&detik=5")
    page.wait_for_selector(CURRENT, timeout=30_000)
    seen, content = [], ""
    for _ in range(5):   # the slides change by themselves, every 5 s here
        name = current_slide(page)
        seen.append(name)
        page.evaluate("document.fonts.ready.then(() => true)")   # measure and photograph in the real font
        assert fits_without_scrolling(page), f"{name} at {width}×{height} does not fit"
        screenshot(page, f"layar_{name}_{width}x{height}")
        if name == "kota":
            content = page.locator(CURRENT).inner_text()
        page.clock.run_for(4_999)
        assert current_slide(page) == name, f"{name} left before its 5 s"
        page.clock.run_for(1)
        assert current_slide(page) != name, f"{name} stayed past its 5 s"
    assert seen == ["kota", "safari", "kecamatan", "kartu", "ajakan"]
    assert current_slide(page) == "kota"          # and round again
    assert "92,26%" in content and "383.427" in content and "± 32 ribu" in content
    assert "Data per Jumat, 25 Oktober 2013" in content and "DATA CONTOH" in content
    assert page.locator(".layar-catatan:visible").count() == 0
    assert page.evaluate("getComputedStyle(document.querySelector('.layar')).fontFamily").startswith('"Source Sans"')
    assert page.evaluate("""() => [...document.fonts].some(f => f.family.includes('Source Sans')
                                                         && f.status === 'loaded')""")   # Streamlit's own, served here
    nothing_to_touch(page)
    assert page.console_errors == []
    assert page.external_requests == []


def test_the_documented_url_and_its_variants_serve_the_plain_page(demo_server, new_page):
    page = new_page(1366, 768)
    for path in ("/layar", "/layar/", "/layar?embed=true", "/layar/?embed=true&detik=20"):
        page.goto(demo_server + path)
        page.wait_for_function(CITY, timeout=30_000)
        assert page.url.split("?")[0].endswith("/layar")
        nothing_to_touch(page)
        assert fits_without_scrolling(page)
    assert page.console_errors == [] and page.external_requests == []


def test_an_upload_reaches_the_lobby_without_a_reload(fresh_server, new_page):
    example = ROOT / "data" / "contoh" / "contoh_laporan_harian.csv"
    url, staff = fresh_server.url, new_page()
    lobby = new_page(1920, 1080)
    lobby.clock.install(time=SOME_FRIDAY)   # the page's clock stands still (from an hour on); the test moves it
    lobby.clock.pause_at(SOME_FRIDAY + dt.timedelta(hours=1))
    lobby.goto(url + "/layar?embed=true&detik=5")
    lobby.wait_for_selector(CURRENT, timeout=30_000)
    upload_as(staff, url, "operator", "contoh-operator-2013", example)
    settled(staff, staff.get_by_text("+444 rekam, +157 distribusi (Kota Surakarta)"))
    staff.get_by_role("button", name="Simpan").click()
    staff.get_by_text("Tersimpan sebagai batch").wait_for(timeout=30_000)
    # the lobby tab was never reloaded: its next poll (15 s on its clock) has the new figures …
    with lobby.expect_response(lambda r: r.url.endswith(DATA) and r.status == 200, timeout=30_000):
        lobby.clock.run_for(15_000)
    lobby.wait_for_function(f"() => (localStorage.getItem('ektp-layar-terakhir') || '').includes('{NEW_CITY}')",
                            timeout=30_000)
    # … and its next city slide shows them (the slides move on every 5 s of the page's clock)
    city = f"""() => {{ const s = document.querySelector('.layar[data-slide]');
        return s.dataset.slide === 'kota' && s.innerText.includes('{NEW_CITY}'); }}"""
    for _ in range(5):
        if lobby.evaluate(city):
            break
        lobby.clock.run_for(5_000)
    assert lobby.evaluate(city), lobby.locator(CURRENT).inner_text()
    assert "Data per Senin, 28 Oktober 2013" in lobby.locator(CURRENT).inner_text()
    assert lobby.console_errors == [] and lobby.external_requests == []


@pytest.mark.parametrize("width,height", SIZES)
def test_a_long_list_of_long_names_still_fits(demo_template, new_page, width, height):
    # A province's list below the whole: 30 kabupaten with long names. The slides hold the 8 lowest / 6
    # largest backlogs, each name on one line. Laid out by Chromium from the slide's own HTML and CSS.
    from dataclasses import replace

    from ektp_metrics import kiosk
    from ektp_metrics.db import Database

    with Database(demo_template, create=False, read_only=True) as db:
        board = kiosk.read_board(db)
    parts = [replace(board.kota, kode=f"73.{i:02d}", nama=f"Kabupaten Pangkajene dan Kepulauan {i:02d}",
                     persen_rekam=board.kota.persen_rekam - i, backlog_distribusi=100_000 + i) for i in range(30)]
    wide = kiosk.Board(**{**board.__dict__, "bagian": parts, "tingkat_bagian": "kota"})
    now = dt.datetime(2013, 10, 25, 12, 5, tzinfo=dt.UTC)
    page = new_page(width, height)
    for slide in ("kecamatan", "kartu"):
        page.set_content("<!doctype html><html><head><style>" + kiosk.CSS + "</style></head><body>"
                         + kiosk.render(wide, slide, 2, 5, now, stale_since=now) + "</body></html>")
        assert fits_without_scrolling(page), slide
        rows = page.locator(".layar td.nama")
        heights = [rows.nth(i).bounding_box()["height"] for i in range(rows.count())]
        assert max(heights) - min(heights) < 3, f"{slide}: a name wrapped onto a second line ({heights})"
        screenshot(page, f"layar_panjang_{slide}_{width}x{height}")
    # Issue 21: an ajakan with a long unbroken string (a link, a hashtag) as long as the field allows, a long
    # name under it and a long place for the cards: every text breaks inside its box, nothing runs off.
    word = "#AyoRekamEKTPSebelum31Desember2013DiKelurahanMasingMasingBersamaSafariKelilingDispendukcapilSurakarta"
    texts = {"wawali_ajakan": ((word + " Warga Solo yang belum rekam, datanglah malam ini. ") * 5)[:500],
             "wawali_nama": ("Wakil Wali Kota Surakarta " + word)[:120],
             "kartu_tempat": "Kartu diambil di " + word}
    long_texts = kiosk.Board(**{**board.__dict__, "texts": texts})
    for slide in ("ajakan", "kartu"):
        page.set_content("<!doctype html><html><head><style>" + kiosk.CSS + "</style></head><body>"
                         + kiosk.render(long_texts, slide, 4, 5, now) + "</body></html>")
        assert page.locator(".layar").inner_text().count(word[:40]) >= 1
        assert fits_without_scrolling(page), slide
        assert texts_outside_their_box(page) == [], slide
        screenshot(page, f"layar_panjang_{slide}_kata_{width}x{height}")


def texts_outside_their_box(page) -> list[str]:
    """Every line of text on the slide, as laid out: those that run out of their element's box or the
    screen (a cell cut with an ellipsis on purpose is marked as such, and left out)."""
    return page.evaluate("""() => {
        const out = [];
        const walker = document.createTreeWalker(document.querySelector('.layar'), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const box = node.parentElement;
            if (!node.textContent.trim() || getComputedStyle(box).textOverflow === 'ellipsis') continue;
            const own = box.getBoundingClientRect();
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const r of range.getClientRects()) {
                if (r.right > own.right + 1 || r.left < own.left - 1 || r.right > window.innerWidth
                    || r.bottom > window.innerHeight) {
                    out.push(`${box.className || box.tagName}: ${node.textContent.slice(0, 40)} (${Math.round(r.right)} > ${Math.round(own.right)})`);
                    break;
                }
            }
        }
        return out;
    }""")


# ---- through server restarts (issue 17, item 5) -----------------------------------------------------------

def lobby_tab(page):
    """A watched lobby tab that also records the answers to its polls and any dialog."""
    page.data_statuses = []
    page.dialogs = []
    page.on("response", lambda r: page.data_statuses.append(r.status) if r.url.split("?")[0].endswith(DATA) else None)
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    # Set before any of the page's own scripts: did the waiting screen (a .layar without a slide) ever appear?
    page.add_init_script("""window.__sawWaiting = false;
        new MutationObserver(() => { if (document.querySelector('.layar:not([data-slide])')) window.__sawWaiting = true; })
            .observe(document, {childList: true, subtree: true});""")
    return page


def unexpected_console_errors(page) -> list[str]:
    # While the server is down or the database unreadable the polls fail, and Chromium logs each failed
    # request ("Failed to load resource: net::ERR_CONNECTION_REFUSED" / "… status of 503"). Those, only.
    return [e for e in page.console_errors
            if not (e.startswith("Failed to load resource") and e.rstrip(")").split("?")[0].endswith(DATA))]


def keeps_its_figures(page, when: str) -> None:
    """Checked once the page is in the stale state: figures on screen, marked, and nothing else."""
    slide = page.locator(CURRENT)
    assert slide.count() == 1, when
    shown = page.locator("body").inner_text()
    assert "e-KTP Kota Surakarta" in shown and "Data per Jumat, 25 Oktober 2013" in shown, when
    assert "Pembaruan data tertunda; angka terakhir dari pukul " in shown, when
    assert not [w for w in NEVER if w in shown], (when, shown)
    assert page.locator("[role=dialog], [role=alertdialog], [role=alert], dialog").count() == 0, when
    assert page.dialogs == [], when
    assert fits_without_scrolling(page), when
    assert page.evaluate("window.__sawWaiting") is False, when


def test_the_lobby_keeps_its_figures_through_server_restarts(demo_template, new_page, tmp_path):
    db = tmp_path / "ektp.duckdb"
    db.write_bytes(demo_template.read_bytes())
    port = free_port()
    logs = iter(tmp_path / f"streamlit_{i}.log" for i in range(10))
    tabs = [lobby_tab(new_page(1920, 1080)), lobby_tab(new_page(1366, 768))]
    with streamlit_process(db, next(logs), port=port) as (url, _):
        for tab in tabs:
            # figures read every 2 s instead of 15 (?segar=2): a stop is seen, and a restart answered, in
            # seconds instead of a poll period each; the retry after a failure stays min(5 s, segar) as always
            tab.goto(url + "/layar?detik=5&segar=2")
            tab.wait_for_function(CITY, timeout=30_000, polling=POLL_MS)
            tab.wait_for_function(FRESH, timeout=30_000, polling=POLL_MS)
            tab.evaluate("window.__sawWaiting = false")   # a first visit waits for its first figures; from now on, never
    # The server is stopped: three times over, the screens keep their figures and come back fresh.
    for restart in range(1, 4):
        for tab in tabs:
            tab.wait_for_function(STALE, timeout=60_000, polling=POLL_MS)
            keeps_its_figures(tab, f"server stopped, restart {restart}")
        if restart == 1:
            for tab in tabs:
                tab.wait_for_function(f"() => ({STALE})() && ({CITY})()", timeout=60_000, polling=POLL_MS)
                size = tab.viewport_size
                screenshot(tab, f"layar_tertunda_{size['width']}x{size['height']}")
        with streamlit_process(db, next(logs), port=port):
            answering = time.monotonic()   # the server answers its health check from here on
            for tab in tabs:               # within 30 s of that, fresh figures (no reload)
                left = 30 - (time.monotonic() - answering)
                tab.wait_for_function(FRESH, timeout=max(left, 0.1) * 1000, polling=POLL_MS)
                assert tab.locator(CURRENT).count() == 1 and tab.locator(".layar-catatan:visible").count() == 0
            if restart == 1:
                for tab in tabs:
                    tab.wait_for_function(f"() => ({FRESH})() && ({CITY})()", timeout=60_000, polling=POLL_MS)
                    size = tab.viewport_size
                    screenshot(tab, f"layar_segar_lagi_{size['width']}x{size['height']}")
    # Once more, and the database file is unreadable when the server comes back (its headers overwritten).
    for tab in tabs:
        tab.wait_for_function(STALE, timeout=60_000, polling=POLL_MS)
    good = db.read_bytes()
    with db.open("r+b") as f:
        f.write(b"\0" * 4096)
    with streamlit_process(db, next(logs), port=port):
        for tab in tabs:   # the server answers, the database does not: the figures stay, marked
            with tab.expect_response(lambda r: r.url.endswith(DATA) and r.status == 503, timeout=60_000):
                pass
            tab.wait_for_function(STALE, timeout=30_000, polling=POLL_MS)
            keeps_its_figures(tab, "database unreadable after the restart")
        for tab in tabs:   # a reload now: the figures come from this browser (localStorage), still marked
            with tab.expect_response(lambda r: r.url.endswith(DATA) and r.status == 503, timeout=60_000):
                tab.reload()
            tab.wait_for_function(STALE, timeout=30_000, polling=POLL_MS)
            keeps_its_figures(tab, "reloaded while the database is unreadable")
            tab.wait_for_function(f"() => ({STALE})() && ({CITY})()", timeout=60_000, polling=POLL_MS)
            size = tab.viewport_size
            screenshot(tab, f"layar_tertunda_db_rusak_dimuat_ulang_{size['width']}x{size['height']}")
            assert tab.evaluate("window.__sawWaiting") is False     # never "Data sedang disiapkan"
        db.write_bytes(good)   # restored: fresh figures at the next poll, no restart needed
        for tab in tabs:
            tab.wait_for_function(FRESH, timeout=30_000, polling=POLL_MS)
            assert 200 in tab.data_statuses and 503 in tab.data_statuses
    log = "".join(p.read_text() for p in tmp_path.glob("streamlit_*.log"))
    assert "tidak terbaca" in log          # the cause is in the server's log, never on the screen
    for tab in tabs:
        assert tab.dialogs == []
        assert unexpected_console_errors(tab) == []
        assert tab.external_requests == []
