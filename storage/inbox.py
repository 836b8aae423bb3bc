"""Inbound events recorded before the platform is answered, until the core has handled them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Engine
from sqlmodel import col, select

from storage.base import StoreBase
from storage.inbox_recorder import InboxRecorder
from storage.rows import InboxRow


class InboxStore(StoreBase):
    def __init__(self, engine: Engine):
        super().__init__(engine)
        self._recorder = InboxRecorder(engine) if self.dialect == "postgresql" else None

    def receive(self, events: Sequence[tuple[str, dict]], at: datetime) -> dict[str, int]:
        """Record inbound events (key, payload) in one insert; returns the new rows' ids by key,
        leaving out keys already waiting (retries). On PostgreSQL, outside a unit of work, in
        one round trip (:mod:`storage.inbox_recorder`)."""
        if not events:
            return {}
        if self._recorder is not None and self._unit.get() is None:
            return self._recorder.receive([(key[:200], payload) for key, payload in events], at)
        table = InboxRow.__table__
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        rows = [{"key": key[:200], "payload": payload, "received_at": at} for key, payload in events]
        statement = insert(table).values(rows).on_conflict_do_nothing().returning(table.c.key, table.c.id)
        with self.session() as s:
            return {key: inbox_id for key, inbox_id in s.connection().execute(statement)}

    def take_inbound(self, inbox_id: int) -> dict | None:
        """Remove a waiting event and return it; None when another process took it first."""
        with self.session() as s:
            statement = delete(InboxRow).where(col(InboxRow.id) == inbox_id).returning(InboxRow.payload)
            return s.exec(statement).scalar_one_or_none()  # type: ignore[call-overload]

    def inbound_waiting(self, received_before: datetime, limit: int) -> Sequence[int]:
        """Events received before an instant and not handled yet, oldest first."""
        with self.session() as s:
            return list(s.exec(select(InboxRow.id).where(InboxRow.received_at < received_before)
                               .order_by(col(InboxRow.id)).limit(limit)))
