"""Fact-checking prose, sentence by sentence: read, form the claims, check each.

The text is split into paragraphs and lines (a list's items are lines of their own), and
each into sentences by ``blingfire`` (breaks.py; Microsoft's compiled sentence breaker: 1 MB in a
quarter of a second), a piece at a time, so memory stays bounded by the longest
paragraph. Its breaks after an abbreviation ("Gen.", "Sept.", "U.S.") or a list's number
("5.") are joined back. Each sentence is read on its own (quantities.py, entities.py, dates.py), its
claims formed (shapes.py) and each checked with the claim language's evaluator. Only the
sentence's subject carries to the next sentence, for a pronoun ("It ranks sixth"); dates
never do.

The month a sentence speaks of: its own date, else the article's: ``as_of`` if given,
else the dateline at the text's head ("BEIJING, Sept. 12, 2017"), else the latest month
of the data. A claim dated by the article is checked at the article's month and the two
before it, and is true if it holds at one of them (newsrooms quote the latest monthly
report, which lags a month or two), false only if it holds at none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from ..evaluate import Verdict, check
from ..steps import figure_text
from .breaks import sentence_spans
from .dates import MONTH_WORD, dateline, read_dates, shift
from .doubt import doubt
from .entities import read_entities
from .model import Check, Draft, Number, Sentence
from .quantities import read_numbers
from .shapes import Carried, draft_claims, window

if TYPE_CHECKING:
    from ...db import Database

__all__ = ["as_of_month", "factcheck", "MAX_PROSE_CHARS", "dateline"]

#: the longest text factcheck reads (about 300,000 words); it is read a paragraph at a time
MAX_PROSE_CHARS = 2_000_000
# a paragraph longer than this is cut at sentence-like boundaries before spaCy sees it
_CHUNK = 20_000


_ITEM = re.compile(r"\s*(?:\d{1,3}[.)]|[-*•–])\s+\S")


def _chunks(text: str) -> Iterator[tuple[int, str]]:
    """(offset, piece): paragraphs, cut at line ends where a line is a list item or a
    heading or ends a sentence (a hard-wrapped line runs on), and over-long pieces cut
    after a full stop or at a space."""
    start = 0
    lines = text.split("\n")
    pos = 0
    for k, line in enumerate(lines):
        end = pos + len(line)
        nxt = lines[k + 1] if k + 1 < len(lines) else ""
        if not nxt.strip() or _ITEM.match(nxt) or _ITEM.match(line) or len(line.strip()) < 60 or \
                line.rstrip().endswith((".", "!", "?", ":", '"', "”")):
            yield from _pieces(start, text[start:end])
            start = end + 1
        pos = end + 1
    if start < len(text):
        yield from _pieces(start, text[start:])


def _pieces(start: int, para: str) -> Iterator[tuple[int, str]]:
    while len(para) > _CHUNK:
        cut = para.rfind(". ", 0, _CHUNK)
        cut = cut + 2 if cut > 0 else (para.rfind(" ", 0, _CHUNK) + 1 or _CHUNK)
        yield start, para[:cut]
        start, para = start + cut, para[cut:]
    if para.strip():
        yield start, para


# words whose full stop does not end a sentence
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof gen lt col maj capt sgt cpl pte pvt adm brig cmdr gov sen rep amb pres st mt no nos vol "
    "approx ca etc e.g i.e vs inc ltd corp co dept est fig jan feb mar apr jun jul aug sep sept oct nov dec "
    "u.s u.k u.n e.u a.u d.c p.m a.m".split())


def _sentences(piece: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in ``piece``."""
    start: int | None = None
    for s, e in sentence_spans(piece):
        if start is None:
            start = s
        last = piece[start:e].rsplit(None, 1)[-1].lower().rstrip(".") if piece[start:e].strip() else ""
        # "Gen." or a list's "5." is not the end of a sentence: join the next one to it (but
        # "... since August 28. They were" ends one)
        if piece[start:e].rstrip().endswith(".") and (
                last in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last) or last.isdigit() and len(last) <= 2 and
                not re.search(rf"\b{MONTH_WORD}\s+\d{{1,2}}\.\s*$", piece[start:e].lower())):
            continue
        yield start, e
        start = None
    if start is not None:
        yield start, len(piece.rstrip())


def as_of_month(db: Database, text: str, as_of: date | str | None) -> date:
    """The month a text speaks from: ``as_of``, else its dateline, else the latest month
    of the data (every surface asks here, so they agree)."""
    from ...months import parse_month
    from ...query.coverage import latest_month

    return parse_month(as_of) if as_of else (dateline(text) or latest_month(db, ()))


