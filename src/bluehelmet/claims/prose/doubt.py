"""When a "false" is not to be trusted.

A claim read from prose is a guess at what the writer meant; the fact base answers the
guess exactly. On the evaluation's unseen sentences (bench/factcheck_eval), most wrong
"false" verdicts were the reading's fault, not the writer's: another country, measure,
scope or month than the one meant. A wrong "false" is the worst answer a journalist can
get, so a false verdict whose figure suggests another reading becomes "unknown", keeping
the data's figure and saying why:

- **far**: an "about N" or bare N more than half away from the data's figure, a "more
  than N" where the data give less than half of N, a "fewer than N" where they give more
  than twice N (a writer's figure is rarely that wrong; a reading often is: "the mission
  now deploys slightly more than 700" read as the host's own contingent, 0). A place is
  far when the data put the country more than three places below the sentence's ("the
  second largest contributor" against a 52nd is another reading: of money, of women, of
  all time; against a fourth it is a writer's slip or an old table). Half of a place
  would doubt every "first" found second.

The bound half of the rule costs plainly false bounds too ("more than 10,000" against
4,836 is unknown, with the figure): on the 720 checkable sentences of the evaluation's
first four rounds it removed 9 wrong "false" verdicts for 6 right ones; on all 858, a bound
doubted only where the data give nobody would leave "false" right 67.8 % of the time
instead of 70.2 %. Other rules were tried and dropped (docs/claims.md,
"When a "false" is not trusted", has the counts).

- **in a mission**: "12,000 personnel drawn from 31 contributing nations" against a
  mission where the data count more countries: the data count every country with anyone
  there, a mission's own figure its troop contributors.
- **part**: a figure that is one part of what the data count (the deaths of one attack
  against its month's deaths) is not contradicted by a larger count.

The rules only ever turn "false" into "unknown": they cannot make a verdict wrong, only
less decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..evaluate import Verdict
from ..steps import figure_text
from .model import Check, Draft

__all__ = ["doubt", "FAR", "RANK_FAR"]

#: relative distance past which an "about"/bare figure's false is unknown
FAR = 0.5
#: places below the sentence's past which a rank's false is unknown
RANK_FAR = 3


def doubt(checks: Sequence[Check], drafts: Sequence[Draft]) -> list[Check]:
    """``checks`` with each untrustworthy "false" turned to "unknown" (see the module);
    ``drafts`` are the claims they checked, in the same order."""
    out = []
    for c, d in zip(checks, drafts, strict=True):
        v = c.verdict
        if v.verdict != "false":
            out.append(c)
            continue
        why = (_part(v) if d.part else None) or _in_mission(v) or _far(v)
        out.append(replace(c, verdict=_unknown(v, why)) if why else c)
    return out


def _far(v: Verdict) -> str | None:
    left, right = v.left, v.right
    if left is None or right is None or not right or right < 0 or left < 0:
        return None
    if v.claim.startswith("rank(") and v.op in ("==", "<="):
        far = left > right + RANK_FAR  # second for third is a writer's slip or an old table; 11th for first a misreading
    else:
        far = (v.op in ("~", "==") and abs(left - right) / right > FAR) or \
              (v.op in (">", ">=") and left < right * (1 - FAR)) or \
              (v.op in ("<", "<=") and left > right / (1 - FAR))
    if not far:
        return None
    return (f"the data give {figure_text(left)}, far from the sentence's {figure_text(right)}: the sentence may "
            "be read wrong or speak of something else; check the claim")


def _part(v: Verdict) -> str | None:
    if v.left is None or v.right is None or v.op in (">", ">=") or v.left <= v.right:
        return None
    return (f"the data count {figure_text(v.left)} in that month, more than the sentence's "
            f"{figure_text(v.right)}: its figure may be one event's part of them, which the data do not count apart")


def _in_mission(v: Verdict) -> str | None:
    if not (v.claim.startswith("contributors(") and "mission=" in v.claim) or v.left is None or v.right is None \
            or v.left <= v.right or v.op in (">", ">="):
        return None
    return (f"the data count {figure_text(v.left)} countries with anyone in the mission, staff officers and experts "
            "among them; a mission's own count of its troop contributors is often lower")


def _unknown(v: Verdict, why: str) -> Verdict:
    return replace(v, verdict="unknown", reason=why)
