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

from collections.abc import Callable
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
    except pdfium.PdfiumError as exc:
        raise SourceReadError(f"{path}: {_why_unopened(exc)}") from None
    pages: list[Page] = []
    box = raw.FS_RECTF()
    get_unicode, get_box = raw.FPDFText_GetUnicode, raw.FPDFText_GetLooseCharBox
    index = 0
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            tp = textpage.raw
            n = raw.FPDFText_CountChars(tp)
            turn = _turn(tp, n)
            if turn:
                width, height, upright = _turned_back(page.get_mediabox(), turn)
            else:
                width, height = page.get_size()
            chars: list[tuple[float, float, float, float, str]] = []
            for k in range(n):
                code = get_unicode(tp, k)
                if code < 32 or code == 0xFFFE:
                    continue
                # the loose box spans the font's ascent to descent: one height for a whole line
                get_box(tp, k, box)
                left, bottom, right, top = box.left, box.bottom, box.right, box.top
                if turn:
                    left, bottom, right, top = upright(left, bottom, right, top)
                h = top - bottom
                if h <= 0:
                    continue
                # y measured downwards from the top of the page, at the character's centre
                # a printed space (one with a box) separates words even where glyphs touch
                ch = " " if code in (32, 0xA0) else chr(code)
                chars.append((height - (top + bottom) / 2, left, right, h, ch))
            pages.append(Page(index + 1, width, height, _lines(index + 1, chars)))
            textpage.close()
            page.close()
    except pdfium.PdfiumError as exc:  # the document opened but a page does not load
        raise SourceReadError(f"{path}: page {index + 1} cannot be read ({exc}); damaged PDF") from None
    finally:
        pdf.close()
    return pages


def _why_unopened(exc: Exception) -> str:
    """What a user can do about a PDF that PDFium will not open, in a few words."""
    import pypdfium2.raw as raw

    code = getattr(exc, "err_code", None)
    if code == raw.FPDF_ERR_PASSWORD:
        return "encrypted: the PDF needs a password to open; save a copy without the password and use that"
    if code == raw.FPDF_ERR_SECURITY:
        return "encrypted with a security handler PDFium does not support; save a copy without encryption"
    if code == raw.FPDF_ERR_FORMAT:
        return f"not a readable PDF (truncated or damaged: {exc})"
    return f"cannot open as PDF: {exc}"


#: characters sampled per page to find which way its text runs
_SAMPLE = 16


def _turn(tp: object, n: int) -> int:
    """Which way most of a page's text runs, in degrees clockwise: 0, 90, 180 or 270.

    A page turned by its ``/Rotate`` entry needs nothing: PDFium gives its characters in the
    page's own upright space. A page whose content itself was drawn turned (a sideways
    print, a page rotated by a tool that rewrites the content) gives characters running
    down or up the page, which would fall into one-letter lines; its boxes are turned back
    (``_turned_back``) so that it reads like any other page. A sample decides, and only a
    clear majority: a few turned labels on an upright page change nothing.
    """
    import math

    import pypdfium2.raw as raw

    votes = [0, 0, 0, 0]
    seen = 0
    for k in range(0, n, max(1, n // _SAMPLE)):
        if raw.FPDFText_GetUnicode(tp, k) <= 32:
            continue
        angle = raw.FPDFText_GetCharAngle(tp, k)
        if angle < 0:  # PDFium's error value
            continue
        seen += 1
        degrees = math.degrees(angle) % 360
        quarter = round(degrees / 90) % 4
        if abs(degrees - 90 * round(degrees / 90)) <= 2:  # text set at a slant is left as it is
            votes[quarter] += 1
    best = max(range(4), key=lambda q: votes[q])
    return 90 * best if best and votes[best] > seen / 2 else 0


def _turned_back(mediabox: tuple[float, float, float, float], turn: int) -> tuple[
        float, float, Callable[[float, float, float, float], tuple[float, float, float, float]]]:
    """The page's width and height once turned back by ``turn`` degrees (counter-clockwise),
    and the function that turns a character box (left, bottom, right, top) with it."""
    def rotate(x: float, y: float) -> tuple[float, float]:
        if turn == 90:
            return -y, x
        if turn == 180:
            return -x, -y
        return y, -x  # 270

    x0, y0, x1, y1 = mediabox
    corners = [rotate(x, y) for x in (x0, x1) for y in (y0, y1)]
    dx, dy = min(c[0] for c in corners), min(c[1] for c in corners)
    width, height = max(c[0] for c in corners) - dx, max(c[1] for c in corners) - dy

    def upright(left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        (ax, ay), (bx, by) = rotate(left, bottom), rotate(right, top)
        return min(ax, bx) - dx, min(ay, by) - dy, max(ax, bx) - dx, max(ay, by) - dy

    return width, height, upright


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
