"""From a sentence's typed figures, names and dates to the claims it makes.

A claim is formed only where the figure's unit, the measure and the names' roles fit a
function the fact base answers (docs/claims.md, "Prose"); every other figure is left
with the reason. A sentence about something the fact base does not hold (a national
army, an AU or French operation, a cumulative "since 1990" total, a pledge, an approved
budget) is marked outside and is never true or false.

Months: a claim whose sentence names no date is written with ``{m}`` for its month and
checked over the as-of window (the article's month and the two before: newsrooms quote
the latest monthly report, which lags); a stated date fixes it.

Deaths are read in deaths.py; what a figure's clause ties it to (its comparison, its
mission, a host) in clauses.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from .clauses import (after_from, clause_at, comparison, figure_word, hosted_at, hosts_of, is_demonym,
                      mission_of, month_at, place_before)
from .dates import Dates, shift
from .deaths import CUMULATIVE, DEATH, LIVES_GIVEN, MALICIOUS, WHO_DIED, read_deaths
from .entities import NON_UN, UN_MARKER, Entity, mission_hosted
from .model import Draft, Number

if TYPE_CHECKING:
    from ...db import Database

__all__ = ["Reading", "draft_claims", "WINDOW"]

#: the as-of window: the article's month and this many before it
WINDOW = 2
_MEASURE_NOUNS = [(re.compile(r"\btroops?\b|\bsoldiers\b|\bmilitary personnel\b|\btroop contributor"), "troops"),
                  (re.compile(r"\bpolice\b|\bpolicemen\b|\bpolice officers\b"), "police"),
                  (re.compile(r"\bmilitary observers\b|\bexperts on mission\b"), "experts"),
                  (re.compile(r"\bpeace[- ]?keepers\b|\bpersonnel\b|\bblue (?:helmets|berets)\b|\buniformed\b|\bcontribut"),
                   "personnel")]
_PLEDGE = re.compile(r"\bpledg|\bstandby\b|\bstand-by\b|\bwill (?:send|deploy|provide|contribute|dispatch)"
                     r"|\bplans? to\b|\bpromised\b|\bcommitted to (?:send|provid|deploy)|\bready to deploy"
                     r"|\bwould (?:send|deploy|contribute|provide)|\bproposed\b|\brequested\b|\bto be deployed\b|\bpromis|\boffer"
                     r"|\bwants? to\b|\bseeks? to\b|\bintends? to\b|\bceiling\b|\bwill increase\b|\bto increase\b"
                     r"|\bagreed to send\b|\bhas agreed\b|\bwill be\b|\bup to\b(?!\s+(?:now|date|the (?:\d|end)|\d{1,2}(?:st|nd|rd|th)?\s+[a-z]))|\bwill have\b|\bwhen (?:it is |it's )?(?:fully|it reaches)"
                     r"|\bfull deployment\b|\bonce fully\b|\bwill remain\b|\bwill rise\b|\bwill pay\b|\bwill grow\b|\btrained\b"
                     r"|\btraining\b|\bexpected\b|\bplanned\b|\benvisaged\b|\bplea\b|\bappeal(?:ed)? for\b|\bextra\b"
                     r"|\bcall(?:ed|s)? for\b|\bwill soon\b|\bto be sent\b"
                     r"|\badditional\b|\bnew contingent\b|\bfresh\b|\bto dispatch\b|\bto send\b|\bto deploy\b|\bvoted to\b"
                     r"|\bdecided to\b|\bnew (?:soldiers|troops|peace[- ]?keepers)\b", re.I)
# what the figure itself will do or did just now: "The 875 soldiers will serve", "266 peacekeepers arrived"
_ARRIVAL = re.compile(r"\bwill (?:serve|join|arrive|leave|deploy)\b|\barrived\b|\bwill be (?:sent|deployed)\b", re.I)
_MONEY_WORDS = re.compile(r"\bbudget|\bfund|\bfinanc|\bassess|\bpays?\b|\bpaid\b|\bpaying\b|\bdues\b|\bdonor"
                          r"|\bpayer|\bcontributions? to the (?:un )?(?:peacekeeping )?budget", re.I)
_WOMEN = re.compile(r"\bwomen\b|\bfemale\b|\bgender\b", re.I)
_CHANGE = re.compile(r"\b(?:increase|increased|rise|rose|grew|growth|fell|decline|declined|drop|dropped|cut|cuts"
                     r"|reduction|reduced|reduce|reduces|reducing|slash|slashed|trim|trimmed|boost|boosted|raise|raised"
                     r"|down|up)\b(?:[^.;\d]{0,80}?)\s+by\s*(?:about\s+|some\s+|nearly\s+|around\s+)?$", re.I)
_RANK_WORDS = re.compile(r"\blargest\b|\bbiggest\b|\bcontribut|\branks?\b|\branked\b|\branking\b|\bplace\b"
                         r"|\bposition\b|\btop\b|\bprovider|\bprovision\b|\bhighest\b|\bon the list\b|\bnumber\b"
                         r"|\bcomes?\b|\bcame\b|\bplaced\b|\bstands?\b|\bstood\b|\bin sending\b|\bsupplier"
                         r"|\bin (?:global|absolute) terms\b|\bglobally\b", re.I)
_FUNDER = re.compile(r"\bfund|\bfinancial\b|\bfinancier|\bbudget|\bpayer|\bdonor|\bassess|\bfinancing|\bpays?\b"
                     r"|\bpaid\b|\bpaying\b|\bdues\b", re.I)
_PERSONS_WORDS = re.compile(r"\btroops?\b|\bpeace[- ]?keepers\b|\bpersonnel\b|\bpolice\b|\bsoldiers\b|\buniformed\b"
                            r"|\bblue helmets\b|\bdeploy", re.I)


@dataclass(frozen=True)
class Carried:
    """What a sentence leaves to the next: the country and mission a pronoun may stand for,
    and whether it spoke of money ("China with 10.3 per cent and Japan with 9.7")."""

    contributor: Entity | None = None
    mission: Entity | None = None
    money: bool = False
    named: tuple[Entity, ...] = ()  # every country it named, for "these three countries"
    mission_first: bool = False  # its subject was a mission: "It had about 4,650 troops" is the mission's
    malicious: bool = False  # it counted deaths in malicious acts: "Of these, 14 were in MINUSMA" counts those too


@dataclass
class Reading:
    drafts: list[Draft] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)  # why figures were not turned into claims
    outside: str | None = None  # what the sentence speaks of that the fact base does not hold
    carry: Carried = field(default_factory=Carried)  # for a pronoun in the next sentence


def _fraction_cmp(n: Number) -> str:
    """The comparison a fraction in words asserts ("less than half": < 50%; "about a third":
    ~ 33.33% ± 10%)."""
    shown = f"{n.value * 100:.4g}%"
    return f"{n.op} {shown}" if n.op in (">", ">=", "<", "<=") else f"~ {shown} ± 10%"


def _measure(text: str, default: str = "personnel") -> str:
    low = text.lower()
    hits = [(m.start(), name) for pattern, name in _MEASURE_NOUNS if (m := pattern.search(low))]
    return min(hits)[1] if hits else default


def stock_month(dates: Dates, as_of: date) -> str:
    """The month a headcount is read at: a stated month; a stated past year's December (the
    current year: the as-of window); else the as-of window ("{m}"). A month after the as-of
    month dates something else ("serving under the mission, which expires July 2013"): no
    headcount is known before its month."""
    if dates.month is not None and dates.month <= as_of:
        return f"{dates.month:%Y-%m}"
    if dates.month is not None:
        return "{m}"
    if dates.year is not None and dates.year < as_of.year:
        return f"{dates.year}-12"
    return "{m}"


def window(as_of: date) -> list[str]:
    return [f"{shift(as_of, -i):%Y-%m}" for i in range(WINDOW + 1)]


# a mission named in an earlier sentence: "the mission", "that mission", "the UN peacekeeping
# force", "the present UN deployment"
_THE_MISSION = (r"\b(?:the|that|this)\s+(?:(?:un|u\.n\.|united nations|peace[- ]?keeping|present|current|enhanced)\s+){0,3}"
                r"(?:mission|operation|force|deployment)\b")


# contributions "to UN peacekeeping operations" at large: no one mission's
_EVERYWHERE = re.compile(r"\b(?:to|in|across)\s+(?:the\s+|various\s+|different\s+)?(?:un|u\.n\.|united nations"
                         r"|peace[- ]?keeping)\s+(?:peace[- ]?keeping\s+)?(?:operations|missions)\b")


def _country_only(low: str, carried: Carried) -> bool:
    """Whether the pronoun is "the country" for the country the sentence before spoke of."""
    return carried.contributor is not None and not carried.mission_first and \
        bool(re.search(r"\bthe (?:[\w-]+\s+){0,2}?(?:country|nation)\b", low)) and \
        not re.search(_THE_MISSION + r"|\b(?:it|its)\b", low)


def draft_claims(db: Database, text: str, numbers: list[Number], entities: list[Entity], dates: Dates,
                 as_of: date, carried: Carried) -> Reading:
    """The claims ``text`` makes, or why it makes none."""
    low = text.lower()
    r = Reading()
    contributors = [e for e in entities if e.role == "contributor"]
    pronoun = re.search(r"\b(?:it|its|the defence forces|(?:they|these|this)\s+(?:include[sd]?|comprise[sd]?|consist(?:s|ed)?"
                        r" of)"
                        r"|the army|our (?:troops|soldiers|peacekeepers))\b"
                        r"|\bthe (?:[\w-]+\s+){0,2}?(?:country|nation|nations)\b|" + _THE_MISSION, low)
    # "The country has a total of 6,731 peacekeepers to the UN peacekeeping operations", after
    # "Bangladesh deployed 160 peacekeepers in the Central African Republic": the country the
    # sentence before spoke of, in every mission, not the mission it named
    if pronoun and carried.mission is not None and not any(e.role in ("mission", "host") for e in entities) and \
            not _country_only(low, carried) and not _EVERYWHERE.search(low):
        m = carried.mission
        entities = [*entities, Entity(m.code, "mission", "mission", -1, -1, m.text)]
    if pronoun and carried.contributor is not None and not contributors and not carried.mission_first and \
            not re.search(_THE_MISSION, low):
        c = carried.contributor
        contributors = [Entity(c.code, c.kind, "contributor", -1, -1, c.text)]
    if (these := re.search(r"\b(?:these|those|the)\s+(two|three|four|five|six|seven|\d)\s+(?:countries|nations"
                           r"|contributors|states)\b", low)) and not contributors:
        from .quantities import CARDINAL_WORDS

        count = int(these.group(1)) if these.group(1).isdigit() else CARDINAL_WORDS[these.group(1)]
        if len(carried.named) == count:  # "these three countries": the three the sentence before named
            contributors = [Entity(e.code, e.kind, "contributor", -1, -1, e.text) for e in carried.named]
            entities = [*entities, *contributors]
    missions = [e for e in entities if e.role == "mission"]
    persons, money = _PERSONS_WORDS.search(low), _MONEY_WORDS.search(low)
    named = tuple({e.code: e for e in entities if e.role == "contributor" and e.kind == "country"}.values())
    first = min((e for e in entities if e.start >= 0 and e.role in ("contributor", "mission", "host")),
                key=lambda e: e.start, default=None)
    hosts = list(dict.fromkeys(e.code for e in entities if e.role == "host"))
    # "the mission" in Ivory Coast: UNOCI; "in Ethiopia and Eritrea": UNMEE, the one both host
    if not missions and hosts and len(hosted_by := {mission_hosted(db, h, as_of) for h in hosts}) == 1 and \
            (hosted := hosted_by.pop()):
        missions = [Entity(hosted, "mission", "mission", -1, -1, hosted)]
    r.carry = Carried(contributors[0] if contributors else carried.contributor,
                      missions[0] if len({e.code for e in missions}) == 1 else carried.mission,
                      bool(money and not persons) or (carried.money and not persons and not money), named,
                      first is not None and first.role in ("mission", "host") if first else carried.mission_first)
    money_topic = r.carry.money
    if item := _list_item(text, numbers, contributors):
        r.drafts = _troops_or_everybody(item, low)
        return r
    if resp := _respectively(text, numbers, contributors, stock_month(dates, as_of)):
        r.drafts = _troops_or_everybody(resp, low)
        return r
    r.outside = _outside(low, numbers, entities)
    if r.outside:
        return r
    month = stock_month(dates, as_of)
    used: set[int] = set()
    scoped: list[str] = []
    for i, n in enumerate(numbers):
        if n.unit == "other" and DEATH.search(text[slice(*clause_at(text, n.start))]) and re.match(
                r"\s*(?:[\w-]+,?\s+){0,4}?(?:military|police|uniformed|peace[- ]?keep|(?:un|u\.n\.|united nations)"
                r" (?:staff|personnel))", low[n.end:n.end + 60]):
            # "125 military, police and civilian staff, who perished": the deaths file counts them all
            n = numbers[i] = replace(n, unit="deaths")
        if n.unit in ("index", "label", "year", "date", "anniversary", "other") or n.role == "date":
            continue
        if (why := _clause_scope(text, n, numbers, dates)) is not None:
            scoped.append(why)
            r.reasons.append(f"{n.text}: outside the fact base: {why}")
            continue
        draft, reason = _from_number(db, text, i, n, numbers, entities, contributors, dates, as_of, month,
                                     money_topic, carried.malicious)
        if draft is not None:
            r.drafts.append(draft)
            used.add(i)
        elif reason:
            r.reasons.append(f"{n.text}: {reason}")
    for d in _sentence_shapes(text, contributors, entities, month, numbers, used):
        if all(d.claim != x.claim for x in r.drafts):
            r.drafts.append(d)
    if not r.drafts and scoped:
        r.outside = scoped[0]
    if any("cause=malicious" in d.claim for d in r.drafts) or DEATH.search(low) and MALICIOUS.search(low):
        r.carry = replace(r.carry, malicious=True)
    if not r.drafts and not r.reasons:
        r.reasons.append("no figure or comparison to check")
    r.drafts = _troops_or_everybody(r.drafts, low)
    return r


#: other kinds of personnel named beside troops: the writer tells them apart
_OTHER_KINDS = re.compile(r"\bpolice\b|\bpolicem[ae]n\b|\bexperts?\b|\bobservers?\b|\bstaff officers?\b|\bcivilians?\b")


def _troops_or_everybody(drafts: list[Draft], low: str) -> list[Draft]:
    """A writer's "troops" or "soldiers" is troops, or every uniformed person: the UN ranks
    contributors by their uniformed total, and newsrooms call it "troops" ("Nepal ... sent
    5,571 troops" against 5,571 personnel and 5,119 troops). Each claim of troops gains the
    reading of everybody, unless the sentence names police or experts beside them
    (docs/claims.md, "Two readings"). The drafts are changed in place and returned."""
    if _OTHER_KINDS.search(low):
        return drafts
    for d in drafts:
        senses = [d.claim, *d.alternatives]
        everybody = [e for c in senses if "experts(" not in c and "police(" not in c and
                     (e := c.replace("troops(", "personnel(").replace(", type=troops", "")) != c]
        if everybody := [e for e in dict.fromkeys(everybody) if e not in senses]:
            d.alternatives.extend(everybody)
            d.note = "; ".join(x for x in (d.note, "'troops' read as troops, or every uniformed person") if x)
    return drafts


def _list_item(text: str, numbers: list[Number], contributors: list[Entity]) -> list[Draft]:
    """A ranked list's line, "10. Niger – 1,874": the figure."""
    m = re.fullmatch(r"\s*(\d{1,3})[.)]\s+(.+?)\s*[-–:,]?\s*(\d{1,3}(?:,\d{3})*|\d+)\s*\.?\s*", text)
    if not m or len(contributors) != 1 or contributors[0].start != m.start(2):
        return []
    idx = next((i for i, n in enumerate(numbers) if n.start == m.start(1)), None)
    val = next((i for i, n in enumerate(numbers) if n.start == m.start(3)), None)
    if idx is None or val is None:
        return []
    who, value = contributors[0].code, numbers[val]
    measure = _measure(text)
    cmp, bound = comparison(value)
    # the place is not checked: a list's scope (the world, Africa, troops only) is in its heading
    return [Draft(f"{measure}({who}, {{m}}) {cmp}", [val], bound, note=f"item {numbers[idx].text} of a list")]


def _respectively(text: str, numbers: list[Number], contributors: list[Entity], month: str) -> list[Draft]:
    """"Pakistan, India and Nepal ranked 2nd, 3rd and 6th by sending 10635, 8704 and 4735
    peacekeepers respectively": the i-th country with the i-th figure of each list."""
    if not re.search(r"\brespectively\b", text, re.I) or len(contributors) < 2:
        return []
    out: list[Draft] = []
    ranks = [(i, n) for i, n in enumerate(numbers) if n.unit == "rank"]
    counts = [(i, n) for i, n in enumerate(numbers) if n.unit in ("persons", "count")]
    measure = _measure(text)
    if len(ranks) == len(contributors):
        out += [Draft(f"rank({c.code}, {month}) == {int(n.value)}", [i]) for c, (i, n) in zip(contributors, ranks)]
    if len(counts) == len(contributors):
        for c, (i, n) in zip(contributors, counts):
            cmp, bound = comparison(n)
            out.append(Draft(f"{measure}({c.code}, {month}) {cmp}", [i], bound))
    return out


# a part of a contingent the data do not count apart: "including 27 officers", "of whom 40 women"
_PART_OF = re.compile(r"\b(?:including|among them|of whom|of them)\s+(?:some\s+|about\s+|around\s+)?$")
_PART_NOUN = re.compile(r"\s*(?:[\w-]+\s+)?(?:officers|women|female|commanders)\b")


# "..., of whom 14,000 are in uniform": the part in uniform, after a total that counts civilians
_IN_UNIFORM = re.compile(r"\s+(?:are|were)\s+(?:in uniform|uniformed)\b")
_UNIFORMED_PART = re.compile(r"[^.;\d]{0,40}?,?\s*of whom\s+(?:(?:about|some|around|nearly|over|more than)\s+)?"
                             r"[\d,]+" + _IN_UNIFORM.pattern)


def _clause_scope(text: str, n: Number, numbers: list[Number], dates: Dates) -> str | None:
    """Why the figure's clause speaks of something the fact base does not hold: a pledge, a
    plan, a total over years."""
    c0, c1 = clause_at(text, n.start)
    clause = text[c0:c1]
    if n.unit in ("persons", "count") and (_LEAVING.search(text[max(0, n.start - 60):n.start])
                                           or _LEFT.match(text, n.end)):
        return None  # "the withdrawal of the 15,000 peacekeepers": those there now, whatever comes next
    if re.search(r"\bwill (?:remain|be|rise|increase|pay|grow|fall|become|have|drop|decline|decrease|go|climb|reach"
                 r"|reduce|cut|shrink)\b", clause, re.I):
        return "a future figure, not one the data hold yet"
    if n.unit not in ("persons", "count", "countries"):
        return None
    if n.unit in ("persons", "count") and re.match(r"[^.;\d]{0,15}(?:\d[\d,]*[^.;\d]{0,25})?\balready\s+(?:been\s+)?"
                                                    r"(?:deployed|serving|in place|on the ground|there)\b",
                                                    text[n.end:c1], re.I):
        return None  # "to boost the 9,000 already deployed": those there now, whatever is planned
    if _CEILING.search(text[max(c0, n.start - 80):n.start]) or _CEILING.match(text, n.end):
        return None  # "authorized up to 15,000", "a troop ceiling of 15,845": a strength the data hold
    if (_PLEDGE.search(clause) or _ARRIVAL.search(text[n.end:c1])) and \
            not DEATH.search(text[max(c0, n.start - 40):min(c1, n.end + 80)]) and \
            not re.search(r"\b(?:currently|at the time|when the (?:promise|pledge)|already|at present|presently"
                          r"|now has|there were)\b", text[max(c0, n.start - 60):min(c1, n.end + 40)], re.I) and \
            not re.search(r"\b(?:current|present|existing)\s+(?:[\w'’-]+\s+)?$", text[max(c0, n.start - 30):n.start], re.I) and \
            not (n.measure == "unit" and not re.search(r"\b(?:envisaged|planned|expected|proposed|new|additional)\s+$",
                                                         text[max(c0, n.start - 30):n.start], re.I)):
        # (deaths are never pledged: "... to send troops ... have claimed the lives of 80"; nor is
        # a figure said to stand now, "the current 3,000", nor an existing "14,000-strong" force)
        return "a pledge, an offer or a plan, not a deployment"
    if n.unit != "deaths" and not DEATH.search(clause) and not any(x.unit == "multiplier" for x in numbers) \
            and (CUMULATIVE.search(clause) or dates.span is not None and n.unit == "persons"):
        return "a total over years; the fact base holds month-end headcounts"
    return None


# an authorised strength: the words before the figure, or right after it ("15,000 authorized")
_CEILING = re.compile(r"\b(?:authori[sz](?:ed|es|ing|ation)|mandated|(?:troop|force|personnel|authori[sz]ed) ceiling"
                      r"|authori[sz]ed (?:strength|level|maximum))\b(?:(?!\bwill\b|\bto be\b)[^.;\d])*$"
                      r"|\s*(?:[\w-]+\s+){0,2}?(?:authori[sz]ed|mandated)\b", re.I)
# the figure a withdrawal or a cut starts from is the headcount there now
_LEAVING = re.compile(r"\b(?:withdrawal|withdraw|withdrawing|departure|pull-?out|repatriation|exit|drawdown|draw-?down"
                      r"|departing|evacuation|expulsion|reduce the number of|cut the number of)\s+(?:of\s+)?(?:all\s+)?(?:(?:the|its|some|about|around|nearly"
                      r"|over|more than|roughly|approximately)\s+)*$"
                      r"|\b(?:reduce[sd]?|reducing|cut|cutting|shrink|shrinking|bring down|expand(?:s|ed|ing)?"
                      r"|increas(?:e|es|ed|ing)|enlarg(?:e|es|ed|ing)|swell|boost(?:s|ed)?|rais(?:e|es|ed)"
                      r"|strengthen(?:s|ed)?|grow|grown|grew)\b[^.;\d]{0,40}\bfrom\s+"
                      r"(?:(?:its|the|their|a|current|present|existing|about|around|some|nearly|over|more than|roughly"
                      r"|approximately)\s+)*$"
                      r"|\bfrom\s+(?:its|the|their)\s+(?:current|present|existing)\s+(?:strength\s+of\s+)?$", re.I)
_LEFT = re.compile(r"[^.;\d]{0,60}?\b(?:to leave|leave the country|be (?:gradually )?withdrawn|withdraw(?:n)? by)\b", re.I)


# a figure that counts everybody who sent someone: "10,000 peacekeepers from 46 nations",
# "1,039 troops from Austria, Canada, Japan, Nepal, Poland and Slovakia", "83,000 soldiers
# in all", "UNIFIL's 10,500 peacekeepers", "brings the force's total to some 4,750" (but "a
# total of 6,596" is as often one country's)
_MANY_AFTER = re.compile(r"\s*(?:[\w-]+\s+){0,4}?(?:from|representing|drawn from|contributed by)\s+(?:some |about |over "
                         r"|more than |nearly |around |almost |at least )?(?:\d[\d,]*|[a-z]+(?:-[a-z]+)?)\s+(?:different "
                         r"|other |member |troop[- ]contributing |contributing )?(?:countries|nations|states"
                         r"|contributors)\b|\s*(?:[\w-]+\s+){0,3}?(?:in all|in total|altogether)\b", re.I)
_MANY_BEFORE = re.compile(r"(?:\b(?:force|mission|operation)'s (?:total|strength)"
                          r"(?: \w+)? (?:to|of|at)|\btotal (?:strength|number) (?:of|to|at)|\bthe total (?:to|at))\s+"
                          r"(?:(?:some|about|over|more than|nearly|around|almost|roughly|approximately) )?$", re.I)


def _of_many(text: str, n: Number, entities: list[Entity]) -> bool:
    """Whether the figure counts the people of many contributors, not one's (see _MANY_AFTER)."""
    low = text.lower()
    if _MANY_AFTER.match(low, n.end) or _MANY_BEFORE.search(low[max(0, n.start - 50):n.start]):
        return True
    if any(e.role == "mission" and re.fullmatch(r"['’]s\s+(?:(?:some|about|over|nearly|around|almost|more than|roughly"
                                                 r"|approximately|just over|just under|close to) )?", low[e.end:n.start])
           for e in entities):
        return True
    listed = re.match(r"\s*(?:[\w-]+\s+){0,3}?from\s+", low[n.end:])
    if listed:  # "from Austria, Canada, Japan ...": three names or more, one after another
        at, names = n.end + listed.end(), set()
        for e in sorted((e for e in entities if e.role in ("contributor", "group") and e.start >= at),
                        key=lambda e: e.start):
            if not re.fullmatch(r"\s*(?:,\s*|,?\s*and\s+|the\s+)*", low[at:e.start]):
                break
            names.add(e.code)
            at = e.end
        return len(names) >= 3
    return False


def _outside(low: str, numbers: list[Number], entities: list[Entity]) -> str | None:
    """Why the sentence speaks of something the fact base does not hold, if it does."""
    measured = [n for n in numbers if n.unit in ("persons", "count", "percent", "money", "countries", "deaths")]
    if not measured and not re.search(r"\blargest\b|\bmost\b|\bmore\b|\bfewest\b|\brank", low):
        return None
    if any(e.role == "nonun" for e in entities) or NON_UN.search(low):
        m = NON_UN.search(low)
        what = m.group(0) if m else next(e.text for e in entities if e.role == "nonun")
        return f"a force that is not a UN peacekeeping operation ({what})"
    if not UN_MARKER.search(low) and (m := re.search(
            r"\b(?:french|american|u\.s\.|us|british|russian|chinese|kenyan|ethiopian|ugandan|rwandan|chadian"
            r"|nigerian|turkish|israeli|syrian|malian|burundian)\s+(?:troops|soldiers|forces|military)\b"
            r"(?!\s+(?:and|or)\s+police)", low)):  # "24 Chinese military and police officers": peacekeepers
        return f"a national force, not UN peacekeepers ({m.group(0)})"
    if any(n.measure == "army" for n in numbers) and not UN_MARKER.search(low) or re.search(
            r"\b(?:world's|largest|standing|biggest) (?:army|military)\b(?!\s+(?:mission|operation|deployment))", low):
        return "a national army's strength, not UN peacekeepers"
    if re.search(r"\b(?:serving|deployed|stationed|serve)\s+(?:overseas|abroad)\b|\boverseas (?:missions|deployments|service)"
                 r"\b", low) and not re.search(r"\b(?:un|u\.n\.|united nations) (?:peace[- ]?keeping )?(?:missions|operations)\b"
                                               r"|\bwith (?:the )?(?:un|u\.n\.|united nations)\b", low) and \
            any(n.unit in ("persons", "count") for n in numbers) and not any(e.role == "mission" for e in entities):
        return "a country's deployments abroad, UN or not"  # "595 Defence Forces personnel serving overseas"
    if re.search(r"\bmissions? (?:throughout|around|across) the (?:world|globe)\b|\binternational organi[sz]ations\b", low) \
            and not UN_MARKER.search(low) and not any(e.role == "mission" for e in entities):
        # "Ireland is contributing 643 personnel to 9 different missions throughout the world":
        # EU and NATO missions among them
        return "a country's deployments abroad, UN or not"
    if re.search(r"\b(?:injur|wound)(?:ed|ing|ies|y|s)?\b", low) and not DEATH.search(low) and \
            not re.search(r"\bkill|\bdie[ds]?\b|\blost (?:their|his|her) li", low) and \
            any(n.unit in ("persons", "count") for n in numbers):
        return "injuries: the fact base counts deaths, not the wounded"
    if re.search(r"\bwould (?:have|be|bring|reach|take)\b|\bused to\b|\bsuggest(?:ed|s)? (?:keeping|a|an|that)\b"
                 r"|\badvised (?:the \w+ (?:\w+ )?)?to (?:expand|increase|reduce|deploy)\b", low) and \
            not re.search(r"\b(?:current|present|currently|presently)\b", low):  # "from the present 8,000": today's
        return "a hypothesis, a proposal or a past habit, not a month's figure"
    if re.search(r"\bindex\b|\bindices\b|\bscore\b|\brated\b", low) and re.search(r"\brank|\bplace", low):
        return "a ranking on an index, not among contributors"
    if re.search(r"\bcholera\b|\bepidemic\b|\bebola\b|\bcovid|\bcases\b", low) and DEATH.search(low):
        return "deaths from disease in the population, not of peacekeepers"
    if re.search(r"\bper (?:million|capita|head|100,000|1,000|thousand)\b|\bper\s+\d", low):
        return "a figure per head of population; the fact base holds no populations"
    if numbers and all(n.unit == "other" or n.unit in ("index", "label", "year", "date", "anniversary")
                       for n in numbers) and any(n.unit == "other" for n in numbers):
        return "civilians or staff, not uniformed peacekeepers"
    return None


def _who(text: str, n: Number, entities: list[Entity], contributors: list[Entity]) -> Entity | None:
    """The contributor or group a figure belongs to: a demonym right after it ("2,500
    Chinese peacekeepers"), "from X" after it, the nearest name before it in its clause,
    else the sentence's first contributor."""
    c0, c1 = clause_at(text, n.start)
    low = text.lower()
    after = [e for e in entities if e.role in ("contributor", "group") and c0 <= e.start and e.start >= n.end
             and e.start < c1]
    for e in after:
        gap = low[n.end:e.start]
        if len(gap) <= 25 and (re.fullmatch(r"\s*(?:(?!and\b|or\b|while\b|but\b)[\w-]+\s+)?", gap)
                               and (e.kind == "country" or e.kind == "group" and not gap.strip())
                               and text[e.start:e.end][0].isupper()
                               or re.search(r"\bfrom\s+(?:the\s+)?$", gap)):
            return e
    before = [e for e in entities if e.role in ("contributor", "group") and c0 <= e.start < n.start]
    if before:
        return before[-1]
    if contributors and contributors[0].start < 0:  # carried from the sentence before
        return contributors[0]
    inside = [e for e in entities if e.role in ("contributor", "group") and c0 <= e.start < c1]
    if inside:
        return inside[0]
    if re.search(r"\b(?:it|its|their|they)\b", low[c0:n.start]):
        return None  # "while it removes its 12,947 peacekeepers": not the country named elsewhere
    return contributors[0] if contributors and len(contributors) == 1 else None


# words that place a figure in a country rather than sending it from there
_ON_SOIL = re.compile(r"\bmission\b|\bforce\b|\boperation\b|\bin the country\b|\bon the ground\b"
                      r"|\bserv(?:e|ing) as peace[- ]?keepers\b")


# words that put a contributor's figure in one mission named elsewhere
_ELSEWHERE = re.compile(r"\bthere\b(?!\s+(?:are|were|is|was|have|has|had)\b)|\bin the (?:\w+\s+)?(?:country|region|area)\b"
                        r"|\b(?:the|this|that)\s+(?:un\s+|u\.n\.\s+)?(?:force|mission|operation)\b|\bcontingents?\b")


def _year(dates: Dates, as_of: date) -> str:
    """A stated year, or "{y}": the article's year, or the one before where that has no data."""
    if dates.year is not None:
        return str(dates.year)
    return str(dates.month.year) if dates.month else "{y}"


def _from_number(db: Database, text: str, i: int, n: Number, numbers: list[Number], entities: list[Entity],
                 contributors: list[Entity], dates: Dates, as_of: date, month: str,
                 money_topic: bool, malicious: bool = False) -> tuple[Draft | None, str | None]:
    low = text.lower()
    c0, c1 = clause_at(text, n.start)
    clause = low[c0:c1]
    before = low[max(c0, n.start - 40):n.start]
    unit = n.unit
    if re.search(r"\b(?:out of|of a total of|one in|per)\s+(?:an?\s+)?(?:\w+\s+)?$", before) and \
            not re.search(r"\b(?:pull(?:s|ed|ing)?|mov(?:e|es|ed|ing)|step(?:s|ped|ping)?)\s+out of\s+(?:\w+\s+)?$", before):
        # (but "pulling out of the 1,000-member force" leaves the whole, which is the claim)
        return None, "a denominator, not a claim of its own"
    # a bare count takes its unit from the sentence: beside a name ("Tanzania, 10",
    # "Bangladesh 8,843"), it counts what the sentence counts
    if unit == "count":
        adjacent = any(e.end <= n.start and len(low[e.end:n.start]) <= 3 and re.fullmatch(r"[\s,:(]*",
                                                                                           low[e.end:n.start])
                       for e in entities if e.role in ("contributor", "group", "mission"))
        if re.search(r"(?:authori[sz]ed|approved)(?:\s+(?:strength|ceiling|troop level|level|force|total))?(?:\s+of)?\s*$",
                     before):
            unit = "persons"
        elif re.search(r"(?:troops|peace[- ]?keepers|personnel|soldiers|police|force|contingent|strength|blue helmets)\b"
                            r"[^.;]*?\b(?:number(?:ed|s|ing)?|total(?:led|ing|s)?|of|at|to|reached|stands at|stood at"
                            r"|was|were|is|are)\s+(?:\w+\s+){0,2}$", before) or re.search(
                r"(?:troops|peace[- ]?keepers|personnel|soldiers|police|forces|contingent|blue helmets|blue berets)\b"
                r"[^.;]*?\b(?:number(?:ed|s)?|total(?:led|s)?|stands at|stood at|(?:dropped|fell|rose|grew) to|is|are"
                r"|was|were)"
                r"\s+(?:(?:only|just|about|around|some|nearly|almost|over|more than|fewer than|less than|roughly"
                r"|approximately)\s+)*$", low[max(c0, n.start - 100):n.start]) and \
                not re.search(r"\bpeak(?:ed)? (?:at|of)\s*$", before):
            if re.search(r"\bcivilian", low[max(0, n.start - 80):n.start]):
                return None, "outside the fact base: a total that counts civilians"
            # "the peacekeepers who died in 2022, by country, were 7 from Pakistan": deaths
            unit = "deaths" if WHO_DIED.search(low, max(c0, n.start - 100), n.start) else "persons"
            # ("peacekeepers number 2,500", "a force of 9,000", "... stands at 2,720")
        elif re.search(r"\bwith\s+(?:about\s+|some\s+|around\s+|nearly\s+|over\s+|more than\s+)?$", before) and \
                any(e.role == "contributor" and c0 <= e.start < n.start for e in entities) and UN_MARKER.search(low):
            unit = "persons"  # "China is eight on the list of UN peacekeeping with 2,267"
        elif re.match(r"\s*(?:who\s+)?(?:have|has|had|were)?\s*(?:been\s+)?(?:killed|died|lost their lives|paying the"
                      r" ultimate|paid the ultimate|made the ultimate|made martyrs|martyred)\b", low[n.end:n.end + 30]) or \
                re.search(r"\bnumber of\b[^.;\d]{0,60}\b(?:killed|died|dead|deaths)\b[^.;\d]{0,50}\bto\s+$",
                          low[max(c0, n.start - 120):n.start]) or \
                DEATH.search(low) and re.match(r"\s*in\s+(?:19|20)\d\d\b", low[n.end:n.end + 10]):
            unit = "deaths"  # "168 have been killed", "from 34 in 2016 to 59 in 2017"
        elif _LEAVING.search(low[max(0, n.start - 60):n.start]) and _PERSONS_WORDS.search(clause):
            unit = "persons"  # "reduce the number of UNAMID troops from 13,000"
        elif re.match(r"\s+(?:is|was|are|were)\s+the\s+(?:total\s+)?number\s+of\s+(?:\w+\s+)?(?:peace[- ]?keepers|troops"
                      r"|soldiers|personnel|police|blue helmets)\b", low[n.end:n.end + 60]):
            unit = "persons"  # "19 815 is the number of peacekeepers deployed to MONUSCO"
        elif re.search(r"\bpeak(?:ed)? (?:at|of)\s*$|\bonce\s*$|\bat its (?:height|peak)", before):
            return None, "a past peak, not a month's figure"
        elif re.search(r"\bthe (?:total )?number of\b[^.;\d]{0,80}$|\b(?:troop|personnel|police) contributions?\b[^.;\d]{0,60}$"
                       r"|\bstrength\b[^.;\d]{0,40}$|\bnumber(?:s|ing)\s+(?:\w+\s+){0,2}$", low[c0:n.start]) and \
                (_PERSONS_WORDS.search(clause) or any(e.role == "contributor" and c0 <= e.start < n.start
                                                      for e in entities)) and \
                not re.search(r"\bcivilian|\bstaff\b", clause):
            # "the number of Bangladeshis working in the UN peacekeeping missions is 7,636", "the
            # number of its blue helmets deployed has risen from 20,000 to 120,000", "UK troop
            # contributions, from a peak of over 3,500 in 1993, to around 350 today"
            unit = "persons"
        elif re.match(r"\s*of (?:the |its |their )?(?:[A-Za-z]+\s+)?(?:forces|troops|peacekeepers|personnel|blue helmets"
                      r"|soldiers|women and men|men and women)\b", low[n.end:n.end + 40]):
            unit = "persons"  # "1,800 of the UNMIL forces", "where 177 of its women and men serve"
        elif re.match(r"\s*(?:of|out of|among)\s+(?:those|them|these|whom)\b", low) and not DEATH.search(low) and \
                any(e.role == "contributor" and n.end <= e.start <= n.end + 25 for e in entities):
            # "Of those, 8,034 were Bangladesh citizens, 8,132 from India": a part of the people
            # the sentence before counted, each beside its country
            unit = "persons"
        elif any(e.role == "contributor" and 0 < e.start - n.end <= 2 and re.fullmatch(r"[A-Z][a-z]+s", e.text)
                 for e in entities) and \
                re.search(r"\bforce\b|\bmission\b|\bpeace[- ]?keep", low):
            unit = "persons"  # "There are more than 300 Filipinos in the force"
        elif any(e.role == "contributor" and e.kind == "country" and 0 < e.start - n.end <= 2 and
                 e.text[:1].isupper() for e in entities) and any(p.search(low) for p, _ in _MEASURE_NOUNS):
            unit = "persons"  # "1,975 Chinese, and 889 French"
        elif adjacent and DEATH.search(low) or DEATH.search(clause) and re.match(
                r"\s*(?:the number of |of the |of them )?(?:\w+\s+)?(?:peace[- ]?keepers|blue helmets|personnel|troops"
                r"|soldiers)\b", low[n.end:n.end + 40]):
            unit = "deaths"
        elif adjacent and any(p.search(low) for p, _ in _MEASURE_NOUNS):
            unit = "persons"
        else:
            return None, "a figure without a unit the sentence makes clear"
    if unit == "persons" and _PART_OF.search(before) and _PART_NOUN.match(low, n.end):
        # "171 Pakistani soldiers, including 27 officers, have sacrificed their lives"
        return None, "a part of a contingent (officers, women) the fact base does not count apart"
    if unit == "persons" and not re.search(r"authori", clause) and (
            re.match(r"(?:u\.n\.|(?!\bthe [\d,]+ who\b)[^.;]){0,80}?\b(?:killed|died|dead|deaths?(?!\s+rate)|fatalities|lost their lives|slain|perished"
                     rf"|{LIVES_GIVEN}|(?:made|paid|paying) the (?:ultimate|supreme)"
                     r" (?:sacrifice|price)|honou?red posthumously)\b", low[n.end:]) and not re.search(r"\b(?:none|no one|nobody|not one)\b", low[n.end:n.end + 120])
            or re.search(r"\b(?:claimed the lives of|killing|killed|kills?|deaths? of|lives of)\s+(?:\w+\s+)?$", before)
            or re.search(r"\b(?:deaths?|killed|killing|lives|died)\b[^.;]{0,40}\bincluding\s+$", before)
            or re.search(r"\b(?:died|killed|deaths|fatalities|lost their lives)\b[^.;\d]{0,60}\b(?:rose|risen|climbed|increased"
                         r"|reached|stands|stood|brings?|bringing|brought)\s+(?:to\s+)?$", low[max(c0, n.start - 100):n.start])):
        unit = "deaths"
    if unit == "deaths":
        return read_deaths(db, text, i, n, entities, dates, as_of, numbers, malicious)
    if unit == "persons":
        return _persons(db, text, i, n, entities, contributors, dates, as_of, month, numbers)
    if unit == "countries":
        if any(x.unit == "other" and n.start - 100 <= x.start < n.start for x in numbers) or DEATH.search(low):
            return None, "outside the fact base: the countries of a force that counts civilians"
        if re.search(r"\bat various times\b|\bever\b|\bin (?:its|their) history\b|\bsince 19[4-8]\d\b", low):
            return None, "outside the fact base: countries that contributed at some time, not at a month"
        if re.search(r"\b(?:to|in|across|these|those|other|the un's|un's|of the|of its)\s+(?:\w+\s+)?$", before) or \
                n.value < 20 or _MONEY_WORDS.search(low):
            return None, "a number of countries that is not of the contributors (where, which, or too few)"
        if re.search(r"\bfrom\s+(?:some\s+|about\s+|more than\s+|over\s+|nearly\s+|around\s+)?$", before) or \
                re.search(r"contribut|\bsend|\bprovid|\bdeploy|\bpeace[- ]?keep|\btroops\b|\bpersonnel\b", low) and \
                not re.match(r"\s+(?:[\w-]+\s+){0,2}?(?:have\s+|had\s+)?(?:endorsed|signed|voted|adopted|supported|attended"
                             r"|joined|ratified|approved|backed|co-?sponsored|consists?|comprises?)\b", low[n.end:]):
            # ("152 Member States endorsed the Declaration ... for peacekeeping": not contributors)
            mission, _ = mission_of(db, text, n, entities, month, as_of)
            where = f", mission={mission}" if mission else ""
            # "86 countries contributing 13,059 police personnel", "115 countries contributing
            # 89,002 military personnel": the countries that send police, or military personnel
            # (a writer's "troops" is as often every uniformed person: "118 countries sending
            # troops" counts them all)
            kind = re.match(r"[^.;\d]{0,40}?\b(?:contribut\w*|provid\w*|send\w*|sent|deploy\w*)\s+(?:[\d,]+\s+)?"
                            r"(?:(?:formed|individual|civilian)\s+)?(police|military personnel)\b", low[n.end:c1])
            if kind and kind.group(1) != "police":
                return None, "a number of countries sending military personnel (troops and experts together), " \
                             "which the fact base does not count apart"
            if kind:
                where += ", type=police"
            cmp, bound = comparison(n)
            return Draft(f"contributors({month}{where}) {cmp}", [i], bound), None
        return None, "a number of countries, not of contributors"
    if unit == "percent":
        return _percent(db, text, i, n, entities, contributors, dates, as_of, month, numbers, money_topic)
    if unit == "rank":
        return _rank(text, i, n, entities, contributors, dates, as_of, month)
    if unit == "multiplier":
        return _growth(text, i, n, entities, contributors, dates, as_of, month)
    if unit == "fraction":
        mission, _ = mission_of(db, text, n, entities, month, as_of)
        if mission and re.search(r"authori[sz]ed|mandated", clause):
            cmp = _fraction_cmp(n)
            return Draft(f"deployed({mission}, {month}) / authorized({mission}, {month}) {cmp}", [i]), None
        names = [e for e in entities if e.role in ("contributor", "group") and (c0 <= e.start < c1 or e.start < 0)]
        if names and re.search(r"\baccount(?:s|ed)? for\b|\bmake(?:s)? up\b|\bmade up\b|\bof (?:the )?(?:total|all)\b",
                               clause) and re.search(r"peace[- ]?keep|\bforces?\b|\btroops\b|\bpersonnel\b", clause):
            who = " + ".join(dict.fromkeys(e.code for e in names))
            cmp = _fraction_cmp(n)
            return Draft(f"share({_measure(clause)}, {who}, {month}) {cmp}", [i],
                         ("<=", n.value) if n.op == "nearly" else None), None
        return None, "a fraction of something the sentence does not tie to an authorised strength"
    if unit == "money":
        return _money(db, text, i, n, entities, contributors, dates, as_of)
    if unit == "missions":
        return None, "a number of missions: not in the claim language"
    return None, None


def _headcount(measure: str, args: str, cmp: str) -> tuple[str, list[str]]:
    """The claim for a headcount and its other readings: "military" is troops and military
    experts, or troops. ("troops" is also every uniformed person: `_troops_or_everybody`.)"""
    if measure == "military":
        return (f"troops({args}) + experts({args}) {cmp}", [f"troops({args}) {cmp}"])
    return f"{measure}({args}) {cmp}", []


def _counted(measure: str, args: str, cmp: str, i: int, bound: tuple[str, float] | None,
             note: str | None = None) -> Draft:
    claim, others = _headcount(measure, args, cmp)
    if others:
        note = "; ".join(x for x in (note, "'military' read as troops and military experts, or troops")
                         if x)
    return Draft(claim, [i], bound, note=note, alternatives=others)


def _persons(db: Database, text: str, i: int, n: Number, entities: list[Entity], contributors: list[Entity],
             dates: Dates, as_of: date, month: str, numbers: list[Number]) -> tuple[Draft | None, str | None]:
    low = text.lower()
    c0, c1 = clause_at(text, n.start)
    clause = low[c0:c1]
    if re.search(r"\b(?:today|now|currently|at present|presently)\b", clause):
        month = "{m}"  # "In 2015, the UK pledged ..., and today almost 600": the article's month
    mission, why = mission_of(db, text, n, entities, month, as_of)
    before = low[max(c0, n.start - 40):n.start]
    if re.search(r"authori[sz]|mandated|ceiling|approved|sanctioned", before) or \
            re.search(r"\bauthori[sz](?:ed|es|ing)\b[^\d]*$", low[c0:n.start]) or re.search(
            r"^\W*(?:\w+\s+){0,3}?(?:authori[sz]ed|mandated|approved)\b", low[n.end:n.end + 40]) or \
            _CEILING.search(text[max(c0, n.start - 80):n.start]):
        if mission is None:
            return None, why or "an authorised strength, but no mission named"
        police = next((x for x in numbers if x.start > n.end and x.unit == "persons" and x.measure == "police"
                       and re.fullmatch(r"[^.;\d]{0,30}?\band\s+(?:up to\s+|some\s+|about\s+)?", low[n.end:x.start])),
                      None)
        if n.measure in ("troops", "military") and police is not None:
            # "a ceiling of 11,200 military and 1,440 police personnel": the two together are
            # the mission's authorised strength
            cmp, bound = comparison(n, n.value + police.value)
            return Draft(f"authorized({mission}, {month}) {cmp}", [i, numbers.index(police)], bound,
                         note="the military and police ceilings added"), None
        if n.measure in ("troops", "military", "police", "experts") and not re.search(
                r"\b(?:troops|military)\b[^.;]{0,20}\b(?:and|&)\s+(?:civilian\s+)?police\b|\buniformed\b", low):
            # the fact base's authorised strength is the mission's total; a component is
            # not checked against it
            return None, "the authorised strength of one component (troops or police), not the mission's total"
        cmp, bound = comparison(n)
        return Draft(f"authorized({mission}, {month}) {cmp}", [i], bound), None
    if _PART_OF.search(before) and _PART_NOUN.match(low, n.end):
        return None, "a part of a contingent (officers, women) the fact base does not count apart"
    if re.match(r"\s*(?:military\s+)?staff officers\b", low[n.end:]) and any(
            x.unit == "persons" and x.measure == "troops" and x is not n for x in numbers):
        # "2,459 troops, 22 military experts and 42 staff officers": the UN counts staff
        # officers among the troops; the figure is a part the data do not give apart
        return None, "staff officers, whom the fact base counts among the troops"
    if _UNIFORMED_PART.match(low, n.end):
        # "MINUSCA has 15,000 personnel in the country, of whom 14,000 are in uniform": the
        # first counts its civilians too; the second is the uniformed headcount
        return None, "outside the fact base: a total that counts civilians"
    whole = [x for x in numbers if x.unit == "persons" and x.end <= n.start and x.value > n.value]
    if whole and not DEATH.search(low) and not _IN_UNIFORM.match(low, n.end) and (re.search(r"\b(?:including|among them|among whom|of whom|of them)\s+(?:(?:some|about|around|nearly"
                            r"|almost|over|more than)\s+)?$", low[whole[-1].end:n.start])
                  or re.match(r"\s+(?:of them|of whom|of these)\b", low[n.end:])):
        # "454 Irish personnel ..., including nine at the force headquarters", "379 ..., 360 of
        # them in AUSBATT": a part of the figure before it, which the data do not count apart
        return None, "a part of the figure before it, which the fact base does not count apart"
    if re.search(r"\b(?:wounding|injuring|wounded|injured)\s+(?:\w+\s+)?$", before) or \
            re.match(r"\s+(?:[\w-]+\s+){0,3}?(?:were\s+|was\s+|left\s+)?(?:seriously\s+)?(?:injured|wounded)\b",
                     low[n.end:n.end + 50]):
        return None, "the wounded: the fact base counts deaths, not injuries"
    if re.search(r"\b(?:a|an|one|the|its)\s+(?:[\w-]+\s+)?(?:battalion|company|detachment|unit)\s+of\s+"
                 r"(?:(?:approximately|about|some|around|nearly|over|more than)\s+)?$", before):
        n = replace(n, measure="unit")  # "a battalion of approximately 800 soldiers": one unit's strength
    strong = n.measure == "unit"
    if n.measure == "unit":  # "a 816-strong Kenyan battalion": one unit, in one mission
        if mission is None:
            return None, "the strength of a unit, but no mission it serves in"
        n = replace(n, measure="personnel")
    if n.measure == "personnel" and re.search(r"\b(?:military|troop)[- ]contribut", clause):
        measure = "troops"  # "the major military contributor ... with 2,148 personnel"
    elif n.measure == "personnel" and re.match(r"[^.;\d]{0,40}?\bfrom\s+(?:the\s+)?(?:[\w-]+\s+)?(?:army|armed forces"
                                               r"|defen[cs]e forces|navy|air force)\b", low[n.end:]) and \
            not re.search(r"\bpolice\b", low[n.end:n.end + 120]):
        measure = "military"  # "6,089 UN peace keepers from the Bangladesh Army, Navy and Air Force"
    elif n.measure == "personnel" and re.match(r"\s*men\b", low[n.end:]) and \
            (kind := re.search(r"\b(troops|soldiers|police(?:men)?)\s+(?:from|of)\s+(?:about\s+|some\s+|around\s+)?$",
                               low[max(c0, n.start - 40):n.start])):
        # "reduce UNMEE's military troops from 3,000 men to 1,500 men": "men" is the noun's word
        measure = "police" if kind.group(1).startswith("police") else "troops"
    elif not n.measure and (service := re.match(r"\s+(?:are\s+|were\s+)?from\s+(?:the\s+)?(?:[A-Z][\w-]*\s+){1,2}?(army"
                                                r"|police)\b", text[n.end:], re.I)):
        # "5,918 are from Nepal Army, 195 from Armed Police Force, and 28 from Nepal Police"
        measure = "troops" if service.group(1).lower() == "army" else "police"
    elif n.measure:
        measure = n.measure
    else:  # a count that took its unit from the sentence ("1,975 Chinese"): the sentence's noun
        measure = _measure(text, "personnel")
    leaving = _LEAVING.search(low[max(0, n.start - 60):n.start]) or _LEFT.match(low, n.end)
    if leaving and dates.month is not None and dates.month > as_of:
        month = "{m}"  # "from 13,000 to 11,400 by June 2018": the figure it starts from is today's
    among = not leaving and re.search(r"\b(?:among|of|out of)\s+(?:the|a total of|all)\s+(?:(?:more than|over|about|some"
                                      r"|nearly|almost|around|roughly)\s+)?$", low[max(c0, n.start - 40):n.start])
    who = None if among or _of_many(text, n, entities) else _who(text, n, entities, contributors)
    if strong and mission is not None and any(
            e.role == "mission" and e.code == mission and re.fullmatch(r"[- ]strong\s+(?:[\w.-]+\s+){0,6}?\(?",
                                                                       low[n.end:e.start])
            and not re.match(r"\)?\s*(?:contingent|battalion|unit|company|team|detachment)", low[e.end:])
            for e in entities if e.start >= n.end) or strong and mission is not None and re.match(
            r"[- ](?:strong|member)\s+(?:un\s+|u\.n\.\s+|united nations\s+)?(?:peace[- ]?keeping\s+)?(?:force|mission"
            r"|operation)\b", low[n.end:]):
        # "Austrian troops made up the biggest contingent in the 1,000-strong UNDOF", "a
        # 1,200-strong UN force that had been stationed in the Golan Heights": the mission's
        who = None
    if mission is None and who is None and why is None and not _ELSEWHERE.search(clause):
        mission = place_before(db, n, entities, month_at(month, as_of))  # "MONUSCO is ..., with roughly 19,000"
    if leaving and mission is None and who is not None and who.kind == "country" and \
            (hosted := hosted_at(db, who.code, month, as_of)):
        # "Mali demanded the withdrawal of all 12,000 UN soldiers": those in Mali, MINUSMA
        mission, who = hosted, None
    if among and mission is None:  # "6,900 military personnel among the 1,15,000 peacekeepers": everybody's
        cmp, bound = comparison(n)
        return _counted(measure, month, cmp, i, bound, "a world total: every contributor"), None
    if mission is not None and re.search(r"\b(?:its|their)\s+(?:\w+\s+)?$", low[max(c0, n.start - 20):n.start]):
        who = None  # "MINUSMA ... removes its 12,947 peacekeepers": the mission's own figure
    cmp, bound = comparison(n)
    if who is not None and mission is not None and who.code in hosts_of(db, mission):
        who = None  # "UNAMID ... the war Sudan's government wages": the host sends nobody to its own mission
    soil = None  # the mission a host's name may stand for ("the 12,000 peacekeepers in the country": South Sudan)
    if who is not None and who.role == "contributor" and mission is None and who.kind == "country" and \
            not is_demonym(db, who) and not after_from(text, who) and not cmp.startswith("<") and \
            (who.start < 0 or _ON_SOIL.search(low)):
        soil = hosted_at(db, who.code, month, as_of)
    if who is not None and who.role in ("contributor", "group") and mission is None and why:
        return None, why  # "768 troops in Burundi" when no single mission was there: not the country's total
    if who is not None and who.role in ("contributor", "group") and mission is None and soil is None and \
            _ELSEWHERE.search(clause):
        # "India has 3,000 troops there", "the largest contingent in the force": one mission's
        # figure, the mission named in another sentence; never the country's total
        return None, "the figure's mission is named in another sentence"
    if who is not None and who.role in ("contributor", "group"):
        where = f", mission={mission}" if mission else ""
        draft = _counted(measure, f"{who.code}, {month}{where}", cmp, i, bound)
        if soil is not None:  # either reading can hold
            draft.alternatives.append(_headcount(measure, f"{month}, mission={soil}", cmp)[0])
            draft.note = "; ".join(x for x in (draft.note, f"{who.text} read as a contributor, or as the host "
                                                              f"of {soil}") if x)
        return draft, None
    if mission is None and (re.search(r"\b(?:its|their|his|her|the country's|the nation's|these|those)\b",
                                      low[c0:n.start]) or re.search(r"\bin the (?:country|region|area)\b", clause)):
        return None, "the figure's country or place is named in another sentence"
    if mission is not None:
        return _counted(measure, f"{month}, mission={mission}", cmp, i, bound), None
    if why:
        return None, why
    world = re.search(r"\bforce level\b|\btotal strength\b|\bworldwide\b|\bglobal (?:deployment|total|number|headcount)\b|\bdpk?o deploys\b|\bpeace[- ]?keeping forces\b|\bglobally\b|\baround the (?:world|globe)\b|\bin total\b|\baltogether\b"
                      r"|\boverall\b|\bthere (?:are|were)\b|\bthe (?:un|u\.n\.|united nations) (?:has|had|have)\b"
                      r"|\b(?:un|u\.n\.|united nations) peace[- ]?keeping\b|\bacross (?:all |the )?\d*\s*(?:un |u\.n\. )?"
                      r"(?:missions|operations)\b|\bfrom (?:some |about |over |more than |nearly |around )?\d+\b"
                      r"|\bunder the (?:blue|un) flag\b|\bin (?:all )?(?:un|u\.n\.|united nations) (?:peace[- ]?keeping )?"
                      r"(?:missions|operations)\b|\b(?:in|under|across|to)\s+(?:\d+|[a-z]+)\s+(?:\w+\s+)?(?:missions|operations)\b",
                      clause if any(e.role in ("contributor", "group", "mission", "host") for e in entities) else low)
    if world and UN_MARKER.search(low) and (n.value >= 5000 or any(
            x.unit == "persons" and x.value >= 5000 and x.measure != n.measure for x in numbers)):
        # a component of a world total beside it: "83,000 troops, 13,000 police, and 2,000 observers"
        return _counted(measure, month, cmp, i, bound, "a world total: every contributor in every mission"), None
    return None, "a number of people, but no country, group or mission it belongs to"


def _percent(db: Database, text: str, i: int, n: Number, entities: list[Entity], contributors: list[Entity],
             dates: Dates, as_of: date, month: str, numbers: list[Number],
             money_topic: bool) -> tuple[Draft | None, str | None]:
    low = text.lower()
    c0, c1 = clause_at(text, n.start)
    clause = low[c0:c1]
    if _CHANGE.search(low[max(0, n.start - 40):n.start]) or re.search(
            r"\b(?:leaps?|leapt|rises?|rose|climbs?|falls?|fell|declines?|drops?|increases?|decreases?|grows?|jumps?)\s+"
            r"(?:from\s+[\d.]+\s*(?:percent|per cent|%)\s+)?to\s+$", low[max(0, n.start - 60):n.start]):
        return None, "a change in percent: not read from prose yet"
    if _WOMEN.search(clause):
        return None, "a share of women: the claim language has no gender"
    if re.match(r"\s*(?:\w+\s+)?(?:cap|ceiling|limit|target|threshold|discount|increase|cut|reduction)\b",
                low[n.end:n.end + 25]) or re.search(r"\bcap(?:ped|s)?\b[^;]*$", low[c0:n.start]):
        return None, "a cap, a target or a change, not a share the data hold"
    cmp, bound = comparison(n, n.value)
    cmp = cmp.replace(figure_word(n.value), f"{figure_word(n.value)}%", 1)
    if re.search(r"authori[sz]ed|mandated", clause):
        mission, why = mission_of(db, text, n, entities, month, as_of)
        if mission is None:
            return None, why or "a share of an authorised strength, but no mission named"
        return Draft(f"deployed({mission}, {month}) / authorized({mission}, {month}) {cmp}", [i]), None
    money = _MONEY_WORDS.search(clause) or (not _PERSONS_WORDS.search(clause) and (_MONEY_WORDS.search(low)
                                                                                  or money_topic)) or \
        not _PERSONS_WORDS.search(low) and any(x.unit == "money" and 0 <= x.start - n.end <= 12 for x in numbers)
    # ("contributing just 10.25 percent ($687.7 million)": the share of an amount is money's)
    if money:
        who = _who(text, n, entities, contributors)
        if who is None:
            return None, "a share of money, but no country it belongs to"
        after = low[n.end:n.end + 60]
        if re.match(r"\s*(?:of\s+)?(?:the\s+)?(?:un'?s?\s+|united nations'?\s+)?(?:usd\s+[\d.]+\s+\w+\s+)?(?:regular|core)"
                    r"\s+budget", after):
            return Draft(f"assessed_share({who.code}, {_year(dates, as_of)}, scale=regular) {cmp}", [i], bound,
                         note="the regular budget's scale of assessments"), None
        if re.search(r"\bregular budget\b|\bcore budget\b", clause) and not re.search(r"peace[- ]?keeping", clause):
            return None, "a share of a budget the sentence does not tie to peacekeeping or the regular scale"
        return Draft(f"assessed_share({who.code}, {_year(dates, as_of)}) {cmp}", [i], bound,
                     note="the share of the year's peacekeeping assessments"), None
    if not any(p.search(clause) for p, _ in _MEASURE_NOUNS):
        return None, "a percentage of something other than peacekeepers"
    names = [e for e in entities if e.role in ("contributor", "group") and (c0 <= e.start < c1 or e.start < 0)
             and not (e.kind == "group" and re.match(r"\s+(?:troop[- ])?(?:contributors?|countr|nations?)", low[e.end:]))]
    if not names:  # "the top African contributor supplies 8 %": Africa scopes the superlative, not the share
        return None, "a percentage, but no country, group or region it is a share of"
    if sum(1 for x in numbers if x.unit == "percent" and c0 <= x.start < c1) > 1:
        nearest = _who(text, n, entities, contributors)  # "China with 10.3 per cent and Japan with 9.7"
        names = [nearest] if nearest is not None else names
    codes = " + ".join(dict.fromkeys(e.code for e in names))
    measure = _measure(clause)
    return Draft(f"share({measure}, {codes}, {month}) {cmp}", [i], bound), None


def _rank(text: str, i: int, n: Number, entities: list[Entity], contributors: list[Entity], dates: Dates,
          as_of: date, month: str) -> tuple[Draft | None, str | None]:
    low = text.lower()
    c0, c1 = clause_at(text, n.start)
    clause = low[c0:c1]
    near = low[n.start:min(c1, n.end + 45)] + " " + low[max(c0, n.start - 30):n.start]
    if not _RANK_WORDS.search(near):
        return None, "an ordinal that is not a place among contributors"
    if re.match(r"[\s-]*(?:largest|biggest)?\s*(?:deployment|mission|operation|contingent|battalion|rotation|batch"
                r"|time|year|day|anniversary)", low[n.end:n.end + 30]):
        return None, "an ordinal that is not a place among contributors"
    # "ahead of Japan", "followed by India": not the one whose place it is
    def ahead(e: Entity) -> bool:
        return e.start >= 0 and bool(re.search(
            r"\b(?:ahead of|followed by|overtaking|overtook|surpassing|surpassed|replacing|replaced)\s+(?:the\s+)?$",
            low[max(0, e.start - 20):e.start]))

    named = [e for e in entities if e.role == "contributor" and not ahead(e)]
    contributors = [e for e in contributors if not ahead(e)]
    if re.match(r"\s*(?:largest\s+|biggest\s+)?(?:only\s+to|after|behind)\s", low[n.end:n.end + 30]):
        # "second only to the French", "third after India": the one named after is ahead
        named = [e for e in named if e.start < n.start]
        contributors = [e for e in contributors if e.start < n.start]
    who = _who(text, n, named, contributors)
    if who is None:
        return None, "a rank, but no country it belongs to"
    rank = int(n.value)
    op = "<=" if n.op == "<=" else "=="
    money = re.search(r"\$|\bdollars\b|\busd\b", clause)  # "China comes second with 750 million dollars"
    if _FUNDER.search(near) or money or _FUNDER.search(clause) and not re.search(r"troop|peacekeepers|personnel|police", near):
        scale = "regular" if re.search(r"\bregular budget\b|\bcore budget\b", clause) else "peacekeeping"
        after = low[n.end:n.end + 60]
        other = []
        if not re.search(r"peace[- ]?keep|regular|core budget|operating budget", after) and \
                re.match(r"[\s-]*(?:largest|biggest)\s+(?:financial\s+)?(?:contributor|donor|funder|payer)s?\s+to\s+the"
                         r"\s+(?:un|u\.n\.|united nations)\b(?!\s+peace)", after):
            # "the eleventh largest contributor to the UN": its budget, read on either scale
            other = [f"rank({who.code}, {_year(dates, as_of)}, measure="
                     f"{'peacekeeping' if scale == 'regular' else 'regular'}_assessment) {op} {rank}"]
        note = "place by the year's assessments, on either scale" if other else f"place by the year's {scale} assessments"
        return Draft(f"rank({who.code}, {_year(dates, as_of)}, measure={scale}_assessment) {op} {rank}", [i],
                     note=note, alternatives=other), None
    if _ELSEWHERE.search(clause) and not any(e.role in ("mission", "host") for e in entities) and \
            not any(e.role == "group" and e.start > n.end for e in entities):
        return None, "a place within one mission, named in another sentence"  # "the third largest in the force"
    groups = [e for e in entities if e.role in ("group", "place") and n.end <= e.start <= n.end + 60
              and re.search(r"\b(?:among|of|in|within)\s+(?:the\s+|all\s+the\s+)?(?:[\w-]+\s+){0,2}$",
                            low[max(n.end, e.start - 40):e.start])]
    if not groups:  # "Africa's top five", "Asia's second largest"
        groups = [e for e in entities if e.role in ("group", "place") and e.end <= n.start and
                  re.fullmatch(r"'s\s+(?:top\s+|(?:second|third)?\s*)?", low[e.end:n.start].replace("’", "'"))]
    within = f", within={groups[0].code}" if groups else ""
    kind = _rank_type(near)
    return Draft(f"rank({who.code}, {month}{within}{kind}) {op} {rank}", [i]), None


def _rank_type(near: str) -> str:
    if re.search(r"\b(?:military )?(?:experts|observers)\b", near) and not re.search(r"\btroops\b|\bpolice\b", near):
        return ", type=experts"
    troops = re.search(r"\btroops?\b|\btroop[- ]contribut|\bmilitary\b", near)
    police = re.search(r"\bpolice\b", near)
    if troops and police:  # "troops and police", "military, police and other specialists": everybody
        return ""
    return ", type=troops" if troops else (", type=police" if police else "")


_DECADE = re.compile(r"\b(?:over|in|during|within)\s+(?:the\s+)?(?:last|past|previous)?\s*(?:(\w+)\s+years|(a|one|two|the)"
                     r"\s+decades?|decade)\b")
_TIMES_THAN = re.compile(r"\btimes\s+(?:more|larger|bigger|greater|higher|as (?:many|much|large))\s+(?:\w+\s+){0,2}?(?:than|as)\s+"
                         r"(?:the\s+|that of\s+(?:the\s+)?)?")


def _growth(text: str, i: int, n: Number, entities: list[Entity], contributors: list[Entity], dates: Dates,
            as_of: date, month: str) -> tuple[Draft | None, str | None]:
    """Growth ("twentyfold since 2003", "five fold over the last ten years") or a ratio to
    another country ("17 times more than the U.S. contribution")."""
    low = text.lower()
    who = _who(text, n, [e for e in entities if e.role in ("contributor", "group")], contributors)
    measure = _measure(text)
    cmp, _ = comparison(n)
    if m := _TIMES_THAN.match(low, n.end - len("times") if n.text.lower().endswith("times") else n.end):
        other = next((e for e in entities if e.role in ("contributor", "group") and m.end() <= e.start <= m.end() + 3),
                     None)
        who = next((e for e in reversed(entities) if e.role in ("contributor", "group") and e.end <= n.start), None)
        if who is None or other is None or other.code == who.code:
            return None, "a ratio, but not between two countries the sentence names"
        return Draft(f"{measure}({who.code}, {month}) / {measure}({other.code}, {month}) {cmp}", [i],
                     note="a ratio of two headcounts at one month"), None
    if who is None and not UN_MARKER.search(low):
        return None, "growth, but no country it belongs to"
    names = f"{who.code}, " if who is not None else ""
    end = month
    if dates.since is not None:
        base = f"{{m@{dates.since}}}" if end == "{m}" else f"{dates.since}-{end[5:7]}"
    elif dates.span is not None:
        base, end = f"{dates.span[0]}-12", f"{dates.span[1]}-12"
    elif dates.months is not None:  # "between January 2003 and January 2014"
        base, end = f"{dates.months[0]:%Y-%m}", f"{dates.months[1]:%Y-%m}"
    elif d := _DECADE.search(low):
        from .quantities import CARDINAL_WORDS

        word = d.group(1) or d.group(2) or "a"
        years = 10 * ({"a": 1, "one": 1, "the": 1}.get(word) or CARDINAL_WORDS.get(word, 1)) if d.group(2) or \
            not d.group(1) else (int(word) if word.isdigit() else CARDINAL_WORDS.get(word, 0))
        if not years:
            return None, "growth over a span the sentence does not give in years"
        base = f"{{m-{12 * years}}}" if end == "{m}" else f"{int(end[:4]) - years}-{end[5:7]}"
    else:
        return None, "growth without the year it is counted from"
    return Draft(f"{measure}({names}{end}) / {measure}({names}{base}) {cmp}", [i],
                 note="growth: the later headcount over the earlier"), None


def _money(db: Database, text: str, i: int, n: Number, entities: list[Entity], contributors: list[Entity],
           dates: Dates, as_of: date) -> tuple[Draft | None, str | None]:
    low = text.lower()
    cmp, bound = comparison(n)
    missions = [e for e in entities if e.role == "mission"]
    if missions and re.search(r"\bspen[dt]|\bexpenditure|\bcost\b|\bcosts\b|\bspending\b", low) and dates.fiscal:
        return Draft(f"spending({missions[0].code}, {dates.fiscal}) {cmp}", [i], bound,
                     note="expenditure in the UN fiscal year"), None
    china = any(e.code == "CHN" for e in entities if e.role == "contributor")
    if china and re.search(r"\bloans?\b|\bfinanc|\baid\b|\blent\b|\blending\b|\bcommit", low):
        recipients = [e for e in entities if e.code != "CHN" and e.role in ("contributor", "group", "host", "place")
                      and not re.search(r"\bby\s+(?:the\s+)?$", low[max(0, e.start - 8):e.start])]
        if not recipients:
            return None, "China's finance, but no recipient named"
        years = f"{dates.span[0]}..{dates.span[1]}" if dates.span else (
            f"{dates.since}..2014" if dates.since else (str(dates.year) if dates.year else None))
        if years is None:
            return None, "China's finance, but no years named"
        if re.search(r"\bby\s+(?:the\s+)?(?:u\.?s\.?|united states|[a-z]+)\b", low[n.end:n.end + 25]):
            return None, "another donor's money: AidData's files record China's"
        base = f"finance(CHN -> {recipients[0].code}, {years}"
        # the versions and definitions AidData published differ (docs/claims.md): the
        # figure holds if one published definition gives it
        others = [f"{base}, dataset={v}{r}) {cmp}" for v in ("1.0", "1.1", "1.2", "global")
                  for r in ("", ", regional=out")]
        return Draft(f"{base}) {cmp}", [i], bound, alternatives=others,
                     note="AidData's official finance commitments; every published version and definition tried"), None
    if re.search(r"\bbudget", low):
        return None, "an approved budget: the fact base holds expenditure and assessments, not budgets"
    return None, "an amount of money the fact base does not hold"


def _sentence_shapes(text: str, contributors: list[Entity], entities: list[Entity], month: str,
                     numbers: list[Number], used: set[int]) -> list[Draft]:
    """Shapes without a figure of their own: comparisons with others and "the largest"."""
    low = text.lower()
    out: list[Draft] = []
    if not contributors:
        return out
    subject = contributors[0]
    measure = _measure(low)
    groups = [e for e in entities if e.role == "group"]
    p5 = re.search(r"permanent members?|\bp5\b|\bp-5\b|security council|big five|other four", low)
    if more := re.search(r"\bmore\s+((?:\w+\s+){0,3}?)than\b", low):  # "more troops than": troops
        measure = _measure(more.group(1), measure)
    combined = re.search(r"\bmore\s+(?:\w+\s+){0,3}?than\s+(?:the\s+)?(?:other|rest|remaining)\b.*?\b(?:combined"
                         r"|together|put together)\b", low) or re.search(r"\bmore\s+(?:\w+\s+){0,3}?than\s+(?:the\s+)?"
                                                                         r"(?:other|remaining)\s+four\b", low)
    if combined and p5:
        out.append(Draft(f"{measure}({subject.code}, {month}) > {measure}(P5 - {subject.code}, {month})"))
    elif combined and groups:
        out.append(Draft(f"{measure}({subject.code}, {month}) > {measure}({groups[0].code} - {subject.code}, "
                         f"{month})"))
    elif m := re.search(r"\b(?:more\s+(?:\w+\s+){0,3}?than|exceed(?:ed|s)?|outnumber(?:ed|s)?|larger than"
                        r"|greater than|bigger than)\s+(.*?)\s+(?:combined|together|put together)\b", low):
        others = [e for e in contributors[1:] if m.start(1) <= e.start < m.end(1)]
        if len(others) >= 2:
            out.append(Draft(f"{measure}({subject.code}, {month}) > {measure}("
                             f"{' + '.join(e.code for e in others)}, {month})"))
    if not out and (m := re.search(r"\b(?:had|has|have|contributes?|contributed|sends?|sent|deploys?|deployed|provides?"
                                   r"|provided)\s+more\s+(?:[\w-]+\s+){0,3}?than\s+", low)):
        than = [e for e in contributors if m.end() <= e.start <= m.end() + 5]
        subjects = [e for e in contributors if e.end <= m.start()]
        if len(than) == 1 and subjects:
            for e in dict.fromkeys(x.code for x in subjects):
                out.append(Draft(f"{measure}({e}, {month}) > {measure}({than[0].code}, {month})"))
    vague = re.search(r"\bone of the\b|\bamong the\b(?!\s+(?:p5|permanent|five|security))", low)
    grouping = re.search(r"\b(?:in|among|within|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:sub-?regional|regional|region"
                         r"|continent|grouping|bloc|community)\b", low)
    if not any(n.unit == "rank" for n in numbers) and not vague and not out and not grouping:
        lead = re.search(r"\b(?:the|its|a)\s+(?:single\s+)?(?:largest|biggest|top|leading|highest)\s+(?:\w+\s+){0,2}?"
                         r"(?:contributor|provider|contributing country|contributing nation|troop contributor|sender)(?!s)",
                         low) or re.search(r"\brank(?:s|ed)?\s+(?:at\s+the\s+)?(?:top|first|number one)\b|\btopped\b"
                                           r"|\btops the\b|\b(?:the\s+)?(?:top|first)\s+(?:position|spot|place)\b"
                                           r"|\b(?:is|was|as|remains?|became)\s+the\s+(?:single\s+)?(?:largest|biggest|top"
                                           r"|leading)\s+(?:\w+\s+){0,2}?contributors\b"
                                           r"|\bthe (?:country|nation) with the (?:most|largest number of|highest number of)"
                                           r"\s+(?:troops|peace[- ]?keepers|personnel|soldiers)\b", low)
        at = clause_at(text, lead.start()) if lead else (0, len(text))
        kind = _rank_type(low[at[0]:at[1]])
        if lead:
            # "the top troop contributor ... from NATO, the EU and ...": first among the group
            # ("the largest contributor in Africa", "the leading African troop contributor": a region's)
            regions = [e for e in entities if e.role in ("group", "place") and e.code != "P5"]
            among = [e for e in regions if lead.start() < e.start < lead.end()] or \
                [e for e in regions if lead.end() <= e.start <= lead.end() + 80 and
                 re.search(r"\b(?:from|among|of|in|within)\s+(?:the\s+)?$", low[max(0, e.start - 12):e.start])]
            within = ", within=P5" if p5 else (f", within={among[0].code}" if among else "")
            year = month[:4] if month != "{m}" else "{y}"
            money = f"rank({subject.code}, {year}, measure=peacekeeping_assessment{within}) == 1"
            persons = f"rank({subject.code}, {month}{within}{kind}) == 1"
            clause = low[at[0]:at[1]]
            if re.search(r"\bregular budget\b|\bcore budget\b", clause):
                pass  # the regular budget's largest payer: not a peacekeeping claim
            elif re.search(r"\bcumulative\b|\bof all time\b|\bin (?:the )?history\b|\bhistorically\b", clause):
                pass  # "the largest cumulative troop contributor": over decades, not a month's place
            elif re.match(r"\s+(?:to|in|of)\s+(?:the\s+)?(?:un\s+|u\.n\.\s+)?(?:mission|force|operation)\b", low[lead.end():]) \
                    or any(e.role == "mission" and lead.end() <= e.start <= lead.end() + 8 for e in entities):
                pass  # "the largest ... contributor to the UN Mission", "to UNIFIL": a place in one mission
            elif _FUNDER.search(clause) and not _PERSONS_WORDS.search(clause):
                out.append(Draft(money, note="place by the year's peacekeeping assessments"))
            elif _PERSONS_WORDS.search(clause) or kind:
                out.append(Draft(persons))
            else:  # "the largest contributor to peacekeeping": of people or of money
                out.append(Draft(persons, alternatives=[money],
                                 note="'contributor' read both ways: personnel, then peacekeeping assessments"))
        elif p5 and re.search(r"\b(?:the most|more\s+(?:[\w()-]+\s+){0,8}?than any other|largest number|highest number"
                              r"|most of any)\b", low) \
                and not _FUNDER.search(low):
            out.append(Draft(f"rank({subject.code}, {month}, within=P5{kind}) == 1"))
        elif p5 and re.search(r"\b(?:the fewest|the least|the smallest number|fewest of)\b", low):
            out.append(Draft(f"{measure}({subject.code}, {month}) == min({measure}(each P5, {month}))"))
    return out
