"""bluehelmet: the fact base for UN peacekeeping.

>>> import bluehelmet
>>> db = bluehelmet.open()                                   # doctest: +SKIP
>>> db.personnel(country=["China"], month="2013-12").scalar()  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .errors import (BluehelmetError, BuildError, DatabaseError, NoDataError, QueryError,
                     SourceLayoutError, SourceReadError, UnknownNameError)

if TYPE_CHECKING:
    from .builder import BuildReport, Progress
    from .db import Database
    from .query.result import Result, SourceRef

from .version import __version__

__all__ = [
    "__version__", "open", "build", "Database", "Result", "SourceRef",
    "BluehelmetError", "BuildError", "DatabaseError", "NoDataError", "QueryError",
    "SourceLayoutError", "SourceReadError", "UnknownNameError",
]


def open(path: str | Path | None = None) -> "Database":  # noqa: A001 - mirrors sqlite3.connect
    """Open a built database read-only (default: ``$BLUEHELMET_DB`` or the user data dir)."""
    from .config import default_db_path
    from .db import Database

    return Database(path or default_db_path())


def build(sources: str | Path, db: str | Path | None = None, *, force: bool = False,
          progress: Progress | None = None) -> BuildReport:
    """Build the database from a sources folder; see :func:`bluehelmet.builder.build`."""
    from .builder import build as _build
    from .config import default_db_path

    return _build(Path(sources), Path(db) if db else default_db_path(), force=force, progress=progress)


def __getattr__(name: str) -> object:  # lazy: importing bluehelmet stays cheap for the CLI
    if name == "Database":
        from .db import Database
        return Database
    if name in ("Result", "SourceRef"):
        from .query import result
        return getattr(result, name)
    raise AttributeError(name)
