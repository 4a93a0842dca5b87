"""Charts people can cite, the way Our World in Data's grapher draws them: a title that says
what and where, a subtitle with the unit, the personnel type and the month or span, axes
with units, a source line naming the datasets and the database's build date, and a rule
where the series changes source. Title, subtitle and source line are part of the Vega-Lite
spec itself (the source line is a text mark under the plot), so the PNG and SVG that
vega-embed exports carry them.

A chart's own rows are the spec's ``datasets["chart"]``: what it draws, and what its
"Download data" CSV holds (:func:`chart_csv`), with the month, unit and citation the spec's
``usermeta`` records.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..query.result import Result, SourceRef

__all__ = ["DATA", "VEGA_LITE", "YEAR", "Cite", "bars", "base_map", "chart_csv", "chart_rows", "cited", "compare",
           "dataset_name",
           "line", "missions_map", "source_changes", "span", "stepped", "year_lines"]

VEGA_LITE = "https://vega.github.io/schema/vega-lite/v5.json"  # a name, never fetched: vega-lite is vendored
DATA = "chart"  # the name of a chart's own rows among its spec's datasets

# a short name per dataset, by the layout's prefix (the first that matches): what a source
# line can hold; the CSV's citation column carries each file's full citation
_DATASETS = (("ipi_", "IPI Providing for Peacekeeping"), ("un_dpo", "UN DPO monthly reports"),
             ("un_datahub", "UN Peace and Security Data Hub"), ("un_fatalities", "UN Peace and Security Data Hub"),
             ("un_pko", "UN Peace and Security Data Hub"), ("owid", "Our World in Data"),
             ("mandates", "Wood, Mandate_Contribute"), ("geopko", "Geo-PKO (Uppsala University)"),
             ("radpko", "RADPKO"), ("un_open", "UN Transparency Portal"),
             ("un_scale", "UN scale of assessments"), ("aiddata", "AidData"))

_GREY = "#666"


def dataset_name(source: SourceRef | str) -> str:
    """The short name of the dataset a file belongs to, from its layout.

    >>> dataset_name("ipi_tcc_countries")
    'IPI Providing for Peacekeeping'
    """
    layout = source if isinstance(source, str) else source.layout
    return next((name for prefix, name in _DATASETS if layout.startswith(prefix)), layout)


@dataclass
class Cite:
    """What a chart's source line and its CSV's citation column say: the files behind the
    chart (each with the months it answered) and the database's build date."""

    sources: list[SourceRef] = field(default_factory=list)
    built: str = ""

    @classmethod
    def of(cls, *results: Result, info: dict[str, Any] | None = None) -> Cite:
        seen: dict[tuple[int, str], SourceRef] = {}
        for r in results:
            for s in r.sources:
                seen.setdefault((s.source_id, s.grain), s)
        return cls(list(seen.values()), str((info or {}).get("built_at", ""))[:10])

    def at(self, month: str) -> Cite:
        """Only the files behind ``month`` (all of them if none covers it)."""
        return Cite([s for s in self.sources if s.first_month <= month <= s.last_month] or self.sources, self.built)

    def datasets(self) -> list[str]:
        """Dataset names, in the order their months first appear."""
        ordered = sorted(self.sources, key=lambda s: (s.first_month, s.source_id))
        return list(dict.fromkeys(dataset_name(s) for s in ordered))

    def line(self) -> str:
        """``Source: IPI Providing for Peacekeeping; UN DPO monthly reports · bluehelmet, built 2026-11-29``."""
        names = "; ".join(self.datasets()) or "no source file"
        return f"Source: {names} · bluehelmet database built {self.built or 'at an unknown date'}"

    def citation(self, month: str | None = None) -> str:
        """The full citations of the files behind ``month`` (every file when None), once each."""
        files = [s for s in self.sources if month is None or s.first_month <= month <= s.last_month]
        # a row dated outside every file's months (a site on an older map) cites them all
        files = files or self.sources
        texts = list(dict.fromkeys(s.citation for s in sorted(files, key=lambda s: s.source_id) if s.citation))
        return "; ".join(texts) + (f" (bluehelmet database built {self.built})" if self.built else "")

    def as_dict(self) -> dict[str, Any]:
        return {"built": self.built, "sources": [{"dataset": dataset_name(s), "citation": s.citation,
                                                   "first_month": s.first_month, "last_month": s.last_month,
                                                   "source_id": s.source_id} for s in self.sources]}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Cite:
        refs = [SourceRef(s["source_id"], "", "", "", "", s["citation"], None, s["first_month"], s["last_month"],
                          0, 0, 0, 0) for s in d.get("sources", [])]
        return cls(refs, d.get("built", ""))


