"""The dates a sentence states, resolved against the article's date.

A sentence's month comes from the sentence itself, else from the article's dateline
(``as_of``); never from an earlier sentence, whose date may belong to another story. Read:

- a month and year: "in January 2014", "as of 31 July 2025", "July 31, 2025" -> that month;
- a month without a year: "in January", "as of July 31" -> the latest such month at or
  before ``as_of``;
- a year: "in 2013", "at the end of 2012", "by 2019" -> that year (a headcount is taken at
  its December, or at ``as_of`` for the current year; deaths and money are summed over it);
- "last year", "this year", "last month", "this month", "currently", "now", "today";
- "since 2003" (the base of a growth), "between 2000 and 2011", "from 2000 to 2011",
  "2000-2011" (a span of years), a fiscal year "2022/23" or "2022-23".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .quantities import CARDINAL_WORDS

__all__ = ["Dates", "dateline", "read_dates", "MONTHS", "MONTH_WORD", "shift"]

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]
_ABBR = {m[:3]: i for i, m in enumerate(MONTHS, start=1)} | {"sept": 9}
_MONTH = r"(january|february|march|april|may|june|july|august|september|october|november|december" \
         r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
#: a month's name or its abbreviation, in lower case (one group)
MONTH_WORD = _MONTH
_YEAR = r"((?:19|20)\d\d)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"


@dataclass
class Dates:
    """What a sentence says about time, and the character spans that said it."""

    month: date | None = None  # the month it speaks of, where it names one
    year: int | None = None  # a year it names alone ("in 2013")
    span: tuple[int, int] | None = None  # years "between 2000 and 2011"
    months: tuple[date, date] | None = None  # "between July 2016 and December 2017"
    since: int | None = None  # "since 2003"
    since_month: date | None = None  # "since January 2017": deaths are summed from that month
    fiscal: str | None = None  # "2022/23"
    relative: str | None = None  # "last year", "this month", ... as written
    spans: list[tuple[int, int]] = field(default_factory=list)  # where in the sentence

    @property
    def stated(self) -> bool:
        return any(x is not None for x in (self.month, self.year, self.span, self.fiscal, self.months))


def shift(month: date, months: int) -> date:
    """``month`` moved by ``months`` (negative: back)."""
    n = month.year * 12 + month.month - 1 + months
    return date(n // 12, n % 12 + 1, 1)


def _month_no(word: str) -> int:
    word = word.rstrip(".")
    return MONTHS.index(word) + 1 if word in MONTHS else _ABBR[word[:4] if word == "sept" else word[:3]]


_FULL = re.compile(rf"\b(?:{_DAY}\s+)?{_MONTH}(?:\s+{_DAY})?,?\s+(?:of\s+)?{_YEAR}\b|\b{_YEAR}-(\d\d)-\d\d\b")


def dateline(text: str) -> date | None:
    """The month of the date at an article's head (its first 200 characters: "BEIJING,
    Sept. 12, 2017", "5 August 2017", "2017-09-12"), if it has one."""
    m = _FULL.search(text[:200].lower())
    if m is None:
        return None
    if m.group(5):
        month = int(m.group(6))
        return date(int(m.group(5)), month, 1) if 1 <= month <= 12 else None
    return date(int(m.group(4)), _month_no(m.group(2)), 1)


def _latest(month: int, as_of: date) -> date:
    """The latest such month at or before ``as_of``."""
    return date(as_of.year if month <= as_of.month else as_of.year - 1, month, 1)


# what a date dates when it follows these words: something else than the figure ("created
# in 2004", "the mission first deployed in July 2013")
_OTHER_EVENT = (r"created|established|founded|launched|set up|began|begun|started|formed|deployed|born|adopted"
                r"|signed|elected|entered|arrived")


def _report_before(day: str | None, lead: str, low: str) -> bool:
    """Whether "as at 1 January 2006" means the report of the month-end before it: the day
    is the first, after "as of", "as at" or "on", in a sentence that tells no deaths (an
    attack "on 1 January" is of January)."""
    return day in ("1", "01") and bool(re.search(r"\b(?:as of|as at|on|at)\s+$", lead)) and \
        not re.search(r"\bkill|\bdied\b|\bdeaths?\b", low)


