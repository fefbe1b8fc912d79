"""End to end, issue 6: the lobby screen in Chromium at 1920×1080 and 1366×768."""

import pytest

from tests.browser import another_page, chromium_page, screenshot
from tests.conftest import ROOT
from tests.test_e2e import fresh_server, server, upload_as  # noqa: F401 - server: the shared demo server fixture

pytestmark = pytest.mark.browser
SIZES = [(1920, 1080), (1366, 768)]
# Anything a person could press or type into. Streamlit's "Skip to main content" link (shown only on
# keyboard focus, pointing at the page itself) is an accessibility aid, not a control.
CONTROLS = ("button:visible, input:visible, textarea:visible, select:visible, "
            "a:visible:not([data-testid='stSkipToContent'])")
CURRENT = ".layar[data-slide]"


def current_slide(page) -> str:
    return page.locator(CURRENT).first.get_attribute("data-slide")


def fits_without_scrolling(page) -> bool:
    return page.evaluate("""() => {
        const main = document.querySelector("[data-testid='stMain']");
        const slide = document.querySelector('.layar').getBoundingClientRect();
        const doc = document.scrollingElement;
        return main.scrollHeight <= main.clientHeight + 1 && doc.scrollHeight <= window.innerHeight + 1
            && slide.bottom <= window.innerHeight + 1 && slide.right <= window.innerWidth + 1;
    }""")


@pytest.mark.parametrize("width,height", SIZES)
def test_lobby_screen_rotates_fits_and_offers_nothing_to_touch(server, width, height):
    with chromium_page(width, height) as page:
        page.goto(server + "/layar?embed=true&detik=5")
        page.wait_for_selector(CURRENT, timeout=30_000)
        seen, content = [], ""
        for _ in range(5):   # the slides change by themselves, every 5 s here
            name = current_slide(page)
            seen.append(name)
            page.wait_for_timeout(800)   # let the slide settle before measuring and photographing
            assert fits_without_scrolling(page), f"{name} at {width}×{height} does not fit"
            screenshot(page, f"layar_{name}_{width}x{height}")
            if name == "kota":
                content = page.locator(CURRENT).inner_text()
            page.wait_for_function(f"document.querySelector('{CURRENT}').dataset.slide !== '{name}'",
                                   timeout=20_000)
        assert seen == ["kota", "safari", "kecamatan", "kartu", "ajakan"]
        assert current_slide(page) == "kota"          # and round again
        assert "92,26%" in content and "383.427" in content and "± 32 ribu" in content
        assert "Data per Jumat, 25 Oktober 2013" in content and "DATA CONTOH" in content
        # nothing a passer-by can use: no sidebar, no menu, no links to staff pages, no inputs
        assert page.locator("[data-testid='stSidebar']").count() == 0
        assert page.locator("[data-testid='stSidebarNav'], [data-testid='stToolbar'], [data-testid='stMainMenu']").count() == 0
        assert page.locator(CONTROLS).count() == 0
        assert page.console_errors == []
        assert page.external_requests == []


def test_without_embed_there_is_still_no_menu(server):
    with chromium_page(1366, 768) as page:
        page.goto(server + "/layar")
        page.wait_for_selector(CURRENT, timeout=30_000)
        page.wait_for_timeout(1000)
        assert page.locator("[data-testid='stSidebar']").count() == 0
        assert page.locator(CONTROLS).count() == 0
        assert fits_without_scrolling(page)


def test_an_upload_reaches_the_lobby_without_a_reload(demo_template, tmp_path):
    example = ROOT / "data" / "contoh" / "contoh_laporan_harian.csv"
    with fresh_server(demo_template, tmp_path) as (url, staff):
        lobby = another_page(staff, 1920, 1080)
        lobby.goto(url + "/layar?embed=true&detik=5")
        lobby.wait_for_selector(CURRENT, timeout=30_000)
        upload_as(staff, url, "operator", "contoh-operator-2013", example)
        staff.get_by_text("+444 rekam, +157 distribusi (Kota Surakarta)").wait_for(timeout=30_000)
        staff.get_by_role("button", name="Simpan").click()
        staff.get_by_text("Tersimpan sebagai batch").wait_for(timeout=30_000)
        # the lobby tab was never reloaded: the next city slide shows the new figures
        lobby.wait_for_function("""() => { const s = document.querySelector('.layar[data-slide]');
            return s.dataset.slide === 'kota' && s.innerText.includes('383.871'); }""", timeout=60_000)
        assert "Data per Senin, 28 Oktober 2013" in lobby.locator(CURRENT).inner_text()
        assert lobby.console_errors == [] and lobby.external_requests == []


@pytest.mark.parametrize("width,height", SIZES)
def test_a_long_list_of_long_names_still_fits(demo_template, width, height):
    # A province's list below the whole: 30 kabupaten with long names. The slides hold the 8 lowest / 6
    # largest backlogs, each name on one line. Laid out by Chromium from the slide's own HTML and CSS.
    import datetime as dt
    from dataclasses import replace

    from ektp_metrics import kiosk
    from ektp_metrics.db import Database

    with Database(demo_template, create=False, read_only=True) as db:
        board = kiosk.read_board(db)
    parts = [replace(board.kota, kode=f"73.{i:02d}", nama=f"Kabupaten Pangkajene dan Kepulauan {i:02d}",
                     persen_rekam=board.kota.persen_rekam - i, backlog_distribusi=100_000 + i) for i in range(30)]
    wide = kiosk.Board(**{**board.__dict__, "bagian": parts, "tingkat_bagian": "kota"})
    now = dt.datetime(2013, 10, 25, 12, 5, tzinfo=dt.timezone.utc)
    with chromium_page(width, height) as page:
        for slide in ("kecamatan", "kartu"):
            page.set_content("<html><body style='margin:0;padding:2vh 3vw 0 3vw'>" + kiosk.CSS
                             + kiosk.render(wide, slide, 2, 5, now) + "</body></html>")
            assert page.evaluate("document.documentElement.scrollHeight") <= height, slide
            rows = page.locator(".layar td.nama")
            heights = [rows.nth(i).bounding_box()["height"] for i in range(rows.count())]
            assert max(heights) - min(heights) < 3, f"{slide}: a name wrapped onto a second line ({heights})"
            screenshot(page, f"layar_panjang_{slide}_{width}x{height}")
