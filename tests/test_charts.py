"""Charts people can cite (web/charts.py) and the world map's data (query/atlas.py): every
chart has a title, a subtitle, a source line naming the datasets and the build date, and a
"Download data" CSV with exactly its rows, month, unit and citation; the map's figures are
the API's."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from bluehelmet.query.result import SourceRef
from bluehelmet.web import charts
from bluehelmet.web.app import create_app


@pytest.fixture(scope="module")
def client(built_db):
    with TestClient(create_app(built_db)) as c:
        yield c


def _ref(sid: int, layout: str, first: str, last: str, citation: str = "") -> SourceRef:
    return SourceRef(sid, f"file{sid}", layout, "detail", "", citation, None, first, last, 0, 0, 0, 0)


def _texts(spec: dict) -> list[str]:
    """Every text a spec draws as a mark of its own (the source line, the change labels)."""
    out = []
    for layer in spec.get("layer", []):
        mark = layer.get("mark", {})
        if isinstance(mark, dict) and isinstance(mark.get("text"), str):
            out.append(mark["text"])
        out += _texts(layer)
    for view in spec.get("vconcat", []):
        out += _texts(view)
    return out


def test_the_source_line_names_the_datasets_and_the_build_date():
    cite = charts.Cite([_ref(1, "ipi_tcc_countries", "1990-11", "2014-12", "IPI, TCC @1"),
                        _ref(2, "un_dpo_monthly", "2015-01", "2025-07", "UN DPO reports")], "2026-11-29")
    assert cite.line() == ("Source: IPI Providing for Peacekeeping; UN DPO monthly reports · bluehelmet database "
                           "built 2026-11-29")
    # a month cites only the files behind it
    assert cite.citation("2016-05") == "UN DPO reports (bluehelmet database built 2026-11-29)"
    assert cite.citation() == "IPI, TCC @1; UN DPO reports (bluehelmet database built 2026-11-29)"


def test_a_rule_where_the_datasets_change_and_none_for_a_stray_month():
    # the DPO files cover 2015-01..2015-06 with one month answered by IPI alone in between
    # (as the world series has): one change, not one per odd month
    cite = charts.Cite([_ref(1, "ipi_x", "2014-01", "2015-02"), _ref(2, "un_dpo_monthly", "2015-01", "2015-01"),
                        _ref(3, "un_dpo_monthly", "2015-03", "2015-06")])
    months = [f"2014-{m:02d}" for m in range(1, 13)] + [f"2015-{m:02d}" for m in range(1, 7)]
    assert charts.source_changes(cite, months) == [
        {"month": "2015-01", "label": "from 2015-01: IPI Providing for Peacekeeping; UN DPO monthly reports"},
        {"month": "2015-03", "label": "from 2015-03: UN DPO monthly reports"}]


def test_line_spec_has_title_subtitle_units_source_and_rules():
    cite = charts.Cite([_ref(1, "ipi_x", "2014-01", "2014-12"), _ref(2, "un_dpo_monthly", "2015-01", "2015-02")],
                       "2026-11-29")
    rows = [{"month": m, "personnel": 10} for m in ("2014-11", "2014-12", "2015-01", "2015-02")]
    spec = charts.line(rows, "month", "personnel", title="UN peacekeepers deployed worldwide, 2014-11 to 2015-02",
                       subtitle="Uniformed personnel at month end, in persons", y_title="personnel (persons)",
                       cite=cite, unit="persons", file="world personnel 2014-11 to 2015-02")
    assert spec["title"]["text"].startswith("UN peacekeepers") and "persons" in spec["title"]["subtitle"]
    assert spec["layer"][0]["encoding"]["y"]["title"] == "personnel (persons)"
    assert cite.line() in _texts(spec)
    assert spec["layer"][1]["data"]["values"][0]["month"] == "2015-01"  # the rule where DPO starts
    assert charts.chart_rows(spec) == rows
    name, columns, out = charts.chart_csv(spec)
    assert name == "bluehelmet-world-personnel-2014-11-to-2015-02.csv"
    assert columns == ["month", "personnel", "unit", "citation"]
    assert [r["month"] for r in out] == [r["month"] for r in rows] and {r["unit"] for r in out} == {"persons"}


def _csv(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.text)))


@pytest.mark.parametrize("url", ["/", "/countries/Ghana", "/missions/MINUSMA?month=2014-06", "/compare",
                                 "/who-pays", "/finance", "/map?month=2013-12"])
def test_every_chart_is_titled_sourced_and_downloadable(client, url):
    path, _, query = url.partition("?")
    twin = "/index" if path == "/" else path
    page = client.get(twin + ".json" + (f"?{query}" if query else "")).json()
    assert page["charts"], url
    for name, spec in page["charts"].items():
        title = spec["title"]["text"]
        title = title if isinstance(title, str) else title["expr"]
        assert title and spec["title"]["subtitle"], (url, name)
        line = next(x["mark"]["text"] for x in _all_layers(spec) if x.get("mark", {}).get("name") == "source_line")
        line = line if isinstance(line, str) else next(p["value"] for p in spec["params"] if p["name"] == "source")
        assert line.startswith("Source: ") and "bluehelmet database built 20" in line, (url, name)
        r = client.get(f"{twin}.csv", params={"chart": name, **dict(p.split("=") for p in query.split("&") if p)})
        assert r.status_code == 200, (url, name, r.text)
        disposition = r.headers["content-disposition"]
        assert disposition.startswith('attachment; filename="bluehelmet-') and disposition.endswith('.csv"')
        rows = _csv(r)
        assert len(rows) == len(spec["datasets"]["chart"]), (url, name)
        assert {"month", "unit", "citation"} <= set(rows[0]) and all(row["citation"] for row in rows)


def _all_layers(spec: dict) -> list[dict]:
    out = list(spec.get("layer", []))
    for view in spec.get("vconcat", []):
        out += _all_layers(view)
    return out


def test_world_series_download_equals_the_api(client):
    rows = _csv(client.get("/index.csv", params={"chart": "world_series"}))
    api = client.get("/api/personnel", params={"from": rows[0]["month"], "to": rows[-1]["month"],
                                               "by": "month"}).json()["rows"]
    assert [(r["month"], int(r["personnel"])) for r in rows] == [(r["month"], r["personnel"]) for r in api]
    # the citation follows the month: the 1990s cite IPI's compilation, 2020 the UN's reports
    assert "IPI" in rows[0]["citation"] and "UN DPO" not in rows[0]["citation"]
    late = next(r for r in rows if r["month"] == "2020-01")
    assert "UN DPO" in late["citation"]


def test_an_unknown_chart_is_a_404_naming_the_charts(client):
    r = client.get("/index.csv", params={"chart": "nope"})
    assert r.status_code == 404 and "world_series" in r.json()["error"]


def test_the_overview_map_is_at_the_month_of_its_top_contributors(client):
    page = client.get("/index.json").json()
    month = page["tables"]["top_contributors"]["month"]
    assert page["charts"]["missions_map"]["usermeta"]["month"] == month
    assert {r["month"] for r in page["charts"]["missions_map"]["datasets"]["chart"]} == {month}
    labels = [x for x in page["charts"]["missions_map"]["layer"] if x.get("mark", {}).get("name") == "mission_label"]
    assert labels and labels[0]["encoding"]["text"]["field"] == "mission"


@pytest.mark.parametrize("month", ["1993-06", "2013-12"])
def test_map_figures_are_the_apis(client, month):
    """Each country on the map at a month is the API's figure for it, per type; the
    shares add up to 100 %; every year's figures come from the one data payload."""
    rows = client.get("/map.json", params={"month": month}).json()["charts"]["contributors_map"]["datasets"]["chart"]
    api = client.get("/api/personnel", params={"month": month, "by": "contributor"}).json()["rows"]
    assert {r["contributor"]: r["personnel"] for r in rows} == {r["contributor"]: r["personnel"] for r in api}
    police = client.get("/api/personnel", params={"month": month, "by": "contributor", "type": "police"}).json()
    assert {r["contributor"]: r["police"] for r in rows if r["police"]} == {
        r["contributor"]: r["personnel"] for r in police["rows"]}
    assert sum(r["share_pct"] for r in rows) == pytest.approx(100, abs=0.05)
    data = client.get("/map/data.json").json()
    i = data["months"].index(month)
    pak = data["contributors"]["PAK"]
    figure = sum(values[i - pak["first"]] for values in pak["values"])
    assert figure == next(r["personnel"] for r in rows if r["contributor"] == "PAK")


