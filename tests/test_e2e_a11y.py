"""End to end, issue 21 part 2: axe-core (shipped inside axe-playwright-python, no internet) on every page
and on the lobby, in both languages: no serious or critical violation. And a keyboard user sees where
the focus is, and reaches the controls with Tab."""

import pytest

from tests.browser import screenshot, sign_in, wait_idle

pytestmark = pytest.mark.browser

PUBLIC = ("/", "/wilayah", "/distribusi", "/keliling")
STAFF = ("/unggah", "/riwayat", "/kualitas", "/pengguna", "/akun")
LANGS = ("id", "en")
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


def open_settled(page, url: str) -> None:
    page.goto(url)
    page.locator("[data-testid='stMainBlockContainer']").wait_for(timeout=30_000)
    wait_idle(page)
    page.wait_for_function(CHARTS_DRAWN, timeout=30_000)


def test_every_page_and_the_lobby_pass_axe_in_both_languages(demo_server, new_page):
    page = new_page(1440, 900)
    problems: dict[str, list[str]] = {}
    for lang in LANGS:
        for path in PUBLIC:
            open_settled(page, f"{demo_server}{path}?lang={lang}")
            problems[f"{path} {lang}"] = axe_violations(page)
    page.goto(demo_server + "/masuk")
    sign_in(page, "admin", "contoh-admin-2013")
    for lang in LANGS:
        for path in STAFF:
            open_settled(page, f"{demo_server}{path}?lang={lang}")
            problems[f"{path} {lang}"] = axe_violations(page)
    lobby = new_page(1920, 1080)
    for lang in LANGS:
        lobby.goto(f"{demo_server}/layar?embed=true&lang={lang}")
        lobby.wait_for_selector(".layar[data-slide]", timeout=30_000)
        problems[f"/layar {lang}"] = axe_violations(lobby)
    found = {where: lines for where, lines in problems.items() if lines}
    assert not found, "\n".join(f"{where}:\n  " + "\n  ".join(lines) for where, lines in found.items())


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
