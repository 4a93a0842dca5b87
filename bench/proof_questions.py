"""Twenty questions, asked of bluehelmet (``Database`` methods) and of pandas over the raw files.

The pandas side is written from the files' own columns (data/README.md), never from
bluehelmet's code: it reads the CSV, XLSX, DTA and JSON files in the sources folder with
pandas and answers each question the way an analyst with a notebook would. Where the two
answers differ, ``note`` says why (a different source, a definition, a defect in a file).

Each question is ``(name, files, pandas_side, bluehelmet_side, note)``; an answer is a
number, or a dict from a key (ISO3 code, year, month, ...) to a number, so both sides
compare cell by cell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pandas as pd

P5 = ["CHN", "FRA", "GBR", "RUS", "USA"]
IPI = "ipi/tcc-datascraper"


# ---- the raw files, read with pandas (one loader per file; a question names the ones it needs)

def _gender(src: Path) -> pd.DataFrame:
    return pd.read_csv(src / IPI / "Gender.Full.csv", parse_dates=["Date"])


def _countries(src: Path) -> pd.DataFrame:
    """The 148 per-contributor files, stacked; the file name is the country's name."""
    parts = []
    for f in sorted((src / IPI / "countries").glob("*.csv")):
        d = pd.read_csv(f, parse_dates=["Date"])
        d["country"] = f.stem
        parts.append(d)
    out = pd.concat(parts, ignore_index=True)
    out["total"] = out[["Troops", "Police", "Experts"]].fillna(0).sum(axis=1)
    return out


def _fatalities(src: Path) -> pd.DataFrame:
    return pd.read_csv(src / "un/DPPADPOSS-FATALITIES.csv", parse_dates=["incident_date"])


def _donors(src: Path) -> dict[str, Any]:
    return json.loads((src / "finance/un-open/donors-2014.json").read_text())


def _audited(src: Path) -> list[dict[str, Any]]:
    return [json.loads(f.read_text()) for f in sorted((src / "finance/un-open").glob("budget-audited-pko-*.json"))]


def _aiddata(src: Path) -> pd.DataFrame:
    sheets = ["1) Official Flows", "2) Unofficial Flows", "3) Military (non-developmental)"]
    book = pd.read_excel(src / "finance/aiddata/aiddata_china_1.0.xlsx", sheet_name=sheets)
    return pd.concat(book.values(), ignore_index=True)


LOADERS: dict[str, Callable[[Path], Any]] = {
    "gender": _gender,
    "countries": _countries,
    "continent": lambda s: pd.read_csv(s / IPI / "Data.Continent.csv", parse_dates=["date"]),
    "monthly": lambda s: pd.read_csv(s / "ipi/ppp-loader/data_monthly.csv", parse_dates=["Date"]),
    "mission": lambda s: pd.read_csv(s / "ipi/ppp-loader/data_mission.csv", parse_dates=["Date"]),
    "fatalities": _fatalities,
    "donors": _donors,
    "scale": lambda s: pd.read_csv(s / "finance/un-scale/UNGA_scale_of_assessment.csv", na_values=["-"]),
    "audited": _audited,
    "aiddata": _aiddata,
    "shortfall": lambda s: pd.read_stata(s / "mandates/Personnel_shortfall_data.dta"),
}


# ---- the pandas side

def _at(g: pd.DataFrame, month: str, column: str = "Date") -> pd.DataFrame:
    """The rows of one month (a vectorised comparison: formatting every date as text would
    make pandas look slower than it need be)."""
    d = g[column]
    return g[(d.dt.year == int(month[:4])) & (d.dt.month == int(month[5:]))]


def _by_iso(g: pd.DataFrame, column: str = "Total Total") -> dict[str, int]:
    s = g.groupby("Contributor ISO-3")[column].sum()
    return {k: int(v) for k, v in s[s > 0].items()}


def _top(d: dict[str, int], n: int) -> dict[str, int]:
    return dict(sorted(d.items(), key=lambda kv: -kv[1])[:n])


def _ym(s: pd.Series) -> pd.Series:
    return s.dt.strftime("%Y-%m")


