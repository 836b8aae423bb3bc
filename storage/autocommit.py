"""PostgreSQL connections of their own, in autocommit mode, for the statements that stand alone
and sit on a hot path (recording an inbound event, waking the workers): one round trip each,
with no ``BEGIN``/``COMMIT`` and no pool pre-ping around it.

A connection that fails is dropped, and the statement answers :class:`StoreUnavailable` (a
platform then gets 503 and retries); the next one opens a new connection. The connections close
with the engine (``Engine.dispose``).
"""

from __future__ import annotations

import queue
from collections.abc import Sequence
from typing import Any

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError

from bot.core.errors import StoreUnavailable


class AutocommitConnections:
    def __init__(self, engine: Engine):
        if engine.dialect.name != "postgresql":
            raise ValueError("autocommit connections are for PostgreSQL")
        self.engine = engine
        self._idle: queue.SimpleQueue[psycopg.Connection] = queue.SimpleQueue()
        event.listen(engine, "engine_disposed", lambda _engine: self.close())

    def execute(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one statement; the rows it returned (none for a statement that returns none)."""
        try:
            conn = self._take()
        except (DBAPIError, psycopg.Error, OSError) as exc:
            raise StoreUnavailable(type(exc).__name__) from exc
        try:
            cursor = conn.execute(statement, params)
            rows = cursor.fetchall() if cursor.description is not None else []
        except psycopg.OperationalError as exc:
            conn.close()
            raise StoreUnavailable(type(exc).__name__) from exc
        except BaseException:
            conn.close()
            raise
        self._idle.put(conn)
        return rows

    def close(self) -> None:
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return

    def _take(self) -> psycopg.Connection:
        while True:
            try:
                conn = self._idle.get_nowait()
            except queue.Empty:
                break
            if not conn.closed:
                return conn
        return open_autocommit(self.engine)


def open_autocommit(engine: Engine) -> psycopg.Connection:
    """A connection of the engine's, detached from its pool (closing it closes it), in
    autocommit mode."""
    fairy = engine.raw_connection()
    conn = fairy.driver_connection
    fairy.detach()
    conn.rollback()
    conn.autocommit = True
    return conn
