"""The one way a handler reaches the open database: ``db: Database = Depends(get_db)``.

``create_app`` opens the file and puts it on ``app.state.live`` (a :class:`.live.LiveDatabase`,
which follows the file across rebuilds); everything in the web layer that needs the
database asks here, so the database class is named in one place.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..db import Database
from .live import LiveDatabase

__all__ = ["Db", "Database", "get_db"]


async def get_db(request: Request) -> Database:
    """The database at the path the app was created over, as it is now.

    Async on purpose: FastAPI runs a plain ``def`` dependency on a worker thread, which
    would cost every request a thread hop for one attribute read.
    """
    live: LiveDatabase = request.app.state.live
    return live.current()


#: a handler's parameter ``db: Db`` is the open database
Db = Annotated[Database, Depends(get_db)]
