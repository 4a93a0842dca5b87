"""The database a server answers from, followed across rebuilds.

A build never changes a database file in place: it writes a new file and renames it over
the old path (``builder.py``). A server that opened the old file would keep answering from
it, deleted, until restarted. :class:`LiveDatabase` looks at the path at most every
:data:`CHECK_EVERY_S` seconds and, when a different file is there, opens it and switches
to it between requests; requests already running finish on the file they started with
(it stays open until the last of them lets go). A new file that cannot be opened (another
schema version, damaged) is not switched to: the server keeps answering from the one it
has, and says why in ``reload_error`` (shown by ``/api/health``).
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from ..db import Database
from ..errors import BluehelmetError

__all__ = ["LiveDatabase", "CHECK_EVERY_S"]

#: how stale a server may be after a rebuild: one stat() per interval, not per request
CHECK_EVERY_S = 1.0


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None  # removed for a moment, or for good: keep what we have
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_size)


class LiveDatabase:
    """The current :class:`Database` at ``path``; ``generation`` counts the switches."""

    def __init__(self, path: str | Path, check_every_s: float | None = None) -> None:
        self.path = Path(path)
        self.check_every_s = CHECK_EVERY_S if check_every_s is None else check_every_s
        self._db = Database(self.path)
        self._db.hold_rankings = True  # a server answers many rankings (query/personnel.py, held)
        self._identity = _identity(self.path)
        self._checked = time.monotonic()
        self._lock = threading.Lock()
        self.generation = 0
        self.reload_error: str | None = None

    def current(self) -> Database:
        """The database to answer this request from (a new file is opened here, once)."""
        self.check()
        return self._db

    def check(self) -> int:
        """Look at the path if the interval has passed; switch if another file is there.
        Returns the generation (which a response cache keys on)."""
        now = time.monotonic()
        if now - self._checked < self.check_every_s:
            return self.generation
        with self._lock:
            if now - self._checked < self.check_every_s:
                return self.generation
            self._checked = now
            seen = _identity(self.path)
            if seen is None or seen == self._identity:
                return self.generation
            try:
                fresh = Database(self.path, own_instance=True)
                fresh.hold_rankings = True
            except BluehelmetError as exc:
                self.reload_error = str(exc)
                self._identity = seen  # do not retry the same file on every check
                return self.generation
            self._db, self._identity, self.reload_error = fresh, seen, None
            self.generation += 1
        return self.generation
