"""Deployment sites (Geo-PKO v2.0) on the real data: text repair, counts, the sites query."""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path

import pytest

GEOPKO = "geopko/geopko_v2.0.csv"
MOJIBAKE = ("Ã", "Â", "\ufffd", "â€")


def _independent_repair(text: str) -> str:
    """A second repair, not the adapter's: latin-1 bytes, then UTF-8, while it changes."""
    for _ in range(4):
        try:
            fixed = text.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            try:
                fixed = text.encode("latin-1").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                return text
        if fixed == text:
            return text
        text = fixed
    return text


@pytest.fixture(scope="module")
def raw(sources: Path) -> list[dict[str, str]]:
    # latin-1, as the README describes: every name then carries two encoding layers
    with (sources / GEOPKO).open(encoding="latin-1", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_location_name_decodes_without_mojibake(store, raw) -> None:
    names = {r for (r,) in store.con.execute("SELECT DISTINCT location FROM deployment_site").fetchall()}
    bad = sorted(n for n in names if any(m in n for m in MOJIBAKE))
    assert not bad, bad
    # every raw name, repaired independently, is among the stored names (bar quarantined rows)
    expected = {_independent_repair(r["location"]).strip() for r in raw}
    assert not [n for n in expected if any(m in n for m in MOJIBAKE)]
    assert not expected - names, sorted(expected - names)
    minusma = {r for (r,) in store.con.execute(
        "SELECT DISTINCT location FROM deployment_site WHERE mission = 'MINUSMA'").fetchall()}
    assert "Ménaka" in minusma
    assert {"Gao", "Kidal", "Tessalit", "Bamako"} <= minusma


def test_all_stored_text_is_clean(store) -> None:
    for col, table in (("adm1", "deployment_site"), ("adm2", "deployment_site"),
                       ("contributor_name", "site_contributor"), ("comments", "deployment_site")):
        values = [v for (v,) in store.con.execute(f"SELECT DISTINCT {col} FROM {table} WHERE {col} IS NOT NULL")
                  .fetchall()]
        assert not [v for v in values if any(m in v for m in MOJIBAKE)], col
    adm = {v for (v,) in store.con.execute("SELECT DISTINCT adm1 FROM deployment_site").fetchall()}
    assert {"Équateur", "Ségou", "Kasaï-Oriental"} <= adm


def test_repairs_reported_as_finding(store) -> None:
    (count,) = store.con.execute("SELECT sum(count) FROM finding WHERE kind = 'double_encoded_text'").fetchone()
    assert count and count > 1000


def test_rows_read_equals_loaded_plus_quarantined(store) -> None:
    for layout in ("geopko_sites", "geopko_front_map", "radpko_bases"):
        sid, read, loaded, quarantined = store.con.execute(
            "SELECT source_id, rows_read, rows_loaded, rows_quarantined FROM source_file WHERE layout = ?",
            [layout]).fetchone()
        assert read == loaded + quarantined
        (q,) = store.con.execute("SELECT count(*) FROM quarantine WHERE source_id = ?", [sid]).fetchone()
        assert q == quarantined
    sid, read, loaded = store.con.execute(
        "SELECT source_id, rows_read, rows_loaded FROM source_file WHERE layout = 'geopko_sites'").fetchone()
    (rows,) = store.con.execute("SELECT count(*) FROM deployment_site WHERE source_id = ?", [sid]).fetchone()
    assert rows == loaded


def test_site_counts_and_troops_against_raw_csv(store, raw) -> None:
    sites: Counter[tuple[str, int]] = Counter()
    troops: defaultdict[tuple[str, int], int] = defaultdict(int)
    for r in raw:
        key = (r["Mission"], int(r["year"]))
        sites[key] += 1
        if r["No.troops"].isdigit():
            troops[key] += int(r["No.troops"])
    db = {(m, y): (n, t or 0) for m, y, n, t in store.con.execute(
        "SELECT mission, year, count(*), sum(troops) FROM deployment_site GROUP BY ALL").fetchall()}
    (n_quarantined,) = store.con.execute(
        "SELECT rows_quarantined FROM source_file WHERE layout = 'geopko_sites'").fetchone()
    assert sum(sites.values()) == sum(n for n, _ in db.values()) + n_quarantined
    differing = [k for k in sites if db.get(k, (0, 0)) != (sites[k], troops[k])]
    # only mission-years holding a quarantined row may differ, and at most a handful
    assert len(differing) <= n_quarantined, differing
    assert db[("MINUSMA", 2015)] == (sites[("MINUSMA", 2015)], troops[("MINUSMA", 2015)])


def test_contributors_against_raw_csv(store, raw) -> None:
    expected = sum(1 for r in raw if r["Mission"] == "MINUSMA"
                   for k in range(1, 15) if r[f"name.of.TCC{k}"] not in ("NA", ""))
    (got,) = store.con.execute("""SELECT count(*) FROM site_contributor c JOIN deployment_site s
        USING (source_id, line) WHERE s.mission = 'MINUSMA'""").fetchone()
    assert got == expected
    (unknown_iso,) = store.con.execute(
        "SELECT count(*) FROM site_contributor WHERE contributor IS NULL AND lower(contributor_name) <> 'unknown'"
    ).fetchone()
    assert unknown_iso == 0


def test_minusma_2015_06_uses_latest_map_at_or_before(store) -> None:
    r = store.sites(mission="MINUSMA", month="2015-06")
    assert r.rows and all(row["map_date"] == "2015-06" for row in r.rows)
    assert "2015-06" in r.notes[0] and "Rev.9" in r.notes[0]
    by_loc = {row["location"]: row for row in r.rows}
    assert by_loc["Bamako"]["hq_level"] == "mission HQ"
    assert by_loc["Gao"]["troops"] == 3685
    assert "Ménaka" in by_loc
    # a month between maps uses the earlier one, and says how old it is
    r2 = store.sites(mission="minusma", month="2015-08")
    assert {row["map_date"] for row in r2.rows} == {"2015-06"}
    assert "2 months older" in r2.notes[0]
    assert r.sources and r.sources[0].path == GEOPKO
    json.dumps(r.as_dict())  # JSON-serialisable


def test_contributor_and_location_filters(store) -> None:
    r = store.sites(mission="MINUSMA", month="2015-06", contributor="China")
    assert [row["location"] for row in r.rows] == ["Gao"]
    assert any(c["contributor"] == "CHN" for c in r.rows[0]["contributors"])
    everywhere = store.sites(month="2015-06", contributor="CHN")
    assert {row["mission"] for row in everywhere.rows} >= {"MINUSMA", "UNMISS"}
    assert all(any(c["contributor"] == "CHN" for c in row["contributors"]) for row in everywhere.rows)
    loc = store.sites(location="ménaka", month="2015-06")
    assert [row["location"] for row in loc.rows] == ["Ménaka"]


def test_no_map_before_first(store) -> None:
    r = store.sites(mission="MINUSMA", month="2010-01")
    assert not r.rows and "first map" in r.notes[0]


def test_cross_checks_recorded(store) -> None:
    rows = dict(store.con.execute("SELECT check_name, cells FROM reconciliation_summary "
                                  "WHERE check_name LIKE 'geopko:%'").fetchall())
    assert set(rows) == {"geopko:v20_vs_v23", "geopko:v20_vs_radpko"}
    assert all(v > 100 for v in rows.values())


def test_unit_types_come_from_the_v23_table(store, sources) -> None:
    with (sources / "geopko/TTMap_v.2.3.csv").open(encoding="utf-8", newline="") as fh:
        tt = list(csv.DictReader(fh))
    f = next(f for f in store.files.values() if f["relpath"] == "geopko/TTMap_v.2.3.csv")
    assert f["rows_read"] == f["rows_loaded"] == len(tt)
    res = store.sites(mission="MINUSMA", month="2015-06")
    headers = {"infantry": "Infantry", "engineering": "eng", "medical": "med", "signals": "sig", "aviation": "av",
               "riverine": "riv", "maintenance": "maint", "transport": "trans"}
    for site in res.rows:
        raw = [r for r in tt if (r["mission"], r["year"], r["location"]) == ("MINUSMA", "2015", site["location"])]
        expected = {k: max(int(r[h]) for r in raw) for k, h in headers.items()} if raw else {}
        assert {u["unit"]: u["count"] for u in site["unit_types"]} == {k: v for k, v in expected.items() if v}
    assert any(u["unit"] == "medical" for s in res.rows for u in s["unit_types"])
    assert "geopko/TTMap_v.2.3.csv" in [s.path for s in res.sources]
    # the two Geo-PKO versions name almost every location alike
    matched = store.con.execute("""
        SELECT count(*) FILTER (WHERE u.location IS NOT NULL), count(*)
        FROM (SELECT DISTINCT mission, year, location FROM deployment_site) s
        LEFT JOIN (SELECT DISTINCT mission, year, location FROM geopko_unit_type) u USING (mission, year, location)
        """).fetchone()
    assert matched[0] / matched[1] > 0.98


def test_missions_outside_africa_use_the_v23_yearly_table(store, sources) -> None:
    with (sources / "geopko/FrontMap_v.2.3.csv").open(encoding="utf-8", newline="") as fh:
        raw = [r for r in csv.DictReader(fh) if r["mission"] == "UNIFIL" and r["year"] == "2014"]
    troops: dict[str, int | None] = {}
    for r in raw:  # NA: no figure
        value = None if r["ave.no.troops"] == "NA" else int(r["ave.no.troops"])
        troops[r["location"]] = max((v for v in (troops.get(r["location"]), value) if v is not None), default=None)
    res = store.sites(mission="UNIFIL", month="2014-06")
    assert {s["location"]: s["troops"] for s in res.rows} == troops
    hq = next(s for s in res.rows if s["location"] == "Naqoura")
    assert hq["hq_level"] == "mission HQ" and hq["country"] == "LBN" and hq["contributors"]
    assert "v2.3" in res.notes[0] and {s.path for s in res.sources} == {
        "geopko/FrontMap_v.2.3.csv", "geopko/TTMap_v.2.3.csv", "geopko/TCCMap_v.2.3.csv"}


def test_v23_contributors_parse_the_overview(store, sources) -> None:
    with (sources / "geopko/TCCMap_v.2.3.csv").open(encoding="utf-8", newline="") as fh:
        tcc = list(csv.DictReader(fh))
    f = next(f for f in store.files.values() if f["relpath"] == "geopko/TCCMap_v.2.3.csv")
    assert f["rows_read"] == f["rows_loaded"] == len(tcc)
    # an independent reading: split the overview at "), "
    raw = next(r for r in tcc if (r["mission"], r["year"], r["location"]) == ("UNIFIL", "2014", "Naqoura"))
    expected = []
    for part in raw["year.overview"].split("), "):
        name, _, size = part.rstrip(")").rpartition(" (")
        expected.append((name, None if size == "size unknown" else int(size)))
    site = next(s for s in store.sites(mission="UNIFIL", month="2014-06").rows if s["location"] == "Naqoura")
    assert [(c["name"], c["troops"]) for c in site["contributors"]] == expected
    assert {c["contributor"] for c in site["contributors"]} >= {"ITA", "IDN", "AUT"}
    korea = store.con.execute("""SELECT count(*) FROM geopko_site_year, unnest(contributors) AS t(c)
                                 WHERE c.name = 'Korea (ROK)' AND c.contributor = 'KOR'""").fetchone()[0]
    assert korea > 0  # a name with parentheses of its own
    italy = store.sites(mission="UNIFIL", month="2014-06", contributor="Italy")
    assert italy.rows and all(any(c["contributor"] == "ITA" for c in s["contributors"]) for s in italy.rows)


def test_v23_contributor_rows_that_do_not_parse_are_quarantined(tmp_path: Path) -> None:
    """SYNTHETIC: a TCCMap file written here, one row broken in each way."""
    from bluehelmet.builder import build
    from bluehelmet.db import Database

    folder = tmp_path / "src" / "geopko"
    folder.mkdir(parents=True)
    (folder / "TCCMap_v.2.3.csv").write_text(
        "mission,year,location,latitude,longitude,No.TCC,year.overview\n"
        'UNIFIL,2014,Naqoura,33.1,35.1,2,"Italy (875), Korea (ROK) (150)"\n'    # line 2: good
        "UNIFIL,2014,Tyre,33.2,35.2,1,Atlantis (150)\n"                          # line 3: no such country
        'UNIFIL,2014,Sidon,33.5,35.3,3,"Italy (150), Ghana (35)"\n'              # line 4: No.TCC says 3
        "UNIFIL,2014,Marjayoun,33.3,35.5,1,Italy about 150\n"                    # line 5: not a list
        "UNIFIL,2014,Shama,33.2,35.2,1,Multinational (size unknown)\n",          # line 6: a label, kept
        encoding="utf-8")
    db = tmp_path / "t.duckdb"
    build(tmp_path / "src", db)
    with Database(db) as s:
        f = next(iter(s.files.values()))
        assert (f["rows_read"], f["rows_loaded"], f["rows_quarantined"]) == (5, 2, 3)
        reasons = dict(s.con.execute("SELECT line, reason FROM quarantine ORDER BY line").fetchall())
        assert set(reasons) == {3, 4, 5}
        assert "Atlantis" in reasons[3] and "No.TCC says 3" in reasons[4] and "not a list" in reasons[5]
        kept = dict(s.con.execute("SELECT location, contributors FROM geopko_site_year").fetchall())
        assert [c["contributor"] for c in kept["Naqoura"]] == ["ITA", "KOR"]
        assert kept["Shama"] == [{"contributor": None, "name": "Multinational", "troops": None}]
