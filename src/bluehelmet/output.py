"""Rendering results for the terminal: table, json or csv. No business logic here."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime
from typing import Any, Iterable, Sequence

from .display import PLAIN_INTS as _PLAIN_INTS, caption, flat as _flat

__all__ = ["caption", "render_rows", "render_result", "render_profile", "render_verdicts", "render_factcheck", "to_json"]



def _default(o: Any) -> Any:
    if isinstance(o, (date, datetime)):
        return o.isoformat()
    raise TypeError(type(o).__name__)


def to_json(obj: Any) -> str:
    return json.dumps(obj, default=_default, ensure_ascii=False, indent=2)


def _cell(v: Any, column: str = "") -> str:
    v = _flat(v)
    if v is None:
        return ""
    if isinstance(v, int) and not isinstance(v, bool):
        return str(v) if column in _PLAIN_INTS or column.endswith("_year") else f"{v:,}"
    if isinstance(v, date):
        return v.isoformat()
    return str(v)


def render_rows(columns: Sequence[str], rows: Iterable[dict[str, Any]], fmt: str, title: str | None = None,
                footer: Sequence[str] = ()) -> str:
    rows = list(rows)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r.get(c) is None else _flat(r.get(c)) for c in columns])
        return buf.getvalue().rstrip("\n")
    if fmt == "json":
        return to_json({"rows": rows})
    from rich.console import Console
    from rich.table import Table

    table = Table(show_edge=False, header_style="bold")
    for c in columns:
        numeric = any(isinstance(r.get(c), (int, float)) and not isinstance(r.get(c), bool) for r in rows)
        table.add_column(c, justify="right" if numeric else "left", overflow="fold")
    for r in rows:
        table.add_row(*[_cell(r.get(c), c) for c in columns])
    buf = io.StringIO()
    console = Console(file=buf, width=160, force_terminal=False, color_system=None)
    if title:  # a line of its own: a table's title would wrap at the width of a narrow table
        console.print(title, highlight=False, markup=False)
    console.print(table)
    for line in footer:
        console.print(line, highlight=False, markup=False)  # wraps at the console width
    return buf.getvalue().rstrip("\n")


def render_result(result: Any, fmt: str, title: str | None = None) -> str:
    """A query Result: rows, then (table format) the grains, notes and sources used."""
    if fmt == "json":
        return to_json(result.as_dict())
    footer = []
    if fmt == "table":
        title = caption(result, title)
        if not result.rows:
            footer.append("(no rows)")
        for r in result.query.get("resolved") or ():
            # what each name asked was taken to mean, so nobody reads France for "Frankreich?"
            what = r["code"] if r["kind"] == "country" else f"group {r['code']}"
            footer.append(f"asked: {r['input']!r} = {r['name']} ({what})")
        for g in result.grains:
            months = f" ({g['months']} months)" if g.get('months') else ""
            footer.append(f"grain: {g['grain']} {g['first_month']}..{g['last_month']}{months}")
        for n in result.notes:
            footer.append(f"note: {n}")
        for w in getattr(result, "warnings", ()):
            footer.append(f"warning: {w}")
        for s in result.sources[:8]:
            footer.append(f"source: {s.path} [{s.grain} {s.first_month}..{s.last_month}] sha256 {s.sha256[:12]}")
        if len(result.sources) > 8:
            footer.append(f"source: ... and {len(result.sources) - 8} more files (see --format json)")
    return render_rows(result.columns, result.rows, fmt, title, footer)


def render_profile(profile: Any, fmt: str) -> str:
    """A profile: its facts, then each section (table and csv: one block per section,
    csv blocks headed by a ``# section: NAME`` line)."""
    if fmt == "json":
        return to_json(profile.as_dict())
    # a year is a label, not a quantity: "2024", never "2,024"
    facts = [{"fact": k, "value": ", ".join(map(str, v)) if isinstance(v, list) else
              str(v) if isinstance(v, int) and (k in _PLAIN_INTS or k.endswith("_year")) else v}
             for k, v in profile.facts.items()]
    title = f"{profile.title}: month {profile.month}" if profile.month else profile.title
    blocks = [render_rows(["fact", "value"], facts, fmt, title=title if fmt == "table" else None,
                          footer=[f"note: {n}" for n in profile.notes] if fmt == "table" else ())]
    for name, result in profile.sections.items():
        if fmt == "csv":
            blocks.append(f"# section: {name}\n" + render_result(result, "csv"))
        else:
            blocks.append(render_result(result, "table", title=name.replace("_", " ")))
    return ("\n" if fmt == "csv" else "\n\n").join(blocks)


def _num(x: Any) -> Any:
    return None if x is None else (int(x) if float(x).is_integer() else round(float(x), 4))


def _figure(value: Any) -> str:
    """A step's value as the footer prints it: dollar amounts with thousands separators."""
    if isinstance(value, float) and not value.is_integer() or not isinstance(value, (int, float)) \
            or isinstance(value, bool) or abs(value) < 100_000:
        return str(value)
    return f"{int(value):,}"


def render_verdicts(pairs: list[tuple[dict[str, Any], Any]], fmt: str) -> str:
    """Claim verdicts: one row each; table format adds every number used and its sources."""
    rows = [{"sentence": e.get("sentence"), "claim": v.claim, "verdict": v.verdict, "month": v.month,
             "left": _num(v.left),
             "op": v.op, "right": _num(v.right), "margin": _num(v.margin),
             "relative_error": _num(v.relative_error), "tolerance": _num(v.tolerance), "reason": v.reason}
            for e, v in pairs]
    if fmt == "json":
        body = [{**({"sentence": e["sentence"]} if e.get("sentence") else {}), **v.as_dict()} for e, v in pairs]
        summary = {k: sum(v.verdict == k for _, v in pairs) for k in ("true", "false", "unknown")}
        return to_json(body[0] if len(body) == 1 else {"results": body, "summary": summary})
    # the month stays even where no number was found: every CSV names the month it is for
    columns = [c for c in rows[0] if c == "month" or any(r[c] is not None for r in rows)] if rows else []
    if fmt == "csv":
        return render_rows(columns, rows, "csv")
    blocks = []
    for (e, v), row in zip(pairs, rows):
        footer = [line for s in v.steps for line in
                  [f"{s.expression} = {_figure(s.value)}" + (f"   [{s.month}, {s.grain}]" if s.grain else ""),
                   *([f"  definition: {s.definition}"] if s.definition else []),
                   *([f"  note: {s.note}"] if s.note else [])]]
        if v.history:
            held = [h["month"] for h in v.history if h["verdict"] == "true"]
            not_held = [h["month"] for h in v.history if h["verdict"] == "false"]
            footer.append(f"held: {len(held)} months; did not hold: {', '.join(not_held) or 'none'}")
        footer += [f"source: {s.path} sha256 {s.sha256[:12]}" for s in v.sources()]
        cols = [c for c in ("verdict", "month", "left", "op", "right", "margin", "relative_error", "tolerance",
                            "reason") if row[c] is not None]
        blocks.append(render_rows(cols, [row], "table", title=(e.get("sentence") or v.claim), footer=footer))
    if len(pairs) > 1:
        counts = {k: sum(v.verdict == k for _, v in pairs) for k in ("true", "false", "unknown")}
        blocks.append(f"summary: {counts['true']} true, {counts['false']} false, {counts['unknown']} unknown")
    return "\n\n".join(blocks)


def render_factcheck(sentences: list[Any], fmt: str) -> str:
    """Each sentence with each claim it became and that claim's verdict, or why nothing
    was checked: a row per claim (a sentence with two claims has two rows), and a row for
    a sentence without one. JSON nests the claims under their sentence."""
    rows = []
    for i, s in enumerate(sentences, start=1):
        base = {"n": i, "sentence": s.text, "month": s.month}
        if not s.checks:
            rows.append({**base, "claim": None, "verdict": "not checked", "left": None, "right": None,
                         "why": s.reason})
        for c in s.checks:
            v = c.verdict
            rows.append({**base, "month": v.month or s.month, "claim": c.claim, "verdict": v.verdict,
                         "left": _num(v.left), "right": _num(v.right), "why": "; ".join(
                             x for x in (v.reason, c.note) if x) or None})
    from .claims.prose import tally

    counts = tally(sentences)
    if fmt == "json":
        return to_json({"sentences": [s.as_dict() for s in sentences], "summary": counts})
    columns = ["n", "sentence", "month", "claim", "verdict", "left", "right", "why"]
    if fmt == "csv":
        return render_rows(columns, rows, "csv")
    return render_rows(columns, rows, "table",
                       footer=[", ".join(f"{v} {k}" for k, v in counts.items()) + " (sentences)"])
