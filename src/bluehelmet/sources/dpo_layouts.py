"""The table layouts of the DPO monthly reports, 2015-2025, and one reader for each.

Each reader walks the lines of a report (``dpo_text``) and records rows and the printed
subtotals they fall in; checking the subtotals is left to ``dpo_pdf``. The layouts:

==========================  ============  ==================================================
layout                      months        shape
==========================  ============  ==================================================
``mission_summary``         2015-01 ..    "UN Mission's Summary detailed by Country": country,
                            2017-04       then mission x description rows (M, F, total);
                                          mission and country subtotals (total only); no
                                          grand total
``country_mission_detail``  2016-11       numbered countries, a line per mission, all four
                                          types (zeros printed), "Total for Mission",
                                          "Grand Total" (total only)
``country_mission_post``    2017-05 ..    numbered countries, a line per mission, post rows;
                            2018-02       mission subtotal (total only, name cut to 8
                                          letters), country subtotal and grand total (M F T)
``country_post``            2018-03 ..    no missions: country x post, "Total for Country",
                            2019-08       "Total"
``flat``                    2019-09,      one line per mission x country x type with a date
                            2024-10       column, no totals; 2019-09 cuts long names
``wide_pairs``              2019-10       country x mission lines with ten columns (M/F per
                                          type), "Total by Country", "Grand Total"; no date;
                                          a mission may repeat within a country
``mission_country``         2019-11 ..    mission, then country x type rows (country on the
                            2020-12       line or on the line above); an unlabelled mission
                                          subtotal; at the end a row count and grand total
``mission_contributor``     2021-01       mission and country lines carry their totals,
                                          type rows beneath them; "Grand Total"
``report_server``           2021-02 ..    SQL Server Reporting Services: mission, country
                            2025-07       label centred on its rows, "Total <mission>",
                                          "Grand Total"
``country_type``            2023-09       country x type, no split by sex, "Grand Total"
==========================  ============  ==================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TypeVar

from .dpo_records import Finding, Problem, Row, Total, personnel_type
from .dpo_text import Cell, Line, Page

__all__ = ["detect_layout", "Parsed", "GRAIN", "PRINTS_GRAND_TOTAL", "COUNTRY_READERS"]

_NUM = re.compile(r"^\d{1,3}(,\d{3})+$|^\d+$")
_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_FOOTER = re.compile(r"^(Page \d+ of \d+|Report Generated|PM$|AM$)", re.I)

GRAIN = {
    "mission_summary": "country_mission_type_sex",
    "country_mission_detail": "country_mission_type_sex",
    "country_mission_post": "country_mission_type_sex",
    "country_post": "country_type_sex",
    "flat": "country_mission_type_sex",
    "wide_pairs": "country_mission_type_sex",
    "mission_country": "country_mission_type_sex",
    "mission_contributor": "country_mission_type_sex",
    "report_server": "country_mission_type_sex",
    "country_type": "country_type",
}

#: the layouts whose every report prints a grand total, on its last page: one without it
#: has lost that page (the others, 2015-2017's summaries and the flat table, print none)
PRINTS_GRAND_TOTAL = frozenset(GRAIN) - {"mission_summary", "flat"}


def num(text: str) -> int | None:
    return int(text.replace(",", "")) if _NUM.match(text) else None


def detect_layout(pages: list[Page]) -> str | None:
    """Name the layout from the first page's title and column headers, or None."""
    head = " ".join(line.text for line in pages[0].lines[:12]).casefold() if pages else ""
    head = re.sub(r"\s+", " ", head)
    if "mission's summary" in head or "missions summary" in head:
        return "mission_summary"
    first = pages[0].lines[0].text.casefold() if pages and pages[0].lines else ""
    if first.startswith("mission") and ("report_date" in first or "report date" in first):
        return "flat"  # no title: the column headers open the first page
    if "contribution" not in head:
        # every titled layout says what it counts; another UN report with a table of the
        # same shape ("Fatalities by Mission, Year and Incident Type") is none of them
        return None
    if "country and mission detail" in head:
        return "country_mission_detail"
    if "by country, mission and post" in head:
        return "country_mission_post"
    if "by country and post" in head and "unmem" in head:
        return "wide_pairs"
    if "by country and post" in head:
        return "country_post"
    if "by country and personnel type" in head:
        return "country_type"
    if "by mission, country, and personnel type" in head:
        return "report_server"
    if "by mission, country" in head or "bymission,country" in head.replace(" ", ""):
        return "mission_contributor" if _has_mission_totals(pages) else "mission_country"
    return None


