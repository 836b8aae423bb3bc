"""Recording inbound events on PostgreSQL in one round trip. An acknowledgement waits on this
insert, so it is one autocommitted ``INSERT … RETURNING`` (:mod:`storage.autocommit`): no
``BEGIN``/``COMMIT`` and no pool pre-ping around it, three more round trips, each of which the
recording thread would then wait to get the interpreter back for while the web server is busy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from psycopg.types.json import Json
from sqlalchemy.engine import Engine

from storage.autocommit import AutocommitConnections
from storage.types import UTCDateTime

_INSERT = "INSERT INTO inbox (key, payload, received_at) VALUES {rows} ON CONFLICT DO NOTHING RETURNING key, id"


class InboxRecorder:
    def __init__(self, engine: Engine):
        self.connections = AutocommitConnections(engine)

    def receive(self, rows: Sequence[tuple[str, dict]], at: datetime) -> dict[str, int]:
        """Insert (key, payload) rows received at ``at``; the new rows' ids by key."""
        stored_at = UTCDateTime().process_bind_param(at, None)
        params = [value for key, payload in rows for value in (key, Json(payload), stored_at)]
        statement = _INSERT.format(rows=", ".join(["(%s, %s, %s)"] * len(rows)))
        return {key: inbox_id for key, inbox_id in self.connections.execute(statement, params)}
