"""The claim language: a Lark grammar and the tree it parses into (see docs/claims.md).

    troops(China, 2014-01) > troops(P5 - China, 2014-01)
    personnel(Russia, 2013-12) == min(personnel(each P5, 2013-12))
    personnel(China, 2014-01) / personnel(China, 2003-01) ~ 20 ± 15%
    share(personnel, Asia + Africa, 2012-12) > 85%
    held(troops(China, ?) > troops(P5 - China, ?), 2011-03..2014-02)
    assessed_share(USA, 2014) ~ 28%
    finance(CHN -> Africa, 2000..2011, dataset=1.0) ~ $75.4 billion
    spending(MINUSMA, 2022/23) > 1bn

Parse errors become one-line :class:`ClaimSyntaxError` messages naming the column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import QueryError

if TYPE_CHECKING:
    from lark import Lark

__all__ = ["parse", "ClaimSyntaxError", "Number", "Month", "Range", "Years", "FiscalYears", "Names", "Flow", "Call",
           "BinOp", "Compare", "Held", "SCALES"]

#: the words a figure may carry: "$73 billion", "73bn", "$2.2 billion", "1.2m"
SCALES = {"trillion": 1e12, "tn": 1e12, "billion": 1e9, "bn": 1e9, "million": 1e6, "mn": 1e6, "m": 1e6,
          "thousand": 1e3, "k": 1e3}

GRAMMAR = r"""
?start: claim

?claim: held | compare
held: "held" "(" compare "," range ")"
compare: expr COMP expr tolerance?
tolerance: ("±" | "+-") NUMBER PERCENT?

?expr: sum
?sum: product | sum ADD product -> binop
?product: atom | product MUL atom -> binop
?atom: number | call | "(" expr ")"
number: CURRENCY? NUMBER (PERCENT | SCALE)?

call: NAME "(" [arg ("," arg)*] ")"
?arg: kwarg | month | range | years | fiscal | placeholder | expr_arg | flow | names
kwarg: NAME "=" (names | month | range | years | fiscal | placeholder | number)
month: MONTH
range: MONTH ".." MONTH
years: NUMBER ".." NUMBER
fiscal: FISCAL (".." FISCAL)?
placeholder: "?"
expr_arg: call | number
flow: names ARROW names
names: selection (ADD selection)*
selection: EACH? COUNTRY