def _has_mission_totals(pages: list[Page]) -> bool:
    """2021-01 prints each mission's totals on the mission's own line."""
    for line in pages[0].lines[:12]:
        if len(line.cells) == 4 and line.cells[0].x0 < 110 and all(num(c.text) is not None for c in line.cells[1:]):
            return True
    return False


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    printed_dates: list[tuple[str, int, int]] = field(default_factory=list)  # text, page, line
    _next_block: int = 1

    def block(self) -> int:
        self._next_block += 1
        return self._next_block - 1

    def row(self, line: Line, country: str | None, mission: str | None, printed: str,
            male: int | None, female: int | None, total: int | None, blocks: tuple[int, ...],
            quarantined: str = "") -> None:
        ptype = personnel_type(printed)
        if quarantined and ptype is not None and total is not None:
            # read, but not loadable as it stands (e.g. its country is not certain)
            self.problems.append(Problem(line.page, line.number, quarantined, line.text))
            self.rows.append(Row(country or "", mission, ptype, printed, male, female, total, line.page,
                                 line.number, (0, *blocks), quarantined=quarantined))
            return
        if country is None or ptype is None or total is None:
            what = "no country" if country is None else "unknown personnel type" if ptype is None else "no total"
            self.problems.append(Problem(line.page, line.number, f"row not read: {what}", line.text))
            return
        if male is not None and female is not None and male + female != total:
            self.problems.append(Problem(line.page, line.number,
                                         f"male {male} + female {female} != total {total}", line.text))
            self.rows.append(Row(country, mission, ptype, printed, male, female, total, line.page,
                                 line.number, (0, *blocks), quarantined="male + female != total"))
            return
        self.rows.append(Row(country, mission, ptype, printed, male, female, total, line.page,
                             line.number, (0, *blocks)))

    def incomplete(self, line: Line, country: str | None, mission: str | None, printed: str,
                   values: list[int | None], blocks: tuple[int, ...]) -> None:
        """A row with blank cells: kept as quarantined, so that it is counted as read."""
        ptype = personnel_type(printed)
        if country is None or ptype is None:
            self.skip(line)
            return
        male, female, total = values
        reason = "row with blank cells" + (": the printed values are all 0" if not any(values) else "")
        self.problems.append(Problem(line.page, line.number, reason, line.text))
        self.rows.append(Row(country, mission, ptype, printed, male, female, total or 0, line.page,
                             line.number, (0, *blocks), quarantined=reason))

    def total(self, line: Line, scope: str, block: int, country: str | None, mission: str | None,
              male: int | None, female: int | None, total: int | None, count: int | None = None) -> None:
        self.totals.append(Total(scope, block, country, mission, male, female, total, line.page,
                                 line.number, count))

    def skip(self, line: Line, why: str = "line not understood") -> None:
        self.problems.append(Problem(line.page, line.number, why, line.text))


def _split(line: Line) -> tuple[list[Cell], list[int]]:
    """Text cells, and the numbers that end the line (dates are dropped)."""
    cells = [c for c in line.cells if not _DATE.match(c.text)]
    nums: list[int] = []
    while cells and (value := num(cells[-1].text)) is not None:
        cells.pop()
        nums.insert(0, value)
    return cells, nums


_T = TypeVar("_T")


