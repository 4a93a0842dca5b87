"""Real UN report PDFs cut or altered in a test: a page dropped, turned or swapped for a page
of another report, the title changed to another report's, the bytes cut short, the file
encrypted. Each function reads ``src`` (a real report) and writes ``dst`` (under tmp_path);
the real files are never touched.

Only pypdfium2 (a dependency) and the standard library are used. pypdfium2 cannot encrypt,
so ``encrypt`` implements the PDF standard security handler (revision 3, RC4 with a 128-bit
key, ISO 32000-1 section 7.6.3) over the classic cross-reference table that PDFium writes.
"""

from __future__ import annotations

import ctypes
import hashlib
import re
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

__all__ = ["drop_page", "set_rotation", "turn_content", "swap_page", "retitle", "truncate", "encrypt"]


def drop_page(src: Path, dst: Path, index: int) -> Path:
    """``src`` without its page ``index`` (0-based)."""
    pdf = pdfium.PdfDocument(str(src))
    pdf.del_page(index)
    pdf.save(str(dst))
    pdf.close()
    return dst


def set_rotation(src: Path, dst: Path, index: int, degrees: int) -> Path:
    """Page ``index`` turned by its ``/Rotate`` entry, as a viewer's "rotate page" saves it."""
    pdf = pdfium.PdfDocument(str(src))
    pdf[index].set_rotation(degrees)
    pdf.save(str(dst))
    pdf.close()
    return dst


def turn_content(src: Path, dst: Path, index: int, degrees: int) -> Path:
    """Page ``index`` with its content itself drawn turned ``degrees`` clockwise (90, 180,
    270) and its page box turned with it, as a sideways print or a tool that rewrites the
    content leaves it: the text runs down, upside down or up the page."""
    pdf = pdfium.PdfDocument(str(src))
    page = pdf[index]
    x0, y0, x1, y1 = page.get_mediabox()
    w, h = x1 - x0, y1 - y0
    shift = {90: (0, w), 180: (w, h), 270: (h, 0)}[degrees]
    matrix = pdfium.PdfMatrix().translate(-x0, -y0).rotate(degrees).translate(*shift)
    for obj in list(page.get_objects()):
        obj.transform(matrix)
    page.set_mediabox(0, 0, *((h, w) if degrees in (90, 270) else (w, h)))
    page.gen_content()
    pdf.save(str(dst))
    pdf.close()
    return dst


def swap_page(src: Path, dst: Path, index: int, other: Path, other_index: int) -> Path:
    """``src`` with its page ``index`` replaced by page ``other_index`` of ``other``."""
    pdf = pdfium.PdfDocument(str(src))
    donor = pdfium.PdfDocument(str(other))
    pdf.del_page(index)
    pdf.import_pages(donor, [other_index], index)
    pdf.save(str(dst))
    donor.close()
    pdf.close()
    return dst


def retitle(src: Path, dst: Path, drop: tuple[str, ...], title: tuple[str, ...]) -> Path:
    """Another report: on the first page, the text objects whose text contains one of
    ``drop`` are removed and ``title`` is printed in their place (Helvetica, one line each)."""
    pdf = pdfium.PdfDocument(str(src))
    page = pdf[0]
    textpage = page.get_textpage()
    top = 0.0
    for obj in list(page.get_objects()):
        if obj.type != raw.FPDF_PAGEOBJ_TEXT:
            continue
        text = pdfium.PdfTextObj(obj.raw, page=page, pdf=pdf, textpage=textpage).extract()
        if any(d in text for d in drop):
            top = max(top, obj.get_bounds()[3])
            page.remove_obj(obj)
    textpage.close()
    y = top or page.get_height() - 40
    for line in title:
        obj = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(11))
        buf = ctypes.create_string_buffer(line.encode("utf-16-le") + b"\0\0")
        raw.FPDFText_SetText(obj, ctypes.cast(buf, ctypes.POINTER(ctypes.c_ushort)))
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 60, y - 11)
        raw.FPDFPage_InsertObject(page.raw, obj)
        y -= 14
    page.gen_content()
    pdf.save(str(dst))
    pdf.close()
    return dst


def truncate(src: Path, dst: Path, fraction: float) -> Path:
    """The first ``fraction`` of the file's bytes, as an interrupted download leaves it."""
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * fraction)])
    return dst


# -- the standard security handler, revision 3 ---------------------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray(len(data))
    i = j = 0
    for n, byte in enumerate(data):
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out[n] = byte ^ s[(s[i] + s[j]) % 256]
    return bytes(out)


def _padded(password: bytes) -> bytes:
    return (password + _PAD)[:32]


def _rc4_rounds(key: bytes, data: bytes) -> bytes:
    """RC4 with ``key``, then 19 more times with each byte of the key xor'd with 1 .. 19."""
    out = _rc4(key, data)
    for i in range(1, 20):
        out = _rc4(bytes(b ^ i for b in key), out)
    return out


def _keys(user: bytes, owner: bytes, permissions: int, file_id: bytes) -> tuple[bytes, bytes, bytes]:
    """The file key and the /O and /U entries (algorithms 2, 3 and 5 of ISO 32000-1)."""
    digest = hashlib.md5(_padded(owner or user)).digest()
    for _ in range(50):
        digest = hashlib.md5(digest).digest()
    o_entry = _rc4_rounds(digest[:16], _padded(user))
    digest = hashlib.md5(_padded(user) + o_entry + permissions.to_bytes(4, "little", signed=True)
                         + file_id).digest()
    for _ in range(50):
        digest = hashlib.md5(digest[:16]).digest()
    key = digest[:16]
    u_entry = _rc4_rounds(key, hashlib.md5(_PAD + file_id).digest()) + bytes(16)
    return key, o_entry, u_entry


