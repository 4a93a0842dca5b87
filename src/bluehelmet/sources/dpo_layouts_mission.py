"""The DPO report layouts whose outer block is the mission (2019-09 onwards).

See ``dpo_layouts`` for the list of layouts; this module holds the readers of ``flat``,
``mission_country``, ``mission_contributor`` and ``report_server``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from .dpo_layouts import _DATE, _FOOTER, Parsed, _header, _split, _table_lines, _three, num
from .dpo_records import Problem, personnel_type
from .dpo_text import Line, Page

__all__ = ["MISSION_READERS"]

# a name that ends here is cut by its cell's width and continues on the next line
_WRAPS = re.compile(r"\b(of|and|the)$|[,(]$", re.I)

# report_server: a line of a mission's block, as (line, country label, printed type, numbers);
# a label on a line of its own has no type and no numbers
_Entry = tuple[Line, str | None, str | None, list[int]]
# a row given its country: (line, country, printed type, numbers, reason it is not certain)
_Placed = tuple[Line, str | None, str, list[int], str]


def read_flat(pages: list[Page]) -> Parsed:
    p = Parsed()
    header = pages[0].lines[0]
    cols = [c.x0 for c in header.cells]
    p.printed_dates.extend((c.text, ln.page, ln.number) for pg in pages[:1] for ln in pg.lines[1:2]
                           for c in ln.cells if _DATE.match(c.text))
    for page in pages:
        lines = [ln for ln in page.lines if not (ln is header or _FOOTER.match(ln.cells[0].text)
                                                 or ln.cells[0].text.casefold() == "mission")]
        # a name too long for its cell wraps onto two lines centred on the row (2024-10)
        pieces = [ln for ln in lines if len(ln.cells) == 1 and cols[1] - 40 < ln.cells[0].x0 < cols[2]]
        used: set[int] = set()
        for line in lines:
            if line in pieces:
                continue
            cells, nums = _split(line)
            texts = [c.text for c in cells]
            if len(texts) == 2 and cells[1].x0 < cols[2] - 15:  # a long name ran into the type
                words = texts[1].split(" ")
                for n in range(1, 4):
                    if personnel_type(" ".join(words[-n:])):
                        texts = [texts[0], " ".join(words[:-n]), " ".join(words[-n:])]
                        break
            elif len(texts) == 2:
                near = [pc for pc in pieces if abs(pc.y - line.y) < line.height and id(pc) not in used]
                if near:
                    used.update(id(pc) for pc in near)
                    texts = [texts[0], " ".join(pc.cells[0].text for pc in sorted(near, key=lambda x: x.y)),
                             texts[1]]
            if len(texts) == 3 and len(nums) == 3:
                p.row(line, texts[1], texts[0], texts[2], *_three(nums), ())
            else:
                p.skip(line)
        for pc in pieces:
            if id(pc) not in used:
                p.skip(pc, "part of a name with no row beside it")
    return p


def read_mission_country(pages: list[Page]) -> Parsed:
    """2019-11 .. 2020-12 (Access reports): the country is on the row (2019-11, 2019-12 ..)
    or on a line of its own above its rows (2020-07 ..); the type is last in 2019-11."""
    p = Parsed()
    lines = _table_lines(pages, p, lambda ln: ln.cells[0].text == "Mission" and len(ln.cells) >= 5)
    header = next(ln for pg in pages for ln in pg.lines if ln.cells[0].text == "Mission" and len(ln.cells) >= 5)
    country_x = header.cells[1].x0
    type_last = header.cells[-1].text == "Post"
    mission = country = None
    mblock = 0
    # a long name wraps onto a second line: below its row when the country is on the row
    # ("United Republic of" / "Tanzania", 2019-11 ..), or as two label lines above the rows
    # ("United States of" / "America", 2020-02 ..)
    label_open = False  # the last line was a country label line
    cut_row: int | None = None  # index in p.rows of a row whose country ends mid-name
    for line in lines:
        cells = list(line.cells)
        if type_last and len(cells) >= 2 and personnel_type(cells[-1].text) and num(cells[-2].text) is not None:
            cells = [*cells[:-4], cells[-1], *cells[-4:-1]]
        texts = [c.text for c in cells if num(c.text) is None]
        nums = [n for c in cells if (n := num(c.text)) is not None]
        first = cells[0]
        continued, label_open, cut = label_open, False, cut_row
        cut_row = None
        if not nums and len(texts) == 1 and first.x0 < country_x - 20:
            mission, mblock, country = texts[0], p.block(), None
        elif not nums and len(texts) == 1 and abs(first.x0 - country_x) < 25 and cut is not None:
            row = p.rows[cut]
            p.rows[cut] = replace(row, country=f"{row.country} {texts[0]}")
            country = None
        elif not nums and len(texts) == 1 and abs(first.x0 - country_x) < 25:
            country = f"{country} {texts[0]}" if continued and country else texts[0]
            label_open = True
        elif len(nums) == 3 and len(texts) == 2 and first.x0 > country_x - 20:
            country = texts[0]
            p.row(line, country, mission, texts[1], *_three(nums), (mblock,))
            if _WRAPS.search(country) and p.rows and p.rows[-1].line == line.number:
                cut_row = len(p.rows) - 1
        elif len(nums) == 3 and len(texts) == 1 and first.x0 > country_x + 25:
            p.row(line, country, mission, texts[0], *_three(nums), (mblock,))
        elif len(nums) == 3 and not texts and mission is not None:
            p.total(line, "mission", mblock, None, mission, *nums)
            mission = country = None
        elif len(nums) == 3 and not texts:
            p.total(line, "grand", 0, None, None, *nums)
        elif not texts and len(nums) in (1, 4) and first.x0 < country_x:
            male, female, total = _three(nums[1:]) if len(nums) == 4 else (None, None, None)
            p.total(line, "grand", 0, None, None, male, female, total, count=nums[0])
        else:
            p.skip(line)
    return p


def read_mission_contributor(pages: list[Page]) -> Parsed:
    p = Parsed()
    lines = _table_lines(pages, p, _header("Mission", "Contributor", "Description", "Male", "Female", "Total"))
    header = next(ln for pg in pages for ln in pg.lines if _header("Mission", "Contributor", "Male")(ln))
    country_x = next(c.x0 for c in header.cells if c.text == "Contributor")
    mission = country = None
    mblock = cblock = 0
    for line in lines:
        cells, nums = _split(line)
        texts = [c.text for c in cells]
        if texts == ["Grand Total"] and len(nums) == 3:
            p.total(line, "grand", 0, None, None, *nums)
        elif len(texts) == 1 and len(nums) == 3 and cells[0].x0 < country_x - 20:
            mission, mblock, country = texts[0], p.block(), None
            p.total(line, "mission", mblock, None, mission, *nums)
        elif len(texts) == 1 and len(nums) == 3 and personnel_type(texts[0]) and cells[0].x0 > country_x + 30:
            p.row(line, country, mission, texts[0], *_three(nums), (mblock, cblock))
        elif len(texts) == 1 and len(nums) == 3:
            country, cblock = texts[0], p.block()
            p.total(line, "mission_country", cblock, country, mission, *nums)
        else:
            p.skip(line)
    return p


def read_report_server(pages: list[Page]) -> Parsed:
    """Country labels are centred on their rows: a label on a line of its own sits between
    the two middle rows of its group, a label on a row's line is on the group's middle row.
    Rows are given to labels by that symmetry, page by page, and the result is checked
    against the positions: each label must sit at the middle of its group."""
    p = Parsed()
    is_header = _header("Mission", "Country", "Personnel Type", "Male", "Female", "Total")
    lines = _table_lines(pages, p, is_header)
    header = next(ln for pg in pages for ln in pg.lines if is_header(ln))
    country_x = next(c.x0 for c in header.cells if c.text == "Country")
    type_x = next(c.x0 for c in header.cells if c.text == "Personnel Type")
    mission = None
    mblock = 0
    group: list[_Entry] = []

    def flush() -> None:
        for line, country, printed, nums, reason in _centre(group, p):
            p.row(line, country, mission, printed, *_three(nums), (mblock,), quarantined=reason)
        group.clear()

    page_no = 0
    for line in lines:
        if line.page != page_no:
            flush()
            page_no = line.page
        cells, nums = _split(line)
        texts = [c.text for c in cells]
        if texts and texts[0] == "Grand Total" and len(nums) == 3:
            flush()
            p.total(line, "grand", 0, None, None, *nums)
        elif texts and texts[0].startswith("Total ") and len(nums) == 3 and cells[0].x0 < country_x - 20:
            flush()
            label = texts[0][6:].strip()
            if label != mission:
                p.skip(line, f"total for {label!r} inside the block of {mission!r}")
            p.total(line, "mission", mblock, None, mission, *nums)
        elif len(texts) == 1 and not nums and cells[0].x0 < country_x - 20:
            flush()
            mission, mblock = texts[0], p.block()
        elif len(texts) == 1 and not nums and abs(cells[0].x0 - country_x) < 40:
            group.append((line, texts[0], None, []))
        elif len(nums) == 3 and texts and cells[-1].x0 > type_x - 20:
            group.append((line, texts[0] if len(texts) == 2 else None, texts[-1], nums))
        else:
            p.skip(line)
    flush()
    # the report groups by mission and country, so a country x type met twice in a mission
    # means a label was given to the wrong rows (seen where a group runs across a page break
    # in 2022-09, an Excel print of the report): those rows are not certain
    keys = Counter((r.mission, r.country, r.personnel_type) for r in p.rows if not r.quarantined)
    for i, r in enumerate(p.rows):
        if not r.quarantined and keys[(r.mission, r.country, r.personnel_type)] > 1:
            reason = (f"country not certain: {r.country} x {r.personnel_type} would appear twice in "
                      f"{r.mission}; a label spans a page break")
            p.rows[i] = replace(r, quarantined=reason)
            p.problems.append(Problem(r.page, r.line, reason, r.country))
    return p


def _centre(group: list[_Entry], p: Parsed) -> list[_Placed]:
    """Give each row of a mission's block on one page the country whose label is centred on it."""
    group = _join_wrapped_labels(group)
    labels = [i for i, g in enumerate(group) if g[1] is not None]
    if not labels:
        return [(line, None, printed, nums, "country not certain: no country label on the page")
                for line, _, printed, nums in group if printed is not None]
    out: list[_Placed] = []
    owner: dict[int, int] = {}
    unsure: dict[int, str] = {}
    above = [i for i in range(labels[0]) if group[i][2] is not None]
    pending = above
    for n, li in enumerate(labels):
        own = [li] if group[li][2] is not None else []
        nxt = labels[n + 1] if n + 1 < len(labels) else len(group)
        below = [i for i in range(li + 1, nxt) if group[i][2] is not None]
        take = below[: len(pending)]
        if n + 1 == len(labels):
            take = below
        members = pending + own + take
        ok = len(take) == len(pending) and bool(members)
        if ok:
            ys = [group[i][0].y for i in members]
            ok = abs((min(ys) + max(ys)) / 2 - group[li][0].y) <= 1.5
        if not ok:
            near = [group[k][1] for k in labels[max(0, n - 1): n + 2]]
            for i in members:
                unsure[i] = (f"country not certain: the rows around the label {group[li][1]!r} are "
                             f"not centred on it; candidates {near}")
        else:
            for i in members:
                owner[i] = li
        pending = below[len(take):]
    for i, (line, _, printed, nums) in enumerate(group):
        if printed is None:
            continue
        if i in owner:
            out.append((line, group[owner[i]][1], printed, nums, ""))
        else:
            out.append((line, None, printed, nums, unsure.get(i, "country not certain: no label for the row")))
    return out