def _three(nums: Sequence[_T]) -> tuple[_T, _T, _T]:
    """Male, female and total: the three numbers of a line whose caller has counted them."""
    male, female, total = nums
    return male, female, total


def _by_column(line: Line, centres: list[float]) -> list[int | None]:
    """The numbers of a line put under the nearest of the given column centres."""
    out: list[int | None] = [None] * len(centres)
    for cell in line.cells:
        if (value := num(cell.text)) is not None:
            k = min(range(len(centres)), key=lambda i: abs(centres[i] - cell.xc))
            out[k] = value
    return out


def _table_lines(pages: list[Page], parsed: Parsed, is_header: Callable[[Line], bool]) -> list[Line]:
    """The lines of the table: titles above the first header, repeated headers and page
    footers dropped; dates met on the way are kept for the month."""
    out: list[Line] = []
    titles: set[str] = set()  # what stands above the first header, repeated on later pages
    in_table = False
    for page in pages:
        for line in page.lines:
            for cell in line.cells:
                m = re.search(r"(\d{1,2}[/-]\w{2,3}[/-]\d{2,4}|(?:End of )?[A-Z][a-z]+,? \d{4})$", cell.text)
                if m and (not in_table or _DATE.match(cell.text)):
                    parsed.printed_dates.append((m.group(1), line.page, line.number))
            if is_header(line):
                in_table = True
                continue
            if not in_table:
                titles.add(line.text)
                continue
            if line.text in titles or _FOOTER.match(line.cells[0].text):
                continue
            out.append(line)
    return out


def _header(*words: str) -> Callable[[Line], bool]:
    keys = {w.casefold() for w in words}

    def is_header(line: Line) -> bool:
        texts = {c.text.casefold() for c in line.cells}
        return keys <= texts

    return is_header


# -- layouts with country blocks ------------------------------------------------------------

def read_mission_summary(pages: list[Page]) -> Parsed:
    p = Parsed()
    lines = _table_lines(pages, p, _header("Country", "Description", "M", "F"))
    header = next(ln for pg in pages for ln in pg.lines if _header("Country", "Description", "M", "F")(ln))
    desc_x = next(c.x0 for c in header.cells if c.text == "Description")
    cols = [c.xc for c in header.cells[-3:]]
    country = mission = None
    cblock = mblock = 0
    last_page = 0
    for line in lines:
        cells, nums = _split(line)
        page_changed, last_page = line.page != last_page, line.page
        if not nums and len(cells) == 1 and cells[0].x0 < desc_x - 100:
            country, cblock, mission = cells[0].text, p.block(), None
        elif cells and cells[-1].x0 >= desc_x - 10 and personnel_type(cells[-1].text):
            # a mission split by a page break is named again on the new page: same block
            if len(cells) == 2 and not (cells[0].text == mission and page_changed):
                mission, mblock = cells[0].text, p.block()
            if len(nums) == 3:
                p.row(line, country, mission, cells[-1].text, *_three(nums), (cblock, mblock))
            else:
                p.incomplete(line, country, mission, cells[-1].text, _by_column(line, cols), (cblock, mblock))
        elif not nums and len(cells) == 1 and desc_x - 100 <= cells[0].x0 < desc_x - 10:
            mission, mblock = cells[0].text, p.block()  # a mission named with no row
        elif len(nums) <= 1 and len(cells) == 1 and cells[0].x0 > desc_x:
            label = cells[0].text
            value = nums[0] if nums else None  # a subtotal printed blank
            if label == mission:
                p.total(line, "country_mission", mblock, country, mission, None, None, value)
            elif label == country:
                p.total(line, "country", cblock, country, None, None, None, value)
                country = mission = None
            else:
                p.skip(line, f"subtotal for {label!r} outside its block")
        else:
            p.skip(line)
    return p