# "the deadliest attack since June 1993": "since" after a superlative dates the record, not a period
_RECORD = re.compile(r"\b(?:highest|lowest|most|fewest|largest|smallest|worst|deadliest|biggest|greatest|record"
                     r"|first time)\b[^.;]{0,40}(?:\bsince\s+(?:early\s+|late\s+|mid-?\s*)?)?$")


def read_dates(text: str, as_of: date) -> Dates:
    low = text.lower()
    d = Dates()

    def took(m: re.Match[str]) -> None:
        d.spans.append(m.span())

    if ms := re.search(rf"\b(?:(?:between|from)\s+{_MONTH}\s+{_YEAR}\s+(?:and|to|until|through)\s+"
                       rf"|{_MONTH}\s+{_YEAR}\s?[-–]\s?){_MONTH}\s+{_YEAR}\b", low):
        first = (ms.group(1), ms.group(2)) if ms.group(1) else (ms.group(3), ms.group(4))
        d.months = (date(int(first[1]), _month_no(first[0]), 1), date(int(ms.group(6)), _month_no(ms.group(5)), 1))
    for m in _FULL.finditer(low):
        if m.group(5):  # an ISO date is read where its year is, below
            continue
        if ms and ms.start() <= m.start() < ms.end():
            took(m)  # "between July 2016 and December 2017", "for June 2016- June 2017": a period, not a month
            continue
        at = date(int(m.group(4)), _month_no(m.group(2)), 1)
        took(m)
        before = low[max(0, m.start() - 40):m.start()]
        if _report_before(m.group(1) or m.group(3), before, low):
            at = shift(at, -1)  # "the strength ... as at 1 January 2006": the month-end report before it
        if re.search(r"\bsince\s+(?:early\s+|late\s+|mid-?\s*)?$", before) and not _RECORD.search(
                low[max(0, m.start() - 66):m.start()]):
            d.since_month = d.since_month or at  # "killed ... since January 2017": the period's start
            continue
        if re.search(rf"\b(?:{_OTHER_EVENT}|replaced|took over)\s+(?:in\s+|on\s+)?$", before):
            continue  # "the mission first deployed in July 2013": the date of something else
        if d.month is None:
            d.month = at
    for m in re.finditer(rf"\b(?:(?:as of|as at|on|by|in|since|until|through|end of|end-)\s+)?(?:{_DAY}\s+{_MONTH}"
                         rf"|{_MONTH}\s+{_DAY}\b|(?<=\bin\s){_MONTH}(?!\s*\d)|(?<=\bas of\s){_MONTH}(?!\s*\d)"
                         rf"|(?<=\bend of\s){_MONTH}(?!\s*\d))", low):
        if any(s < m.end() and m.start() < e for s, e in d.spans):
            continue
        word = m.group(2) or m.group(3) or m.group(5) or m.group(6) or m.group(7)
        if word is None or (word == "may" and not re.search(r"\d", m.group(0)) and
                            not re.search(r"\b(?i:in|as of|end of)\s+May\b", text[m.start():m.end()])):
            continue  # "may" is a verb more often than a month; "In May," with its capital is the month
        if re.search(r"\b(?:decision|meeting|vote|session|summit|ahead of|due|next|expected|scheduled|until|by)\b"
                     r"[\w\s]{0,20}$", low[max(0, m.start() - 30):m.start()]):
            continue  # "a decision in December": a date ahead, not the figure's
        if d.month is None:
            d.month = _latest(_month_no(word), as_of)
            prefix = re.match(r"(?:as of|as at|on)\s+", m.group(0))
            if _report_before(m.group(1) or m.group(4), prefix.group(0) if prefix else "", low):
                d.month = shift(d.month, -1)  # "As of 1 November, 319 Irish personnel": October's report
        took(m)
    if yr := re.search(rf"\b(?:between|from)\s+{_YEAR}\s+(?:and|to|until|through)\s+{_YEAR}\b"
                      rf"|\b{_YEAR}\s?[-–]\s?((?:19|20)?\d\d)\b(?!/)", low):
        a, b = (yr.group(1), yr.group(2)) if yr.group(1) else (yr.group(3), yr.group(4))
        end = int(b) if len(b) == 4 else int(a[:2] + b)
        if end > int(a):
            took(yr)
            if len(b) == 2 and end == int(a) + 1 and re.search(r"fiscal|budget|financial year|fy", low):
                d.fiscal = f"{a}/{b}"
            else:
                d.span = (int(a), end)
    if fy := re.search(rf"\b{_YEAR}/(\d\d|\d{{4}})\b", low):
        took(fy)
        d.fiscal = f"{fy.group(1)}/{fy.group(2)[-2:]}"
    if since := re.search(rf"\bsince\s+(?:(?:early|late|mid-?)\s*)?{_YEAR}\b"
                          rf"|\bsince\s+(?:its|their|the)\s+(?:\w+\s+){{1,4}}?in\s+{_YEAR}\b", low):
        took(since)
        # "the highest number since 1994": the record's span, not the period the figure covers
        if not _RECORD.search(low[max(0, since.start() - 60):since.start()]):
            d.since = int(since.group(1) or since.group(2))
    # a year: not part of a number (2,014; 2014.5; 2014-15) nor a count ("2000 troops")
    for m in re.finditer(rf"(?<![\d/$,.-]){_YEAR}(?![\d/%]|[,.]\d|-\d|\s*(?:troops|peacekeepers|personnel))", low):
        if any(s <= m.start() < e for s, e in d.spans):
            continue
        took(m)
        if low[m.end():m.end() + 1] == "s" or low[m.end():m.end() + 2] == "'s":
            continue  # "a peak in the 1990s": a decade, not a year the figure is counted at
        # "created in 2004", "established in 1978": a year that dates something else
        if re.search(rf"\b(?:{_OTHER_EVENT}|since|until|before|after|prior to|by|the country|clinton|president"
                     r"|law|act)\s+(?:in\s+)?(?:early\s+|late\s+)?$",
                     low[max(0, m.start() - 30):m.start()]):
            continue
        if d.year is None and d.month is None:
            d.year = int(m.group(1))
    if ago := re.search(r"\b(a|one|two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\s+(years?|decades?)\s+ago\b", low):
        took(ago)
        count = int(ago.group(1)) if ago.group(1).isdigit() else ({"a": 1, "one": 1} | CARDINAL_WORDS)[ago.group(1)]
        years = count * (10 if ago.group(2).startswith("decade") else 1)
        if re.search(r"\bsince\b[^.;]{0,60}$", low[:ago.start()]):
            if d.since is None:  # "since it was established 40 years ago"
                d.since = as_of.year - years
        elif d.month is None and d.year is None and years:  # "two decades ago": the same month then
            d.month = date(as_of.year - years, as_of.month, 1)
    if season := re.search(r"\b(this|last|in the|earlier this)\s+(summer|spring|autumn|fall|winter)\b", low):
        took(season)
        # a season is read at its middle month (as the northern hemisphere's newsrooms mean it)
        middle = {"winter": 1, "spring": 4, "summer": 7, "autumn": 10, "fall": 10}[season.group(2)]
        at = _latest(middle, as_of)
        if season.group(1) == "last" and at.year == as_of.year:
            at = date(at.year - 1, middle, 1)
        if d.month is None and d.year is None:
            d.month = at
    rel = re.search(r"\b(last year|this year|last month|this month|currently|at present|presently|today|now"
                    r"|so far this year|earlier this year|as of now|since the (?:beginning|start) of (?:the|this) year)\b",
                    low)
    if rel:
        d.relative = rel.group(1)
        if d.year is None and d.month is None:
            if rel.group(1) == "last year":
                d.year = as_of.year - 1
            elif rel.group(1) == "last month":
                d.month = shift(as_of, -1)
            elif rel.group(1) in ("this year", "so far this year", "earlier this year") or \
                    rel.group(1).startswith("since the"):
                d.year = as_of.year
    return d
