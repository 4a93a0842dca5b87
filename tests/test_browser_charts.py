"""Charts and the world map in a real browser (Debian's Chromium, as tests/test_browser.py):
titles and source lines drawn in the SVG and carried by the PNG/SVG export, the "Download
data" CSV, and the map's slider (a country's colour and figure change with the month and
equal the API's). Screenshots go to tests/artifacts/."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest

from .test_browser import ARTIFACTS, _marks, browser, page, server  # noqa: F401 (fixtures)

# the texts a chart's SVG draws (title, subtitle, axes, source line, change labels)
_TEXTS = "name => [...document.querySelectorAll(`#chart-${name} svg text`)].map(t => t.textContent)"

# a contributor's shape on the map: its fill, its row, and where it is on the screen
_COUNTRY = """([iso3]) => {
    const el = document.getElementById('chart-contributors_map'), view = el.vegaView;
    el.scrollIntoView({block: 'center'});
    let found = null;
    (function walk(node) {
        if (found || !node) return;
        if (node.datum && node.datum.contributor === iso3 && node.mark && node.mark.marktype === 'shape') {
            found = node; return;
        }
        (node.items || []).forEach(walk);
    })(view.scenegraph().root);
    if (!found) return null;
    // a point of the screen where the country's own path is on top (not its box's centre,
    // which may fall on a neighbour)
    const r = found._svg.getBoundingClientRect();
    for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
        const x = r.left + r.width * i / 12, y = r.top + r.height * j / 12;
        if (document.elementFromPoint(x, y) === found._svg)
            return {fill: found.fill, personnel: found.datum.personnel, month: found.datum.month, x: x, y: y};
    }
    return {fill: found.fill, personnel: found.datum.personnel, month: found.datum.month, x: null, y: null};
}"""


def _api(base: str, **params: str) -> int:
    rows = httpx.get(base + "/api/personnel", params=params).json()["rows"]
    return int(rows[0]["personnel"]) if rows else 0


def test_charts_draw_title_and_source_and_export_them(page, server):  # noqa: F811
    page.goto(server + "/")
    assert _marks(page, "world_series", ".mark-line path") >= 1
    texts = page.evaluate(_TEXTS, "world_series")
    first = httpx.get(server + "/index.json").json()["tables"]["world_series"]["rows"][0]["month"]
    assert any(t.startswith(f"UN peacekeepers deployed worldwide, {first} to ") for t in texts)
    assert any("in persons" in t for t in texts)  # the subtitle's unit
    source = [t for t in texts if t.startswith("Source: ")]
    assert len(source) == 1 and "IPI" in source[0] and "UN DPO" in source[0] and "built 20" in source[0]
    assert any(t.startswith("from ") for t in texts)  # a rule where the series changes source
    # the export vega-embed offers draws the same title and source line
    svg = page.evaluate("() => document.getElementById('chart-world_series').vegaView.toSVG()")
    assert "UN peacekeepers deployed worldwide" in svg
    assert "Source: IPI Providing for Peacekeeping" in svg and "bluehelmet database built" in svg
    png = page.evaluate("() => document.getElementById('chart-world_series').vegaView.toImageURL('png')")
    assert png.startswith("data:image/png;base64,") and len(png) > 20000
    # the missions map: a labelled bubble per mission with a headquarters
    assert _marks(page, "missions_map", ".mark-text text") >= 5
    labels = page.evaluate(_TEXTS, "missions_map")
    assert "UNIFIL" in labels and "MINUSCA" in labels
    page.locator("#chart-world_series").screenshot(path=str(ARTIFACTS / "chart-world-series-titled.png"))


def test_download_data_is_the_charts_rows(page, server):  # noqa: F811
    page.goto(server + "/")
    _marks(page, "world_series", ".mark-line path")
    with page.expect_download() as download:
        page.click("#chart-world_series ~ p.chart-data a.download-data")
    got = download.value
    drawn = page.evaluate("() => document.getElementById('chart-world_series').vegaView.data('chart')")
    name = f"bluehelmet-world-personnel-{drawn[0]['month']}-to-{drawn[-1]['month']}.csv"
    assert got.suggested_filename == name
    rows = list(csv.DictReader(io.StringIO(Path(got.path()).read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["month", "personnel", "unit", "citation"]
    assert [(r["month"], int(r["personnel"])) for r in rows] == [(d["month"], d["personnel"]) for d in drawn]
    assert rows[0]["unit"] == "persons" and "IPI" in rows[0]["citation"]


def test_world_map_at_two_months(page, server):  # noqa: F811
    page.goto(server + "/map?month=2013-12")
    page.wait_for_selector("#map-controls[data-ready=true]", timeout=20000)
    assert _marks(page, "contributors_map", ".mark-shape path") >= 150
    before = page.evaluate(_COUNTRY, ["PAK"])
    assert before["month"] == "2013-12" and before["personnel"] == _api(server, country="PAK", month="2013-12")
    assert "Contributors of uniformed personnel to UN peacekeeping, 2013-12" in page.evaluate(_TEXTS,
                                                                                             "contributors_map")
    # the hover tells the figure
    page.mouse.move(before["x"] - 10, before["y"])
    page.mouse.move(before["x"], before["y"], steps=4)
    page.wait_for_selector("#vg-tooltip-element.visible", timeout=5000)
    tooltip = page.inner_text("#vg-tooltip-element")
    assert "Pakistan" in tooltip and f"{before['personnel']:,}" in tooltip
    page.screenshot(path=str(ARTIFACTS / "world-map-2013-12.png"), full_page=True)

    # move the slider to 1995-06: the map changes in place, with no page load
    months = httpx.get(server + "/map/data.json").json()["months"]
    page.evaluate("""(i) => { const s = document.querySelector('#map-controls .slider');
                              s.value = String(i); s.dispatchEvent(new Event('input')); }""", months.index("1995-06"))
    page.wait_for_selector("#map-controls[data-shown='1995-06']", timeout=10000)
    after = page.evaluate(_COUNTRY, ["PAK"])
    assert after["month"] == "1995-06" and after["personnel"] == _api(server, country="PAK", month="1995-06")
    assert after["personnel"] != before["personnel"] and after["fill"] != before["fill"]
    texts = page.evaluate(_TEXTS, "contributors_map")
    assert "Contributors of uniformed personnel to UN peacekeeping, 1995-06" in texts
    assert any(t.startswith("Source: IPI") and "UN DPO" not in t for t in texts)
    assert "UN peacekeeping missions by uniformed personnel, 1995-06" in page.evaluate(_TEXTS, "missions_map")
    assert "month=1995-06" in page.url
    href = page.get_attribute("#chart-contributors_map ~ p.chart-data a.download-data", "href")
    assert "month=1995-06" in href
    rows = list(csv.DictReader(io.StringIO(httpx.get(server + href).text)))
    assert {r["month"] for r in rows} == {"1995-06"}
    assert int(next(r for r in rows if r["contributor"] == "PAK")["personnel"]) == after["personnel"]
    # the export carries the month the map shows
    svg = page.evaluate("() => document.getElementById('chart-contributors_map').vegaView.toSVG()")
    assert "1995-06" in svg and "Source: IPI" in svg
    page.screenshot(path=str(ARTIFACTS / "world-map-1995-06.png"), full_page=True)

    # a click on a country opens its page
    page.mouse.click(after["x"], after["y"])
    page.wait_for_url("**/countries/Pakistan")


def test_world_map_plays(page, server):  # noqa: F811
    page.goto(server + "/map?month=2023-01&measure=share_pct")
    page.wait_for_selector("#map-controls[data-ready=true]", timeout=20000)
    page.click("#map-controls .play")
    page.wait_for_function("() => (document.querySelector('#map-controls').dataset.shown || '') > '2023-03'",
                           timeout=15000)
    page.click("#map-controls .play")  # pause
    page.wait_for_timeout(400)  # a frame under way finishes
    shown = page.get_attribute("#map-controls", "data-shown")
    page.wait_for_timeout(1000)
    assert page.get_attribute("#map-controls", "data-shown") == shown > "2023-03"  # paused
    assert page.inner_text("#map-controls .month") == shown
    texts = " ".join(page.evaluate(_TEXTS, "contributors_map"))
    assert f"share of all uniformed personnel to UN peacekeeping, {shown}" in texts


@pytest.mark.parametrize("path", ["/", "/countries/Ghana", "/missions/MINUSMA?month=2014-06",
                                  "/compare?country=China&country=P5", "/who-pays", "/finance", "/map?month=2018-05"])
def test_every_chart_draws_its_title_and_source_line_without_warnings(page, server, path):  # noqa: F811
    said, failed = [], []
    page.on("console", lambda m: said.append(m.text) if m.type in ("error", "warning") else None)
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    page.goto(server + path)
    names = page.evaluate("() => [...document.querySelectorAll('.chart')].map(el => el.id.slice(6))")
    assert names
    spec = httpx.get(server + path.replace("?", ".json?", 1) if "?" in path else
                     server + ("/index" if path == "/" else path) + ".json").json()["charts"]
    for name in names:
        page.wait_for_function(f"() => document.getElementById('chart-{name}').vegaView !== undefined",
                               timeout=20000)
        texts = page.evaluate(_TEXTS, name)
        title = spec[name]["title"]["text"]
        if isinstance(title, str):
            assert title in texts, (path, name)
        assert spec[name]["title"]["subtitle"] in texts, (path, name)
        assert sum(t.startswith("Source: ") and "bluehelmet database built" in t for t in texts) == 1, (path, name)
    # the browser said nothing wrong (the favicon, which the dashboard does not have yet, aside)
    assert failed == [] and [t for t in said if not t.startswith("Failed to load resource")] == [], (path, said)


# the room a chart's figure has (its element less the padding vega-embed keeps for its
# menu), the figure's width and the page's, after the chart has been fitted
_FIT = """(name) => {
    const el = document.getElementById(`chart-${name}`), style = getComputedStyle(el);
    return {room: el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight),
            figure: el.querySelector('svg').getBoundingClientRect().width,
            page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth};
}"""


@pytest.mark.parametrize("width", [800, 1200])
def test_compare_fits_the_window_without_scrolling_sideways(page, server, width):  # noqa: F811
    # its two views are a concatenation, which Vega-Lite cannot size to a container: the
    # page fits it (templates/page.html); once it was a fixed 960 px, 1,043 px of page at 800
    page.set_viewport_size({"width": width, "height": 900})
    for path in ("/compare", "/compare?country=China&country=P5&country=AU&country=India&country=Bangladesh"
                             "&type=police"):
        page.goto(server + path)
        page.wait_for_function("() => document.getElementById('chart-compare').vegaView !== undefined",
                               timeout=20000)
        fit = page.evaluate(_FIT, "compare")
        assert fit["page"] <= fit["window"], (path, fit)  # nothing scrolls sideways
        assert fit["room"] - 4 <= fit["figure"] <= fit["room"] + 1, (path, fit)  # and it fills its room
        assert _marks(page, "compare", ".mark-line path") >= 4  # both views, a line a name in each
        # the export is of the fitted figure and keeps its title and source line
        svg = page.evaluate("() => document.getElementById('chart-compare').vegaView.toSVG()")
        spec = httpx.get(server + path.replace("/compare", "/compare.json", 1)).json()["charts"]["compare"]
        assert spec["title"]["text"].replace("&", "&amp;") in svg and "bluehelmet database built" in svg
    page.screenshot(path=str(ARTIFACTS / f"compare-fitted-{width}.png"))
    # and again when the window changes width
    other = 1200 if width == 800 else 800
    page.set_viewport_size({"width": other, "height": 900})
    page.wait_for_function(f"() => Math.abs(({_FIT})('compare').figure - ({_FIT})('compare').room) < 5",
                           timeout=10000)
    fit = page.evaluate(_FIT, "compare")
    assert fit["page"] <= fit["window"], fit


@pytest.mark.parametrize("path", ["/", "/countries/Ghana", "/missions/MINUSMA", "/finance", "/who-pays"])
def test_pages_do_not_scroll_sideways_at_800_px(page, server, path):  # noqa: F811
    # the facts table once kept three pairs of columns at any width: the overview was 937 px
    # wide in an 800 px window, a country's page 866, a mission's 899
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(server + path)
    page.wait_for_load_state("load")
    wide = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert wide[0] <= wide[1], (path, wide)