def read_country_mission_detail(pages: list[Page]) -> Parsed:
    p = Parsed()
    lines = _table_lines(pages, p, _header("Country", "Mission", "Male", "Female", "Total"))
    country = mission = None
    cblock = mblock = 0
    for line in lines:
        cells, nums = _split(line)
        texts = [c.text for c in cells]
        if len(texts) == 2 and texts[0].isdigit() and not nums:
            country, cblock, mission = texts[1], p.block(), None
        elif texts == ["Grand Total"] and nums:
            p.total(line, "grand", 0, None, None, *([None] * (3 - len(nums))), *nums)
        elif texts == ["Total for Mission"] and len(nums) == 3:
            p.total(line, "country_mission", mblock, country, mission, *nums)
        elif len(texts) == 1 and not nums and personnel_type(texts[0]) is None:
            mission, mblock = texts[0], p.block()
        elif len(texts) == 1 and len(nums) == 3:
            p.row(line, country, mission, texts[0], *_three(nums), (cblock, mblock))
        else:
            p.skip(line)
    return p


def read_country_mission_post(pages: list[Page]) -> Parsed:
    p = Parsed()
    lines = _table_lines(pages, p, _header("Country", "Mission", "POST", "MALE", "FEMALE", "TOTAL"))
    country = mission = None
    cblock = mblock = 0
    for line in lines:
        cells, nums = _split(line)
        texts = [c.text for c in cells]
        if len(texts) == 2 and texts[0].isdigit() and not nums:
            country, cblock, mission = texts[1], p.block(), None
        elif texts == ["Grand Total"] and len(nums) == 3:
            p.total(line, "grand", 0, None, None, *nums)
        elif len(texts) == 1 and not nums and personnel_type(texts[0]) is None:
            mission, mblock = texts[0], p.block()
        elif len(texts) == 1 and len(nums) == 3 and personnel_type(texts[0]):
            p.row(line, country, mission, texts[0], *_three(nums), (cblock, mblock))
        elif len(texts) == 1 and len(nums) == 3 and (texts[0] == "Total for Country"
                                                     or (country or "").startswith(texts[0])):
            if texts[0] not in ("Total for Country", country):
                p.findings.append(Finding("cut_off_name", f"country subtotal label {texts[0]!r} is "
                                          f"{country!r} cut off", line.page, line.number))
            p.total(line, "country", cblock, country, None, *nums)
        elif len(texts) == 1 and len(nums) == 1 and mission and mission.startswith(texts[0]):
            if texts[0] != mission:
                p.findings.append(Finding("cut_off_name", f"mission subtotal label {texts[0]!r} "
                                          f"is {mission!r} cut off", line.page, line.number))
            p.total(line, "country_mission", mblock, country, mission, None, None, nums[0])
        else:
            p.skip(line)
    return p


def read_country_post(pages: list[Page]) -> Parsed:
    p = Parsed()
    lines = _table_lines(pages, p, _header("Country Name", "POST", "MALE", "FEMALE", "TOTAL"))
    country = None
    cblock = 0
    for line in lines:
        cells, nums = _split(line)
        texts = [c.text for c in cells]
        if len(texts) == 2 and texts[0].isdigit() and not nums:
            country, cblock = texts[1], p.block()
        elif texts == ["Total"] and len(nums) == 3:
            p.total(line, "grand", 0, None, None, *nums)
        elif texts == ["Total for Country"] and len(nums) == 3:
            p.total(line, "country", cblock, country, None, *nums)
        elif len(texts) == 1 and len(nums) == 3:
            p.row(line, country, None, texts[0], *_three(nums), (cblock,))
        else:
            p.skip(line)
    return p


_WIDE = (("UNMEM", "Experts on Mission"), ("Troops", "Troops"), ("UNPOL", "Individual Police"),
         ("FPU", "Formed Police Units"), ("MSO", "Staff Officer"))


