"""Independent labeller for the factcheck evaluation set.

Imports nothing from bluehelmet: it reads the raw files in ../shared/data (env
BLUEHELMET_SOURCES) and computes, for each claim of a sentence (README.md, this folder),
the true figure and whether the claim holds, with the README's months and tolerances.

    python bench/factcheck_eval/label.py [--half dev|held1|held|held2|held3|held4|held5|held6|held7|held8|held9|held10|held11|all] [--id ID] [--why] [--check]

Sources and decisions (beyond the README):
- contributor x month: IPI tcc-datascraper/countries/*.csv to 2014-02 (Switzerland.csv holds
  one row, so from 2009-11 contributors a country file lacks come from Gender.Full.csv; before
  2009-11 a claim about Switzerland alone is nodata); 2014-03..2014-08 the sum of
  full_gender_data.csv's contributor x mission rows (stray quotes stripped from names, ISO3
  and missions; the repeated 2014-03/04 rows counted once); 2014-09..2014-12 nothing (nodata);
  2015-01.. the UN PDFs by the month printed inside (2019-10 prints none: its file name).
- measures from the PDFs: troops = troops + staff officers, police = individual + formed
  police, experts = experts on mission. The 2015-01..2017-04 reports have no staff officer
  post, so there "troops" is contingent troops as printed.
- world totals: IPI Data.Monthly (to 2014-02), data_monthly (to 2017-03), then the PDFs;
  mission totals: IPI data_mission (to 2017-03), then PDFs with a mission breakdown
  (none for 2018-03..2019-08 and 2023-09). Contributor x mission: IPI gender tables
  (2009-11..2014-08), then those PDFs.
- the as-of window: true if the claim holds in some month; false if every month of the
  window is covered and it holds in none; otherwise nodata.
- contributors: countries with a figure > 0 (IPI's own count before 2009-11).
- rank: 1 + the number of contributors with a larger figure (ties share a rank).
  compare: `than` a group is the group's sum.
- fatalities: every row of type Fatality (all personnel types and causes, unless the claim
  carries the optional `cause` (substring of type_of_incident, e.g. malicious) or
  `personnel` (uniformed, or a substring of casualty_personnel_type)), incident month
  from..to inclusive; the file ends 2023-11, so a range past it is nodata.
- assessed share: the member's UN-DPO "Assessed" over the sum of all donors' UN-DPO
  "Assessed" that year; rank by it.
- spending: mission expenditure by fiscal year from meta.fiscalYear (audited files win;
  both files are expenditure).
- finance (AidData): nodata, not labelled.
- groups: regions by UN M49 (regions.py, by hand); P5, AU, EU, NATO, ASEAN, Arab League by
  hand with membership dates; G77, OIC, NAM, CIS, G20 from IPI's 2014 release columns
  (contributors of 2014 only).
"""
import argparse
import csv
import functools
import glob
import hashlib
import json
import math
import os
import re
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import yaml  # noqa: E402

from names import to_iso3  # noqa: E402
from pdfparse import parse_pdf  # noqa: E402
from regions import group_members, region_members  # noqa: E402

REPO = HERE.parents[1]
SOURCES = Path(os.environ.get("BLUEHELMET_SOURCES") or (REPO.parent / "shared" / "data"))
MEASURES = ("personnel", "troops", "police", "experts")
FATALITIES_END = "2023-11"


# ---------------------------------------------------------------------------------------
# months
# ---------------------------------------------------------------------------------------
def norm_month(m):
    if m is None:
        return None
    s = str(m).strip()
    if re.fullmatch(r"\d{4}", s):
        return s + "-12"
    mm = re.match(r"(\d{4})-(\d{1,2})", s)
    if mm:
        return "%s-%02d" % (mm.group(1), int(mm.group(2)))
    raise ValueError("bad month %r" % m)


