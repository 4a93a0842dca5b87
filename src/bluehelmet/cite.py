"""Citations: the datasets behind an answer, or behind the whole database, as references.

Each source layout (a kind of file) belongs to one cited dataset of
``reference/data/citations.csv``: title, publisher, authors, year, version, URL and
licence, as the producers publish them (``../shared/data/README.md`` records where each
file came from). :func:`cite` turns the files an answer used into one row per dataset,
with the files; :func:`as_text` and :func:`as_bibtex` format them.

>>> import bluehelmet
>>> db = bluehelmet.open()                                           # doctest: +SKIP
>>> print(as_text(cite(db, "troops(China, 2014-01) > 2000")))          # doctest: +SKIP
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Iterable

from .errors import QueryError
from .query.result import Result, SourceRef

if TYPE_CHECKING:
    from .db import Database

__all__ = ["Citation", "citations", "citation_for", "cite", "cite_refs", "as_text", "as_bibtex", "STYLES"]

STYLES = ("text", "bibtex")
COLUMNS = ["key", "title", "publisher", "author", "year", "version", "url", "license", "files", "paths"]


@dataclass(frozen=True)
class Citation:
    """One cited dataset. ``author`` is BibTeX-style ("A and B"), empty for a corporate work."""

    key: str
    layouts: tuple[str, ...]
    author: str
    publisher: str
    title: str
    year: str
    version: str
    url: str
    license: str
    license_url: str
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "layouts"} | {"layouts": list(self.layouts)}

    def text(self) -> str:
        """A reference in author-date style: who (year). Title [data set], version. Publisher. URL."""
        who = _names(self.author) if self.author else self.publisher
        parts = [f"{who} ({self.year or 'n.d.'}). {self.title} [data set]"
                 + (f", version {self.version}" if self.version else "") + "."]
        if self.author:
            parts.append(f"{self.publisher}.")
        parts.append(self.url + ".")
        if self.note:
            parts.append(self.note[0].upper() + self.note[1:] + ".")
        if self.license:
            parts.append(f"Licence: {self.license}.")
        return " ".join(parts)

    def bibtex(self, files: Iterable[str] = ()) -> str:
        fields = [("author", _bib(self.author) if self.author else "{" + _bib(self.publisher) + "}"),
                  ("title", "{" + _bib(self.title) + "}"), ("publisher", _bib(self.publisher)),
                  ("year", self.year), ("version", _bib(self.version)), ("url", self.url),
                  ("note", _bib("; ".join(x for x in (self.note, _files_note(list(files))) if x)))]
        body = ",\n".join(f"  {k:<9} = {{{v}}}" for k, v in fields if v)
        return f"@misc{{{self.key},\n{body}\n}}"


def _names(author: str) -> str:
    """BibTeX's "A and B and C" as prose: "A, B and C"."""
    names = [n.strip() for n in author.split(" and ")]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


_BIB_SPECIAL = re.compile(r"([&%#_$])")


def _bib(text: str) -> str:
    """Text safe inside a BibTeX field: LaTeX's special characters escaped, braces dropped."""
    return _BIB_SPECIAL.sub(r"\\\1", text.replace("{", "").replace("}", ""))


def _files_note(paths: list[str]) -> str:
    if not paths:
        return ""
    shown = ", ".join(paths[:3])
    return f"files: {shown}" + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


@lru_cache(maxsize=1)
def citations() -> dict[str, Citation]:
    """Every layout's citation, from the package's reference table."""
    out: dict[str, Citation] = {}
    text = resources.files("bluehelmet.reference").joinpath("data/citations.csv").read_text(encoding="utf-8")
    for row in csv.DictReader(text.splitlines()):
        layouts = tuple(row["layouts"].split())
        cit = Citation(row["key"], layouts, row["author"], row["publisher"], row["title"], row["year"],
                       row["version"], row["url"], row["license"], row["license_url"], row["note"])
        for layout in layouts:
            out[layout] = cit
    return out


def citation_for(layout: str) -> Citation:
    """The dataset a layout's files belong to."""
    try:
        return citations()[layout]
    except KeyError:
        raise QueryError(f"no citation recorded for layout {layout!r}; add it to reference/data/citations.csv") \
            from None


def cite_refs(refs: Iterable[SourceRef | dict[str, Any]]) -> list[tuple[Citation, list[str]]]:
    """The datasets behind some files (SourceRefs, or ``source_file`` rows with ``layout`` and
    ``relpath``), each with the paths of its files, in the order first met."""
    seen: dict[str, tuple[Citation, list[str]]] = {}
    for ref in refs:
        layout, path = (ref.layout, ref.path) if isinstance(ref, SourceRef) else (ref["layout"], ref["relpath"])
        cit = citation_for(layout)
        paths = seen.setdefault(cit.key, (cit, []))[1]
        if path not in paths:
            paths.append(path)
    return list(seen.values())


def cite(db: "Database", claim: str | None = None) -> Result:
    """The citations behind a claim's answer (the files its evaluation used), or, without a
    claim, behind every file of the database: one row per dataset, its files under ``paths``.

    ``query`` holds the claim, its verdict and month; ``sources`` the files themselves.
    """
    refs: list[SourceRef] = []
    if claim is None:
        cited = cite_refs(db.files[sid] for sid in sorted(db.files))
        query: dict[str, Any] = {"all": True}
    else:
        from .claims import check

        verdict = check(db, claim)
        refs = verdict.sources()
        cited = cite_refs(refs)
        query = {"claim": claim, "verdict": verdict.verdict, "month": verdict.month}
    rows = [{"key": c.key, "title": c.title, "publisher": c.publisher, "author": c.author, "year": c.year,
             "version": c.version, "url": c.url, "license": c.license, "files": len(paths), "paths": paths}
            for c, paths in cited]
    columns = list(COLUMNS)
    if claim is not None:  # the month the claim's answer is for, on every row (a CSV names it)
        columns.insert(0, "month")
        rows = [{"month": query["month"], **r} for r in rows]
    res = Result(columns, rows, sources=refs, query=query, month=query.get("month"))
    if claim is not None and not rows:
        res.notes.append(f"the claim used no source file (verdict {query['verdict']})")
    return res


def as_text(result: Result) -> str:
    """The citations of :func:`cite` as numbered references, each with its files."""
    lines = []
    for i, row in enumerate(result.rows, start=1):
        cit = citations()[_layout_of(row["key"])]
        lines.append(f"[{i}] {cit.text()}")
        paths = row["paths"]
        lines.append("    " + _files_note(paths) if len(paths) > 1 else f"    file: {paths[0]}")
    return "\n".join(lines)


def as_bibtex(result: Result) -> str:
    """The citations of :func:`cite` as BibTeX entries (``@misc``, one per dataset)."""
    return "\n\n".join(citations()[_layout_of(row["key"])].bibtex(row["paths"]) for row in result.rows)


def _layout_of(key: str) -> str:
    return next(layout for layout, c in citations().items() if c.key == key)