def read_wide_pairs(pages: list[Page]) -> Parsed:
    p = Parsed()
    lines = _table_lines(pages, p, _header("Country", "Mission", "UNMEM M", "MSO F"))
    country = None
    cblock = 0
    seen: dict[str, tuple[int, int]] = {}
    label_open = False  # the last line was a country label: a second one continues it
    for line in lines:
        cells, nums = _split(line)
        texts = [c.text for c in cells]
        if len(texts) == 1 and not nums and label_open:
            country = f"{country} {texts[0]}"  # a long name wraps onto two lines ("Republic of" / "Korea")
            continue
        label_open = len(texts) == 1 and not nums
        if len(texts) == 1 and not nums:
            country, cblock, seen = texts[0], p.block(), {}
        elif texts == ["Grand Total"] and len(nums) == 10:
            for i, (short, _) in enumerate(_WIDE):
                m, f = nums[2 * i], nums[2 * i + 1]
                p.total(line, "grand_" + short, 0, None, None, m, f, m + f)
        elif texts == ["Total by Country"] and len(nums) == 10:
            for i, (short, _) in enumerate(_WIDE):
                m, f = nums[2 * i], nums[2 * i + 1]
                p.total(line, "country_" + short, cblock, country, None, m, f, m + f)
        elif len(texts) == 1 and len(nums) == 10:
            mission = texts[0]
            if mission in seen:
                p.findings.append(Finding(
                    "repeated_mission", f"{country} x {mission} printed again (first on page "
                    f"{seen[mission][0]} line {seen[mission][1]}); rows kept, both are counted in "
                    "the country's printed total", line.page, line.number))
            seen.setdefault(mission, (line.page, line.number))
            for i, (_, printed) in enumerate(_WIDE):
                m, f = nums[2 * i], nums[2 * i + 1]
                if m or f:
                    p.row(line, country, mission, printed, m, f, m + f, (cblock,))
        else:
            p.skip(line)
    return p


def read_country_type(pages: list[Page]) -> Parsed:
    p = Parsed()
    lines = _table_lines(pages, p, _header("Country", "Troops", "Total"))
    header = next(ln for pg in pages for ln in pg.lines if _header("Country", "Troops", "Total")(ln))
    names = [c.text for c in header.cells][1:6]
    printed = ["Experts on Mission", "Formed Police Units", "Individual Police", "Staff Officer", "Troops"]
    if names[:1] != ["Experts on"] or names[-1] != "Troops":
        p.findings.append(Finding("layout", f"column headers {names} read in the usual order"))
    last: tuple[int, int] | None = None  # index in p.rows of the previous country's rows
    for line in lines:
        cells, nums = _split(line)
        texts = [c.text for c in cells]
        if len(texts) == 1 and not nums and last is not None:
            # a long name wraps onto the next line: join it to the rows just read
            if line.cells[0].x0 < 60 and texts[0] not in ("Mission", "Units", "Police"):
                start, end = last
                for k in range(start, end):
                    r = p.rows[k]
                    p.rows[k] = replace(r, country=f"{r.country} {texts[0]}")
                for k, t in enumerate(p.totals):
                    if t.block == p._next_block - 1:
                        p.totals[k] = replace(t, country=f"{t.country} {texts[0]}")
                continue
        if texts == ["Mission", "Units", "Police"] and not nums:
            continue  # the second line of the column headers
        if texts == ["Grand Total"] and len(nums) == 6:
            for name, value in zip(printed, nums[:5]):
                p.total(line, "grand_" + name, 0, None, None, None, None, value)
            p.total(line, "grand", 0, None, None, None, None, nums[5])
        elif len(texts) == 1 and len(nums) == 6:
            block = p.block()
            start = len(p.rows)
            for name, value in zip(printed, nums[:5]):
                p.row(line, texts[0], None, name, None, None, value, (block,))
            last = (start, len(p.rows))
            p.total(line, "country", block, texts[0], None, None, None, nums[5])
        else:
            p.skip(line)
    return p


COUNTRY_READERS = {
    "mission_summary": read_mission_summary,
    "country_mission_detail": read_country_mission_detail,
    "country_mission_post": read_country_mission_post,
    "country_post": read_country_post,
    "wide_pairs": read_wide_pairs,
    "country_type": read_country_type,
}
