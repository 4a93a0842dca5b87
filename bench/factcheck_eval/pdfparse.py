"""Parse the UN DPO monthly contribution PDFs (2015-01 .. 2025-07) from `pdftotext -layout`.

Independent of bluehelmet. Output per file: the month printed inside, the records
(mission or None, country name, ISO3, post type, total), and the printed grand total.

Post types: troops, staff, experts, ipo, fpu.
"""
import hashlib
import json
import os
import re
import subprocess
from pathlib import Path

from names import to_iso3, country_prefix

CACHE = Path(os.path.expanduser("~/.cache/bluehelmet-eval"))
PARSER_VERSION = "6"

TYPE_RE = re.compile(
    r"(Experts on Mission|Military Observers?|Staff Officers?|Contingent Troops?|Troops|"
    r"Individual Police|Ind Police|Formed Police Units?|FPU|"
    r"\bpolice\b|\bexperts\b|\btroops\b|\bstaff\b|\bfpu\b|\bcontingent\b)")
TYPE_MAP = {
    "experts on mission": "experts", "military observer": "experts", "military observers": "experts",
    "staff officer": "staff", "staff officers": "staff", "contingent troop": "troops",
    "contingent troops": "troops", "troops": "troops", "individual police": "ipo",
    "ind police": "ipo", "contingent": "troops", "formed police units": "fpu", "formed police unit": "fpu", "fpu": "fpu",
    "police": "ipo", "experts": "experts", "staff": "staff",
}
INT_RE = re.compile(r"(?<![\w/.,])(\d{1,3}(?:,\d{3})+|\d+)(?![\w/.,])")
MISSION_RE = re.compile(r"^[A-Z][A-Z0-9]{2,}(?:\s?[A-Z0-9]+)?$")
MONTHS = {m: i + 1 for i, m in enumerate(
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split())}
FULLMONTHS = {m: i + 1 for i, m in enumerate(
    "January February March April May June July August September October November December".split())}
NOT_NAMES = {"total", "grand total", "country", "mission", "description", "post", "male", "female",
             "totals", "m", "f", "contributor", "personnel type", "report date", "total for country",
             "total for mission", "total by country", "country name", "un mission"}


HEADERS = ("Summary of", "Month of Report", "As of", "Contribution of Uniformed", "by Mission",
           "by Country", "Formed Police Units, Individual", "Staff Officers and", "Staff Officers, and",
           "UN Military Experts", "Police,UN", "Police, UN", "Military Experts on Mission, Staff",
           "detailed by Country", "UN Mission's Summary", "on Mission, Staff")


def _ints(s):
    return [int(x.replace(",", "")) for x in INT_RE.findall(s)]


def printed_month(text):
    m = re.search(r"Month of Report\s*:\s*(\d{1,2})-([A-Za-z]{3})-(\d{2})", text)
    if m:
        return "20%s-%02d" % (m.group(3), MONTHS[m.group(2)])
    m = re.search(r"by End of (\w+),\s*(\d{4})", text)
    if m and m.group(1) in FULLMONTHS:
        return "%s-%02d" % (m.group(2), FULLMONTHS[m.group(1)])
    m = re.search(r"(\d{2})/(\d{2})/(20\d{2})", text[:3000])
    if m:
        return "%s-%s" % (m.group(3), m.group(2))
    return None


def _fragments(line):
    """(start column, text) of the cells split on 2+ spaces."""
    out = []
    for m in re.finditer(r"\S+(?: \S+)*", line):
        out.append((m.start(), m.group(0)))
    return out


def _classify(text):
    t = text.strip().strip("'\"").strip()
    if not t or t.lower() in NOT_NAMES or t.lower().startswith("total") or t.lower().startswith("grand total"):
        return None, None
    if re.fullmatch(r"[\d,./:\-]+", t):
        return None, None
    iso = to_iso3(t)
    if iso:
        return "country", iso
    if MISSION_RE.match(t) and not TYPE_RE.fullmatch(t):
        return "mission", t.replace(" ", "")
    return "text", t