def pd_rank_history(f: dict[str, Any], who: str, years: range) -> dict[int, int]:
    c = f["countries"]
    out = {}
    for y in years:
        at = _at(c, f"{y}-12").query("total > 0")
        ranks = at["total"].rank(method="min", ascending=False)
        mine = ranks[at["country"] == who]
        if len(mine):
            out[y] = int(mine.iloc[0])
    return out


def pd_africa_share(f: dict[str, Any], year: int) -> dict[str, float]:
    c = f["continent"]
    c = c[c["date"].dt.year == year]
    world = c.groupby(_ym(c["date"]))["total"].sum()
    africa = c[c["tcc.continent"] == "Africa"].groupby(_ym(c["date"]))["total"].sum()
    return {m: round(100 * africa[m] / world[m], 2) for m in world.index}


def pd_fatalities_by(f: dict[str, Any], column: str, mission: str | None = None, lo: str = "0000",
                     hi: str = "9999", top: int | None = None) -> dict[Any, int]:
    d = f["fatalities"]
    if mission:
        d = d[d["mission_acronym"].str.strip() == mission]
    day = d["incident_date"].dt.year * 100 + d["incident_date"].dt.month
    d = d[(day >= int(lo.replace("-", "").ljust(6, "0"))) & (day <= int(hi.replace("-", "").ljust(6, "9")))]
    key = d["incident_date"].dt.year if column == "year" else d[column]
    s = key.value_counts()
    out = {(int(k) if column == "year" else k): int(v) for k, v in s.items()}
    return _top(out, top) if top else out


def pd_assessed_share(f: dict[str, Any], member: str) -> float:
    amounts = {name: d["contributions"].get("UN-DPO", {}).get("Assessed") for name, d in f["donors"].items()}
    amounts = {k: v for k, v in amounts.items() if v}
    return round(100 * amounts[member] / sum(amounts.values()), 4)


#: the scale file names members in full; the five largest, to ISO3 by hand (an unknown name
#: stays a name, and then shows as a difference)
SCALE_NAMES = {"United States of America": "USA", "China": "CHN", "Japan": "JPN", "Germany": "DEU",
               "United Kingdom of Great Britain and Northern Ireland": "GBR"}


def pd_regular_top(f: dict[str, Any], year: int, n: int) -> dict[str, float]:
    s = f["scale"]
    # a column is the last year of its scale period (2024 holds the 2022-2024 rates)
    col = min(c for c in s.columns[1:] if int(c) >= year)
    top = s.set_index("Member State")[col].astype(float).nlargest(n)
    return {SCALE_NAMES.get(k, k): float(v) for k, v in top.items()}


def pd_spending(f: dict[str, Any], mission: str) -> dict[str, int]:
    out = {}
    for d in f["audited"]:
        for node in d["nodes"]:
            if node.get("mission") == mission and node.get("tier") == "mission":
                out[d["meta"]["fiscalYear"]] = int(round(node["amount"]))
    return out


def pd_aiddata(f: dict[str, Any], iso3: str, lo: int, hi: int) -> dict[str, int]:
    a = f["aiddata"]
    a = a[(a["recipient_iso3"] == iso3) & a["year"].between(lo, hi)
          & a["flow_class"].isin(["ODA-like", "OOF-like", "Vague (Official Finance)"])
          & ~a["status"].str.contains("Pledge", na=False)]
    return {"usd": int(round(a["usd_defl"].sum())), "projects": int(a["project_id"].nunique())}


def pd_shortfall(f: dict[str, Any], mission: str, year: int, month: int) -> dict[str, int]:
    s = f["shortfall"]
    r = s[(s["mission"] == mission) & (s["year"] == year) & (s["month"] == month)].iloc[0]
    return {"auth_troops": int(r["authtroop"]), "auth_police": int(r["authpolice"]),
            "troops": int(r["troop"]), "police": int(r["police"])}


# ---- the bluehelmet side (public Database methods only)

def bh_by(res: Any, key: str, value: str = "personnel") -> dict[Any, Any]:
    return {r[key]: r[value] for r in res.rows}


def bh_rank_history(db: Any, iso3: str, years: range) -> dict[int, int]:
    out = {}
    for y in years:
        for r in db.rank(month=f"{y}-12").rows:
            if r["contributor"] == iso3:
                out[y] = r["rank"]
    return out