def factcheck(db: Database, text: str, as_of: date | str | None = None) -> list[Sentence]:
    """Every sentence of ``text`` with the figures read in it, each claim formed from them
    and its verdict, or why none was formed.

    >>> [s.verdict for s in factcheck(db, "China had 2,078 peacekeepers in December 2013.",
    ...                               "2014-01")]                                   # doctest: +SKIP
    ['true']
    """
    from ...errors import QueryError

    if len(text) > MAX_PROSE_CHARS:  # the caller's bound; the reading itself is per paragraph
        raise QueryError(f"text of {len(text):,} characters; factcheck reads at most {MAX_PROSE_CHARS:,}: split it")
    month = as_of_month(db, text, as_of)
    out: list[Sentence] = []
    carried = Carried()
    verdicts = _Verdicts(db)
    for offset, piece in _chunks(text):
        for a, b in _sentences(piece):
            raw = piece[a:b]
            if not raw.strip():
                continue
            s = " ".join(raw.split())
            start = offset + a + (len(raw) - len(raw.lstrip()))
            sentence, carried = _one(db, verdicts, s, month, carried)
            sentence.start, sentence.end = start, start + len(raw.strip())
            out.append(sentence)
    return out


# dashes and quotes of one character each, read as ASCII (offsets are kept)
_PLAIN = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
                        "\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})


def _one(db: Database, verdicts: _Verdicts, shown: str, as_of: date,
         carried: Carried) -> tuple[Sentence, Carried]:
    text = shown.translate(_PLAIN)
    dates = read_dates(text, as_of)
    numbers = read_numbers(text, dates.spans)
    entities = read_entities(db, text)
    reading = draft_claims(db, text, numbers, entities, dates, as_of, carried)
    # a false the sentence leaves room to doubt is unknown (doubt.py)
    checks = doubt([_check(verdicts, d, as_of) for d in reading.drafts], reading.drafts)
    roles = {i: "claimed" for d in reading.drafts for i in d.numbers}
    numbers = [_role(n, roles.get(i)) for i, n in enumerate(numbers)]
    months = sorted({c.verdict.month for c in checks if c.verdict.month})
    stated = f"{dates.month:%Y-%m}" if dates.month else (str(dates.year) if dates.year else None)
    sentence = Sentence(shown, month="; ".join(months) or stated or f"{as_of:%Y-%m}", numbers=numbers,
                        checks=checks, outside=reading.outside is not None)
    if not checks:
        sentence.reason = (f"outside the fact base: {reading.outside}" if reading.outside
                           else "; ".join(reading.reasons) or "no figure or comparison to check")
    return sentence, reading.carry


def _role(n: Number, role: str | None) -> Number:
    from dataclasses import replace

    if role:
        return replace(n, role=role)
    return replace(n, role="date") if n.unit in ("year", "date") else n


class _Verdicts:
    """Verdicts of one text's claims, each claim checked once (a long text repeats them:
    the same country at the same month in many sentences). Bounded: a text's claims are
    few next to its sentences, and the oldest are dropped past the bound."""

    BOUND = 4096

    def __init__(self, db: Database) -> None:
        # claims that differ only in their figure ask the data the same questions
        self.db = cast("Database", _Answers(db))
        self.seen: dict[str, Verdict] = {}

    def __call__(self, claim: str) -> Verdict:
        from copy import copy

        from ...errors import BluehelmetError

        if claim not in self.seen:
            try:
                v = check(self.db, claim)
            except BluehelmetError as exc:  # a claim the rules wrote badly is unknown, never a crash
                v = Verdict(claim, "unknown", reason=f"the sentence's claim could not be read: {exc}")
            if len(self.seen) >= self.BOUND:
                self.seen.pop(next(iter(self.seen)))
            self.seen[claim] = v
        return copy(self.seen[claim])  # _bounded may change a copy, never the one kept


class _Answers:
    """The database as one text's checks see it: each lookup a claim asks (a headcount, a
    ranking, deaths over a period) answered once for the text. "personnel(CHN, 2018-06) ~
    2,500" and "> 2,000" are two claims and one question, and every share of a month asks
    for that month's world total (on a 1 MB text, a third of the headcounts and most of the
    rankings were asked before). Answers are results of a read-only database, never
    changed by the checks; bounded as the verdicts are."""

    CACHED = frozenset({"personnel", "rank", "fatalities", "authorized", "resolve_country"})
    BOUND = 4096

    def __init__(self, db: Database) -> None:
        self._db = db
        self._seen: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._db, name)
        if name not in self.CACHED:
            return method

        def answer(*args: Any, **kwargs: Any) -> Any:
            key = f"{name}{args!r}{sorted(kwargs.items())!r}"
            if key not in self._seen:
                if len(self._seen) >= self.BOUND:
                    self._seen.pop(next(iter(self._seen)))
                self._seen[key] = method(*args, **kwargs)  # an error is raised each time, not kept
            return self._seen[key]

        return answer