def parse_text(text, name=""):
    lines = text.splitlines()
    month = printed_month(text)
    wide = any("UNMEM M" in l for l in lines[:20])
    centered = "by Mission, Country, and Personnel Type" in text[:2000]
    grand = None
    recs = []        # dicts: mission, country(raw), iso3, type, total, line
    names = []       # (line index, mission, raw, iso3) of name-only lines
    cur_country = (None, None)
    cur_mission = None
    unknown = set()
    pending_text = None
    last_prefix = None
    allint = []
    printed = {}
    mission_printed = {}
    if "by Country and Personnel Type" in text[:2000]:
        return _parse_country_type(lines, month, name)
    for i, line in enumerate(lines):
        s = line.strip()
        if not s:
            continue
        if "Page " in s and " of " in s and len(_ints(s)) == 2 and not TYPE_RE.search(s):
            continue
        if s.startswith("Report Generated"):
            continue
        nodate = re.sub(r"\d{1,2}/\d{1,2}/\d{4}", " ", line)
        ints = _ints(nodate)
        low = s.lower()
        rest_only_ints = re.fullmatch(r"[\d,\s]+", re.sub(r"^(grand total|total)", "", low).strip() or "x")
        if low.startswith("grand total") or (low.startswith("total") and rest_only_ints):
            if ints:
                grand = sum(ints) if wide else ints[-1]
            continue
        if re.fullmatch(r"[\d,\s]+", s) and len(ints) == 4:
            grand = ints[-1]
            continue
        if re.fullmatch(r"[\d,\s]+", s):
            allint.append((i, ints, len(recs)))
            continue
        if low.startswith("total"):
            mt = re.match(r"Total\s+([A-Z][A-Z0-9]{2,})\s", s)
            if mt and ints:
                mission_printed[mt.group(1)] = mission_printed.get(mt.group(1), 0) + ints[-1]
            continue
        tm = TYPE_RE.search(nodate)
        if any(h in s for h in HEADERS):
            continue
        if re.search(r"\b(Male|MALE|male)\b", s) and re.search(r"Country|country|Contributor", s):
            if "UNMEM M" in s:
                continue
            continue
        # drop date tokens (flat layouts) from the numbers
        cells = []
        for col, txt in _fragments(nodate):
            txt2 = txt
            if tm and tm.group(0) in txt:
                before, _, after = txt.partition(tm.group(0))
                for part in (before, after):
                    part = re.sub(INT_RE, " ", part).strip()
                    if part:
                        cells.append((col, part))
                continue
            txt2 = re.sub(INT_RE, " ", txt2).strip()
            # a leading row index like "1   Algeria" is removed by INT_RE
            if txt2:
                cells.append((col, txt2))
        kinds = []
        for col, txt in cells:
            k, v = _classify(txt)
            if k is None:
                continue
            kinds.append((k, v, txt, col))
        line_country = next(((v, t) for k, v, t, c in kinds if k == "country"), None)
        if last_prefix and i - last_prefix[0] <= 2 and not ints and not tm and len(kinds) == 1:
            joined = last_prefix[1] + " " + kinds[0][2]
            if to_iso3(joined) or country_prefix(joined):
                last_prefix = None
                continue
        line_mission = next((v for k, v, t, c in kinds if k == "mission"), None)
        texts = [t for k, v, t, c in kinds if k == "text"]
        if not line_country and texts:
            # truncated or wrapped country names
            for t in texts:
                iso = country_prefix(t)
                if iso:
                    line_country = (iso, t)
                    last_prefix = (i, t)
                    break
                if pending_text:
                    iso = to_iso3(pending_text + " " + t)
                    if iso:
                        line_country = (iso, pending_text + " " + t)
                        break
            if not line_country:
                for t in texts:
                    if not TYPE_RE.search(t) and not re.search(r"report|generated|page", t, re.I):
                        unknown.add(t)
        if line_mission:
            cur_mission = line_mission
            if not tm and not line_country and len(ints) == 3 and _fragments(line)[0][0] < 3:
                mission_printed[line_mission] = mission_printed.get(line_mission, 0) + ints[-1]
        if wide:
            if line_country and not line_mission and len(ints) < 10:
                cur_country = line_country
                continue
            if line_mission and len(ints) >= 10:
                v = ints[-10:]
                for j, typ in enumerate(["experts", "troops", "ipo", "fpu", "staff"]):
                    tot = v[2 * j] + v[2 * j + 1]
                    if tot:
                        recs.append(dict(mission=line_mission, country=cur_country[1], iso3=cur_country[0],
                                         type=typ, total=tot, line=i))
            continue
        if tm and ints:
            typ = TYPE_MAP[tm.group(0).lower()]
            total = ints[-1] if len(ints) <= 3 or not re.search(r"(Male|Female)", "") else ints[-1]
            if tm.start() > line.rfind(str(ints[-1])) if ints else False:
                # "Country  M  F  Total  Post" (2019-11): the type is after the numbers
                total = ints[-1]
            country = line_country
            if country is None and not centered:
                country = cur_country if cur_country[0] else None
            recs.append(dict(mission=cur_mission, country=country[1] if country else None,
                             iso3=country[0] if country else None, type=typ, total=total, line=i,
                             named=line_country is not None))
            if line_country and not centered:
                cur_country = line_country
            pending_text = None
            continue
        if line_country and ints and not tm and not centered and len(ints) in (1, 3) \
                and not line_mission and _fragments(line)[0][0] > 15:
            printed[line_country[0]] = printed.get(line_country[0], 0) + ints[-1]
        if line_country:
            if centered and not ints:
                names.append((i, cur_mission, line_country[1], line_country[0]))
            cur_country = line_country
            pending_text = None
            continue
        if texts and not ints and not line_mission:
            pending_text = texts[0]
        elif texts and ints and not tm:
            pending_text = texts[0]
        else:
            pending_text = None
    if grand is None and len(allint) >= 2 and len(allint[-1][1]) == 3 \
            and allint[-1][2] == allint[-2][2] == len(recs):
        grand = allint[-1][1][-1]   # mission total, then the grand total, after the last row
    if centered:
        _assign_centered(recs, names)
    bad = {}
    if printed:
        sums = {}
        for r in recs:
            sums[r["iso3"]] = sums.get(r["iso3"], 0) + r["total"]
        for k in set(sums) | set(printed):
            if sums.get(k, 0) != printed.get(k, 0):
                bad[k] = (sums.get(k, 0), printed.get(k, 0))
    if mission_printed:
        sums = {}
        for r in recs:
            sums[r["mission"]] = sums.get(r["mission"], 0) + r["total"]
        for k in set(sums) | set(mission_printed):
            if sums.get(k, 0) != mission_printed.get(k, 0):
                bad["mission " + str(k)] = (sums.get(k, 0), mission_printed.get(k, 0))
    return dict(month=month, records=recs, grand=grand, unknown=sorted(unknown), file=name,
                country_check=bad, n_printed=len(printed), n_mission_printed=len(mission_printed))


