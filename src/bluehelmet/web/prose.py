"""Prose sent to the server: the one place a request body is read.

Prose does not fit in a URL (``hygiene.py`` caps URLs at 4 KB), so ``POST /api/factcheck``
and the prose form of ``/check`` take it in the body, as JSON (``{"text": ..., "as_of":
"YYYY-MM"}``) or as an HTML form (``application/x-www-form-urlencoded``). The body is
bounded before it is read whole: a declared ``Content-Length`` over the limit is refused
unread, and a streamed body is dropped as soon as it passes it. Forms are parsed here with
``urllib.parse`` rather than FastAPI's form support, which needs python-multipart, a
dependency for two text fields.

Refusals are errors of the one root (``errors.BluehelmetError``), so the app's handlers
answer them in the JSON error shape like any other; the ``/check`` page catches them to
keep its form filled.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs

from fastapi import Request

from ..errors import BluehelmetError

if TYPE_CHECKING:
    from ..claims.prose import Sentence
    from .deps import Database

__all__ = ["BadRequest", "ContentTooLarge", "MAX_BODY_BYTES", "MAX_PROSE_CHARS", "Prose", "REQUEST_BODY", "UnsupportedMediaType",
           "check", "read_fields", "read_prose"]

#: the longest text one request reads: about 30,000 words, a few seconds of work (the
#: library reads up to 2,000,000 characters, for the command line's long reports)
MAX_PROSE_CHARS = 200_000
#: the largest body read: four bytes a character, UTF-8's widest. A text of the most
#: characters a request reads always fits as UTF-8; percent- or \\u-escaped non-ASCII text
#: may not, and is refused as too large before a byte of it is held.
MAX_BODY_BYTES = MAX_PROSE_CHARS * 4

_FORM = "application/x-www-form-urlencoded"

#: the request body as OpenAPI describes it, for the API and the page alike
REQUEST_BODY: dict[str, Any] = {"requestBody": {"required": True, "content": {
    media: {"schema": {"type": "object", "required": ["text"], "properties": {
        "text": {"type": "string", "maxLength": MAX_PROSE_CHARS, "description": "the prose to fact-check"},
        "as_of": {"type": "string", "pattern": r"^\d{4}-\d{2}$",
                  "description": "YYYY-MM the text speaks from ('this month'); default the text's dateline, "
                                 "else the latest month with data"}}}}
    for media in ("application/json", _FORM)}}}


class ContentTooLarge(BluehelmetError):
    """A body or a text longer than the server reads."""

    status = 413


class BadRequest(BluehelmetError):
    """A body that is not what it says: not UTF-8, not a JSON object, no text."""


class UnsupportedMediaType(BluehelmetError):
    """A body in neither of the two forms taken."""

    status = 415


@dataclass(frozen=True)
class Prose:
    """The text to fact-check and the month it was asked as of (None: not given)."""

    text: str
    as_of: str | None = None


async def read_fields(request: Request, limit: int = MAX_BODY_BYTES) -> dict[str, str]:
    """The fields of a JSON object or form body, read at most ``limit`` bytes far.

    A field given twice in a form keeps its first value; JSON values that are not text are
    refused, so a field is always a string.
    """
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isascii() or not declared.isdigit():
            raise BadRequest(f"Content-Length {declared[:20]!r} is not a number")
        if int(declared) > limit:  # refused unread: the client learns at once, the server holds nothing
            raise ContentTooLarge(_too_large(int(declared), limit))
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:  # chunked, or a Content-Length that lied: stop here
            raise ContentTooLarge(_too_large(size, limit, at_least=True))
        chunks.append(chunk)
    body = b"".join(chunks)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(f"request body is not UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start})") from None
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media == "application/json" or media.endswith("+json"):
        return _json_fields(text)
    if media == _FORM:
        return _form_fields(text)
    raise UnsupportedMediaType(f"request body of type {media[:60] or 'none'!r}: send application/json "
                               f"({{\"text\": ..., \"as_of\": \"YYYY-MM\"}}) or an HTML form ({_FORM})")


def _too_large(size: int, limit: int, at_least: bool = False) -> str:
    return (f"request body of {'more than ' if at_least else ''}{size:,} bytes; at most {limit:,} "
            f"(a text of up to {MAX_PROSE_CHARS:,} characters): split it")


def _json_fields(text: str) -> dict[str, str]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BadRequest(f"request body is not JSON: {str(exc).splitlines()[0][:120]}") from None
    except RecursionError:  # "[[[[...": a small body, a deep stack
        raise BadRequest("request body is not JSON: nested too deep") from None
    if not isinstance(data, dict):
        raise BadRequest(f"request body is JSON {type(data).__name__}, not an object "
                         "{\"text\": ..., \"as_of\": \"YYYY-MM\"}")
    fields = {}
    for key, value in data.items():
        if value is None:
            continue
        if not isinstance(value, str):
            raise BadRequest(f"field {key[:40]!r} is JSON {type(value).__name__}, not a string")
        fields[key] = value
    return fields


def _form_fields(text: str) -> dict[str, str]:
    try:
        # a form of this app has a handful of fields; thousands are an attack on the parser
        parsed = parse_qs(text, keep_blank_values=True, errors="strict", max_num_fields=20)
    except UnicodeDecodeError as exc:  # "%FF": percent-escaped bytes that are not UTF-8
        raise BadRequest(f"form field is not UTF-8 (byte 0x{exc.object[exc.start]:02x})") from None
    except ValueError as exc:
        raise BadRequest(f"form body: {exc}") from None
    return {k: v[0] for k, v in parsed.items()}


def read_prose(fields: dict[str, str]) -> Prose:
    """The text and the month of a body's fields; a text over the limit is refused (413).

    The month is only carried here: :func:`check` reads it, with the database at hand.
    """
    text = fields.get("text")
    if text is None:
        raise BadRequest("no text: send the prose to check as the field 'text'")
    if len(text) > MAX_PROSE_CHARS:
        raise ContentTooLarge(f"text of {len(text):,} characters; factcheck reads at most {MAX_PROSE_CHARS:,} "
                              "(about 30,000 words): split it")
    return Prose(text, fields.get("as_of", "").strip() or None)


def check(db: Database, prose: Prose) -> tuple[str, list[Sentence]]:
    """The month the text was read as of (``YYYY-MM``: the one asked, else the text's
    dateline, else the latest month with data, as ``claims.prose.as_of_month`` decides for
    every surface), and its sentences as ``claims.prose.factcheck`` gives them."""
    from ..claims.prose import as_of_month, factcheck

    month = as_of_month(db, prose.text, prose.as_of)
    return f"{month:%Y-%m}", factcheck(db, prose.text, month)
