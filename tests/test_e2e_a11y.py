"""End to end, issue 21 part 2: axe-core (shipped inside axe-playwright-python, no internet) on every page
and on the lobby, in both languages: no serious or critical violation. And a keyboard user sees where
the focus is, and reaches the controls with Tab."""

import datetime as dt

import pytest

from ektp_metrics import kiosk
from ektp_metrics.db import Database
from ektp_metrics.i18n import t
from tests.browser import NAV, POLL_MS, rerun, screenshot, sign_in, wait_idle

pytestmark = pytest.mark.browser

# Every page, by its menu entry: opened through the menu in one browser session (a click is one script run;
# a fresh page load would cost seconds more each, on two busy cores).
PAGES = ("ringkasan", "wilayah", "distribusi", "keliling", "unggah", "riwayat", "kualitas", "pengguna", "akun")
# Violations that come from Streamlit's own markup and that no CSS or attribute of ours can reach, each
# as (rule, a CSS selector the node matches): excluded for those nodes only, never the whole rule.
STREAMLIT_OWN = (
    # The page menu (st.navigation with sections) is <ul> > <div> > <header>, <li>: a section's <div> between
    # the list and its items. The markup is React's inside Streamlit; CSS cannot change what contains what.
    ("list", "[data-testid='stSidebarNavItems']"),
    ("listitem", "[data-testid='stSidebarNavItems'] li"),
)
# Charts drawn: a page with plotly charts shows the first one drawn (the others may wait to be scrolled to).
CHARTS_DRAWN = """() => !document.querySelector("[data-testid='stPlotlyChart']")
                        || !!document.querySelector("[data-testid='stPlotlyChart'] .js-plotly-plot .main-svg")"""


def axe_violations(page) -> list[str]:
    """Serious and critical violations axe finds on the page as it is now, one line per node."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    lines = []
    for violation in found:
        if violation["impact"] not in ("serious", "critical"):
            continue
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            if any(rule == violation["id"] and matches(page, node["target"], selector) for rule, selector in STREAMLIT_OWN):
                continue
            lines.append(f"{violation['id']} ({violation['impact']}): {target}: {node['failureSummary']!r} "
                         f"{node['html'][:160]}")
    return lines


def matches(page, target: list, selector: str) -> bool:
    """Whether the node axe names (a CSS selector, or a list of them through frames) matches `selector`."""
    if len(target) != 1 or not isinstance(target[0], str):
        return False
    return bool(page.evaluate("([t, s]) => !!document.querySelector(t)?.matches(s)", [target[0], selector]))


# What the uploader shows, as drawn: the words CSS puts in place of Streamlit's own (a11y.uploader_css).
UPLOADER_WORDS = """() => {
    const shown = sel => { const e = document.querySelector(sel);
        return e ? getComputedStyle(e, '::after').content.replace(/^"|"$/g, '') : null; };
    return {button: shown("[data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] p"),
            limit: shown("[data-testid='stFileUploaderDropzoneInstructions'] span"),
            drop: shown("[data-testid='stFileUploaderDropzone'] > div:not([data-testid]) > span")};
}"""
WORDS = {"id": ("Pilih berkas", "Maksimal 50 MB per berkas", "Lepaskan berkas di sini"),
         "en": ("Choose a file", "At most 50 MB per file", "Drop the file here")}


def uploader_speaks(page, lang: str) -> None:
    """The uploader's button, size note and drop note in the page's language (a file dragged over it)."""
    button, limit, drop = WORDS[lang]
    assert page.evaluate(UPLOADER_WORDS) == {"button": button, "limit": limit, "drop": None}
    dragged = page.evaluate_handle("""() => { const d = new DataTransfer();
        d.items.add(new File(['x'], 'harian.csv', {type: 'text/csv'})); return d; }""")
    page.dispatch_event("[data-testid='stFileUploaderDropzone']", "dragenter", {"dataTransfer": dragged})
    page.wait_for_function(f"() => ({UPLOADER_WORDS})().drop !== null")
    assert page.evaluate(UPLOADER_WORDS)["drop"] == drop
    screenshot(page, f"unggah_seret_{lang}_1440x900")
    page.dispatch_event("[data-testid='stFileUploaderDropzone']", "dragleave", {"dataTransfer": dragged})


def open_settled(page, url: str) -> None:
    page.goto(url)
    page.locator("[data-testid='stMainBlockContainer']").wait_for(timeout=30_000)
    wait_drawn(page)


# The app's style sheet is on the page (each script run sends it again, first thing: app.py).
STYLED = """() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('issue 21, part 2'))"""


def wait_drawn(page) -> None:
    """The run has ended, with the app's style sheet in place and the first chart (if any) drawn."""
    wait_idle(page)
    page.wait_for_function(STYLED, timeout=30_000, polling=POLL_MS)
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000, polling=POLL_MS)
    wait_idle(page)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_page_and_the_lobby_pass_axe(demo_server, demo_template, new_page, lang):
    page = new_page(1440, 900)
    problems: dict[str, list[str]] = {}
    open_settled(page, f"{demo_server}/masuk?lang=id")      # the login form, in Bahasa (sign_in types into it)
    problems["masuk"] = axe_violations(page)
    sign_in(page, "admin", "contoh-admin-2013")               # the admin sees every page in the menu
    if lang == "en":
        rerun(page, page.get_by_role("radio", name="English").click)
    for name in PAGES:
        rerun(page, page.locator(NAV).get_by_role("link", name=t(f"nav_{name}", lang), exact=True).click)
        wait_drawn(page)
        problems[name] = axe_violations(page)
        if name == "ringkasan":   # a chart's text alternative: its table, drawn when its expander opens
            data = page.locator("[data-testid='stExpander']").filter(has_text=t("chart_data", lang)).first
            data.locator("summary").click()
            data.locator("table th").first.wait_for(timeout=30_000)
            wait_idle(page)
            assert data.locator("table tbody tr").count() > 0
            data.scroll_into_view_if_needed()
            screenshot(page, f"ringkasan_data_grafik_{lang}_1440x900")
            problems["ringkasan, data grafik"] = axe_violations(page)
        if name == "unggah":
            uploader_speaks(page, lang)
    lobby = new_page(1920, 1080)
    # the first slide stays (a slide every 300 s, figures read every 300 s): nothing redraws it during the test
    lobby.goto(f"{demo_server}/layar?embed=true&detik=300&segar=300&lang={lang}")
    lobby.wait_for_selector(".layar[data-slide]", timeout=30_000)
    problems["layar"] = axe_violations(lobby)
    # The other slides, each put in the page in place of the first, as the page's own script does (axe-core
    # needs the page's timers running: Playwright's stopped clock would hold it forever).
    with Database(demo_template, create=False, read_only=True) as db:
        board = kiosk.read_board(db)
    board = kiosk.Board(**{**board.__dict__, "texts": {**board.texts, "wawali_ajakan": "Ayo rekam malam ini.",
                                                         "wawali_nama": "Wakil Wali Kota"}})
    for position, slide in enumerate(kiosk.SLIDES[1:], start=1):
        lobby.evaluate("html => { document.getElementById('layar').innerHTML = html; }",
                       kiosk.render(board, slide, position, len(kiosk.SLIDES), dt.datetime.now(dt.UTC)))
        lobby.wait_for_selector(f".layar[data-slide='{slide}']")
        problems[f"layar {slide}"] = axe_violations(lobby)
    found = {where: lines for where, lines in problems.items() if lines}
    assert not found, f"{lang}:\n" + "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items())