def test_map_data_is_loaded_once_and_cacheable(client):
    r = client.get("/map/data.json")
    assert r.status_code == 200 and "max-age" in r.headers["cache-control"]
    assert client.get("/map/data.json", headers={"if-none-match": r.headers["etag"]}).status_code == 304
    data = r.json()
    assert data["months"][0] == "1990-11" and len(data["months"]) > 400
    # the Natural Earth file numbers countries by their M49 code, zero-padded
    assert data["contributors"]["AUS"]["m49"] == "036" and data["contributors"]["GHA"]["m49"] == "288"


def test_map_refuses_a_month_in_a_gap_and_an_unknown_measure(client):
    r = client.get("/map.json", params={"month": "2020-06"})
    assert r.status_code == 404 and "2020-05" in r.json()["error"] and "2020-07" in r.json()["error"]
    assert client.get("/map.json", params={"measure": "bananas"}).status_code == 400


def test_map_at_a_month_the_mission_data_lack(client):
    """2018-05: contributors are known, missions are not (the mission data's gap): the
    contributors map draws, the missions map is empty and the page says why."""
    page = client.get("/map.json", params={"month": "2018-05"}).json()
    assert page["charts"]["contributors_map"]["datasets"]["chart"]
    assert page["charts"]["missions_map"]["datasets"]["chart"] == []
    assert page["facts"]["missions then"] == "no mission figures for 2018-05"
    assert "no mission data for 2018-05" in page["tables"]["missions_map"]["notes"][0]


def test_mission_labels_give_way_never_overprint():
    """Three missions a degree apart (as UNIFIL, UNDOF and UNTSO stand): the largest is
    labelled at its bubble, the next a line lower, the third not at all (its tooltip names
    it); a mission far away keeps its label where it is."""
    near = [{"mission": m, "name": m, "personnel": n, "hq": "", "hq_lon": 35.5 + i, "hq_lat": 33.0 + i / 2}
            for i, (m, n) in enumerate((("UNIFIL", 10000), ("UNDOF", 1200), ("UNTSO", 150)))]
    far = {"mission": "MINURSO", "name": "", "personnel": 200, "hq": "", "hq_lon": -13.2, "hq_lat": 27.1}
    spec = charts.missions_map([*near, far], "2025-07", charts.Cite())
    at = {r["mission"]: r["label_latitude"] for r in spec["datasets"]["chart"]}
    assert at == {"UNIFIL": 33.0, "UNDOF": 33.5 - 3.5, "UNTSO": None, "MINURSO": 27.1}
    # the label layer draws only the placed ones; the CSV leaves placement out
    assert any(x.get("transform") == [{"filter": "datum.label_latitude != null"}] for x in spec["layer"])
    assert "label_latitude" not in charts.chart_csv(spec)[1]
