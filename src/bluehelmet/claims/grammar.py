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

import re
from dataclasses import dataclass, field, fields, is_dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Collection

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

COMP: ">=" | "<=" | "==" | "!=" | ">" | "<" | "~" | "=" | "≥" | "≤" | "≠" | "≈"
ARROW: "->"
ADD: "+" | "-"
MUL: "*" | "/"
PERCENT: "%" | /percent(?![A-Za-z])/
CURRENCY.2: "US$" | "$"
SCALE: /(?i:trillion|billion|million|thousand|tn|bn|mn|m|k)(?![A-Za-z])/
EACH.3: /each(?=\s)/
MONTH.2: /\d{4}-\d{2}/
FISCAL.2: /\d{4}\/(?:\d{4}|\d{2})(?!\d)/
NUMBER: /\d{1,3}(?:,\d{3})+(?!\d)(?:\.\d+)?|\d+(?:\.\d+)?/
NAME.1: /(?!(?i:held)\b)(?:[A-Za-z_]+(?=\s*\()|[a-z_]+(?=\s*=(?!=)))/
COUNTRY: /[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F.'\u2019_]*(?:(?:-|[ \t]+)[A-Za-z\u00C0-\u024F][A-Za-z0-9\u00C0-\u024F.'\u2019_]*)*/
%import common.WS
%ignore WS
"""


#: how much of a claim the caret display shows: a window around the column, never a page
_CARET_WINDOW = 72


def _caret(claim: str, column: int) -> tuple[str, str]:
    """The claim (or a window of it around ``column``, with ``...`` where it is cut) and a
    caret under the column.

    >>> shown, caret = _caret("a" * 200 + " > x", 202)
    >>> shown[caret.index("^")], len(shown) < 80
    ('>', True)
    """
    start = max(0, min(column - 1 - _CARET_WINDOW // 2, len(claim) - _CARET_WINDOW))
    end = start + _CARET_WINDOW
    shown = ("..." if start else "") + claim[start:end] + ("..." if end < len(claim) else "")
    return shown, " " * (column - 1 - start + (3 if start else 0)) + "^"


class ClaimSyntaxError(QueryError):
    """A claim that does not parse; the message names the column and, where one is
    obvious, what was meant. ``detail`` is the claim with a caret under that column, for
    the surfaces that can show it (the CLI prints it under the error line)."""

    exit_code = 2

    def __init__(self, message: str, claim: str | None = None, column: int | None = None,
                 suggestion: str | None = None) -> None:
        super().__init__(message + (f"; {suggestion}" if suggestion else ""))
        self.claim, self.column, self.suggestion = claim, column, suggestion
        if claim is not None and column is not None:
            self.detail = _caret(claim, column)

    def fields(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.column is not None:
            out["column"] = self.column
        if self.suggestion:
            out["suggestion"] = self.suggestion
        if self.detail:
            out["detail"] = list(self.detail)
        return out


#: the longest claim read (the API's limit too); longer text is refused before parsing
MAX_LENGTH = 2000
#: how deep operations may nest (``a + b + c`` is two deep): far beyond any sentence's
#: claim, well short of Python's recursion limit in the tree's walkers
MAX_DEPTH = 100

# the other ways people write a comparison, read as the one they mean
_COMPARISONS = {"=": "==", "≥": ">=", "≤": "<=", "≠": "!=", "≈": "~"}
# what was probably meant by an operator the grammar does not have
_MISTYPED = {"=>": ">=", "=<": "<=", "<>": "!=", "=!": "!=", "===": "==", "!==": "!=", ">>": ">", "<<": "<",
             "~=": "~", "=~": "~", "==~": "~", "!": "!=", "=": "=="}


def _float(text: str) -> float:
    """A NUMBER token: ``2,000`` is 2000 (only a comma before exactly three digits inside
    a number is a separator; the grammar's NUMBER decides that)."""
    return float(text.replace(",", ""))


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

    # cache=True: the parse tables are kept in the temporary folder (keyed by the grammar's
    # hash and Lark's version), so a command that checks one claim does not rebuild them
    return Lark(GRAMMAR, parser="lalr", maybe_placeholders=False, cache=True)


def _build(tree: Any) -> Any:
    from lark import Token, Tree

    if isinstance(tree, Token):
        return str(tree)
    assert isinstance(tree, Tree)
    kind, kids = tree.data, tree.children
    if kind == "number":
        tokens = {k.type: str(k) for k in kids if isinstance(k, Token)}
        value = _float(tokens["NUMBER"]) * SCALES.get(tokens.get("SCALE", "").lower(), 1.0)
        scale = tokens.get("SCALE", "")
        written = tokens.get("CURRENCY", "") + tokens["NUMBER"] + (
            "%" if "PERCENT" in tokens else (" " if len(scale) > 2 else "") + scale)
        return Number(value, "PERCENT" in tokens, written.replace("percent", "%"))
    if kind == "years":
        return Years(int(_float(str(kids[0]))), int(_float(str(kids[1]))))
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
        name = str(kids[0]).lower()  # "Personnel(...)" is personnel(...)
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
        return Number(_float(str(kids[0])), len(kids) > 1)
    if kind == "compare":
        tol = _build(kids[3]) if len(kids) > 3 else None
        return Compare(_build(kids[0]), _COMPARISONS.get(str(kids[1]), str(kids[1])), _build(kids[2]), tol)
    if kind == "held":
        return Held(_build(kids[0]), _build(kids[1]))
    raise ClaimSyntaxError(f"unexpected {kind}")  # pragma: no cover - grammar and builder agree


# a claim's months, as the grammar's MONTH token reads them (not the digits of 2,078 or 2022/23)
_MONTHS_IN = re.compile(r"(?<![\d/-])(\d{4}-\d{2})(?![\d/-])")


def parse(text: str, functions: Collection[str] | None = None) -> Compare | Held:
    """Parse a claim; errors name the column where parsing failed and, where one is
    obvious, what was meant. ``functions``: the function names the evaluator knows; a call
    to another name is an error proposing the closest ones.

    Claims that differ only in their months (the prose reader checks one claim at each
    month of a window, and a long text repeats its claims month after month) share one
    parse: the claim is parsed with its months as placeholders, once, and the months put
    back into the tree.

    >>> parse("troops(China, 2014-01) > 1000").op
    '>'
    >>> parse("personnel(China, 2013-12) = 2,078").right.value
    2078.0
    """
    months = _MONTHS_IN.findall(text)
    if not months or len(months) > 9 or len(text) > MAX_LENGTH:
        return _parse(text, functions)
    placeholders = iter(range(1, 10))
    shape = _MONTHS_IN.sub(lambda _m: f"0000-0{next(placeholders)}", text)
    try:
        tree = _parse_shape(shape, frozenset(functions) if functions is not None else None)
    except ClaimSyntaxError:
        return _parse(text, functions)  # the error names the claim as written
    claim: Compare | Held = _put_months(tree, {f"0000-0{i}": m for i, m in enumerate(months, start=1)})
    return claim


@lru_cache(maxsize=1024)
def _parse_shape(shape: str, functions: frozenset[str] | None) -> Compare | Held:
    return _parse(shape, functions)


def _put_months(node: Any, months: dict[str, str]) -> Any:
    """``node`` with each placeholder month replaced (the tree's nodes are frozen: rebuilt)."""
    if isinstance(node, Month):
        return Month(months.get(node.text, node.text))
    if isinstance(node, Range):
        return Range(months.get(node.first, node.first), months.get(node.last, node.last))
    if isinstance(node, tuple):
        return tuple(_put_months(x, months) for x in node)
    if is_dataclass(node) and not isinstance(node, type):
        changed = {f.name: _put_months(getattr(node, f.name), months) for f in fields(node)}
        return replace(node, **changed)
    return node


def _parse(text: str, functions: Collection[str] | None = None) -> Compare | Held:
    from lark.exceptions import LarkError, UnexpectedInput

    if len(text) > MAX_LENGTH:
        raise ClaimSyntaxError(f"claim too long: {len(text):,} characters; at most {MAX_LENGTH:,}")
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    except LarkError as exc:  # pragma: no cover - every parse failure is an UnexpectedInput
        raise ClaimSyntaxError(f"cannot read the claim: {exc}".splitlines()[0]) from None
    depth = _depth(tree)
    if depth > MAX_DEPTH:
        raise ClaimSyntaxError(f"claim nests {depth} operations deep; at most {MAX_DEPTH}: split it, or add "
                               "many terms with sum(a, b, c, ...)")
    if functions is not None:
        _check_functions(tree, text, functions)
    try:
        claim: Compare | Held = _build(tree)  # the start rule: held or compare
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the walk shallow
        raise ClaimSyntaxError("claim nests too deep to read") from None
    return claim


def _depth(tree: Any) -> int:
    """The depth of a parse tree, walked without recursion (a claim of 1,000 chained
    terms is 1,000 deep)."""
    from lark import Tree

    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((k, d + 1) for k in node.children if isinstance(k, Tree))
    return deepest


def _check_functions(tree: Any, text: str, functions: Collection[str]) -> None:
    """A call to a function the evaluator does not know is a mistake in the claim (a typo,
    mostly), named where it stands, with the closest known names."""
    import difflib

    for call in tree.find_data("call"):
        token = call.children[0]
        name = str(token).lower()
        if name in functions:
            continue
        close = difflib.get_close_matches(name, sorted(functions), n=3, cutoff=0.6)
        hint = ("did you mean " + " or ".join(f"{c}()" for c in close) + "?") if close else \
            "the functions are " + ", ".join(sorted(functions)) + " (docs/claims.md)"
        column = getattr(token, "column", None)
        raise ClaimSyntaxError(f"unknown function {name}() at column {column}", text, column, hint)


def _syntax_error(text: str, exc: Any) -> ClaimSyntaxError:
    """The one-line error for a claim that does not parse: where, what, and what was
    probably meant (an operator the grammar lacks, a parenthesis left open or never opened,
    a missing comma)."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF

    token = getattr(exc, "token", None)
    at_end = isinstance(exc, UnexpectedEOF) or (token is not None and token.type == "$END")
    at = len(text) if at_end else (getattr(exc, "pos_in_stream", None) or 0)
    # parentheses first: an unbalanced one explains whatever the parser tripped on later
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == "(":
            opened.append(i)
        elif ch == ")":
            if not opened:
                return ClaimSyntaxError(f"')' at column {i + 1} closes no '('", text, i + 1,
                                        "remove it or open it earlier")
            opened.pop()
    if at_end:
        if opened:
            first = opened[-1] + 1
            return ClaimSyntaxError(f"claim ends too early at column {len(text) + 1}: the '(' at column "
                                    f"{first} is not closed", text, len(text) + 1, "add ')'")
        return ClaimSyntaxError(f"claim ends too early at column {len(text) + 1}", text, len(text) + 1,
                                "a claim compares two sides: LEFT OP RIGHT, e.g. troops(China, 2014-01) > 1000")
    column = at + 1
    # an operator the grammar does not have: the run of operator characters around the error
    lo = at
    while lo > 0 and text[lo - 1] in "<>=!~":
        lo -= 1
    hi = at
    while hi < len(text) and text[hi] in "<>=!~":
        hi += 1
    run = text[lo:hi]
    if run and run in _MISTYPED:
        return ClaimSyntaxError(f"cannot read {run!r} at column {lo + 1}", text, lo + 1,
                                f"did you mean {_MISTYPED[run]!r}?")
    if run and any(c in run for c in "<>=~") and text[:lo].count("(") == text[:lo].count(")") and \
            any(op in text[:lo] for op in ("<", ">", "=", "~", "≥", "≤", "≠", "≈")):
        return ClaimSyntaxError(f"a second comparison at column {lo + 1}", text, lo + 1,
                                "a claim makes one comparison; join two with two claims")
    what = text[at:at + 12] if isinstance(exc, UnexpectedCharacters) else str(token)
    hint = None
    expected = set(getattr(exc, "expected", None) or getattr(exc, "allowed", None) or ())
    inside = text[:at].count("(") > text[:at].count(")")
    if opened and "RPAR" in expected:
        hint = f"the '(' at column {opened[-1] + 1} is not closed: missing ')'?"
    elif "COMMA" in expected and inside:
        hint = "missing ',' between arguments?"
    elif "COMP" in expected and not inside and not any(c in text[:at] for c in "<>=~≥≤≠≈"):
        hint = "missing a comparison (==, !=, >, <, >=, <=, ~) between the two sides?"
    return ClaimSyntaxError(f"unexpected {what!r} at column {column}", text, column, hint)
