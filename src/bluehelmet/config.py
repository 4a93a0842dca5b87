"""Where things live: the database path and the sources folder, with their overrides."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DB_ENV", "SOURCES_ENV", "SERVE_ENV", "CACHE_ENV", "DEFAULT_SOURCES", "default_db_path", "cache_dir"]

DB_ENV = "BLUEHELMET_DB"
# what `serve --workers N` hands its worker processes, which import the app by name
SERVE_ENV = "BLUEHELMET_SERVE"
SOURCES_ENV = "BLUEHELMET_SOURCES"
# where parsed PDFs are cached between builds (tests point it at a temporary folder)
CACHE_ENV = "BLUEHELMET_CACHE"
# the sources folder beside a checkout, where the quickstart keeps the real data
DEFAULT_SOURCES = Path("../shared/data")
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



def cache_dir() -> Path:
    """The cache folder: ``$BLUEHELMET_CACHE`` if set, else the user's cache directory.

    Only derived, re-creatable files live there (parsed PDF reports, keyed by checksum).

    >>> cache_dir().name in ("bluehelmet", "") or "BLUEHELMET_CACHE" in os.environ
    True
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("bluehelmet", appauthor=False))
