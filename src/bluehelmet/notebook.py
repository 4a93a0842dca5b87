"""How results and profiles show in Jupyter: an HTML table that names its month, the grains
it was answered from and its sources (what the terminal's footer says), bounded in rows.

``Result._repr_html_`` and ``Profile._repr_html_`` call these; every value is escaped. They
take a result or a profile as it comes (typed ``Any``): naming the classes here would tie
this module and ``query/result.py`` in a circle.
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from .display import PLAIN_INTS, caption, flat

__all__ = ["MAX_ROWS", "MAX_SECTION_ROWS", "result_html", "profile_html"]

#: rows a result shows before "... N more rows"; a profile's sections show fewer
MAX_ROWS = 20
MAX_SECTION_ROWS = 8
MAX_SOURCES = 8

_STYLE = ("<style>.bh table{border-collapse:collapse}.bh th,.bh td{padding:2px 8px;text-align:left}"
          ".bh td.n{text-align:right;font-variant-numeric:tabular-nums}.bh .meta{color:#555;margin:2px 0}"
          "</style>")


def _cell(value: Any, column: str) -> tuple[str, bool]:
    """A value as escaped text, and whether it is a number (right-aligned)."""
    value = flat(value)
    if value is None:
        return "", False
    if isinstance(value, bool):
        return escape(str(value)), False
    if isinstance(value, int):
        plain = column in PLAIN_INTS or column.endswith("_year")
        return (str(value) if plain else f"{value:,}"), True
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}", True
    if isinstance(value, date):
        return value.isoformat(), False
    return escape(str(value)), False


def _table(columns: list[str], rows: list[dict[str, Any]], limit: int) -> str:
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for row in rows[:limit]:
        cells = []
        for c in columns:
            text, numeric = _cell(row.get(c), c)
            cells.append(f'<td class="n">{text}</td>' if numeric else f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    more = len(rows) - limit
    footer = (f'<p class="meta more">… {more:,} more rows ({len(rows):,} in all; '
              "<code>.to_pandas()</code> has them all)</p>" if more > 0 else "")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{footer}"


def _meta(result: Any) -> list[str]:
    """The lines the terminal prints under a table: month, grains, notes, warnings, sources."""
    lines = []
    when = caption(result)
    if when:
        lines.append(f'<p class="meta month">{escape(when)}</p>')
    for g in result.grains:
        months = f" ({g['months']} months)" if g.get("months") else ""
        lines.append(f'<p class="meta grain">grain: {escape(str(g["grain"]))} '
                     f'{escape(str(g["first_month"]))}..{escape(str(g["last_month"]))}{months}</p>')
    lines += [f'<p class="meta note">note: {escape(n)}</p>' for n in result.notes]
    lines += [f'<p class="meta warning">warning: {escape(w)}</p>' for w in result.warnings]
    if result.sources:
        items = "".join(f"<li><code>{escape(s.path)}</code> [{escape(s.grain)} {escape(s.first_month)}.."
                        f"{escape(s.last_month)}] {escape(s.citation)}</li>" for s in result.sources[:MAX_SOURCES])
        more = (f"<li>… and {len(result.sources) - MAX_SOURCES} more files (<code>.sources</code>)</li>"
                if len(result.sources) > MAX_SOURCES else "")
        lines.append(f'<details class="sources"><summary>sources: {len(result.sources)} files</summary>'
                     f"<ul>{items}{more}</ul></details>")
    return lines


def result_html(result: Any, max_rows: int = MAX_ROWS, title: str | None = None) -> str:
    """A result as HTML: an optional title, the month, the table (at most ``max_rows``
    rows, then a "… N more rows" line), the grains, notes, warnings and sources."""
    parts = [f"<h4>{escape(title)}</h4>"] if title else []
    parts.append(_table(result.columns, result.rows, max_rows) if result.rows
                 else '<p class="meta">(no rows)</p>')
    meta = _meta(result)
    # the month first, above the table, as the terminal's title line; the rest below
    if meta and 'class="meta month"' in meta[0]:
        parts.insert(1 if title else 0, meta.pop(0))
    return f'<div class="bh">{_STYLE}' + "".join(parts + meta) + "</div>"


def profile_html(profile: Any, max_rows: int = MAX_SECTION_ROWS) -> str:
    """A profile as HTML: its title and month, its facts as a two-column table, then each
    section as a result (bounded to ``max_rows`` rows each)."""
    when = f"month {profile.month}" + (f", {profile.month_note}" if profile.month_note else "") \
        if profile.month else ""
    parts = [f"<h3>{escape(profile.title)}</h3>"]
    if when:
        parts.append(f'<p class="meta month">{escape(when)}</p>')
    facts = []
    for k, v in profile.facts.items():
        if isinstance(v, list):
            text = escape(", ".join(map(str, v)))
        elif isinstance(v, int) and not isinstance(v, bool) and (k in PLAIN_INTS or k.endswith("_year")):
            text = str(v)
        else:
            text = _cell(v, k)[0]
        facts.append(f"<tr><th>{escape(k)}</th><td>{text}</td></tr>")
    parts.append(f"<table class=\"facts\"><tbody>{''.join(facts)}</tbody></table>")
    parts += [f'<p class="meta note">note: {escape(n)}</p>' for n in profile.notes]
    if profile.sections:
        parts.append('<p class="meta">sections: ' + ", ".join(escape(n) for n in profile.sections) + "</p>")
    for name, section in profile.sections.items():
        parts.append(result_html(section, max_rows, title=name.replace("_", " ")))
    return f'<div class="bh">{_STYLE}' + "".join(parts) + "</div>"
