"""Deaths read from prose: what counts as a death, over which period, of whom, where, and
from what cause (docs/claims.md, "Withdrawals, ceilings, deaths").

The period comes from the figure's own clause first ("more than 4,000 since 1948, while
130 ... last year"), then the sentence ("in 2017", "since the mission began", "for the
ninth year in a row", "in the past two years"); a count of deaths with none is left with
the reason. Whose: a people written right after the figure ("four Dutch soldiers", "7 from
Pakistan"), else a country named before it in the clause; a host is the place, never
the nationality. The cause: "malicious", "hostile acts", "killed in an attack" (and the
sentence before's, carried by the reader).
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from .clauses import after_from, clause_at, comparison, hosts_of, is_demonym, mission_of, place_before
from .dates import Dates, read_dates, shift
from .entities import Entity, mission_hosted
from .model import Draft, Number
from .quantities import CARDINAL_WORDS

if TYPE_CHECKING:
    from ...db import Database

__all__ = ["DEATH", "CUMULATIVE", "MALICIOUS", "LIVES_GIVEN", "WHO_DIED", "read_deaths"]


#: lives given, as memorials and speeches tell deaths: "sacrificed their precious lives", "martyred"
LIVES_GIVEN = r"(?:laid down|sacrificed|gave|given) their (?:precious |own )?lives|were made martyrs|martyred"

DEATH = re.compile(r"\b(?:killed|died|deaths?(?!\s+rates?)|dead|fatalities|fatality(?!\s+rates?)"
                   rf"|lost their (?:precious |own )?lives|{LIVES_GIVEN}|ultimate (?:sacrifice|price)"
                   r"|lives cut|martyrs|martyrdom"
                   r"|lost (?:his|her) life|claimed the lives|toll|tolls|casualties|deadliest|slain|perished)\b", re.I)


_EVENT = re.compile(r"\b(?:attack|attacks|attacked|ambush|ambushed|explosion|blast|crash|crashed|shelling|raid|incident"
                    r"|(?:on |(?:killed|died|wounded) )(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
                    r"|yesterday|last week|this week|overnight|earthquake)\b", re.I)


CUMULATIVE = re.compile(r"\bsince\s+(?:(?:its|the|their)\s+)?(?:\d{4}|inception|establishment|creation|start"
                        r"|deployment|founding|beginning|launch|formation|existence)|\bsince\s+(?:the\s+|its\s+)?(?:[\w-]+\s+){0,2}?(?:began|started"
                        r"|entered|arrived|deployed|was (?:set up|established|created|launched))|\b(?:during|over) the course of\b"
                        r"|\bin the history of\b|\bsince then\b|\bha(?:s|ve) (?:contributed|participated) (?:to|in) \d+|\bto date\b|\bso far\b"
                        r"|\bover the (?:years|(?:past|last)\b(?!\s+(?:\w+\s+)?(?:days?|weeks?|months?|hours?|nights?)\b))|\bha(?:ve|s|d) served\b|\bhave been deployed since"
                        r"|\bcumulative|\bin (?:its|their) history\b|\bover (?:its|their) lifetime\b"
                        r"|\bhas (?:sent|dispatched)\b|\bhave (?:sent|dispatched)\b|\bhad (?:sent|dispatched)\b"
                        r"|\bha(?:s|ve) (?:been )?(?:deployed|contributed) (?:more than |over |some |about )?[\d,]+ .*\bsince\b",
                         re.I)


MALICIOUS = re.compile(r"\bmalicious\b|\bkilled in action\b|\bdeliberate attacks?\b|\bhostile (?:acts?|attacks?)\b|\bacts of violence\b"
                        r"|\bhostile action\b|\bviolent acts?\b|\battacks?\b[^;]*\bkilled\b|\bkill(?:ed|ing)\b[^;]*\battacks?\b"
                        r"|\bambush|\bied\b|\bexplosive", re.I)


# peacekeepers who "were killed" (not "have been"): "Ten peacekeepers from Chad were killed",
# "A peacekeeper from Egypt was killed", "resulting in one South African peacekeeper killed"
_TOLD_IN_THE_PAST = re.compile(r"\s*(?:[\w.-]+\s+){0,2}?(?:peace[- ]?keepers?|blue helmets?)\b"
                               r"(?=.*?(?<!\bhave )(?<!\bhas )(?<!\bhad )\b(?:were|was)\s+(?:\w+\s+)?(?:killed|slain)\b"
                               r"|\s+killed\b)")


# a cause the sentence states, other than malice: its deaths are of every cause
_CAUSE_STATED = re.compile(r"\bcauses?\b|\baccident|\billness|\bdisease|\bnatural\b|\bsuicide|\bself-inflicted")

# "have been killed", "had died", "has lost": deaths counted up to a date
_HAVE_DIED = r"\bha(?:ve|s|d) (?:been )?(?:killed|died|lost)"
# deaths to date, beside CUMULATIVE's totals of anything: "the deadliest", "made the supreme
# sacrifice", "recorded over time", "for more than three decades"
_TO_DATE = re.compile(r"\bdeadliest\b|\bha(?:ve|s) (?:been )?(?:killed|died|lost|sacrificed|suffered)"
                      r"|\bup (?:till|until|to) now\b|\btill date\b|\buntil now\b|\bha(?:s|ve) claimed\b"
                      r"|\b(?:ultimate|supreme) (?:sacrifice|price)\b|\bover ?time\b"
                      r"|\bfor (?:more than |over |nearly |almost )?(?:the )?(?:two|three|four|five|six|seven|\d) decades\b"
                      r"|\boverall number\b|\bdeaths recorded\b|\b(?:given|laid down|sacrificed) their (?:precious |own )?lives\b"
                      r"|\bmade martyrs\b|\bmartyred\b")


# "a memorial to 79 Irish peacekeepers who lost their lives": the dead honoured are all
# those to date
_MEMORIAL = re.compile(r"\bmemorial\b|\bwreath\b|\bhonou?r(?:ed|ing|s)?\b|\btribute\b|\bcommemorat|\bremember")
#: the dead told by a relative clause: "the peacekeepers who died", "79 Irish peacekeepers who lost their lives"
WHO_DIED = re.compile(r"\bwho,?\s+(?:have\s+|had\s+)?(?:died|lost their lives|were killed|gave their lives"
                      r"|made the (?:ultimate|supreme))")


def _period(dates: Dates, as_of: date, low: str) -> str | None:
    """The span of months deaths are summed over, or None when the sentence gives none."""
    end = f"{as_of:%Y-%m}"
    if dates.month is not None and re.search(r"\b(?:until|up to|as of|as at|by the end of|through)\b", low) and \
            re.search(_HAVE_DIED + r"|\bsince\b|\bto date\b|\bso far\b|\bin total\b", low):
        return f"1948-01..{dates.month:%Y-%m}"  # "Until August 31 this year, 129 Bangladeshis have lost their lives"
    if dates.year is not None and re.search(rf"\b(?:by|until|up to|through)\s+(?:the\s+end\s+of\s+)?(?:the\s+year\s+)?"
                                            rf"{dates.year}\b", low) and re.search(_HAVE_DIED, low):
        return f"1948-01..{dates.year}-12"  # "51 Chadian peacekeepers had died by the end of the year 2018"
    if dates.months:
        return f"{dates.months[0]:%Y-%m}..{dates.months[1]:%Y-%m}"
    if dates.span:
        return f"{dates.span[0]}-01..{dates.span[1]}-12"
    if dates.since_month is not None and dates.month is None:
        return f"{dates.since_month:%Y-%m}..{end}"
    if dates.since:
        return f"{dates.since}-01..{end}"
    if dates.month is not None:
        return f"{dates.month:%Y-%m}"
    if dates.year is not None:
        return f"{dates.year}-01..{min(f'{dates.year}-12', end)}"
    if past := re.search(r"\b(?:in|over|during) the (?:past|last) (two|three|four|five|six|seven|eight|nine|ten|\d{1,2})"
                        r" years\b", low):
        years = int(past.group(1)) if past.group(1).isdigit() else CARDINAL_WORDS[past.group(1)]
        return f"{shift(as_of, -12 * years):%Y-%m}..{end}"  # "in the past two years"
    if re.search(r"\b(?:in|during|over) the course of the year\b|\bduring the year\b", low):
        return f"{as_of.year}-01..{end}"  # the year so far, as the article speaks
    if re.search(r"\b(?:year|years) in a row\b|\bconsecutive year\b", low):
        # "for the ninth year in a row, MINUSMA was the deadliest, with 14": the year just
        # ended, as the annual tallies published early in a year count it
        year = as_of.year - 1 if as_of.month <= 6 else as_of.year
        return f"{year}-01..{year}-12"
    if CUMULATIVE.search(low) or _TO_DATE.search(low) or _MEMORIAL.search(low) and WHO_DIED.search(low):
        return f"1948-01..{end}"
    return None


def _period_end(period: str, as_of: date) -> date:
    last = period.rsplit("..", 1)[-1]
    return date(int(last[:4]), int(last[5:7]), 1) if len(last) >= 7 else as_of


def read_deaths(db: Database, text: str, i: int, n: Number, entities: list[Entity], dates: Dates,
                as_of: date, numbers: list[Number], malicious: bool = False) -> tuple[Draft | None, str | None]:
    low = text.lower()
    if re.match(r"\s+each\b", low[n.end:]):
        # "1 each from Guinea, Ireland, Jordan": one figure for each of several countries
        return None, "one figure for each of several countries, not read apart"
    # "fifteen peacekeepers were killed in an attack on Thursday": the fact base counts
    # deaths by month, so the event is checked against its month's count, which may hold more
    event = bool(_EVENT.search(low)) and not dates.stated and dates.since_month is None and \
        not CUMULATIVE.search(low)
    if re.match(r"\s*(?:were\s+|others?\s+)?(?:seriously\s+|critically\s+)?(?:injured|wounded)\b", low[n.end:n.end + 30]):
        return None, "the wounded: the fact base counts deaths, not injuries"  # "10 ... were killed and 25 injured"
    if re.match(r"\s*(?:\w+\s+)?(?:civilians?(?!,?\s+(?:and\s+)?(?:military|uniformed|police))|protesters|demonstrators"
                r"|rebels?|militants?|jihadists?|people"
                r"|soldiers of|attackers|assailants)\b", low[n.end:n.end + 30]):
        return None, "deaths of others than UN personnel"
    local = re.match(r"(?:(?!\bsince\b)[^\d]){0,100}?\b(?:in|during)\s+((?:19|20)\d\d)\b", low[n.end:]) or \
        re.search(r"\b((?:19|20)\d\d)\s*\(\s*(?:about\s+|some\s+)?$", low[max(0, n.start - 12):n.start])
    # the figure's own clause dates it first: "more than 4,000 since 1948, while 130 ... last year"
    c0, c1 = clause_at(text, n.start)
    own = read_dates(text[c0:c1], as_of) if c1 - c0 < len(text) and dates.span is None and dates.months is None \
        else None
    before = low[max(0, n.start - 60):n.start]
    lead = re.search(r"\b(last|this) year\b[^.;\d]{0,40}$", before)
    if lead and re.search(r"\b(?:until|till|as of|as at|by|up to|through)\b[^,;]*$", before[:lead.start()]):
        lead = None  # "Until August 31 this year, 129 ... have lost their lives": a total to that date
    if event:
        period: str | None = f"{as_of:%Y-%m}"
    elif local and local.start(1) - local.start() <= 12:  # "from 34 in 2016 to 59 in 2017" after "last year"
        period = f"{local.group(1)}-01..{min(f'{local.group(1)}-12', f'{as_of:%Y-%m}')}"
    elif lead:  # "Last year, 59 UN peacekeepers died ..., a stark increase from 2016": the year before it
        year = as_of.year - 1 if lead.group(1) == "last" else as_of.year
        period = f"{year}-01..{min(f'{year}-12', f'{as_of:%Y-%m}')}"
    elif local:  # "from 34 in 2016 to 59 in 2017", "2020 (15 killed)"; the current year so far
        period = f"{local.group(1)}-01..{min(f'{local.group(1)}-12', f'{as_of:%Y-%m}')}"
    elif own is not None and (own.stated or own.since is not None or own.since_month is not None or
                              own.relative in ("last year", "this year")):
        period = _period(own, as_of, low[c0:c1])
    else:
        period = _period(dates, as_of, low)
    if period is None and (n.value < 50 and (_TOLD_IN_THE_PAST.match(low, n.end) or re.search(
            r"\b(?:killing|murder|deaths?)\s+of\s+$", low[max(0, n.start - 20):n.start])) or
                           n.op == ">=" and n.approx in ("a", "an", "one")):  # "the killing of a Rwandan peacekeeper"
        # "Ten peacekeepers from Chad were killed and at least 25 injured": news of an event
        # told in the simple past, with no period of its own, is of the article's days
        event, period = True, f"{as_of:%Y-%m}"
    if period is None:
        return None, "deaths without a period (a year, 'since', 'to date')"
    if period.startswith("1948-01..") and n.value < 20 and not CUMULATIVE.search(low) and \
            re.search(r"\bha(?:ve|s) been killed\b", low) and \
            not re.search(r"\bdeadliest\b|\bin total\b|\ba total of\b|\boverall\b|\bsince\b", low):
        # "three peacekeepers from Senegal have been killed": news of this month, not a total since 1948
        period = f"{as_of:%Y-%m}"
    mission, why = mission_of(db, text, n, entities, "{m}" if not dates.month else f"{dates.month:%Y-%m}", as_of)
    if mission is None and why is None and (serving := next((
            e for e in entities if e.role == "mission" and e.start > n.end and re.fullmatch(
                r"[^.;]{0,100}?\b(?:serving|served|deployed)\s+(?:with|in|on)\b[^.;]{0,60}", low[n.end:e.start])),
            None)):
        mission = serving.code  # "47 Irish soldiers, who lost their lives while serving with ... Unifil"
    if mission is None and why is None:  # the one place named before them, in another clause
        mission = place_before(db, n, entities, _period_end(period, as_of))
    named = [e for e in entities if e.role == "contributor" and c0 <= e.start < n.start]
    # "four Dutch soldiers", "7 from Pakistan": the name right after the figure is its own
    right_after = [e for e in entities if e.role == "contributor" and n.end <= e.start <= n.end + 30 and
                   re.fullmatch(r"\s*(?:[\w-]+\s+)?(?:from\s+(?:the\s+)?)?", low[n.end:e.start])]
    demonym_after = [e for e in entities if e.role == "contributor" and n.end <= e.start <= n.end + 20]
    who = right_after[:1] or named[-1:] or demonym_after[:1]
    if who and mission is not None and who[0].code in hosts_of(db, mission):
        who = []  # "peacekeepers killed in Mali's north ... MINUSMA": the place, not their nationality
    if who and mission is None and who[0].start >= 0 and not is_demonym(db, who[0]) and \
            not after_from(text, who[0]) and not re.search(
            r"\b(?:lost|mourn|mourned|mourns|buried|repatriated|suffered|sacrificed)\b", low) and \
            (hosted := mission_hosted(db, who[0].code, _period_end(period, as_of))):
        # "Mali ... the most dangerous operation, with over 200 dead": the country where they
        # died; a nationality is written "Malian peacekeepers", "from Mali", "Mali lost"
        mission, who = hosted, []
    options = [f"mission={mission}"] if mission else []
    # the words between the figures around this one say what its deaths were
    lo = max([x.end for x in numbers if x.end <= n.start and x.unit in ("persons", "count", "deaths")], default=0)
    hi = min([x.start for x in numbers if x.start >= n.end and x.unit in ("persons", "count", "deaths")],
             default=len(low))
    if MALICIOUS.search(low[lo:hi]) or malicious and not _CAUSE_STATED.search(low):
        options.append("cause=malicious")
    if re.match(r"\s*(?:\w+\s+)?(?:troops|soldiers|military personnel|uniformed)\b", low[n.end:n.end + 30]) and \
            not re.search(r"\bcivilian", low[n.end:n.end + 60]):
        options.append("personnel=uniformed")
    cmp, bound = comparison(n)
    # news of "Thursday" early in a month may be of the month before
    periods = [period, f"{shift(as_of, -1):%Y-%m}"] if event else [period]
    senses = [options]
    if "cause=malicious" not in options and not _CAUSE_STATED.search(low) and not period.startswith("1948-01.."):
        # "59 peacekeepers were killed in 2017": every death, or the deaths in malicious
        # acts, the UN's yearly tally of peacekeepers "killed" (docs/claims.md, "Two
        # readings"). A total to date is of every death, the UN's running count.
        senses.append([*options, "cause=malicious"])
    claims = [f"fatalities({', '.join([*(e.code for e in who), p, *o])}) {cmp}" for o in senses for p in periods]
    draft = Draft(claims[0], [i], bound, alternatives=claims[1:], part=event,
                  note="; ".join(x for x in ("deaths in one event, checked against its month's count" if event else None,
                                             "every death, or those in malicious acts" if len(senses) > 1 else None) if x)
                  or None)
    return draft, None