def source_changes(cite: Cite, months: Iterable[str]) -> list[dict[str, str]]:
    """The months where the datasets behind a monthly series change, each with the new set:
    where the grapher draws a rule. A dataset counts from the first to the last month any
    of its files answered (a month in between answered by another dataset alone is not a
    change: a rule per odd month would hide the series). The first month is not a change.

    >>> ref = lambda sid, layout, a, b: SourceRef(sid, "", layout, "", "", "", None, a, b, 0, 0, 0, 0)
    >>> source_changes(Cite([ref(1, "ipi_x", "2014-01", "2014-12"), ref(2, "un_dpo_monthly", "2015-01", "2015-06")]),
    ...                ["2014-11", "2014-12", "2015-01"])
    [{'month': '2015-01', 'label': 'from 2015-01: UN DPO monthly reports'}]
    """
    spans: dict[str, tuple[str, str]] = {}
    for s in sorted(cite.sources, key=lambda s: s.first_month):
        name = dataset_name(s)
        first, last = spans.get(name, (s.first_month, s.last_month))
        spans[name] = (min(first, s.first_month), max(last, s.last_month))
    out, before = [], None
    for m in sorted(set(months)):
        now = tuple(name for name, (first, last) in spans.items() if first <= m <= last)
        if not now:
            continue
        if before is not None and now != before:
            out.append({"month": m, "label": f"from {m}: " + "; ".join(now)})
        before = now
    return out


def span(months: Iterable[str | None]) -> str:
    """``1990-11 to 2025-07`` (one month alone; empty for none)."""
    ms = sorted(m for m in months if m)
    if not ms:
        return ""
    return ms[0] if ms[0] == ms[-1] else f"{ms[0]} to {ms[-1]}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def cited(spec: dict[str, Any], title: str, subtitle: str, cite: Cite, *, unit: str, file: str,
          below: int = 36, month: str | None = None) -> dict[str, Any]:
    """``spec`` with the grapher's title, subtitle and source line drawn in, and what its
    CSV needs in ``usermeta``: the unit, a file name (``bluehelmet-`` + ``file``, made
    safe), the month every row is for where the rows have none, and the citations.

    ``below`` is how far under the plot the source line stands (clear of the x axis)."""
    spec = dict(spec)
    spec["$schema"] = VEGA_LITE
    spec["title"] = {"text": title, "subtitle": subtitle, "anchor": "start", "fontSize": 15,
                     "subtitleColor": _GREY, "subtitleFontSize": 11, "offset": 12}
    note = {"data": {"values": [{}]},
            "mark": {"type": "text", "text": cite.line(), "x": 0, "y": {"expr": "height"}, "dy": below,
                     "align": "left", "baseline": "top", "fontSize": 10, "color": _GREY, "name": "source_line"}}
    _add_layer(spec, note)
    spec["usermeta"] = {"unit": unit, "file": "bluehelmet-" + _slug(file), "month": month, "cite": cite.as_dict()}
    return spec


def _add_layer(spec: dict[str, Any], layer: dict[str, Any]) -> None:
    """Put ``layer`` over a view (made a layer of one if it was a single view), or over the
    last view of a concatenation, so that the line sits under the whole figure."""
    for concat in ("vconcat", "hconcat", "concat"):
        if concat in spec:
            views = spec[concat] = [dict(v) for v in spec[concat]]
            _add_layer(views[-1], layer)
            return
    if "layer" not in spec:
        own = {k: spec.pop(k) for k in ("mark", "encoding", "transform", "params") if k in spec}
        spec["layer"] = [own]
    if isinstance(spec.get("height"), int) and isinstance(layer["mark"].get("y"), dict):
        # a view inside a concatenation has no "height" signal of its own: its number
        layer = {**layer, "mark": {**layer["mark"], "y": spec["height"]}}
    spec["layer"] = [*spec["layer"], layer]


