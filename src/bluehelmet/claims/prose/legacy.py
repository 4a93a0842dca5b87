"""Fact-checking prose: find the sentences that state checkable figures, turn each into a
claim, evaluate it.

spaCy (a blank English pipeline: its rule-based tokenizer and sentencizer, no downloaded
model) splits the text and matches country, group and mission names as phrases; rules
over the tokens and the sentence text then recognise a handful of statement shapes:

- a count: "Ghana contributes about 2,800 peacekeepers" (``~``; "more than" ``>``,
  "fewer than" ``<``; a bare figure is taken as a rounded one: ``~ ± 2%``);
- a comparison with a group: "more troops than the other four permanent members combined";
- an extreme: "the fewest peacekeepers of the five permanent members";
- a rank: "the sixth-largest contributor" (within a group if one is named);
- growth: "has grown twentyfold since 2003";
- a share: "more than 85 percent of peacekeepers come from Asia and Africa";
- authorised strength: "works with about half of its authorised 12,640 peacekeepers".

A sentence about money (an amount in dollars, a budget, a funder, spending) and no
personnel is not checked: the money claims exist (docs/claims.md), the prose rules for
them do not yet, and the personnel rules would misread "$73 billion" as 73 people.

Months come from the sentence ("in January 2014", "at the end of 2012", "in 2013" =
December, "in January" = the latest January at or before ``as_of``, "this month" =
``as_of``), else from the last date the text mentioned, else ``as_of``. A sentence with
a figure that fits no shape is listed as not checked, with the reason.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.matcher import PhraseMatcher

    from ...db import Database
from ..evaluate import check
from .model import Check, Sentence

__all__ = ["Sentence", "factcheck"]

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]
ORDINALS = {w: i for i, w in enumerate(["first", "second", "third", "fourth", "fifth", "sixth", "seventh",
                                         "eighth", "ninth", "tenth", "eleventh", "twelfth"], start=1)}
WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
FRACTIONS = {"half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "two thirds": 2 / 3, "a quarter": 0.25,
             "three quarters": 0.75}
MEASURES = [(r"\btroops?\b|\bsoldiers\b", "troops"), (r"\bpolice\b", "police"),
            (r"\bexperts?\b|\bmilitary observers?\b", "experts"),
            (r"\bpeacekeepers?\b|\bpersonnel\b|\bblue helmets?\b|\bcontributors?\b", "personnel")]
APPROX = r"(?:about|around|roughly|some|nearly|almost|approximately|close to|just under|just over)"
MORE = r"(?:more than|over|above|at least)"
LESS = r"(?:fewer than|less than|under|below|at most)"
# money: amounts, budgets, funders, spending. Those sentences are not read into claims yet
# (issue 14); read with the personnel rules, "$73 billion" would become 73 peacekeepers
MONEY = re.compile(r"\$|\bus\$|\busd\b|\bdollars?\b|\d\s*(?:bn|billion|million|trillion)\b|\bbudgets?\b"
                   r"|\bfund(?:s|ed|er|ers|ing)?\b|\bfinanc|\bspen[dt]|\bspending\b|\bexpenditure|\bpa(?:ys?|id)\b"
                   r"|\bassess|\bdonors?\b|\bloans?\b|\bgrants?\b")
GROUP_PHRASES = {"permanent members": "P5", "permanent five": "P5", "security council's permanent": "P5",
                 "african union": "AU", "european union": "EU", "non-aligned": "NAM", "arab league": "Arab League"}


@lru_cache(maxsize=1)
def _nlp() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def _matcher(db: Database) -> tuple[PhraseMatcher, dict[str, str]]:
    """A phrase matcher over country names, aliases, group names and mission acronyms."""
    return db.once("prose_matcher", lambda: _build_matcher(db))


def _build_matcher(db: Database) -> tuple[PhraseMatcher, dict[str, str]]:
    from spacy.matcher import PhraseMatcher

    from ...reference import country_index

    nlp = _nlp()
    m = PhraseMatcher(nlp.vocab, attr="LOWER")
    names: dict[str, str] = {}
    for iso3, (name, *_rest) in db.countries.items():
        names[name.lower()] = iso3
    idx = country_index()
    for c in idx.countries.values():
        names.setdefault(c.official_name.lower(), c.iso3)
    for alias, iso3 in idx.aliases.items():
        if len(alias) > 3 and iso3 in db.countries:
            names.setdefault(alias, iso3)
    for code, (gname, kind) in db.groups.items():
        if kind == "political":
            names.setdefault(code.lower(), code)
        names.setdefault(gname.lower(), code)
    for phrase, code in GROUP_PHRASES.items():
        names[phrase] = code
    m.add("NAME", [nlp.make_doc(n) for n in names])
    return m, names


def _entities(db: Database, text: str) -> list[tuple[str, str]]:
    """(code, kind) for each country/group/mission named, in order, longest match first."""
    matcher, names = _matcher(db)
    doc = _nlp().make_doc(text)
    spans = sorted(((s, e) for _, s, e in matcher(doc)), key=lambda x: (x[0], -(x[1] - x[0])))
    out, end = [], -1
    for s, e in spans:
        if s < end:
            continue
        code = names[doc[s:e].text.lower()]
        kind = "country" if code in db.countries and code not in db.groups else "group"
        out.append((code, kind))
        end = e
    for token in doc:
        if token.text.isupper() and len(token.text) >= 4 and token.text in db.missions:
            out.append((token.text, "mission"))
    return out


def _month_of(text: str, as_of: date, context: date | None) -> tuple[date | None, bool]:
    """The month a sentence speaks of, and whether the sentence itself said so."""
    low = text.lower()
    names = "|".join(MONTHS)
    if m := re.search(rf"\b({names})\s+(\d{{4}})\b", low):
        return date(int(m.group(2)), MONTHS.index(m.group(1)) + 1, 1), True
    if m := re.search(r"\b(?:end of|in december|by december)\s+(\d{4})\b", low):
        return date(int(m.group(1)), 12, 1), True
    if m := re.search(rf"\bin ({names})\b", low):
        mo = MONTHS.index(m.group(1)) + 1
        return date(as_of.year if mo <= as_of.month else as_of.year - 1, mo, 1), True
    if re.search(r"\bthis month\b|\bcurrently\b|\btoday\b|\bnow\b", low):
        return as_of, True
    if m := re.search(r"\b(?:in|during|for)\s+(\d{4})\b", low):
        return date(int(m.group(1)), 12, 1), True
    return context, False


_FIGURE = re.compile(rf"(?:({APPROX}|{MORE}|{LESS})\s+)?(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)"
                     r"(?![\d,.-]*\d)(?!\s*(?:-?fold|percent|per cent|%|st|nd|rd|th))")


def _number(text: str) -> tuple[str, float] | None:
    """(qualifier op, value) for the first stated figure; years are not figures."""
    for m in _FIGURE.finditer(text.lower()):
        if re.fullmatch(r"(19|20)\d{2}", m.group(2)):
            continue
        return _op(m.group(1)), float(m.group(2).replace(",", ""))
    return None


def _op(qualifier: str | None) -> str:
    if not qualifier:
        return "≈"  # a bare figure: rounded, checked within 2 %
    if re.fullmatch(MORE, qualifier):
        return ">"
    if re.fullmatch(LESS, qualifier):
        return "<"
    return "~"


def _cmp(op: str, value: str) -> str:
    return f"~ {value} ± 2%" if op == "≈" else f"{op} {value}"


def _measure(text: str) -> str | None:
    low = text.lower()
    hits = [(m.start(), name) for pattern, name in MEASURES if (m := re.search(pattern, low))]
    return min(hits)[1] if hits else None


def _translate(db: Database, text: str, month: date) -> tuple[str | None, str | None]:
    """(claim, None) or (None, reason)."""
    low = text.lower()
    ents = _entities(db, text)
    countries = [c for c, k in ents if k == "country"]
    groups = [c for c, k in ents if k == "group"]
    missions = [c for c, k in ents if k == "mission"]
    if MONEY.search(low) and _measure(text) is None:
        return None, ("money (an amount, budget, funder or spending): not read from prose yet; write it as a "
                      "claim, e.g. assessed_share(USA, 2014) ~ 28% (docs/claims.md)")
    measure = _measure(text) or "personnel"
    m = f"{month:%Y-%m}"
    # a share of everybody
    if pct := re.search(rf"(?:({APPROX}|{MORE}|{LESS})\s+)?(\d+(?:\.\d+)?)\s*(?:percent|per cent|%)", low):
        named = " + ".join(countries + groups)
        if not named:
            return None, "a percentage, but no country, group or region it is a share of"
        return f"share({measure}, {named}, {m}) {_cmp(_op(pct.group(1)), pct.group(2) + '%')}", None
    # authorised strength
    if missions and re.search(r"authori[sz]ed", low):
        mission = missions[0]
        for word, frac in FRACTIONS.items():
            if re.search(rf"\b{word}\b", low):
                return f"deployed({mission}, {m}) / authorized({mission}, {m}) ~ {frac * 100:g}%", None
        if num := _number(text):
            return f"authorized({mission}, {m}) {_cmp(num[0], f'{num[1]:g}')}", None
        return None, "an authorised strength, but no figure or fraction"
    subject = countries[0] if countries else None
    # more/fewer than others combined
    if subject and re.search(r"\bcombined\b|\btogether\b", low) and re.search(r"\b(more|fewer|less)\b", low):
        op = ">" if re.search(r"\bmore\b", low) else "<"
        other = next(iter(groups), None)
        if other is None and len(countries) > 1:
            rest = " + ".join(countries[1:])
            return f"{measure}({subject}, {m}) {op} {measure}({rest}, {m})", None
        if other is None:
            return None, "a comparison with others combined, but no group named"
        return f"{measure}({subject}, {m}) {op} {measure}({other} - {subject}, {m})", None
    # the least / the most within a group; "the largest contributor" is rank 1
    ext = re.search(r"\b(least|fewest|smallest|lowest|most|largest|biggest|highest)\b", low)
    ordinal = re.search(rf"\b({'|'.join(ORDINALS)}|\d+(?:st|nd|rd|th))\b", low)
    if subject and groups and ext and not ordinal:
        fn = "min" if ext.group(1) in ("least", "fewest", "smallest", "lowest") else "max"
        return f"{measure}({subject}, {m}) == {fn}({measure}(each {groups[0]}, {m}))", None
    if subject and ext and not ordinal and ext.group(1) in ("largest", "biggest") and "contributor" in low:
        return f"rank({subject}, {m}) == 1", None
    # a rank
    if subject and (rk := re.search(rf"\b({'|'.join(ORDINALS)}|\d+(?:st|nd|rd|th))\b[- ]?(?:largest|biggest)?", low)) \
            and re.search(r"\brank|largest|biggest|contributor", low):
        word = rk.group(1)
        n = ORDINALS.get(word) or int(re.sub(r"\D", "", word))
        within = f", within={groups[0]}" if groups else ""
        return f"rank({subject}, {m}{within}) == {n}", None
    # growth since a year
    fold = re.search(r"\b(\w+)[- ]?fold\b|\b(\w+) times\b", low)
    dates = [date(int(y), MONTHS.index(mo) + 1, 1)
             for mo, y in re.findall(rf"\b({'|'.join(MONTHS)})\s+(\d{{4}})\b", low)]
    since = re.search(r"\bsince (\d{4})\b", low)
    if subject and fold and (since or len(dates) >= 2):
        word = fold.group(1) or fold.group(2)
        factor = WORD_NUMBERS.get(word) or (float(word) if word.replace(".", "").isdigit() else None)
        if factor is None:
            return None, f"growth, but {word!r} is not a number"
        # "since 2003": the same month of that year; "between January 2003 and January 2014"
        base = f"{since.group(1)}-{month.month:02d}" if since else f"{min(dates):%Y-%m}"
        end = m if since else f"{max(dates):%Y-%m}"
        return f"{measure}({subject}, {end}) / {measure}({subject}, {base}) ~ {factor:g}", None
    # a plain count
    num = _number(text)
    if num and (subject or groups or missions):
        who = subject or groups[0] if (subject or groups) else None
        mission = f", mission={missions[0]}" if missions and who else ""
        if who is None:
            return f"deployed({missions[0]}, {m}) {_cmp(num[0], f'{num[1]:g}')}", None
        return f"{measure}({who}{mission}, {m}) {_cmp(num[0], f'{num[1]:g}')}", None
    if num:
        return None, "a figure, but no country, group or mission it belongs to"
    return None, "no figure or comparison to check"


#: the longest text factcheck reads: a long report; a 1 MB file took 46 s and spaCy refuses
#: texts over 1,000,000 characters outright
MAX_PROSE_CHARS = 200_000


def factcheck(db: Database, text: str, as_of: date | str) -> list[Sentence]:
    """Every sentence of ``text`` with the claim it became and its verdict, or why not.

    >>> [s.verdict.verdict for s in factcheck(db, "China had 2,078 peacekeepers in December 2013.",
    ...                                       "2014-01") if s.verdict]                 # doctest: +SKIP
    ['true']
    """
    from ...errors import QueryError
    from ...months import parse_month

    if len(text) > MAX_PROSE_CHARS:  # the sentence parser's time and memory grow with the text
        raise QueryError(f"text of {len(text):,} characters; factcheck reads at most {MAX_PROSE_CHARS:,} "
                         "(about 30,000 words): split it")
    as_of = parse_month(as_of)
    context: date | None = None
    out = []
    for sent in _nlp()(" ".join(text.split())).sents:
        s = sent.text.strip()
        if not s:
            continue
        month, said = _month_of(s, as_of, context)
        if said:
            context = month
        at = f"{month or as_of:%Y-%m}"
        claim, reason = _translate(db, s, month or as_of)
        if claim is None:
            out.append(Sentence(s, reason=reason, month=at))
            continue
        verdict = check(db, claim)
        # the months the numbers are for where the claim got that far (a range names two)
        out.append(Sentence(s, checks=[Check(claim, verdict)], month=verdict.month or at))
    return out