def _fill(claim: str, m: str) -> str:
    """The claim at window month ``m``: {m} is it, {y} its year, {m-120} ten years before,
    {m@2003} the same month of 2003."""
    at = date(int(m[:4]), int(m[5:7]), 1)
    claim = re.sub(r"\{m-(\d+)\}", lambda x: f"{shift(at, -int(x.group(1))):%Y-%m}", claim)
    claim = re.sub(r"\{m@(\d{4})\}", lambda x: f"{x.group(1)}-{at.month:02d}", claim)
    return claim.replace("{m}", m).replace("{y}", m[:4])


def _readings(claim: str, as_of: date) -> list[tuple[str | None, str]]:
    """(when, claim) for each month of the as-of window ("{m}"), or for the article's year
    and the one before ("{y}": yearly figures), or the claim as it stands."""
    if "{m}" in claim:
        return [(m, _fill(claim, m)) for m in window(as_of)]
    if "{y}" in claim:  # the article's year; the year before early in a year, or where the year has no figures
        return [(str(y), claim.replace("{y}", str(y))) for y in (as_of.year, as_of.year - 1)]
    return [(None, claim)]


def _check(verdict: _Verdicts, d: Draft, as_of: date) -> Check:
    """True if some reading holds (a month of the window, another sense of the words);
    false only if every reading was decided and none holds; else unknown."""
    tried: list[tuple[str | None, Verdict]] = []
    sense: list[int] = []  # which reading of the words each try is (0: the claim, 1..: its alternatives)
    for j, claim in enumerate((d.claim, *d.alternatives)):
        for k, (when, text) in enumerate(_readings(claim, as_of)):
            if k and "{y}" in claim and "{m}" not in claim and as_of.month > 3 and tried[-1][1].verdict != "unknown":
                break  # past March, the year before is read only if the article's year has no figures
            v = _bounded(verdict(text), d)
            tried.append((when, v))
            sense.append(j)
            if v.verdict == "true":
                first = tried[0][0]
                note = f"true at {when} (the article's date: {first}; newsrooms quote the latest report)" \
                    if when is not None and when != first else None
                return Check(text, v, d.numbers, "; ".join(x for x in (d.note, note) if x) or None)
    figures = ", ".join(f"{figure_text(v.left)} at {when}" if when else figure_text(v.left) for when, v in tried
                        if v.left is not None)
    if all(v.verdict == "false" for _, v in tried):
        # the sense of the words nearest the sentence's figure speaks for it, at its first
        # month (doubt.py judges that one)
        near = sense[min(range(len(tried)), key=lambda k: _distance(tried[k][1]))]
        when, v = tried[sense.index(near)]
        note = f"false in every reading: the data give {figures}" if len(tried) > 1 else None
        return Check(v.claim, v, d.numbers, "; ".join(x for x in (d.note, note) if x) or None)
    when, v = next((t for t in tried if t[1].verdict == "unknown"), tried[0])
    if v.verdict != "unknown":  # a mix of false and errors: not decided
        v = Verdict(v.claim, "unknown", reason="not false in every reading")
    note = f"no reading holds where the data are: {figures}" if figures else None
    return Check(v.claim, v, d.numbers, "; ".join(x for x in (d.note, note) if x) or None)


def _distance(v: Verdict) -> float:
    """How far the data's figure is from the sentence's, relatively (0: the first reading)."""
    if v.left is None or not v.right:
        return float("inf")
    return abs(v.left - v.right) / abs(v.right)


def _bounded(v: Verdict, d: Draft) -> Verdict:
    """"nearly 100,000" is within 10 % and at most 100,000: a true "~" that breaks the
    bound is false, and says why."""
    if d.bound is None or v.verdict != "true" or v.left is None:
        return v
    op, x = d.bound
    limit = v.right if v.right is not None else x  # in the data's units: "almost 28.5%" is at most 0.285
    ok = v.left <= limit if op == "<=" else v.left >= limit
    if not ok:
        v.verdict = "false"
        v.reason = f"the wording says {'at most' if op == '<=' else 'at least'} {figure_text(x)}; the data give {figure_text(v.left)}"
    return v
