"""Every figure in a sentence, read with its unit and what the wording asserts of it.

A number is never taken bare: "P5" and "G77" are names, "1)" a list's index, "as of July
31" a date, "the 50th anniversary" an anniversary, "$73 billion" money, "85 percent" a
percentage, "sixth" and "39th" ranks, "twentyfold" and "doubled" multipliers, "half" a
fraction, a year a year. A plain count takes its unit from the noun that follows it
("2,800 peacekeepers", "115 countries", "12 missions", "300 deaths"), else it stays
``count`` and no claim is formed from it unless the clause's noun says what it counts.

The tolerance of a figure follows its wording (docs/claims.md, "Prose"): "about" 10 %,
"nearly" at most the figure and within 10 % below it, a bare figure the rounding its
digits show (2,500 is ± 50), never tighter than 2 % nor looser than 10 %.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .model import Number

__all__ = ["read_numbers", "tolerance", "ORDINAL_WORDS", "CARDINAL_WORDS"]

_UNITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
          "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
         "ninety": 90}
CARDINAL_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS) if i >= 2} | _TENS | {"hundred": 100}
_ORD_UNITS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
              "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
              "eighteenth", "nineteenth"]
ORDINAL_WORDS: dict[str, int] = {w: i for i, w in enumerate(_ORD_UNITS, start=1)}
for _w, _v in _TENS.items():
    ORDINAL_WORDS[_w[:-1] + "ieth"] = _v
    for _i, _u in enumerate(_ORD_UNITS[:9], start=1):
        ORDINAL_WORDS[f"{_w}-{_u}"] = _v + _i
        ORDINAL_WORDS[f"{_w} {_u}"] = _v + _i
ORDINAL_WORDS["hundredth"] = 100
_FOLD_WORDS = {"doubled": 2.0, "double": 2.0, "tripled": 3.0, "trebled": 3.0, "quadrupled": 4.0, "halved": 0.5}
_FRACTIONS = {"half": 0.5, "a third": 1 / 3, "one third": 1 / 3, "one-third": 1 / 3, "two thirds": 2 / 3,
              "two-thirds": 2 / 3, "a quarter": 0.25, "one quarter": 0.25, "three quarters": 0.75,
              "three-quarters": 0.75}
_SCALES = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9,
           "trillion": 1e12, "tn": 1e12}

# qualifiers standing right before a figure, longest first, and what they assert
_QUALIFIERS: list[tuple[str, str]] = [
    ("more than", ">"), ("greater than", ">"), ("in excess of", ">"), ("upwards of", ">"), ("over", ">"),
    ("above", ">"), ("exceeding", ">"), ("exceeds", ">"), ("at least", ">="), ("no fewer than", ">="),
    ("no less than", ">="), ("fewer than", "<"), ("less than", "<"), ("under", "<"), ("below", "<"),
    ("up to", "<="), ("at most", "<="), ("no more than", "<="), ("just under", "nearly"), ("nearly", "nearly"),
    ("almost", "nearly"), ("just shy of", "nearly"), ("just over", "just over"), ("about", "~"), ("around", "~"),
    ("approximately", "~"), ("roughly", "~"), ("some", "~"), ("an estimated", "~"), ("estimated", "~"),
    ("close to", "~"), ("circa", "~"), ("approx.", "~"), ("~", "~")]
_QUALIFIER = re.compile(r"(?:^|[\s(])(" + "|".join(re.escape(q) for q, _ in _QUALIFIERS) + r")\s*(?:a total of\s+)?$")

# 2,500 and 2 500 (a space as thousands separator, as some newsrooms print it)
# and 1,15,000 (an Indian lakh)
_NUM = (r"\d{1,2}(?:,\d\d)+,\d{3}(?![\d,])|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:, \d{3})+(?![\d,.])"
        r"|\d{1,3}(?: \d{3})+(?!\d|[,.]\d)|\d+(?:\.\d+)?")
_SCALE = r"trillion|billion|million|thousand|bn|tn|mn|m|b"
_MONEY = re.compile(rf"(?:us\s?\$|\$|usd\s?)\s?({_NUM})(?:\s?({_SCALE})\b)?"
                    rf"|\b({_NUM})\s?({_SCALE})?\s?(?:(?:u\.?s\.?\s?)?dollars|usd)\b")
_PERCENT = re.compile(rf"(?<![\w.])({_NUM})\s?(?:%|percent\b|per cent\b|pc\b)")
_FOLD = re.compile(rf"(?<![\w.])({_NUM}|{'|'.join(CARDINAL_WORDS)})[- ]?fold\b|\b("
                   + "|".join(_FOLD_WORDS) + rf")\b|(?<![\w.])({_NUM}|{'|'.join(CARDINAL_WORDS)}) times\b")
_ORDINAL = re.compile(r"(?<![\w.])(\d{1,3})(?:st|nd|rd|th)\b|\b("
                      + "|".join(sorted(ORDINAL_WORDS, key=len, reverse=True)) + r")\b")
_FRACTION = re.compile(r"\b(" + "|".join(sorted(_FRACTIONS, key=len, reverse=True)) + r")\b")
_PLAIN = re.compile(rf"(?<![\w.$/-])({_NUM})(?:\s({_SCALE})\b)?(?![\w/]|-(?:fold|year|strong\b)|,\d)")
_UNIT_WORD = "|".join(_UNITS[1:10])
_SMALL_WORD = "|".join(sorted(_UNITS[2:] + list(_TENS), key=len, reverse=True))
# "fifty-six", "twenty one", "two hundred", "eighteen hundred", "one hundred and fifteen",
# "three thousand five hundred": one figure, not several
_WORD = rf"(?:{_SMALL_WORD}|one|hundred|thousand)"
_COMPOUND = rf"(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))+"
# (a "1,000-member" force or mission too, not a "250-member aviation battalion" nor a "15-member council")
_STRONG = re.compile(rf"(?<![\w.$/-])({_NUM})(?:[- ]strong\b|[- ]member(?=\s+(?:[\w.'-]+\s+){{0,5}}?(?:force|mission"
                     rf"|operation)\b))")
_WORD_COUNT = re.compile(r"\b(" + _COMPOUND + "|" + "|".join(CARDINAL_WORDS)
                         + r"|a dozen|dozens of|hundreds of|thousands of)\b")
_INDEX = re.compile(r"(?:^|[\s:;,])(\d{1,2})[).]\s+(?=[A-Z])")
# what a count counts: the noun a few words after it, adjectives and demonyms between
_NOUNS: list[tuple[str, str, str | None]] = [
    (r"(?:[\w,-]+ ){0,3}(?:and|&) (?:\w+ )?civilians?\b(?!\s+police)|(?:united nations |un )?volunteers"
     r"|(?:un|u\.n\.|united nations) (?:staff|personnel)(?! (?:and|&) )|civilians?(?!\s+police)|civilian (?:staff|personnel|employees)|staff members"
     r"|national staff|international staff|staff|refugees|people(?!\s+(?:deployed|serving|in uniform|on mission))|displaced|residents|children|inhabitants|volunteers",
     "other", None),
    (r"troop-? and police-? ?contributing (?:countries|nations)", "countries", None),
    # "41 troop contributing countries": the countries, not the troops
    (r"(?:troop|police)[- ]contributing (?:countries|nations|states)", "countries", None),
    (r"(?:troops|soldiers|military personnel|military|police|police officers|military experts|experts|military observers"
     r"|observers)(?:(?:,\s(?:and\s)?|\s(?:and|&)\s)(?:police|experts|military experts|military observers|observers"
     r"|advisors|staff officers|police officers|police personnel|policemen|troops|soldiers))+|uniformed personnel",
     "persons", "personnel"),
    (r"killed|dead|deaths?|fatalities|lives|casualties|died", "deaths", None),
    (r"police(?:men| officers| personnel)?|policemen|policewomen|(?:formed )?police units?", "persons", "police"),
    (r"(?:military )?observers|experts(?: on mission)?|military experts|(?:military )?liaison officers", "persons",
     "experts"),
    (r"(?:armed forces|army|military|defence forces|defense forces) (?:members|personnel)|military personnel"
     r"|military staff|military(?=[,.]|\s+and\b)", "persons", "military"),
    (r"(?:military )?(?:troops|soldiers)|infantry|troop|(?:military )?staff officers|marines|engineers|battalions?|medics",
     "persons", "troops"),
    (r"women and men|men and women", "persons", "personnel"),  # "10,000 women and men in uniform"
    (r"women|female", "other", "women"),
    (r"people(?=\s+(?:deployed|serving|in uniform|on mission))"
     r"|peace[- ]?keepers|blue[- ](?:helmets?|berets?)|personnel|officers|men and women|men(?!\s+and\s+[\d,]+\s+women)|servicemen"
     r"|service members"
     r"|(?:military )?members", "persons", "personnel"),
    # people named by where they come from: the sentence's noun says of what ("127 UK citizens ... as police")
    (r"citizens|nationals|colleagues|individuals", "persons", None),
    (r"(?:troop[- ]contributing |police[- ]contributing |contributing )?(?:countries|nations|states|member states"
     r"|contributors)", "countries", None),
    (r"(?:peacekeeping |un |political )?(?:missions|operations)", "missions", None),
    (r"army|armed forces|military|militaries|reservists|navy|air force|active(?:-duty)? (?:troops|personnel"
     r"|soldiers)", "other", "army"),
]
_NOUN = [(re.compile(rf"(?:{pat})\b"), unit, measure) for pat, unit, measure in _NOUNS]
# words a count's noun phrase may hold before its noun ("2,500 Chinese peacekeepers"); any
# other word ends the search ("2,700 in Mali", "115 on the ground")
_STOP = frozenset("united in on to from of for with at by the a an is are was were be been have has had will would who "
                  "which that this these those as than per each every its their his her".split())


_NUMBER_OF = re.compile(r"\s*the (?:total )?number of\s+")
_BROUGHT_TO = re.compile(r"\b(?:brings?|bringing|brought|rais(?:es|ed|ing)|rises?|rose|risen)\s+(?:\w+\s+)?to\s*$")


def _counted_noun(low: str, start: int, end: int) -> str | None:
    """"This brings to five the number of peacekeepers killed": the noun the figure counts,
    after "the number of", where a total is brought to the figure. (Asked of every figure:
    the text after it is matched in place, not copied.)"""
    if (of := _NUMBER_OF.match(low, end)) and _BROUGHT_TO.search(low[max(0, start - 40):start]):
        return low[of.end():]
    return None


def read_numbers(text: str, skip: list[tuple[int, int]]) -> list[Number]:
    """Every figure in ``text`` in order, except inside ``skip`` (dates already read)."""
    low = text.lower()
    taken: list[tuple[int, int]] = list(skip)
    out: list[Number] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in taken)

    def add(n: Number) -> None:
        taken.append((n.start, n.end))
        out.append(n)

    for m in re.finditer(r"\[\d{1,3}\]", text):  # a footnote's mark: "[1]China deploys"
        taken.append(m.span())
    for m in _INDEX.finditer(text):
        if free(*m.span(1)):
            add(Number(m.group(1), m.start(1), m.end(1), float(m.group(1)), "index"))
    for m in _MONEY.finditer(low):
        num, scale = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if free(*m.span()):
            add(_qualified(low, Number(text[m.start():m.end()], m.start(), m.end(),
                                       _value(num) * _SCALES.get(scale or "", 1.0), "money")))
    for m in _PERCENT.finditer(low):
        if free(*m.span()):
            add(_qualified(low, Number(text[m.start():m.end()], m.start(), m.end(), _value(m.group(1)), "percent")))
    for m in _FOLD.finditer(low):
        if free(*m.span()):
            word = m.group(1) or m.group(3)
            value = _FOLD_WORDS[m.group(2)] if m.group(2) else (CARDINAL_WORDS.get(word) or _value(word))
            add(_qualified(low, Number(text[m.start():m.end()], m.start(), m.end(), float(value), "multiplier")))
    for m in _FRACTION.finditer(low):
        if free(*m.span()):
            add(_qualified(low, Number(text[m.start():m.end()], m.start(), m.end(), _FRACTIONS[m.group(1)],
                                       "fraction")))
    for m in _ORDINAL.finditer(low):
        if free(*m.span()):
            value = int(m.group(1)) if m.group(1) else ORDINAL_WORDS[m.group(2)]
            after = low[m.end():m.end() + 20]
            unit = "anniversary" if re.match(r"\s+(?:anniversary|birthday|session|year)", after) else "rank"
            add(Number(text[m.start():m.end()], m.start(), m.end(), float(value), unit, op="=="))
    for m in _STRONG.finditer(low):  # "the 377-strong contingent", "a 290 strong unit": its headcount
        if free(*m.span(1)):
            add(_qualified(low, Number(text[m.start(1):m.end(1)], m.start(1), m.end(1), _value(m.group(1)), "persons",
                                       measure="unit")))
    for m in _PLAIN.finditer(low):
        if not free(*m.span()):
            continue
        raw, scale = m.group(1), m.group(2)
        if _label(low, m.start()):
            add(Number(text[m.start():m.end()], m.start(), m.end(), _value(raw), "label"))
            continue
        value = _value(raw) * _SCALES.get(scale or "", 1.0)
        after = low[m.end():].lstrip()
        if re.search(r"\btop\s*$", low[:m.start()]):  # "among the top 10": a rank at most 10
            add(Number(text[m.start():m.end()], m.start(), m.end(), value, "rank", op="<="))
            continue
        if scale is None and re.fullmatch(r"(?:19|20)\d\d", raw) and not re.match(r"(?:peacekeepers|troops)\b",
                                                                                       after):
            add(Number(raw, m.start(), m.end(), value, "year", role="date"))
            continue
        add(_qualified(low, _noun(Number(text[m.start():m.end()], m.start(), m.end(), value, "count"),
                                  _counted_noun(low, m.start(), m.end()) or after)))
    for m in _WORD_COUNT.finditer(low):
        if not free(*m.span()):
            continue
        value = float(CARDINAL_WORDS.get(m.group(1)) or _word_value(m.group(1)))
        if re.search(r"\bnumber\s*$", low[:m.start()]) and value:  # "China is now number ten"
            add(Number(text[m.start():m.end()], m.start(), m.end(), value, "rank", op="=="))
            continue
        if re.search(r"\btop\s*$", low[:m.start()]) and value:  # "among the top four"
            add(Number(text[m.start():m.end()], m.start(), m.end(), value, "rank", op="<="))
            continue
        if re.match(r"\s*(?:other\s+)?(?:permanent|p5|members of the security)", low[m.end():]):
            continue  # "the other four permanent members", "the five permanent members": a group's size
        n = _noun(Number(text[m.start():m.end()], m.start(), m.end(), value, "count"),
                  _counted_noun(low, m.start(), m.end()) or low[m.end():].lstrip())
        if re.search(r"\b(?:several|a few|few|many|one in|one out of)\s*$", low[:m.start()]) or m.group(1).endswith(" of"):
            continue  # "several hundred", "hundreds of": no figure
        if n.unit != "count" and n.value:  # a word number counts only with its noun ("two peacekeepers")
            add(_qualified(low, n))
    for m in _ONE_DEATH.finditer(low):
        g = 1 if m.group(1) else 2
        if free(*m.span(g)):  # "a Nigerian peacekeeper was killed": at least one death that month
            add(Number(text[m.start(g):m.end(g)], m.start(g), m.end(g), 1.0, "deaths", op=">=", approx=m.group(g)))
    return _distributed(low, sorted(out, key=lambda n: n.start))


# one death told with an article: "a Nigerian peacekeeper was killed Saturday", "killing one
# peacekeeper from Egypt", "the killing of a peacekeeper from Nepal", "a United Nations
# peacekeeper from Rwanda lost their life", "which resulted in one Rwandan peacekeeper
# killed", "resulted in the death of an UNMISS peacekeeper", "One Moroccan personnel also died"
_ONE_PERSON = (r"(?:[\w.'-]+\s+){0,3}?(?:peace[- ]?keeper|soldier|blue helmet|police officer|policeman|military observer"
               r"|staff officer|personnel)\b")
_ONE_DEATH = re.compile(rf"\b(a|an|one)\s+{_ONE_PERSON}(?=(?:(?!\band\b)[^.;]){{0,100}}?\b(?:(?:was|has been|had been)"
                        rf"\s+(?:shot\s+(?:and\s+)?)?killed|died|lost (?:his|her|their) li(?:fe|ves)|was slain)\b"
                        rf"|\s+killed\b)"
                        rf"|\b(?:kill(?:ing|ed)(?:\s+of)?|deaths? of)\s+(a|an|one)\s+{_ONE_PERSON}")


def _distributed(low: str, numbers: list[Number]) -> list[Number]:
    """A qualifier before a list of counts qualifies each: "more than 83,000 troops,
    13,000 police, and 2,000 observers" is more than 13,000 police too."""
    out: list[Number] = []
    for n in numbers:
        prev = out[-1] if out else None
        if prev is not None and n.approx == "bare" and prev.approx != "bare" and prev.unit == n.unit == "persons" and \
                re.fullmatch(r"\s*[a-z -]{1,30}?(?:,\s*(?:and\s+)?|\s+and\s+)", low[prev.end:n.start]):
            n = replace(n, op=prev.op, approx=prev.approx)
        out.append(n)
    return out


