"""Where things live: the database path and the sources folder, with their overrides."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DB_ENV", "SOURCES_ENV", "SERVE_ENV", "default_db_path", "default_sources_dir"]

DB_ENV = "BLUEHELMET_DB"
# what `serve --workers N` hands its worker processes, which import the app by name
SERVE_ENV = "BLUEHELMET_SERVE"
SOURCES_ENV = "BLUEHELMET_SOURCES"
DB_FILENAME = "bluehelmet.duckdb"


def default_db_path() -> Path:
    """The database file: ``$BLUEHELMET_DB`` if set, else the user's data directory.

    >>> default_db_path().name
    'bluehelmet.duckdb'
    """
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir  # imported late: start-up time matters for the CLI

    return Path(user_data_dir("bluehelmet", appauthor=False)) / DB_FILENAME


def default_sources_dir() -> Path:
    """The raw sources folder: ``$BLUEHELMET_SOURCES`` if set, else ``../shared/data``."""
    env = os.environ.get(SOURCES_ENV)
    return Path(env).expanduser() if env else Path("../shared/data")