def line(rows: list[dict[str, Any]], x: str, y: str, *, title: str, subtitle: str, y_title: str, cite: Cite,
         unit: str, file: str, color: str | None = None, changes: bool = True, share: bool = False,
         height: int = 260) -> dict[str, Any]:
    """A monthly series (``x`` holds ``YYYY-MM``), one line per ``color``, with a rule and
    a label where its datasets change."""
    y_axis: dict[str, Any] = {"format": ".1f" if share else ",.0f"}
    enc: dict[str, Any] = {"x": {"field": x, "type": "temporal", "title": None},
                           "y": {"field": y, "type": "quantitative", "title": y_title, "axis": y_axis},
                           "tooltip": [{"field": x, "type": "temporal", "timeUnit": "yearmonth", "title": "month"},
                                       *([{"field": color}] if color else []),
                                       {"field": y, "type": "quantitative", "format": y_axis["format"],
                                        "title": y_title}]}
    if color:
        enc["color"] = {"field": color, "type": "nominal", "title": None}
    layers: list[dict[str, Any]] = [{"data": {"name": DATA}, "mark": {"type": "line"}, "encoding": enc}]
    marks = source_changes(cite, (r[x] for r in rows)) if changes else []
    if marks:
        all_months = sorted({r[x] for r in rows})
        layers.append(_change_rules(marks, x, height, all_months))
    spec = {"width": "container", "height": height, "datasets": {DATA: rows}, "layer": layers,
            "config": {"legend": {"orient": "top"}}}
    return cited(spec, title, subtitle, cite, unit=unit, file=file)


def _change_rules(marks: list[dict[str, str]], x: str, height: int, months: list[str]) -> dict[str, Any]:
    """Dashed vertical rules, each labelled with the datasets from that month (at the foot
    of the plot, one label above the next, so that changes a few months apart stay apart;
    right of the rule in the series' first half, left of it in the second)."""
    pos = {"field": x, "type": "temporal"}
    n = len(marks)
    late = {m["month"] for m in marks if months.index(m["month"]) > len(months) / 2} if months else set()
    values = [{x: m["month"], "label": m["label"], "at": height - 13 - 11 * (n - 1 - i),
               "side": "left" if m["month"] in late else "right"} for i, m in enumerate(marks)]

    def labels(side: str) -> dict[str, Any]:
        return {"transform": [{"filter": f"datum.side == '{side}'"}],
                "mark": {"type": "text", "align": "right" if side == "left" else "left", "baseline": "top",
                         "dx": -3 if side == "left" else 3, "fontSize": 9, "color": _GREY, "name": "source_change"},
                "encoding": {"x": pos, "y": {"field": "at", "type": "quantitative", "scale": None},
                             "text": {"field": "label"}}}

    return {"data": {"values": values},
            "layer": [{"mark": {"type": "rule", "strokeDash": [4, 3], "color": "#999"},
                       "encoding": {"x": pos, "tooltip": {"field": "label"}}},
                      # a side without labels gets no layer (an empty one warns of an infinite extent)
                      *(labels(side) for side in ("right", "left") if any(v["side"] == side for v in values))]}


def bars(rows: list[dict[str, Any]], x: str, y: str, *, title: str, subtitle: str, y_title: str, cite: Cite,
         unit: str, file: str, color: str | None = None, x_type: str = "ordinal",
         height: int = 260) -> dict[str, Any]:
    """Bars per ``x`` (a year, usually), stacked by ``color``; rows without a value are no bar."""
    enc: dict[str, Any] = {"x": {"field": x, "type": x_type, "title": None, "axis": {"labelAngle": 0}},
                           "y": {"field": y, "type": "quantitative", "title": y_title, "stack": True,
                                 "axis": {"format": ",.0f"}},
                           "tooltip": [{"field": x}, *([{"field": color}] if color else []),
                                       {"field": y, "type": "quantitative", "format": ",.2~f", "title": y_title}]}
    if color:
        enc["color"] = {"field": color, "type": "nominal", "title": None}
    spec = {"width": "container", "height": height, "datasets": {DATA: [r for r in rows if r.get(y) is not None]},
            "data": {"name": DATA}, "mark": {"type": "bar"}, "encoding": enc,
            "config": {"legend": {"orient": "top"}}}
    return cited(spec, title, subtitle, cite, unit=unit, file=file)


def base_map(scale: str, stroke: str) -> dict[str, Any]:
    """A map layer of the vendored Natural Earth countries at ``scale`` (110m or 50m)."""
    return {"data": {"url": f"/static/vendor/countries-{scale}.json",
                     "format": {"type": "topojson", "feature": "countries"}},
            "mark": {"type": "geoshape", "fill": "#eee", "stroke": stroke}}