# Everything a keyboard can reach, as the browser sees it: visible (not in a closed expander), enabled, not
# taken out of the Tab order. A radio group is one Tab stop (its options are chosen with the arrow keys).
CONTROLS = """() => {
    const key = e => { const k = e.closest('[role=radiogroup]') || e;
                       return k.dataset.a11yId = k.dataset.a11yId || String(Math.random()); };
    return [...document.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]
        .filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0
                     && getComputedStyle(e).visibility !== 'hidden'
                     && (e.tagName === 'SUMMARY' || !e.closest('details:not([open])')))
        .map(e => [key(e), `${e.tagName} ${e.dataset.testid || ''} ${(e.innerText || e.getAttribute('aria-label') || '').slice(0, 30)}`]);
}"""
FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
    const k = e.closest('[role=radiogroup]') || e;
    return {id: k.dataset.a11yId || '', tag: e.tagName, text: (e.innerText || e.getAttribute('aria-label') || '').slice(0, 40),
            outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 ? s.outlineColor : ''}; }"""


@pytest.mark.parametrize("path", ["/unggah", "/"])
def test_every_control_is_reached_by_tab_with_a_visible_focus_ring(demo_server, new_page, path):
    page = new_page(1440, 900)
    if path == "/unggah":
        page.goto(demo_server + "/masuk")
        sign_in(page, "operator", "contoh-operator-2013")
    open_settled(page, demo_server + path)
    controls = dict(page.evaluate(CONTROLS))
    reached, faint = set(), []
    for _ in range(2 * len(controls) + 10):   # a date field takes a Tab for its day, month and year
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        reached.add(focused["id"])
        if not focused["outline"] and focused["tag"] != "BODY":   # BODY: past the last control, the browser's own
            faint.append(f"{focused['tag']} {focused['text']!r}")
    screenshot(page, f"fokus_{path.strip('/') or 'ringkasan'}_1440x900")
    missed = [controls[i] for i in controls.keys() - reached]
    assert not missed, f"{len(missed)} of {len(controls)} controls never got the focus: {missed}"
    assert not faint, f"focus without a visible ring: {faint}"
