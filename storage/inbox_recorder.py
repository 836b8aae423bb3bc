"""Recording inbound events on PostgreSQL in one round trip. An acknowledgement waits on this
insert, so it runs on connections of its own in autocommit mode: one ``INSERT … RETURNING``,
no ``BEGIN``/``COMMIT`` and no pool pre-ping around it (three more round trips, each of which the
recording thread then waits to get the interpreter back for while the web server is busy).

A connection that fails is dropped, and the insert answers :class:`StoreUnavailable` (the
platform gets 503 and retries); the next insert opens a new one. The connections close with
the engine (``Engine.dispose``).
"""

from __future__ import annotations

import queue
from collections.abc import Sequence
from datetime import datetime

import psycopg
from psycopg.types.json import Json
from sqlalchemy import event
from sqlalchemy.engine import Engine

from bot.core.errors import StoreUnavailable
from storage.types import UTCDateTime

_INSERT = "INSERT INTO inbox (key, payload, received_at) VALUES {rows} ON CONFLICT DO NOTHING RETURNING key, id"


class InboxRecorder:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._idle: queue.SimpleQueue[psycopg.Connection] = queue.SimpleQueue()
        event.listen(engine, "engine_disposed", lambda _engine: self.close())

    def receive(self, rows: Sequence[tuple[str, dict]], at: datetime) -> dict[str, int]:
        """Insert (key, payload) rows received at ``at``; the new rows' ids by key."""
        stored_at = UTCDateTime().process_bind_param(at, None)
        params = [value for key, payload in rows for value in (key, Json(payload), stored_at)]
        statement = _INSERT.format(rows=", ".join(["(%s, %s, %s)"] * len(rows)))
        try:
            conn = self._take()
        except (psycopg.Error, OSError) as exc:
            raise StoreUnavailable(type(exc).__name__) from exc
        try:
            ids = {key: inbox_id for key, inbox_id in conn.execute(statement, params).fetchall()}
        except psycopg.OperationalError as exc:
            conn.close()
            raise StoreUnavailable(type(exc).__name__) from exc
        except BaseException:
            conn.close()
            raise
        self._idle.put(conn)
        return ids

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
        fairy = self.engine.raw_connection()
        conn = fairy.driver_connection
        fairy.detach()
        conn.rollback()
        conn.autocommit = True
        return conn
