"""The one way a handler reaches the open database: ``db: Database = Depends(get_db)``.

``create_app`` opens the file once and puts it on ``app.state.db``; everything in the web
layer that needs it asks here, so the database class is named in one place.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from ..db import Database

__all__ = ["Db", "Database", "get_db"]


async def get_db(request: Request) -> Database:
    """The database the app was created over.

    Async on purpose: FastAPI runs a plain ``def`` dependency on a worker thread, which
    would cost every request a thread hop for one attribute read.
    """
    db: Database = request.app.state.db
    return db


#: a handler's parameter ``db: Db`` is the open database
Db = Annotated[Database, Depends(get_db)]