def missions_map(rows: list[dict[str, Any]], month: str, cite: Cite, height: int = 380,
                 top: int | None = None) -> dict[str, Any]:
    """Each mission at its headquarters, sized by personnel (up to ``top``: the largest
    here, unless given, as a map stepping through months gives its largest of all) and
    labelled with its acronym; a click opens its page."""
    points = [{"month": month, "mission": r["mission"], "name": r["name"], "personnel": r["personnel"],
               "hq": r["hq"], "longitude": r["hq_lon"], "latitude": r["hq_lat"],
               "page": f"/missions/{r['mission']}"} for r in rows if r["hq_lon"] is not None]
    _place_labels(points)
    geo = {"longitude": {"field": "longitude", "type": "quantitative"},
           "latitude": {"field": "latitude", "type": "quantitative"}}
    spec = {"width": "container", "height": height, "projection": {"type": "equalEarth"},
            "datasets": {DATA: points},
            "layer": [
                base_map("110m", "#bbb"),
                {"data": {"name": DATA}, "mark": {"type": "circle", "color": "#1f6fb2", "opacity": 0.7,
                                                  "cursor": "pointer"},
                 "encoding": {**geo,
                              "size": {"field": "personnel", "type": "quantitative",
                                       "scale": {"range": [30, 1500], "zero": True,
                                                 "domain": [0, top or max((p["personnel"] for p in points),
                                                                          default=1)]},
                                       "title": "personnel",
                                       "legend": {"format": ",.0f"}},
                              "href": {"field": "page"},
                              "tooltip": [{"field": "mission"}, {"field": "name"}, {"field": "hq"},
                                          {"field": "personnel", "type": "quantitative", "format": ",.0f"}]}},
                # the acronym beside each bubble; the largest missions first, so that where
                # labels collide the smaller one gives way
                {"data": {"name": DATA}, "transform": [{"filter": "datum.label_latitude != null"}],
                 "mark": {"type": "text", "align": "left", "dx": 7, "fontSize": 9,
                                                  "color": "#123", "name": "mission_label"},
                 "encoding": {"longitude": geo["longitude"],
                              "latitude": {"field": "label_latitude", "type": "quantitative"},
                              "text": {"field": "mission"}}}]}
    spec = cited(spec, f"UN peacekeeping missions by uniformed personnel, {month}",
                 "Each mission at its headquarters, sized by its uniformed personnel (persons at month end)",
                 cite, unit="persons", file=f"missions-personnel-{month}", below=6, month=month)
    return stepped(spec, "UN peacekeeping missions by uniformed personnel, ", month)


def _place_labels(points: list[dict[str, Any]]) -> None:
    """Give each mission a ``label_latitude``: its own, or one line lower where that clears
    the labels of larger missions nearby; a label that clears neither is left out (None:
    the bubble's tooltip still names it), never drawn over another or far from its bubble.
    ``static/worldmap.js`` places them the same way."""
    placed: list[tuple[float, float]] = []
    for p in sorted(points, key=lambda p: -(p["personnel"] or 0)):
        p["label_latitude"] = None
        for lat in (p["latitude"], p["latitude"] - 3.5):
            if not any(abs(p["longitude"] - x) < 14 and abs(lat - y) < 3 for x, y in placed):
                placed.append((p["longitude"], lat))
                p["label_latitude"] = lat
                break


def stepped(spec: dict[str, Any], title: str, month: str) -> dict[str, Any]:
    """A map a page can step through the months without drawing it anew: the month and the
    source line are signals (``month``, ``source``) the page sets with the new rows."""
    spec["params"] = [*spec.get("params", []), {"name": "month", "value": month},
                      {"name": "source", "value": _source_line(spec)["text"]}]
    spec["title"] = {**spec["title"], "text": {"expr": f"{title!r} + month"}}
    _source_line(spec)["text"] = {"expr": "source"}
    return spec


def _source_line(spec: dict[str, Any]) -> dict[str, Any]:
    mark: dict[str, Any] = next(x["mark"] for x in spec["layer"] if x.get("mark", {}).get("name") == "source_line")
    return mark


# fields a chart draws with that are not data: a link, the value a map colours by (a copy),
# where a label stands
_NOT_DATA = ("page", "shown", "label_latitude")