COMP: ">=" | "<=" | "==" | "!=" | ">" | "<" | "~"
ARROW: "->"
ADD: "+" | "-"
MUL: "*" | "/"
PERCENT: "%"
CURRENCY.2: "US$" | "$"
SCALE: /(?i:trillion|billion|million|thousand|tn|bn|mn|m|k)(?![A-Za-z])/
EACH.3: /each(?=\s)/
MONTH.2: /\d{4}-\d{2}/
FISCAL.2: /\d{4}\/(?:\d{4}|\d{2})(?!\d)/
NUMBER: /\d+(\.\d+)?/
NAME.1: /(?!held\b)[a-z_]+(?=\s*[(=])/
COUNTRY: /[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F.'\u2019_]*(?:(?:-|[ \t]+)[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F.'\u2019_]*)*/
%import common.WS
%ignore WS
"""


class ClaimSyntaxError(QueryError):
    """A claim that does not parse; the message names the column."""

    exit_code = 2


@dataclass(frozen=True)
class Number:
    value: float  # a SCALE word is applied: "$73 billion" is 73e9
    percent: bool = False
    written: str = field(default="", compare=False)  # as the claim wrote it, for messages


@dataclass(frozen=True)
class Month:
    text: str  # YYYY-MM or "?" (a placeholder a history fills in)


@dataclass(frozen=True)
class Range:
    first: str
    last: str


@dataclass(frozen=True)
class Years:
    """Calendar years ``2000..2011``, both included."""

    first: int
    last: int


@dataclass(frozen=True)
class FiscalYears:
    """UN fiscal years (1 July - 30 June) as written: ``2022/23``, or ``2019/20..2022/23``."""

    first: str
    last: str

    def text(self) -> str:
        return self.first if self.first == self.last else f"{self.first}..{self.last}"


@dataclass(frozen=True)
class Names:
    """Set algebra over countries and groups: [("+", "P5"), ("-", "China")]; ``each``
    marks a name whose members are to be taken one by one."""

    terms: tuple[tuple[str, str], ...]
    each: bool = False

    def text(self) -> str:
        out = ("each " if self.each else "") + self.terms[0][1]
        return out + "".join(f" {op} {name}" for op, name in self.terms[1:])


@dataclass(frozen=True)
class Flow:
    """Money from a donor to recipients: ``CHN -> Africa``."""

    donor: Names
    recipient: Names


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...] = field(default=())


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Any
    right: Any


@dataclass(frozen=True)
class Compare:
    left: Any
    op: str
    right: Any
    tolerance: Number | None = None


@dataclass(frozen=True)
class Held:
    claim: Compare
    range: Range



@lru_cache(maxsize=1)
def _parser() -> Lark:
    from lark import Lark

    return Lark(GRAMMAR, parser="lalr", maybe_placeholders=False)


def _build(tree: Any) -> Any:
    from lark import Token, Tree

    if isinstance(tree, Token):
        return str(tree)
    assert isinstance(tree, Tree)
    kind, kids = tree.data, tree.children
    if kind == "number":
        tokens = {k.type: str(k) for k in kids if isinstance(k, Token)}
        value = float(tokens["NUMBER"]) * SCALES.get(tokens.get("SCALE", "").lower(), 1.0)
        scale = tokens.get("SCALE", "")
        written = tokens.get("CURRENCY", "") + tokens["NUMBER"] + (
            "%" if "PERCENT" in tokens else (" " if len(scale) > 2 else "") + scale)
        return Number(value, "PERCENT" in tokens, written)
    if kind == "years":
        return Years(int(float(str(kids[0]))), int(float(str(kids[1]))))
    if kind == "fiscal":
        return FiscalYears(str(kids[0]), str(kids[-1]))
    if kind == "flow":
        return Flow(_build(kids[0]), _build(kids[2]))
    if kind == "month":
        return Month(str(kids[0]))
    if kind == "placeholder":
        return Month("?")
    if kind == "range":
        return Range(str(kids[0]), str(kids[1]))
    if kind == "expr_arg":
        return _build(kids[0])
    if kind == "names":
        terms, each, op = [], False, "+"
        for k in kids:
            if isinstance(k, Token) and k.type == "ADD":
                op = str(k)
                continue
            parts = k.children
            if len(parts) == 2:
                each = True
            terms.append((op, str(parts[-1]).strip()))
        return Names(tuple(terms), each)
    if kind == "kwarg":
        return (str(kids[0]), _build(kids[1]))
    if kind == "call":
        name = str(kids[0])
        args: list[Any] = []
        kwargs: list[tuple[str, Any]] = []
        for a in kids[1:]:
            if a is None:
                continue
            built = _build(a)
            (kwargs if isinstance(built, tuple) else args).append(built)
        return Call(name, tuple(args), tuple(kwargs))
    if kind == "binop":
        return BinOp(str(kids[1]), _build(kids[0]), _build(kids[2]))
    if kind == "tolerance":
        return Number(float(str(kids[0])), len(kids) > 1)
    if kind == "compare":
        tol = _build(kids[3]) if len(kids) > 3 else None
        return Compare(_build(kids[0]), str(kids[1]), _build(kids[2]), tol)
    if kind == "held":
        return Held(_build(kids[0]), _build(kids[1]))
    raise ClaimSyntaxError(f"unexpected {kind}")  # pragma: no cover - grammar and builder agree


def parse(text: str) -> Compare | Held:
    """Parse a claim; errors name the column where parsing failed.

    >>> parse("troops(China, 2014-01) > 1000").op
    '>'
    """
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput

    try:
        claim: Compare | Held = _build(_parser().parse(text))  # the start rule: held or compare
        return claim
    except UnexpectedEOF:
        raise ClaimSyntaxError(f"claim ends too early at column {len(text) + 1}: {text!r}") from None
    except UnexpectedCharacters as exc:
        at = exc.pos_in_stream or 0  # always set for characters; lark types it optional
        raise ClaimSyntaxError(f"cannot read {text[at:at + 12]!r} at column "
                               f"{exc.column}") from None
    except UnexpectedInput as exc:
        token = getattr(exc, "token", None)
        if token is not None and token.type == "$END":
            raise ClaimSyntaxError(f"claim ends too early at column {len(text) + 1}: {text!r}") from None
        raise ClaimSyntaxError(f"unexpected {str(token)!r} at column {getattr(exc, 'column', '?')}") from None