def _join_wrapped_labels(group: list[_Entry]) -> list[_Entry]:
    """A name too long for its cell wraps: its two lines sit closer than two rows do."""
    ys = [g[0].y for g in group if g[2] is not None]
    pitch = min((b - a for a, b in zip(ys, ys[1:]) if b - a > 1), default=20.0)
    out = list(group)
    i = 0
    while i < len(out):
        if out[i][1] is None:
            i += 1
            continue
        j = next((k for k in range(i + 1, len(out)) if out[k][1] is not None), None)
        if j is not None and out[j][2] is None and out[j][0].y - out[i][0].y < 0.75 * pitch:
            first, second = out[i], out[j]
            name = f"{first[1]} {second[1]}"
            if first[2] is None:  # two label lines around a row: the label is that row's
                between = [k for k in range(i + 1, j) if out[k][2] is not None]
                if len(between) == 1:
                    k = between[0]
                    out[k] = (out[k][0], name, out[k][2], out[k][3])
                    del out[j], out[i]
                    continue
                out[i] = (first[0], name, None, [])
            else:
                out[i] = (first[0], name, first[2], first[3])
            del out[j]
            continue
        i += 1
    return out



MISSION_READERS = {
    "flat": read_flat,
    "mission_country": read_mission_country,
    "mission_contributor": read_mission_contributor,
    "report_server": read_report_server,
}