TYPE_ORDER = {"experts": 0, "fpu": 1, "ipo": 2, "staff": 3, "troops": 4}


def _assign_centered(recs, names):
    """The 'by Mission, Country, and Personnel Type' layout prints a country's name once,
    vertically centred on its rows (on the middle row, or between the two middle rows), and
    its rows in the order experts, FPU, IPO, staff, troops. Per mission, split the rows into
    consecutive groups, one per printed name in order, each with strictly increasing post
    order, minimising the distance between each group's centre line and its name line."""
    by_mis = {}
    for idx, r in enumerate(recs):
        by_mis.setdefault(r["mission"], []).append(idx)
    for mis, idxs in by_mis.items():
        anchors = []   # (line, iso, raw)
        for idx in idxs:
            r = recs[idx]
            if r.get("named"):
                anchors.append((r["line"], r["iso3"], r["country"]))
        anchors += [(n[0], n[3], n[2]) for n in names if n[1] == mis]
        anchors.sort()
        rows = [recs[i] for i in idxs]
        n, m = len(rows), len(anchors)
        if m == 0:
            continue
        INF = float("inf")
        # best[j][i]: min cost assigning the first i rows to the first j names
        best = [[INF] * (n + 1) for _ in range(m + 1)]
        back = [[None] * (n + 1) for _ in range(m + 1)]
        best[0][0] = 0.0
        for j in range(1, m + 1):
            aline = anchors[j - 1][0]
            for i in range(1, n + 1):
                # group = rows[k:i]
                for k in range(i - 1, -1, -1):
                    if k < i - 1 and TYPE_ORDER[rows[k]["type"]] >= TYPE_ORDER[rows[k + 1]["type"]]:
                        break
                    if best[j - 1][k] == INF:
                        continue
                    grp = rows[k:i]
                    named = [g for g in grp if g.get("named")]
                    if len(named) > 1 or (named and named[0]["line"] != aline):
                        continue
                    centre = (grp[0]["line"] + grp[-1]["line"]) / 2.0
                    cost = best[j - 1][k] + abs(centre - aline)
                    if cost < best[j][i]:
                        best[j][i] = cost
                        back[j][i] = k
        if best[m][n] == INF:
            # fall back: nearest name line
            for r in rows:
                if not r["iso3"]:
                    a = min(anchors, key=lambda a: abs(a[0] - r["line"]))
                    r["iso3"], r["country"], r["assign"] = a[1], a[2], "nearest"
            continue
        i = n
        for j in range(m, 0, -1):
            k = back[j][i]
            for g in rows[k:i]:
                g["iso3"], g["country"] = anchors[j - 1][1], anchors[j - 1][2]
            i = k


def _parse_country_type(lines, month, name):
    """2023-09: one row per country, posts as columns (experts, FPU, IPO, staff, troops, total)."""
    recs, grand, unknown = [], None, set()
    for i, line in enumerate(lines):
        nodate = re.sub(r"\d{1,2}/\d{1,2}/\d{4}", " ", line)
        ints = _ints(nodate)
        txt = re.sub(INT_RE, " ", nodate).strip()
        if txt.lower().startswith("grand total") and ints:
            grand = ints[-1]
            continue
        if len(ints) == 6 and txt:
            iso = to_iso3(txt) or country_prefix(txt)
            if not iso:
                unknown.add(txt)
            for typ, v in zip(["experts", "fpu", "ipo", "staff", "troops"], ints[:5]):
                if v:
                    recs.append(dict(mission=None, country=txt, iso3=iso, type=typ, total=v, line=i))
            if sum(ints[:5]) != ints[5]:
                unknown.add("row sum differs: " + txt)
    return dict(month=month, records=recs, grand=grand, unknown=sorted(unknown), file=name)


def parse_pdf(path):
    path = Path(path)
    h = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    CACHE.mkdir(parents=True, exist_ok=True)
    cf = CACHE / ("pdf-%s-%s-%s.json" % (path.stem, h, PARSER_VERSION))
    if cf.exists():
        return json.loads(cf.read_text())
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    out = parse_text(text, path.name)
    out["sha"] = h
    cf.write_text(json.dumps(out))
    return out
