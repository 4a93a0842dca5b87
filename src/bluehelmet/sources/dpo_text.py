"""Text with positions out of a PDF, as pages of lines of cells (pypdfium2).

The DPO reports are tables drawn as positioned text. What the layout parsers need is, per
page, the lines from top to bottom and, per line, the cells from left to right with their
x extent: a cell is a run of characters separated by less than half a character height
(one printed space), so "Individual Police" stays one cell while table columns, which sit
far apart, fall into separate cells.

pypdfium2 is used because it is the fastest reader that gives character boxes (see
docs/sources.md, "UN DPO monthly reports (PDF)"): about 0.1-0.3 s per report against
seconds for pdfminer-based readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SourceReadError

__all__ = ["Cell", "Line", "Page", "read_pages"]


@dataclass(frozen=True, slots=True)
class Cell:
    """A run of text on one line: ``x0``/``x1`` in PDF points from the page's left edge."""

    x0: float
    x1: float
    text: str

    @property
    def xc(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line: ``page`` and ``number`` are 1-based; ``y`` grows downwards."""

    page: int
    number: int
    y: float
    height: float
    cells: tuple[Cell, ...]

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells)


@dataclass(frozen=True, slots=True)
class Page:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]


def read_pages(path: Path) -> list[Page]:
    """Every page of ``path`` as lines of cells; raises ``SourceReadError`` if unreadable.

    >>> pages = read_pages(Path("UN_country_contributions_2025_07.pdf"))  # doctest: +SKIP
    >>> pages[0].lines[0].text                                              # doctest: +SKIP
    'Contribution of Uniformed Personnel to UN'
    """
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:  # truncated, encrypted, not a PDF
        raise SourceReadError(f"{path}: cannot open as PDF: {exc}") from None
    pages: list[Page] = []
    box = raw.FS_RECTF()
    get_unicode, get_box = raw.FPDFText_GetUnicode, raw.FPDFText_GetLooseCharBox
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            tp = textpage.raw
            chars: list[tuple[float, float, float, float, str]] = []
            for k in range(raw.FPDFText_CountChars(tp)):
                code = get_unicode(tp, k)
                if code < 32 or code == 0xFFFE:
                    continue
                # the loose box spans the font's ascent to descent: one height for a whole line
                get_box(tp, k, box)
                h = box.top - box.bottom
                if h <= 0:
                    continue
                # y measured downwards from the top of the page, at the character's centre
                # a printed space (one with a box) separates words even where glyphs touch
                ch = " " if code in (32, 0xA0) else chr(code)
                chars.append((height - (box.top + box.bottom) / 2, box.left, box.right, h, ch))
            pages.append(Page(index + 1, width, height, _lines(index + 1, chars)))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return pages


def _lines(page: int, chars: list[tuple[float, float, float, float, str]]) -> tuple[Line, ...]:
    """Group characters into lines (centres within 40% of a character height) and cells."""
    chars.sort()
    rows: list[list[tuple[float, float, float, float, str]]] = []
    for char in chars:
        if rows and char[0] - rows[-1][0][0] <= 0.4 * max(char[3], rows[-1][0][3]):
            rows[-1].append(char)
        else:
            rows.append([char])
    lines: list[Line] = []
    for number, row in enumerate(rows, start=1):
        row.sort(key=lambda c: c[1])
        cells: list[Cell] = []
        x0, x1 = 0.0, -1e9
        buf: list[str] = []
        for _, l, r, h, ch in row:
            if ch == " ":
                if buf and buf[-1] != " ":
                    buf.append(" ")
                continue
            gap = l - x1
            if gap > 0.55 * h:  # a column gap, wider than any space between words
                if buf:
                    cells.append(Cell(x0, x1, "".join(buf).strip()))
                x0, buf = l, [ch]
            else:
                if gap > 0.2 * h and buf[-1] != " ":  # a space drawn as a gap, not a glyph
                    buf.append(" ")
                buf.append(ch)
            x1 = max(x1, r)
        if buf:
            cells.append(Cell(x0, x1, "".join(buf).strip()))
        if not cells:
            continue
        y = sum(c[0] for c in row) / len(row)
        lines.append(Line(page, number, round(y, 1), round(max(c[3] for c in row), 1), tuple(cells)))
    return tuple(lines)