def x_encoding(spec: dict[str, Any], **props: Any) -> dict[str, Any]:
    """Set ``props`` on the x encoding of every view of ``spec`` that has one (a cited
    chart is layered: the marks and the source line), merging an ``axis``; returns the spec."""
    for view in spec.get("layer", [spec]):
        x = view.get("encoding", {}).get("x")
        if x is not None:
            for k, v in props.items():
                x[k] = {**(x.get(k) or {}), **v} if k == "axis" else v
    return spec


def chart_rows(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows a chart draws (its own dataset)."""
    rows: list[dict[str, Any]] = spec.get("datasets", {}).get(DATA, [])
    return rows


def chart_csv(spec: dict[str, Any]) -> tuple[str, list[str], list[dict[str, Any]]]:
    """A chart's rows as its CSV gives them: ``(file name, columns, rows)``; every row has
    its month (the chart's, where the rows have none), its unit and its citation.

    The file name says what and when: ``bluehelmet-world-personnel-1990-11-to-2025-07.csv``."""
    meta = spec.get("usermeta", {})
    cite = Cite.from_dict(meta.get("cite", {}))
    rows = chart_rows(spec)
    columns = list(dict.fromkeys(k for r in rows for k in r if k not in _NOT_DATA))
    lead = [] if "month" in columns else ["month"]
    out, by_month = [], {}
    for r in rows:
        month = r.get("month") or meta.get("month")
        if month not in by_month:
            by_month[month] = cite.citation(month if isinstance(month, str) and len(month) == 7 else None)
        out.append({**({"month": month} if lead else {}), **{c: r.get(c) for c in columns},
                    "unit": meta.get("unit", ""), "citation": by_month[month]})
    return f"{meta.get('file', 'bluehelmet-chart')}.csv", lead + columns + ["unit", "citation"], out


YEAR = {"field": "year", "type": "quantitative", "title": None, "axis": {"format": "d"}, "scale": {"zero": False}}


def year_lines(rows: list[dict[str, Any]], y: str, color: str, *, title: str, subtitle: str, y_title: str,
               cite: Cite, unit: str, file: str, sort: list[str] | None = None, height: int = 260,
               legend: str = "top") -> dict[str, Any]:
    """One line (with points) per ``color`` over years (``year`` holds the year as a number)."""
    enc: dict[str, Any] = {"x": YEAR, "y": {"field": y, "type": "quantitative", "title": y_title},
                           "color": {"field": color, "type": "nominal", "title": None,
                                     **({"sort": sort} if sort else {})},
                           "tooltip": [{"field": "year"}, {"field": color},
                                       {"field": y, "type": "quantitative", "title": y_title}]}
    spec = {"width": "container", "height": height, "datasets": {DATA: rows}, "data": {"name": DATA},
            "mark": {"type": "line", "point": True}, "encoding": enc, "config": {"legend": {"orient": legend}}}
    return cited(spec, title, subtitle, cite, unit=unit, file=file)


def compare(rows: list[dict[str, Any]], names: list[str], type: str, cite: Cite) -> dict[str, Any]:
    """Countries or groups side by side: their personnel, and their share of everybody's
    personnel of the same type in the same month (one data set, two views)."""
    months = span(r["month"] for r in rows)
    what = "uniformed personnel" if type == "all" else f"{type} personnel"
    count = line(rows, "month", "personnel", title="", subtitle="", y_title=f"{what} (persons)", cite=cite,
                 unit="", file="", color="who", height=220)
    share = line(rows, "month", "share_pct", title="", subtitle="", y_title="% of all contributors", cite=cite,
                 unit="", file="", color="who", share=True, height=180, changes=False)
    views = [{k: v for k, v in c.items() if k not in ("$schema", "datasets", "title", "usermeta", "config")}
             for c in (count, share)]
    for v in views:  # the source line once, under the figure (cited adds it)
        v["layer"] = [x for x in v["layer"] if x.get("mark", {}).get("name") != "source_line"]
        # a view in a concatenation cannot take the container's width (Vega-Lite fits single
        # and layered views only): this is the width of the spec as written (the JSON twin, an
        # editor), which the page narrows or widens to its container (templates/page.html, fitted)
        v["width"] = 960
    spec = {"datasets": {DATA: rows}, "config": {"legend": {"orient": "top"}}, "vconcat": views}
    return cited(spec, f"{', '.join(names)}: {what} in UN peacekeeping, {months}",
                 f"{what.capitalize()} at month end, in persons, and as a share of all contributors' "
                 f"{what} that month, in per cent", cite, unit="persons; percent",
                 file=f"compare-{'-'.join(names)}-{type}-{months}")