def _encrypt_strings(body: bytes, key: bytes) -> bytes:
    """Every string of an object's dictionary part encrypted and written as a hex string."""
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i:i + 1]
        if c == b"(":
            depth, j, value = 1, i + 1, bytearray()
            while depth:
                ch = body[j:j + 1]
                if ch == b"\\":
                    nxt = body[j + 1:j + 2]
                    if nxt in b"01234567" and nxt:
                        octal = re.match(rb"[0-7]{1,3}", body[j + 1:j + 4])
                        assert octal is not None
                        value.append(int(octal.group(), 8) & 0xFF)
                        j += 1 + len(octal.group())
                        continue
                    value += {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}.get(nxt, nxt)
                    j += 2
                    continue
                if ch == b"(":
                    depth += 1
                elif ch == b")":
                    depth -= 1
                    if not depth:
                        break
                value += ch
                j += 1
            out += b"<" + _rc4(key, bytes(value)).hex().encode() + b">"
            i = j + 1
        elif c == b"<" and body[i + 1:i + 2] != b"<":
            j = body.index(b">", i)
            value = bytes.fromhex(re.sub(rb"\s", b"", body[i + 1:j]).decode().ljust(2, "0"))
            out += b"<" + _rc4(key, value).hex().encode() + b">"
            i = j + 1
        elif c == b"<":
            out += b"<<"
            i += 2
        else:
            out += c
            i += 1
    return bytes(out)


def encrypt(src: Path, dst: Path, user: bytes = b"", owner: bytes = b"owner") -> Path:
    """``src`` encrypted with the standard security handler: with ``user`` empty it opens
    without a password (an owner password restricts printing and copying); otherwise a
    reader needs the user password to open it."""
    plain = dst.with_name(dst.name + ".plain")
    pdf = pdfium.PdfDocument(str(src))
    pdf.save(str(plain))  # PDFium writes every object whole and a classic xref table
    pdf.close()
    data = plain.read_bytes()
    plain.unlink()
    trailer = data[data.rindex(b"trailer"):]
    ids = re.search(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>", trailer)
    assert ids is not None, "PDFium writes an /ID"
    file_id = bytes.fromhex(ids.group(1).decode())
    permissions = -3904 + 4  # printing allowed, the rest (copying, changing) forbidden
    key, o_entry, u_entry = _keys(user, owner, permissions, file_id)
    size = int(re.search(rb"/Size (\d+)", trailer).group(1))  # type: ignore[union-attr]
    out = bytearray(data[: data.index(b"\n", data.index(b"%PDF")) + 1])
    offsets: dict[int, int] = {}
    for m in re.finditer(rb"(?m)^(\d+) (\d+) obj", data):
        num, gen = int(m.group(1)), int(m.group(2))
        start = m.end()
        obj_key = hashlib.md5(key + num.to_bytes(3, "little") + gen.to_bytes(2, "little")).digest()[:16]
        stream = re.compile(rb"stream\r?\n").search(data, start)
        end = data.index(b"endobj", start)
        offsets[num] = len(out)
        if stream is not None and stream.start() < end and re.search(rb"/Length (\d+)(?!\s+\d+\s+R)",
                                                                     data[start:stream.start()]):
            length = int(re.search(rb"/Length (\d+)", data[start:stream.start()]).group(1))  # type: ignore[union-attr]
            body = data[stream.end(): stream.end() + length]
            head = _encrypt_strings(data[start:stream.start()], obj_key)
            out += m.group(0) + head + data[stream.start():stream.end()] + _rc4(obj_key, body)
            end = data.index(b"endobj", stream.end() + length)
            out += data[stream.end() + length:end] + b"endobj\n"
        else:
            out += m.group(0) + _encrypt_strings(data[start:end], obj_key) + b"endobj\n"
    enc = size
    offsets[enc] = len(out)
    out += (f"{enc} 0 obj\n<</Filter/Standard/V 2/R 3/Length 128/P {permissions}"
            f"/O<{o_entry.hex()}>/U<{u_entry.hex()}>>>\nendobj\n").encode()
    xref = len(out)
    out += f"xref\n0 {enc + 1}\n0000000000 65535 f\r\n".encode()
    for num in range(1, enc + 1):
        out += (f"{offsets[num]:010d} 00000 n\r\n" if num in offsets else "0000000000 65535 f\r\n").encode()
    root = re.search(rb"/Root (\d+ \d+ R)", trailer).group(1)  # type: ignore[union-attr]
    info = re.search(rb"/Info (\d+ \d+ R)", trailer)
    out += (b"trailer\n<</Size " + str(enc + 1).encode() + b"/Root " + root
            + (b"/Info " + info.group(1) if info else b"") + b"/Encrypt " + f"{enc} 0 R".encode()
            + b"/ID[<" + ids.group(1) + b"><" + ids.group(1) + b">]>>\nstartxref\n"
            + str(xref).encode() + b"\n%%EOF\n")
    dst.write_bytes(bytes(out))
    return dst
