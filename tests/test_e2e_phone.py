"""End to end, issue 21: the dashboard pages on a phone (390×844) and a tablet (768×1024) in Chromium.

Measured, not only looked at: every chart's finding is inside its box and not under the plotly toolbar,
every text plotly draws is inside its chart and upright and readable, nothing scrolls sideways, the demo
notice is one line, every chart has its figures as a table below it. Screenshots of every page's top and
of its first chart: artifacts/phone_<page>_<w>x<h>.png and phone_<page>_<w>x<h>_grafik.png.
"""

import json

import pytest

from tests.browser import METRIC, POLL_MS, screenshot, wait_for_text, wait_idle

pytestmark = pytest.mark.browser

PAGES = (("ringkasan", "/", METRIC), ("wilayah", "/wilayah", METRIC),
         ("distribusi", "/distribusi", ".js-plotly-plot .funnellayer"), ("keliling", "/keliling", ".js-plotly-plot .bars"))
DEMO_NOTICE_MAX_PX = 64   # one line of text with its padding

# What is wrong on the page, as a list of sentences (empty: nothing clipped).
MEASURE = r"""(maxNotice) => {
  const bad = [];
  const vw = window.innerWidth;
  const inside = (r, box, slack = 1) => r.left >= box.left - slack && r.right <= box.right + slack
                                      && r.top >= box.top - slack && r.bottom <= box.bottom + slack;
  const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  const scroller = document.querySelector("[data-testid='stMain']") || document.documentElement;
  for (const el of [document.documentElement, scroller]) {
    if (el.scrollWidth > vw) bad.push(`scrolls sideways: ${el.scrollWidth} > ${vw}`);
  }
  document.querySelectorAll("[data-testid='stPlotlyChart']").forEach((chart, i) => {
    const svg = chart.querySelector(".main-svg");
    if (!svg) { bad.push(`chart ${i}: not drawn`); return; }
    const box = svg.getBoundingClientRect();
    if (box.right > vw + 1) bad.push(`chart ${i}: wider than the screen (${box.right} > ${vw})`);
    const bar = chart.querySelector(".modebar");
    const barBox = bar && getComputedStyle(bar).display !== "none" && bar.offsetParent !== null
                   ? bar.getBoundingClientRect() : null;
    chart.querySelectorAll("svg text").forEach(text => {
      const content = text.textContent.trim();
      if (!content || getComputedStyle(text).display === "none") return;
      const r = text.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return;
      if (!inside(r, box)) bad.push(`chart ${i}: "${content}" outside the chart`);
      const axisTitle = text.closest(".g-ytitle, .g-y2title");   // an axis title along its axis is upright enough
      const turned = [text, text.parentElement].some(e => {
        const angle = /rotate\((-?[\d.]+)/.exec(e.getAttribute("transform") || "");
        return angle && Math.abs(parseFloat(angle[1])) > 1;
      });
      if (!axisTitle && turned) bad.push(`chart ${i}: "${content}" rotated`);
      if (r.height < 10) bad.push(`chart ${i}: "${content}" too small (${r.height.toFixed(1)} px)`);
      // the toolbar shows on hover or tap, over whatever lies under it
      if (barBox && overlaps(r, barBox)) bad.push(`chart ${i}: toolbar over "${content}"`);
    });
    // tick labels side by side, none over its neighbour
    for (const axis of ["xtick", "ytick"]) {
      const boxes = [...chart.querySelectorAll(`g.${axis} text`)].map(e => [e.textContent, e.getBoundingClientRect()])
        .filter(([c, r]) => c.trim() && r.width > 0);
      for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++)
        if (overlaps(boxes[a][1], boxes[b][1])) bad.push(`chart ${i}: "${boxes[a][0]}" over "${boxes[b][0]}"`);
    }
  });
  // a chart's finding as text above it: wraps within its box
  document.querySelectorAll("[class*='st-key-chart_finding'] p").forEach(p => {
    const box = p.closest("[data-testid='stVerticalBlock']").getBoundingClientRect();
    const r = p.getBoundingClientRect();
    if (r.left < box.left - 1 || r.right > box.right + 1 || r.right > vw || p.scrollWidth > p.clientWidth + 1)
      bad.push(`finding "${p.textContent.slice(0, 40)}…" clipped`);
  });
  const notice = document.querySelector(".st-key-demo_notice");
  const wide = document.querySelector(".st-key-demo_notice_wide");
  if (!notice || notice.offsetParent === null) bad.push("no compact demo notice");
  else if (notice.getBoundingClientRect().height > maxNotice)
    bad.push(`demo notice ${notice.getBoundingClientRect().height} px high`);
  if (wide && wide.offsetParent !== null) bad.push("the wide demo notice shows too");
  // every chart has its figures as a table right below it (its text alternative)
  document.querySelectorAll("[data-testid='stPlotlyChart']").forEach((chart, i) => {
    let next = chart.closest("[data-testid='stElementContainer']");
    next = next && next.nextElementSibling;
    const summary = next && next.querySelector("[data-testid='stExpander'] summary");
    if (!summary || !/(Data grafik|Chart data)$/.test(summary.textContent.trim())) bad.push(`chart ${i}: no table of its data below it`);
  });
  return bad;
}"""


DRAWN = """n => {
  const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  return charts.length >= n && charts.every(c => {
    const svg = c.querySelector(".main-svg");
    return svg && Math.abs(svg.getBoundingClientRect().width - c.getBoundingClientRect().width) <= 2;
  });
}"""


def _check_pages(page, base_url: str, width: int, height: int) -> None:
    problems = {}
    for name, path, ready in PAGES:
        page.goto(base_url + path)
        if ready == METRIC:
            wait_for_text(page, METRIC, "92,26%" if name == "ringkasan" else "32.122")
        else:
            page.locator(ready).first.wait_for()
        wait_idle(page)
        charts = page.locator("[data-testid='stPlotlyChart']")
        # every chart drawn (plotly's code is fetched lazily) at its box's width (not a first draw before a
        # resize) before measuring
        page.wait_for_function(DRAWN, arg=charts.count(), polling=POLL_MS)
        assert page.locator("[data-testid='stException']").count() == 0
        problems[name] = page.evaluate(MEASURE, DEMO_NOTICE_MAX_PX)
        screenshot(page, f"phone_{name}_{width}x{height}")    # the page's top: title, notice, figures
        charts.first.scroll_into_view_if_needed()
        screenshot(page, f"phone_{name}_{width}x{height}_grafik")   # its first chart
    assert not any(problems.values()), json.dumps(problems, indent=1, ensure_ascii=False)
    assert page.console_errors == []
    assert page.external_requests == []


def test_phone_390x844(demo_server, new_page):
    _check_pages(new_page(390, 844), demo_server, 390, 844)


def test_tablet_768x1024(demo_server, new_page):
    _check_pages(new_page(768, 1024), demo_server, 768, 1024)
