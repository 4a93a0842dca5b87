"""The one exception root of bluehelmet.

Library code raises these with enough context for a one-line message; the edges (CLI, HTTP)
translate them, and nothing else, into exit codes and error payloads.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "BluehelmetError",
    "AddRefusedError",
    "SourceLayoutError",
    "SourceReadError",
    "BuildError",
    "DatabaseError",
    "UnknownNameError",
    "QueryError",
    "NoDataError",
    "ExportError",
]


class BluehelmetError(Exception):
    """Root of every error bluehelmet raises on purpose."""

    #: process exit code the CLI uses for this kind of error
    exit_code: int = 1
    #: HTTP status the web layer uses
    status: int = 400
    #: lines a terminal shows under the one-line message (a claim with a caret under the
    #: column it could not read); the JSON error shape carries them as ``detail``
    detail: tuple[str, ...] = ()

    def fields(self) -> dict[str, Any]:
        """What the JSON error shape adds to the message for this error (a claim's
        ``column``, ``suggestion`` and ``detail``); nothing by default."""
        return {}

    def __str__(self) -> str:  # one line, always
        return " ".join(str(self.args[0] if self.args else self.__class__.__name__).split())


class SourceLayoutError(BluehelmetError):
    """A source file is not in any layout its adapter knows."""

    status = 422

    def __init__(self, path: str, expected: str, found: str = "") -> None:
        msg = f"{path}: unknown layout: expected {expected}"
        if found:  # what was found, quoted short: the start of a line is enough to recognise it
            msg += f"; found {found if len(found) <= 160 else found[:157] + '...'}"
        super().__init__(msg)
        self.path, self.expected, self.found = path, expected, found


class SourceReadError(BluehelmetError):
    """A source file cannot be read at all (missing, unreadable, empty)."""

    status = 422


class BuildError(BluehelmetError):
    """The build could not complete; the previous database is untouched."""

    status = 500


class DatabaseError(BluehelmetError):
    """The database is missing, locked or from an incompatible version."""

    status = 503


class UnknownNameError(BluehelmetError):
    """A country, group or mission name matched nothing; carries the closest candidates."""

    status = 404

    def __init__(self, kind: str, name: str, candidates: list[str] | None = None, ambiguous: bool = False,
                 labels: list[str] | None = None) -> None:
        # candidates are names that resolve as they are (a page links them); labels, where
        # given, are how the message shows them ("DR Congo (COD)")
        self.kind, self.name, self.candidates = kind, name, list(candidates or [])
        self.ambiguous = ambiguous
        if ambiguous:
            msg = (f"ambiguous {kind} {name!r}: could be " + " or ".join(labels or self.candidates)
                   + "; write the code or the full name")
        else:
            msg = f"unknown {kind} {name!r}"
            if self.candidates:
                msg += "; closest: " + ", ".join(self.candidates)
        super().__init__(msg)


class QueryError(BluehelmetError):
    """A query is malformed or asks for something the data model cannot express."""


class NoDataError(BluehelmetError):
    """The query is valid but no loaded source covers it."""

    status = 404


class AddRefusedError(BluehelmetError):
    """A file cannot be added: not a report, totals that do not add up, a month already there."""

    status = 422


class ExportError(BluehelmetError):
    """An export cannot be written: the folder is a file, not empty, or not writable."""
