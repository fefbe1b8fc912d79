"""End to end, issue 9: the dashboard over a two-province region list in Chromium (drill-down, the level
below, paged ranking, no map without boundaries), with screenshots."""

import datetime as dt

import pytest

from tests.browser import rerun, screenshot, settled, streamlit_server
from tests.helpers import DAY, make_national

# one module server (national_server): its tests stay on one worker under `make test` (--dist loadgroup)
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("national")]


@pytest.fixture(scope="module")
def national_server(chromium, tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e_national")
    db = make_national(folder)
    with streamlit_server(db, folder / "streamlit.log", {"EKTP_TODAY": DAY.isoformat()}) as url:
        yield url


def pick(page, box: int, option: str) -> None:
    """Choose an option; back once the run it starts has ended."""
    page.locator("[data-testid='stSelectbox']").nth(box).click()
    rerun(page, page.get_by_role("option", name=option, exact=True).click)


def test_wilayah_over_a_two_province_list(national_server, new_page):
    page = new_page(1440, 900)
    page.goto(national_server + "/wilayah")
    page.get_by_text("Kemajuan per Provinsi").wait_for()
    page.get_by_text("Baris 1–100 dari 240").wait_for()
    settled(page, page.get_by_text("Peta hanya digambar", exact=False))
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "nasional_wilayah_1440x900")
    pick(page, 0, "Prov 35")
    page.get_by_text("Kemajuan per Kabupaten/kota").wait_for()
    pick(page, 1, "Kab 351")
    page.get_by_text("Kemajuan per Kecamatan").wait_for()            # and the run that drew it has ended
    assert page.get_by_text("Baris 1–100").count() == 0          # 60 desa: one page, no pager
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "nasional_wilayah_kab_1440x900")
    page.goto(national_server + "/")
    page.get_by_text("Perekaman e-KTP Seluruh wilayah").wait_for()
    settled(page, page.get_by_text("Kemajuan per Provinsi"))          # the expander of the level below
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.title() == "Dasbor e-KTP Seluruh wilayah"
    screenshot(page, "nasional_ringkasan_1440x900")
    assert page.console_errors == [] and page.external_requests == []


def test_keliling_over_a_two_province_list_plans_per_kota(national_server, new_page):
    page = new_page(1440, 900)
    page.goto(national_server + "/keliling")
    # the page's run has ended (the notice is drawn, then nothing runs): the planner would be there by now
    settled(page, page.get_by_text("direncanakan dan diubah per kabupaten/kota", exact=False))
    assert page.get_by_text("Perencana safari", exact=True).count() == 0       # no planner here
    assert page.locator("[data-testid='stException']").count() == 0
    screenshot(page, "nasional_keliling_1440x900")
    assert page.console_errors == [] and page.external_requests == []


def test_the_lobby_screen_over_a_two_province_list(national_server, new_page):
    page = new_page(1920, 1080)
    start = dt.datetime(2013, 10, 25, 9, 0, tzinfo=dt.UTC)
    # the page's clock stands still (pause_at must lie ahead of install's time, however slow the machine)
    # and the test moves it (10 s: two slides on)
    page.clock.install(time=start)
    page.clock.pause_at(start + dt.timedelta(hours=1))
    page.goto(national_server + "/layar?embed=true&detik=5")
    current = ".layar[data-slide]"
    page.wait_for_selector(current, timeout=30_000)
    assert page.locator(current).inner_text().startswith("e-KTP Seluruh wilayah")
    page.clock.run_for(10_000)
    assert page.locator(current).get_attribute("data-slide") == "kecamatan"
    slide = page.locator(current).inner_text()
    assert "Kemajuan per provinsi" in slide and "Prov 33" in slide and "Prov 35" in slide
    screenshot(page, "nasional_layar_bagian_1920x1080")
    assert page.console_errors == [] and page.external_requests == []