# ---- the questions

@dataclass
class Question:
    name: str
    files: list[str]
    pandas: Callable[[dict[str, Any]], Any]
    ours: Callable[[Any], Any]
    note: str = ""


QUESTIONS = [
    Question("China's troops, 2013-12", ["gender"],
             lambda f: int(_at(f["gender"], "2013-12").query("`Contributor ISO-3` == 'CHN'")["Troops Total"].sum()),
             lambda db: db.personnel(country=["China"], type="troops", month="2013-12").scalar()),
    Question("top 10 contributors, 2013-12", ["gender"],
             lambda f: _top(_by_iso(_at(f["gender"], "2013-12")), 10),
             lambda db: bh_by(db.rank(month="2013-12", top=10), "contributor")),
    Question("P5 combined, 2013-12", ["gender"],
             lambda f: sum(v for k, v in _by_iso(_at(f["gender"], "2013-12")).items() if k in P5),
             lambda db: db.personnel(country=["P5"], month="2013-12").scalar()),
    Question("UNMISS personnel by contributor, 2013-12", ["gender"],
             lambda f: _by_iso(_at(f["gender"], "2013-12").query("Mission == 'UNMISS'")),
             lambda db: bh_by(db.personnel(mission=["UNMISS"], month="2013-12", by=["contributor"]), "contributor")),
    Question("police by contributor (top 10), 2012-06", ["gender"],
             lambda f: _top(_by_iso(_at(f["gender"], "2012-06").assign(
                 police=lambda g: g["Individual Police Total"] + g["Formed Police Units Total"]), "police"), 10),
             lambda db: _top(bh_by(db.personnel(month="2012-06", type="police", by=["contributor"]),
                                   "contributor"), 10)),
    Question("women's share of personnel (%), 2013-12", ["gender"],
             lambda f: round(100 * _at(f["gender"], "2013-12")["Total Female"].sum()
                             / _at(f["gender"], "2013-12")["Total Total"].sum(), 2),
             lambda db: (lambda d: round(100 * d["female"] / (d["female"] + d["male"]), 2))(
                 bh_by(db.personnel(month="2013-12", by=["gender"]), "gender")),
             "bluehelmet's denominator is male + female"),
    Question("number of contributors, 2013-12", ["gender"],
             lambda f: len(_by_iso(_at(f["gender"], "2013-12"))),
             lambda db: len(db.rank(month="2013-12").rows)),
    Question("Bangladesh's personnel per month, 2010", ["gender"],
             lambda f: {m: int(v) for m, v in f["gender"].query("`Contributor ISO-3` == 'BGD'").pipe(
                 lambda g: g[g["Date"].dt.year == 2010].groupby(_ym(g["Date"]))["Total Total"].sum()).items()},
             lambda db: bh_by(db.personnel(country=["Bangladesh"], start="2010-01", end="2010-12", by=["month"]),
                              "month")),
    Question("world total, 2013-12 (IPI monthly totals)", ["monthly"],
             lambda f: int(_at(f["monthly"], "2013-12")["Total Contributions"].iloc[0]),
             lambda db: db.personnel(month="2013-12").scalar(),
             "pandas reads IPI's published monthly total; bluehelmet sums the detail"),
    Question("world total, 2016-06 (UN PDF vs IPI)", ["monthly"],
             lambda f: int(_at(f["monthly"], "2016-06")["Total Contributions"].iloc[0]),
             lambda db: db.personnel(month="2016-06").scalar(),
             "bluehelmet answers from the UN's monthly PDF, pandas from IPI's total"),
    Question("UNMIL personnel per month, 2005", ["mission"],
             lambda f: {m: int(v) for m, v in f["mission"].query("Mission == 'UNMIL' and Date.dt.year == 2005").pipe(
                 lambda g: g.set_index(_ym(g["Date"]))["Total"]).items()},
             lambda db: bh_by(db.personnel(mission=["UNMIL"], start="2005-01", end="2005-12", by=["month"]), "month")),
    Question("Africa's share of personnel (%), 2012", ["continent"],
             lambda f: pd_africa_share(f, 2012),
             lambda db: bh_by(db.shares(["Africa"], "2012-01", "2012-12"), "month", "share_pct")),
    Question("India's rank each December, 1991-2013", ["countries"],
             lambda f: pd_rank_history(f, "India", range(1991, 2014)),
             lambda db: bh_rank_history(db, "IND", range(1991, 2014)),
             "TCC-DataScraper's Switzerland.csv has no 1991-12 row; PPP_Loader's has 76 troops, which "
             "bluehelmet answers from (the complete source), so Switzerland ranks above India"),
    Question("MINUSMA fatalities by year", ["fatalities"],
             lambda f: pd_fatalities_by(f, "year", "MINUSMA"),
             lambda db: bh_by(db.fatalities(mission="MINUSMA", by=["year"]), "year", "fatalities")),
    Question("fatalities by year, all missions, 2000-2010", ["fatalities"],
             lambda f: pd_fatalities_by(f, "year", None, "2000-01", "2010-12"),
             lambda db: bh_by(db.fatalities(start="2000-01", end="2010-12", by=["year"]), "year", "fatalities"),
             "the file lists 6 UNMIK casualties twice (same casualty_id, Montenegro and Serbia and Montenegro); "
             "bluehelmet quarantines the duplicates, pandas counts rows"),
    Question("fatalities by cause, 2013-2022", ["fatalities"],
             lambda f: pd_fatalities_by(f, "type_of_incident", None, "2013-01", "2022-12"),
             lambda db: bh_by(db.fatalities(start="2013-01", end="2022-12", by=["cause"]), "cause", "fatalities")),
    Question("fatalities by nationality, top 5, all years", ["fatalities"],
             lambda f: pd_fatalities_by(f, "isocode3", top=5),
             lambda db: _top(bh_by(db.fatalities(by=["nationality"]), "nationality", "fatalities"), 5)),
    Question("USA's peacekeeping assessed share (%), 2014", ["donors"],
             lambda f: pd_assessed_share(f, "United States of America"),
             lambda db: db.assessments(member="USA", year=2014).rows[0]["share"]),
    Question("regular-budget scale, top 5 (%), 2022", ["scale"],
             lambda f: pd_regular_top(f, 2022, 5),
             lambda db: {r["member"]: r["share"] for r in db.assessments(scale="regular", year=2022, top=5).rows}),
    Question("MINUSMA spending by fiscal year (audited)", ["audited"],
             lambda f: pd_spending(f, "MINUSMA"),
             lambda db: bh_by(db.spending(mission="MINUSMA", by=["year"]), "year", "expenditure_usd")),
    Question("AidData: China's official finance to Angola, 2000-2011 (v1.0)", ["aiddata"],
             lambda f: pd_aiddata(f, "AGO", 2000, 2011),
             lambda db: {k: db.finance("Angola", 2000, 2011, dataset="1.0").rows[0][k] for k in ("usd", "projects")},
             "project 49 (USD 495,941) has recipient_iso3 AGO but recipient_condensed 'Africa, regional': "
             "bluehelmet counts it for the region, pandas (by recipient_iso3) for Angola"),
    Question("UNAMID authorised vs deployed, 2012-06", ["shortfall"],
             lambda f: pd_shortfall(f, "UNAMID", 2012, 6),
             lambda db: {k: db.authorized("UNAMID", month="2012-06").rows[0][k]
                         for k in ("auth_troops", "auth_police", "troops", "police")}),
]


def compare(a: Any, b: Any, tol: float = 0.011) -> str:
    """'agree', or where two answers differ (cells only one side has, cells that differ)."""
    if isinstance(a, dict) and isinstance(b, dict):
        a = {str(k): v for k, v in a.items()}
        b = {str(k): v for k, v in b.items()}
        diffs = [f"{k}: {a.get(k)} vs {b.get(k)}" for k in sorted(set(a) | set(b))
                 if k not in a or k not in b or abs(float(a[k]) - float(b[k])) > tol]
        return "agree" if not diffs else f"{len(diffs)}/{len(set(a) | set(b))} cells differ: " + "; ".join(diffs[:4])
    if a is None or b is None:
        return f"{a} vs {b}"
    return "agree" if abs(float(a) - float(b)) <= tol else f"{a} vs {b}"