def _word_value(words: str) -> int:
    """The value of a compound number in words ("fifty-six" 56, "fifteen hundred" 1,500);
    0 for words that name no figure ("a dozen", "hundreds of")."""
    total = current = 0
    for w in re.split(r"[\s-]+", words):
        if w == "and":
            continue
        if w == "hundred":
            current = max(current, 1) * 100
        elif w == "thousand":
            total, current = total + max(current, 1) * 1000, 0
        elif w in _TENS:
            current += _TENS[w]
        elif w in _UNITS:
            current += _UNITS.index(w)
        else:
            return 0
    return total + current


def _value(raw: str) -> float:
    return float(raw.replace(",", "").replace(" ", ""))


def _label(low: str, start: int) -> bool:
    """Digits that belong to a name: resolution 2100, Chapter 7, COVID-19, Article 43."""
    before = low[max(0, start - 14):start]
    return bool(re.search(r"(?:resolution|resolutions|chapter|article|no\.|unscr|paragraph|page|covid-"
                          r"|section|phase|sector|battalion|brigade|id|code)\s*$", before))


def _noun(n: Number, after: str) -> Number:
    """The unit a count takes from the noun after it, looking past at most three
    adjectives; an army's strength is "other" with measure "army"."""
    rest = after
    for _ in range(4):
        rest = rest.lstrip(" \"'“”‘’(")
        # an adjective that is also a noun: "blue-helmet soldiers", "uniformed police"
        # ("UN personnel" alone counts civilians too: it is left to the nouns below)
        if m := re.match(r"(?:(?:blue[- ]helmet(?:ed)?|uniformed)(?:\s+peace[- ]?keeping)?\s+|(?:u\.?n\.?|united nations)"
                         r"\s+peace[- ]?keeping\s+)(?=(?:soldiers|troops|police|observers|experts|personnel|peacekeepers)\b)"
                         r"|(?:u\.?n\.?|united nations)\s+(?=(?:soldiers|troops|police|observers|experts|peacekeepers"
                         r"|military observers|military experts|military personnel)\b)",
                         rest):
            rest = rest[m.end():]
        for pattern, unit, measure in _NOUN:
            if found := pattern.match(rest):
                if measure == "personnel" and unit == "persons" and re.match(r"troops|soldiers|military", rest) \
                        and not re.search(r"\bpolice\b", rest[:found.end() + 50]):
                    measure = "military"  # "73 500 troops and military observers": no police among them
                return replace(n, unit=unit, measure=measure)
        word = re.match(r"[\w.'’-]+", rest)
        if word is None or word.group(0) in _STOP:
            break
        if re.fullmatch(r"[a-z]+(?:ians|ans|ese|is)", word.group(0)) and rest[len(word.group(0)):][:1] in ("", " ",
                                                                                                         ",", "."):
            return replace(n, unit="persons", measure=None)  # "1,266 Brazilians": the sentence says of what
        rest = rest[word.end():]
    return n