def add_months(m, k):
    y, mo = int(m[:4]), int(m[5:7])
    n = y * 12 + (mo - 1) + k
    return "%04d-%02d" % (n // 12, n % 12 + 1)


def window(claim, published):
    if claim.get("month") is not None:
        return [norm_month(claim["month"])]
    p = norm_month(published)
    return [p, add_months(p, -1), add_months(p, -2)]


# ---------------------------------------------------------------------------------------
# tolerances
# ---------------------------------------------------------------------------------------
ABOUT = {"about", "around", "some", "roughly", "approximately", "an estimated", "estimated",
         "close to", "approx", "approx.", "~", "circa", "nearly about", "an", "a", "some estimated"}
BELOW = {"nearly", "almost", "just under", "close to but under", "nearing", "just shy of"}
ABOVE = {"just over", "slightly over", "slightly more than", "just more than", "a little over",
         "just above", "little over"}


def bare_tolerance(value):
    v = abs(float(value))
    if v == 0:
        return 0.0
    s = ("%.10f" % v).rstrip("0").rstrip(".")
    if "." in s:
        ip, fp = s.split(".")
        unit = 10.0 ** -len(fp)
    else:
        stripped = s.rstrip("0")
        unit = 10.0 ** (len(s) - len(stripped))
    tol = unit / 2
    return min(max(tol, 0.02 * v), 0.10 * v)


def holds(fig, op, value, approx=None):
    """(bool, rule text)."""
    a = (approx or "").strip().lower()
    v = float(value)
    if a in BELOW:
        return (0.9 * v <= fig <= v), "%s: in [%g, %g]" % (a, 0.9 * v, v)
    if a in ABOVE:
        return (v <= fig <= 1.1 * v), "%s: in [%g, %g]" % (a, v, 1.1 * v)
    if op == ">":
        return fig > v, "> %g" % v
    if op == ">=":
        return fig >= v, ">= %g" % v
    if op == "<":
        return fig < v, "< %g" % v
    if op == "<=":
        return fig <= v, "<= %g" % v
    if op in ("~", "==", "="):
        if a in ABOUT:
            return abs(fig - v) <= 0.1 * v + 1e-9, "%s: within 10%% of %g" % (a, v)
        if op in ("==", "=") and a in ("", "exactly"):
            return fig == v, "== %g" % v
        t = bare_tolerance(v)
        return abs(fig - v) <= t + 1e-9, "bare: %g +- %g" % (v, t)
    raise ValueError("unknown op %r" % op)


# ---------------------------------------------------------------------------------------
# personnel sources
# ---------------------------------------------------------------------------------------
def _num(x):
    if x is None:
        return 0
    x = str(x).strip()
    if x in ("", "NA", "nan", "NaN"):
        return 0
    return int(float(x))


def _m(date):
    return str(date)[:7]


IPI_FILE_ISO = {}


@functools.lru_cache(maxsize=1)
def ipi_countries():
    """month -> iso3 -> {troops, police, experts} from tcc-datascraper/countries (to 2014-02)."""
    out = defaultdict(lambda: defaultdict(lambda: {"troops": 0, "police": 0, "experts": 0}))
    for f in sorted(glob.glob(str(SOURCES / "ipi/tcc-datascraper/countries/*.csv"))):
        name = Path(f).stem
        iso = to_iso3(name)
        if not iso:
            raise SystemExit("no ISO3 for IPI country file %r" % name)
        IPI_FILE_ISO[name] = iso
        with open(f, newline="") as fh:
            for row in csv.DictReader(fh):
                d = out[_m(row["Date"])][iso]
                # two files for one country (Macedonia / "The former Yugoslav Republic o")
                # overlap in 2013: the larger figure, not the sum
                d["troops"] = max(d["troops"], _num(row.get("Troops")))
                d["police"] = max(d["police"], _num(row.get("Police")))
                d["experts"] = max(d["experts"], _num(row.get("Experts")))
    # Switzerland.csv holds one row (1999-02): from 2009-11 the gender table has the
    # contributors a country file lacks
    gm = defaultdict(lambda: defaultdict(lambda: {"troops": 0, "police": 0, "experts": 0}))
    for (m, iso, mis), v in _gender_rows(SOURCES / "ipi/tcc-datascraper/Gender.Full.csv").items():
        for k in v:
            gm[m][iso][k] += v[k]
    for m, d in gm.items():
        for iso, v in d.items():
            cur = out[m].get(iso)
            if cur is None or not any(cur.values()):
                out[m][iso] = dict(v)
                FILLED.add((m, iso))
    return out


FILLED = set()
# contributors whose country file is missing or broken before the gender tables start
IPI_INCOMPLETE = {"CHE": "2009-11"}


def _gender_rows(path, start=None, end=None):
    """contributor x mission rows of an IPI gender table, deduplicated."""
    seen = {}
    with open(path, newline="") as fh:
        for row in csv.DictReader(fh):
            m = _m(row["Date"])
            if (start and m < start) or (end and m > end):
                continue
            c = (row.get("Contributor") or "").strip().rstrip("'").strip()
            if c == "all" or (row.get("Mission") or "").strip().strip("'") == "all":
                continue
            iso = (row.get("Contributor_ISO-3") or row.get("Contributor ISO-3") or "").strip().strip("'")
            if not iso or iso == "NA":
                iso = to_iso3(c)
            iso = iso.strip().strip("'")
            mis = (row.get("Mission") or "").strip().strip("'").strip()
            g = lambda *ks: sum(_num(row.get(k)) for k in ks)
            rec = {
                "troops": g("Troops_Total", "Troops Total"),
                "police": g("Individual_Police_Total", "Individual Police Total",
                            "Formed_Police_Units_Total", "Formed Police Units Total"),
                "experts": g("Experts_on_Mission_Total", "Experts on Mission Total"),
            }
            seen[(m, iso, mis)] = rec      # duplicated months: the same key, kept once
    return seen


@functools.lru_cache(maxsize=1)
def ipi_contrib_mission():
    """month -> (iso3, mission) -> {troops, police, experts}: Gender.Full (2009-11..2014-02),
    full_gender_data (2014-03..2014-08)."""
    out = defaultdict(dict)
    for (m, iso, mis), rec in _gender_rows(SOURCES / "ipi/tcc-datascraper/Gender.Full.csv").items():
        out[m][(iso, mis)] = rec
    for (m, iso, mis), rec in _gender_rows(SOURCES / "ipi/ppp-loader/full_gender_data.csv",
                                           start="2014-03").items():
        out[m][(iso, mis)] = rec
    return out


@functools.lru_cache(maxsize=1)
def ipi_world():
    """month -> {troops, police, experts, personnel, contributors}."""
    out = {}
    with open(SOURCES / "ipi/ppp-loader/data_monthly.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            out[_m(row["Date"])] = {
                "troops": _num(row["Troop Contributions"]), "police": _num(row["Police Contributions"]),
                "experts": _num(row["EOM Contributions"]), "personnel": _num(row["Total Contributions"]),
                "contributors": _num(row["Number of Contributors"]), "src": "ppp-loader/data_monthly"}
    with open(SOURCES / "ipi/tcc-datascraper/Data.Monthly.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            out[_m(row["date"])] = {
                "troops": _num(row["troops.sum"]), "police": _num(row["police.sum"]),
                "experts": _num(row["observers.sum"]), "personnel": _num(row["total.sum"]),
                "contributors": _num(row["n.conributors"]), "src": "tcc-datascraper/Data.Monthly"}
    return out


@functools.lru_cache(maxsize=1)
def ipi_mission():
    out = defaultdict(dict)
    with open(SOURCES / "ipi/ppp-loader/data_mission.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            t, p, o = _num(row["Troops"]), _num(row["Police"]), _num(row["Observers"])
            out[_m(row["Date"])][row["Mission"].strip().upper()] = {
                "troops": t, "police": p, "experts": o, "personnel": _num(row["Total"])}
    return out


PDF_TYPES = {"troops": ("troops", "staff"), "police": ("ipo", "fpu"), "experts": ("experts",),
             "personnel": ("troops", "staff", "ipo", "fpu", "experts")}


@functools.lru_cache(maxsize=1)
def pdf_months():
    """printed month -> parsed report (the date printed inside wins over the file name)."""
    out = {}
    for f in sorted(glob.glob(str(SOURCES / "un/dpo-monthly/UN_country_contributions_*.pdf"))):
        rep = parse_pdf(f)
        m = rep["month"]
        if m is None:   # 2019-10 prints no date: the file name is all there is
            mm = re.search(r"(\d{4})_(\d{2})", f)
            m = "%s-%s" % (mm.group(1), mm.group(2))
            rep["month"] = m
            rep["month_from"] = "file name"
        if m in out:
            continue
        rep["has_missions"] = any(r["mission"] for r in rep["records"])
        out[m] = rep
    return out


def _pdf_sum(rep, measure, pred):
    types = PDF_TYPES[measure]
    return sum(r["total"] for r in rep["records"] if r["type"] in types and pred(r))


def country_table(month, measure):
    """iso3 -> figure for every contributor in the month, or None if no source covers it."""
    if month <= "2014-02":
        d = ipi_countries().get(month)
        if not d:
            return None, None
        return {iso: _measure(v, measure) for iso, v in d.items()}, "IPI tcc-datascraper/countries"
    if month <= "2014-08":
        d = ipi_contrib_mission().get(month)
        if not d:
            return None, None
        out = defaultdict(int)
        for (iso, mis), v in d.items():
            out[iso] += _measure(v, measure)
        return dict(out), "IPI ppp-loader/full_gender_data"
    rep = pdf_months().get(month)
    if not rep:
        return None, None
    out = defaultdict(int)
    for r in rep["records"]:
        if r["type"] in PDF_TYPES[measure]:
            out[r["iso3"]] += r["total"]
        else:
            out.setdefault(r["iso3"], 0)
    return dict(out), "UN PDF " + rep["file"]


def contrib_mission_table(month, measure, mission):
    mission = mission.upper()
    if month < "2009-11":
        return None, None
    if month <= "2014-08":
        d = ipi_contrib_mission().get(month)
        if not d:
            return None, None
        out = defaultdict(int)
        for (iso, mis), v in d.items():
            if mis.upper() == mission:
                out[iso] += _measure(v, measure)
        return dict(out), "IPI gender tables"
    rep = pdf_months().get(month)
    if not rep or not rep["has_missions"]:
        return None, None
    out = defaultdict(int)
    for r in rep["records"]:
        if (r["mission"] or "").upper() == mission and r["type"] in PDF_TYPES[measure]:
            out[r["iso3"]] += r["total"]
    return dict(out), "UN PDF " + rep["file"]


def _measure(v, measure):
    if measure == "personnel":
        return v["troops"] + v["police"] + v["experts"]
    return v[measure]


def world_figure(month, measure):
    if month <= "2017-03":
        w = ipi_world().get(month)
        if w:
            return w[measure], "IPI " + w["src"]
    rep = pdf_months().get(month)
    if rep:
        return _pdf_sum(rep, measure, lambda r: True), "UN PDF " + rep["file"]
    return None, None


def mission_figure(month, measure, mission):
    mission = mission.upper()
    if month <= "2017-03":
        d = ipi_mission().get(month)
        if d is not None and len(d):
            if mission not in d:
                return 0, "IPI ppp-loader/data_mission (mission absent)"
            return d[mission][measure], "IPI ppp-loader/data_mission"
    rep = pdf_months().get(month)
    if rep and rep["has_missions"]:
        return _pdf_sum(rep, measure, lambda r: (r["mission"] or "").upper() == mission), "UN PDF " + rep["file"]
    return None, None


# ---------------------------------------------------------------------------------------
# who
# ---------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def ipi_groups():
    """IPI's own group columns (2014 releases): used only for groups not written by hand."""
    out = defaultdict(set)
    for f in sorted(glob.glob(str(SOURCES / "ipi/ppp-loader/update_archive/csv/*.csv"))):
        with open(f, newline="") as fh:
            for row in csv.DictReader(fh):
                iso = row.get("Contributor_ISO-3")
                for col, g in (("Contributor_G77", "G77"), ("Contributor_OIC", "OIC"),
                               ("Contributor_NAM", "NAM"), ("Contributor_CIS", "CIS"),
                               ("Contributor_G20", "G20"), ("Contributor_OECD", "OECD")):
                    if str(row.get(col, "")).strip() in ("1", "1.0", "TRUE", "True"):
                        out[g].add(iso)
    return out


def members(who, month):
    """('world', None) or ('set', iso3 set); raises KeyError for an unknown who."""
    if isinstance(who, list):
        s = set()
        for w in who:
            k, m = members(w, month)
            if k == "world":
                return k, m
            s |= m
        return "set", s
    if isinstance(who, dict):
        k, s = members(who["group"], month)
        minus = who.get("minus")
        if minus:
            _, ms = members(minus, month)
            s = s - ms
        return "set", s
    w = str(who).strip()
    if w.lower() == "world":
        return "world", None
    if re.fullmatch(r"[A-Z]{3}", w) and w not in ("OIC", "G77", "NAM", "CIS", "G20"):
        return "set", {w}
    g = group_members(w, month)
    if g is not None:
        return "set", g
    r = region_members(w)
    if r is not None:
        return "set", r
    key = w.upper().replace("-GROUP", "").replace(" ", "")
    if key in ("G77", "OIC", "NAM", "CIS", "G20", "OECD"):
        return "set", set(ipi_groups()[key])
    raise KeyError("unknown who %r" % who)


def who_figure(who, measure, month, mission=None):
    kind, s = members(who, month)
    if kind == "world":
        if mission:
            return mission_figure(month, measure, mission)
        return world_figure(month, measure)
    if mission:
        tab, src = contrib_mission_table(month, measure, mission)
    else:
        tab, src = country_table(month, measure)
        for iso, start in IPI_INCOMPLETE.items():
            if iso in s and len(s) < 5 and month < start:
                return None, None
    if tab is None:
        return None, None
    return sum(tab.get(i, 0) for i in s), src


# ---------------------------------------------------------------------------------------
# other sources
# ---------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def authorised():
    import pyreadstat
    df, _ = pyreadstat.read_dta(str(SOURCES / "mandates/Personnel_shortfall_data.dta"))
    out = {}
    for r in df.itertuples():
        m = "%04d-%02d" % (int(r.year), int(r.month))
        out[(str(r.mission).strip().upper(), m)] = (r.totalauth, r.total)
    return out


@functools.lru_cache(maxsize=1)
def fatalities():
    rows = []
    with open(SOURCES / "un/DPPADPOSS-FATALITIES.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if (row.get("type_of_casualty") or "").strip() != "Fatality":
                continue
            # 31 rows have no isocode3 (Côte d'Ivoire's 29 written "Côte dIvoire", Mauritius,
            # Viet Nam): their nationality's name gives it
            iso3 = (row.get("isocode3") or "").strip() or to_iso3(row.get("casualty_nationality") or "") or ""
            rows.append((row["incident_date"][:7], iso3,
                         (row.get("mission_acronym") or "").strip().upper(),
                         (row.get("type_of_incident") or "").strip().lower(),
                         (row.get("casualty_personnel_type") or "").strip().lower()))
    return rows


@functools.lru_cache(maxsize=None)
def assessed(year):
    p = SOURCES / ("finance/un-open/donors-%d.json" % int(year))
    if not p.exists():
        return None
    d = json.loads(p.read_text())
    out = {}
    for name, v in d.items():
        amt = ((v.get("contributions") or {}).get("UN-DPO") or {}).get("Assessed")
        if amt:
            out[name] = (float(amt), v.get("status"))
    return out


def _donor_iso(name):
    return to_iso3(name) or to_iso3(re.sub(r",.*$", "", name))


@functools.lru_cache(maxsize=1)
def spending_table():
    """fiscal year 'YYYY/YY' -> mission -> (amount, file); audited files win."""
    out = defaultdict(dict)
    files = sorted(glob.glob(str(SOURCES / "finance/un-open/budget-pko-*.json"))) + \
        sorted(glob.glob(str(SOURCES / "finance/un-open/budget-audited-pko-*.json")))
    for f in files:
        d = json.loads(Path(f).read_text())
        fy = d["meta"].get("fiscalYear")
        for n in d.get("nodes", []):
            if n.get("kind") == "whole" and n.get("amount") is not None:
                out[fy]["ALL"] = (float(n["amount"]), Path(f).name)
            if n.get("kind") == "mission" or n.get("tier") == "mission":
                mis = (n.get("mission") or n.get("code") or n.get("id") or "").upper()
                if n.get("amount") is not None:
                    out[fy][mis] = (float(n["amount"]), Path(f).name)
    return out


def _fy(s):
    s = str(s).strip()
    m = re.fullmatch(r"(\d{4})\s*[/-]\s*(\d{2,4})", s)
    if m:
        return "%s/%s" % (m.group(1), m.group(2)[-2:])
    return s


# ---------------------------------------------------------------------------------------
# claims
# ---------------------------------------------------------------------------------------
def _res(label, figure=None, month=None, why=""):
    return {"label": label, "figure": figure, "month": month, "why": why}


def over_window(claim, published, f):
    """f(month) -> (figure or None, holds bool, why). True in some month, false when all
    months are covered and it holds in none, else nodata."""
    months = window(claim, published)
    results = []
    for m in months:
        fig, ok, why = f(m)
        results.append((m, fig, ok, why))
        if fig is not None and ok:
            return _res("true", fig, m, why)
    covered = [r for r in results if r[1] is not None]
    if covered and len(covered) == len(results):
        m, fig, ok, why = covered[0]
        others = "; ".join("%s: %s" % (r[0], _fmt(r[1])) for r in covered[1:])
        return _res("false", fig, m, why + (" (also %s)" % others if others else ""))
    missing = [r[0] for r in results if r[1] is None]
    if covered:
        m, fig, ok, why = covered[0]
        return _res("nodata", fig, m, "not covered: %s; %s" % (", ".join(missing), why))
    return _res("nodata", None, months[0], "no data for %s" % ", ".join(missing))


def _fmt(x):
    if x is None:
        return "-"
    if isinstance(x, float) and not x.is_integer():
        return "%.4g" % x
    return "{:,}".format(int(x))


def c_count(c, pub):
    measure = c.get("measure", "personnel")

    def f(m):
        fig, src = who_figure(c.get("who", "world"), measure, m, c.get("mission"))
        if fig is None:
            return None, False, ""
        ok, rule = holds(fig, c["op"], c["value"], c.get("approx"))
        return fig, ok, "%s %s%s = %s (%s) vs %s [%s]" % (
            c.get("who", "world"), measure, " in " + c["mission"] if c.get("mission") else "",
            _fmt(fig), m, rule, src)
    return over_window(c, pub, f)


def c_mission(c, pub):
    c = dict(c)
    c["who"] = "world"
    return c_count(c, pub)


def c_compare(c, pub):
    measure = c.get("measure", "personnel")

    def f(m):
        a, sa = who_figure(c["who"], measure, m, c.get("mission"))
        b, sb = who_figure(c["than"], measure, m, c.get("mission"))
        if a is None or b is None:
            return None, False, ""
        ok = a > b if c.get("op", ">") == ">" else a < b
        return a, ok, "%s %s=%s %s than %s=%s (%s) [%s]" % (
            c["who"], measure, _fmt(a), c.get("op", ">"), c["than"], _fmt(b), m, sa)
    return over_window(c, pub, f)


def _ranked(c, m):
    measure = c.get("measure", "personnel")
    if c.get("mission"):
        tab, src = contrib_mission_table(m, measure, c["mission"])
    else:
        tab, src = country_table(m, measure)
    if tab is None:
        return None, None
    tab = {k: v for k, v in tab.items() if k}
    if not c.get("mission"):
        for iso, start in IPI_INCOMPLETE.items():
            if m < start and (c.get("who") == iso):
                return None, None
    if c.get("within"):
        _, s = members(c["within"], m)
        if s is not None:
            tab = {k: tab.get(k, 0) for k in s}
    return tab, src


def _rank_holds(rank, c):
    """A place as the reading states it: exactly ``rank``, or with ``op: "<="`` ("among
    the top ten") at most ``rank`` (README.md, Format)."""
    return rank <= int(c["rank"]) if c.get("op") == "<=" else rank == int(c["rank"])


def c_rank(c, pub):
    who = c["who"]

    def f(m):
        tab, src = _ranked(c, m)
        if tab is None:
            return None, False, ""
        v = tab.get(who, 0)
        rank = 1 + sum(1 for x in tab.values() if x > v)
        top = sorted(tab.items(), key=lambda kv: -kv[1])[:max(int(c["rank"]) + 2, 5)]
        ok = _rank_holds(rank, c)
        return rank, ok, "%s rank %d by %s%s (%s=%s; top: %s) (%s) [%s]" % (
            who, rank, c.get("measure", "personnel"), " within %s" % c["within"] if c.get("within") else "",
            who, _fmt(v), ", ".join("%s %s" % (k, _fmt(x)) for k, x in top), m, src)
    return over_window(c, pub, f)


def c_extreme(c, pub):
    who = c["who"]

    def f(m):
        tab, src = _ranked(c, m)
        if tab is None:
            return None, False, ""
        v = tab.get(who, 0)
        vals = list(tab.values())
        ok = v >= max(vals) if c.get("which", "max") == "max" else v <= min(vals)
        return v, ok, "%s %s=%s; %s of %s: %s (%s) [%s]" % (
            who, c.get("measure", "personnel"), _fmt(v), c.get("which", "max"), c.get("within"),
            ", ".join("%s %s" % (k, _fmt(x)) for k, x in sorted(tab.items(), key=lambda kv: -kv[1])[:6]),
            m, src)
    return over_window(c, pub, f)


def c_share(c, pub):
    measure = c.get("measure", "personnel")

    def f(m):
        a, sa = who_figure(c["who"], measure, m, c.get("mission"))
        b, sb = who_figure("world", measure, m, c.get("mission"))
        if a is None or b is None or not b:
            return None, False, ""
        sh = 100.0 * a / b
        ok, rule = holds(sh, c["op"], c["value"], c.get("approx"))
        return sh, ok, "%s share of %s = %s/%s = %.2f%% (%s) vs %s [%s]" % (
            c["who"], measure, _fmt(a), _fmt(b), sh, m, rule, sa)
    return over_window(c, pub, f)


def c_growth(c, pub):
    measure = c.get("measure", "personnel")
    fm = norm_month(c["from"])
    cc = dict(c)
    if c.get("to") is not None:
        cc["month"] = c["to"]

    def f(m):
        a, sa = who_figure(c["who"], measure, fm, c.get("mission"))
        b, sb = who_figure(c["who"], measure, m, c.get("mission"))
        if a is None or b is None or not a:
            return None, False, ""
        r = b / a
        ok, rule = holds(r, c["op"], c["factor"], c.get("approx"))
        return r, ok, "%s %s %s=%s -> %s=%s: x%.3f vs %s" % (c["who"], measure, fm, _fmt(a), m, _fmt(b), r, rule)
    return over_window(cc, pub, f)


def c_authorized(c, pub, ratio=False):
    mis = c["mission"].upper()

    def f(m):
        v = authorised().get((mis, m))
        if v is None or v[0] is None or (isinstance(v[0], float) and math.isnan(v[0])):
            return None, False, ""
        auth, dep = v
        if ratio:
            if not auth:
                return None, False, ""
            r = float(dep) / float(auth)
            ok, rule = holds(r, c["op"], c["fraction"], c.get("approx"))
            return r, ok, "%s deployed/authorised = %s/%s = %.3f (%s) vs %s [Personnel_shortfall_data.dta]" % (
                mis, _fmt(dep), _fmt(auth), r, m, rule)
        ok, rule = holds(float(auth), c["op"], c["value"], c.get("approx"))
        return float(auth), ok, "%s authorised %s (%s) vs %s [Personnel_shortfall_data.dta]" % (
            mis, _fmt(auth), m, rule)
    return over_window(c, pub, f)


def c_contributors(c, pub):
    measure = c.get("measure", "personnel")

    def f(m):
        if c.get("mission"):
            tab, src = contrib_mission_table(m, measure, c["mission"])
        else:
            tab, src = country_table(m, measure)
        if tab is None:
            return None, False, ""
        n = sum(1 for k, v in tab.items() if k and v > 0)
        if not c.get("mission") and measure == "personnel" and m < "2009-11" and ipi_world().get(m):
            # the country files lack Switzerland before 2009-11: IPI's own count
            n, src = ipi_world()[m]["contributors"], "IPI " + ipi_world()[m]["src"] + " n.contributors"
        ok, rule = holds(n, c["op"], c["value"], c.get("approx"))
        return n, ok, "%d contributors with %s > 0 (%s) vs %s [%s]" % (n, measure, m, rule, src)
    return over_window(c, pub, f)


def c_fatalities(c, pub):
    fm, tm = str(c["from"]), str(c.get("to") or norm_month(pub))
    fm = fm + "-01" if re.fullmatch(r"\d{4}", fm) else norm_month(fm)
    tm = norm_month(tm)
    if tm > FATALITIES_END:
        return _res("nodata", None, tm, "the fatalities file ends %s; the claim runs to %s" % (FATALITIES_END, tm))
    s = None
    if c.get("who") and str(c["who"]).lower() != "world":
        _, s = members(c["who"], tm)
    mis = (c.get("mission") or "").upper().strip()
    known = {r[2] for r in fatalities()}
    if mis and mis not in known:
        alt = re.sub(r"\s+(I|II|III)$", "", mis).replace(" ", "")
        if alt in known:
            mis = alt
    # optional, not in the README yet: cause (e.g. "malicious") and personnel
    # ("uniformed" = military, military observer, police; or a type's word)
    cause = str(c.get("cause") or "").lower()
    cause = "" if cause == "all" else cause  # `cause: all`: the sentence says every cause
    pers = str(c.get("personnel") or "").lower()
    uniformed = {"military", "military observer", "police"}

    def pers_ok(p):
        if not pers:
            return True
        if pers == "uniformed":
            return p in uniformed
        return pers in p

    n = sum(1 for (d, iso, mm, inc, p) in fatalities()
            if fm <= d <= tm and (s is None or iso in s) and (not mis or mm == mis)
            and (not cause or cause in inc) and pers_ok(p))
    ok, rule = holds(n, c["op"], c["value"], c.get("approx"))
    return _res("true" if ok else "false", n, "%s..%s" % (fm, tm),
                "%d fatalities %s%s%s%s %s..%s vs %s [DPPADPOSS-FATALITIES.csv]" % (
                    n, c.get("who") or "", " in " + mis if mis else "",
                    " cause~" + cause if cause else "", " personnel~" + pers if pers else "", fm, tm, rule))


def _assessed_shares(year):
    a = assessed(year)
    if a is None:
        return None
    tot = sum(v[0] for v in a.values())
    return {k: (100.0 * v[0] / tot, v[1]) for k, v in a.items()}, tot


def c_assessed_share(c, pub):
    r = _assessed_shares(c["year"])
    if r is None:
        return _res("nodata", None, str(c["year"]), "no donors-%s.json" % c["year"])
    shares, tot = r
    who = c["who"]
    _, s = members(who, "%s-12" % c["year"])
    sh = sum(v[0] for k, v in shares.items() if _donor_iso(k) in s)
    ok, rule = holds(sh, c["op"], c["value"], c.get("approx"))
    return _res("true" if ok else "false", sh, str(c["year"]),
                "%s share of UN-DPO assessed %s = %.3f%% of %s vs %s [donors-%s.json]" % (
                    who, c["year"], sh, _fmt(tot), rule, c["year"]))


def c_assessed_rank(c, pub):
    r = _assessed_shares(c["year"])
    if r is None:
        return _res("nodata", None, str(c["year"]), "no donors-%s.json" % c["year"])
    shares, tot = r
    by_iso = {}
    for k, v in shares.items():
        iso = _donor_iso(k)
        if iso:
            by_iso[iso] = by_iso.get(iso, 0) + v[0]
    if c.get("within"):
        _, s = members(c["within"], "%s-12" % c["year"])
        by_iso = {k: v for k, v in by_iso.items() if k in s}
    v = by_iso.get(c["who"], 0)
    rank = 1 + sum(1 for x in by_iso.values() if x > v)
    top = sorted(by_iso.items(), key=lambda kv: -kv[1])[:5]
    return _res("true" if _rank_holds(rank, c) else "false", rank, str(c["year"]),
                "%s rank %d by UN-DPO assessed %s (top: %s) [donors-%s.json]" % (
                    c["who"], rank, c["year"], ", ".join("%s %.2f%%" % kv for kv in top), c["year"]))


def c_spending(c, pub):
    fy = _fy(c["fiscal_year"])
    tab = spending_table().get(fy)
    if not tab:
        return _res("nodata", None, fy, "no expenditure file for fiscal year %s" % fy)
    mis = str(c.get("mission") or "ALL").upper()
    if mis in ("TOTAL", "WORLD", "ALL MISSIONS", "PEACEKEEPING"):
        mis = "ALL"
    if mis not in tab:
        return _res("nodata", None, fy, "%s not in the expenditure of %s" % (mis, fy))
    amt, f = tab[mis]
    ok, rule = holds(amt, c["op"], c["value"], c.get("approx"))
    return _res("true" if ok else "false", amt, fy, "%s expenditure %s = %s vs %s [%s]" % (mis, fy, _fmt(amt), rule, f))


def c_finance(c, pub):
    return _res("nodata", None, None,
                "China's official finance (AidData) is not labelled: recipient/flow-class/"
                "commitment definitions differ between versions and cannot be matched faithfully")


SHAPES = {
    "count": c_count, "mission": c_mission, "compare": c_compare, "rank": c_rank,
    "extreme": c_extreme, "share": c_share, "growth": c_growth,
    "authorized": c_authorized, "authorized_ratio": lambda c, p: c_authorized(c, p, ratio=True),
    "contributors": c_contributors, "fatalities": c_fatalities,
    "assessed_share": c_assessed_share, "assessed_rank": c_assessed_rank,
    "spending": c_spending, "finance": c_finance,
}


def _label_one(claim, published):
    f = SHAPES.get(claim.get("shape"))
    if f is None:
        return _res("nodata", None, None, "unknown shape %r" % claim.get("shape"))
    try:
        return f(claim, published)
    except KeyError as e:
        return _res("nodata", None, None, "cannot label: %s" % e)


#: shapes whose `troops` may be the writer's word for every uniformed person (README, "Two readings")
TROOPS_READ_AS_ALL = ("count", "mission", "rank", "extreme", "compare")


def readings(claim):
    """The claim, then the other sense its words carry (README.md, "Two readings"): deaths
    with no cause stated are all deaths or the deaths in malicious acts (the UN's yearly
    tallies of peacekeepers "killed"); `troops` are troops or every uniformed person (the
    UN ranks contributors by their total)."""
    out = [claim]
    if claim.get("shape") == "fatalities" and not claim.get("cause"):
        out.append(dict(claim, cause="malicious"))
    if claim.get("shape") in TROOPS_READ_AS_ALL and claim.get("measure") == "troops":
        out.append(dict(claim, measure="personnel"))
    return out


def label_claim(claim, published):
    """True if some reading of the claim holds, false if every reading is false, else nodata."""
    senses = readings(claim)
    res = [_label_one(c, published) for c in senses]
    for c, r in zip(senses, res):
        if r["label"] == "true":
            if c is not claim:
                r = dict(r, why=r["why"] + " (the second reading: %s)" % (
                    "deaths in malicious acts" if c.get("cause") else "troops as every uniformed person"))
            return r
    if all(r["label"] == "false" for r in res):
        return res[0]
    return next(r for r in res if r["label"] != "false")


def label(entry):
    if entry.get("outside"):
        return {"label": "outside", "claims": [], "why": entry["outside"]}
    claims = entry.get("claims") or []
    if not claims:
        return {"label": "none", "claims": []}
    res = [label_claim(c, entry["published"]) for c in claims]
    labs = [r["label"] for r in res]
    if "false" in labs:
        lab = "false"
    elif all(x == "true" for x in labs):
        lab = "true"
    else:
        lab = "nodata"
    return {"label": lab, "claims": res}


# ---------------------------------------------------------------------------------------
# sentences
# ---------------------------------------------------------------------------------------
def half_of(id_, file_name=""):
    """dev or held1 for the first round's sentences (by the id's hash); held for the second
    round (sentences_held_*.yaml), collected after held1 was scored once and opened; held2
    for the third (sentences_held2_*.yaml), collected after held was scored once and
    opened; held3 for the fourth (sentences_held3_*.yaml), after held2 was scored once
    and opened; held4 for the fifth (sentences_held4_*.yaml), after held3 was scored once
    and opened; held5 for the sixth (sentences_held5_*.yaml), after held4 was scored once
    and opened; held6 for the seventh (sentences_held6_*.yaml), after held5 was scored
    once and opened; held7 for the eighth (sentences_held7_*.yaml), after held6 was
    scored once and opened; held8 for the ninth (sentences_held8_*.yaml), after held7 was
    scored once and opened; held9 for the tenth (sentences_held9_*.yaml), after held8 was
    scored once and opened; held10 for the eleventh (sentences_held10_*.yaml), after held9
    was scored once and opened; held11 for the twelfth (sentences_held11_*.yaml), after
    held10 was scored once and opened (README.md, "Halves"). A round's name is its files' ("held8" for
    sentences_held8_*.yaml)."""
    round_ = re.match(r"sentences_(held\d*)_", Path(file_name).name)  # held, held2 .. held11
    if round_:
        return round_.group(1)
    return "dev" if int(hashlib.sha256(str(id_).encode()).hexdigest()[0], 16) % 2 == 0 else "held1"


def load_sentences(paths=None):
    if paths is None:
        paths = sorted(glob.glob(str(HERE / "sentences_*.yaml")))
    out = []
    for p in paths:
        data = yaml.safe_load(Path(p).read_text()) or []
        for e in data:
            e = dict(e)
            e["published"] = norm_month(e["published"])
            for c in e.get("claims") or []:
                for k in ("month", "from", "to"):
                    if k in c and c[k] is not None and not isinstance(c[k], str):
                        c[k] = str(c[k])
            e["half"] = half_of(e["id"], p)
            e["_file"] = Path(p).name
            out.append(e)
    return out


# ---------------------------------------------------------------------------------------
# checks of the parse
# ---------------------------------------------------------------------------------------
def check():
    """Print every PDF month whose parse does not add up, and compare with IPI."""
    pm = pdf_months()
    w = ipi_world()
    bad = 0
    for m in sorted(pm):
        rep = pm[m]
        s = sum(r["total"] for r in rep["records"])
        notes = []
        if rep["grand"] is not None and rep["grand"] != s:
            notes.append("parsed %s != printed grand total %s" % (_fmt(s), _fmt(rep["grand"])))
        if rep["grand"] is None:
            notes.append("no printed grand total")
        if rep.get("country_check"):
            notes.append("country subtotals differ: %s" % rep["country_check"])
        noiso = sum(r["total"] for r in rep["records"] if not r["iso3"])
        if noiso:
            notes.append("%d unattributed" % noiso)
        if m in w:
            if w[m]["personnel"] != s:
                notes.append("IPI %s says %s (diff %+d)" % (w[m]["src"], _fmt(w[m]["personnel"]), s - w[m]["personnel"]))
            else:
                notes.append("= IPI world total")
        ok = (rep["grand"] == s and not rep.get("country_check")) or (m in w and w[m]["personnel"] == s)
        if not ok:
            bad += 1
        print("%s %-40s %8s %s %s" % (m, rep["file"], _fmt(s), "ok " if ok else "?? ", "; ".join(notes)))
    print("%d months not confirmed by a printed or IPI total" % bad)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--half", default="all", choices=["dev", "held1", "held", "held2", "held3", "held4", "held5", "held6", "held7", "held8", "held9", "held10", "held11", "all"])
    ap.add_argument("--id")
    ap.add_argument("--check", action="store_true", help="check the PDF parse against printed totals")
    ap.add_argument("--why", action="store_true", help="print each claim's reason")
    ap.add_argument("--sentences", nargs="*", help="sentence files (default: sentences_*.yaml here)")
    a = ap.parse_args(argv)
    if a.check:
        check()
        return
    sents = load_sentences(a.sentences or None)
    dist = defaultdict(int)
    for e in sents:
        if a.id and e["id"] != a.id:
            continue
        if a.half != "all" and e["half"] != a.half and not a.id:
            continue
        r = label(e)
        dist[r["label"]] += 1
        figs = " | ".join("%s:%s=%s@%s" % (c.get("shape"), cl["label"], _fmt(cl["figure"]), cl["month"])
                          for c, cl in zip(e.get("claims") or [], r["claims"]))
        print("%-40s %-5s %-8s %s" % (e["id"], e["half"], r["label"], figs))
        if a.why or a.id:
            for cl in r["claims"]:
                print("      - %s: %s" % (cl["label"], cl["why"]))
    print("labels:", dict(dist))


if __name__ == "__main__":
    main()