def _qualified(low: str, n: Number) -> Number:
    """The figure with the operator its qualifier asserts ("more than" >, "about" ~)."""
    m = _QUALIFIER.search(low[max(0, n.start - 30):n.start])
    if not m:
        return n
    word = m.group(1)
    op = dict(_QUALIFIERS)[word]
    return replace(n, op=op, approx=word)


def tolerance(n: Number) -> float:
    """The relative tolerance the wording allows around ``n``: 10 % for an approximation
    word; for a bare figure, half the unit of its last written digit (2,500: 50; 2.3
    million: 0.05 million; 2,322: 0.5), never under 2 % nor over 10 %."""
    if n.approx != "bare":
        return 0.10
    found = re.search(r"\d[\d, ]*(?:\.\d+)?", n.text)
    if found is None and n.unit in ("multiplier", "fraction", "rank"):  # "twentyfold", "half"
        return 0.10
    # a count in words is as exact as its digits: "one hundred fifteen" is 115
    digits = found.group(0).replace(" ", "").replace(",", "") if found else f"{n.value:.0f}"
    whole, _, decimals = digits.partition(".")
    unit = 10.0 ** -len(decimals) if decimals else 10.0 ** (len(whole) - len(whole.rstrip("0") or "0"))
    mantissa = float(digits) or 1.0
    return min(0.10, max(0.02, unit / 2 / mantissa))
