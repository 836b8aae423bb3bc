"""Delivery rows: idempotent planning, atomic claims with leases, and outcomes.

Claims are one ``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`` on
PostgreSQL; on SQLite the same single statement runs under the database's write lock, so it is
an atomic conditional update. Either way a row is claimed by one worker at a time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import and_, delete, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from bot.core.model import Delivery
from storage.base import StoreBase, to_value
from storage.rows import DeliveryAttemptRow, DeliveryRow, EnrollmentRow

class DeliveryStore(StoreBase):
    def plan_deliveries(self, rows: Sequence[dict]) -> int:
        """Insert planned deliveries, ignoring ones that exist (same enrolment and slot, or a live
        one for the same teacher and local day). Returns how many were new."""
        if not rows:
            return 0
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        table = DeliveryRow.__table__
        statement = insert(table).values(list(rows)).on_conflict_do_nothing().returning(table.c.id)
        with self.session() as s:
            return len(s.exec(statement).all())  # type: ignore[call-overload]

    def replan(self, enrollment_ids: Sequence[int], after: datetime) -> int:
        """Forget unsent slots after ``after`` (planned or skipped, never claimed or sent) and mark
        the enrolments for planning again; returns how many slots were dropped."""
        if not enrollment_ids:
            return 0
        with self.session() as s:
            result = s.exec(  # type: ignore[call-overload]
                delete(DeliveryRow).where(
                    col(DeliveryRow.enrollment_id).in_(enrollment_ids),
                    col(DeliveryRow.status).in_(("planned", "skipped")),
                    DeliveryRow.slot_utc > after,
                )
            )
            s.exec(  # type: ignore[call-overload]
                update(EnrollmentRow).where(col(EnrollmentRow.id).in_(enrollment_ids)).values(planned_through=None)
            )
            return result.rowcount or 0

    def claim_due(self, now: datetime, worker: str, lease: timedelta, limit: int) -> list[Delivery]:
        """Claim planned rows whose slot has come, and claimed rows whose lease ran out."""
        due = or_(
            and_(
                DeliveryRow.status == "planned",
                DeliveryRow.slot_utc <= now,
                or_(DeliveryRow.next_attempt_at == None, DeliveryRow.next_attempt_at <= now),  # noqa: E711
            ),
            and_(DeliveryRow.status == "claimed", DeliveryRow.lease_until < now),
        )
        pick = (
            select(DeliveryRow.id)
            .where(due)
            .order_by(DeliveryRow.slot_utc)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(DeliveryRow)
            .where(col(DeliveryRow.id).in_(pick.scalar_subquery()))
            .where(due)
            .values(
                status="claimed",
                claimed_by=worker,
                lease_until=now + lease,
                attempts=DeliveryRow.attempts + 1,
            )
            .returning(DeliveryRow)
        )
        with self.session() as s:
            rows = s.exec(statement).scalars().all()  # type: ignore[call-overload]
            return sorted((to_value(Delivery, r) for r in rows), key=lambda d: d.slot_utc)

    def finish_delivery(self, delivery_id: int, worker: str, **values: object) -> bool:
        """Record an outcome, but only while this worker still holds the claim."""
        with self.session() as s:
            result = s.exec(  # type: ignore[call-overload]
                update(DeliveryRow)
                .where(
                    DeliveryRow.id == delivery_id,
                    DeliveryRow.status == "claimed",
                    DeliveryRow.claimed_by == worker,
                )
                .values(**values)
            )
            return (result.rowcount or 0) == 1

    def set_delivery(self, delivery_id: int, **values: object) -> None:
        with self.session() as s:
            row = s.get(DeliveryRow, delivery_id)
            if row is not None:
                self._set(row, values)

    def mark_planned_missed(self, before: datetime, reason: str) -> int:
        with self.session() as s:
            result = s.exec(  # type: ignore[call-overload]
                update(DeliveryRow)
                .where(DeliveryRow.status == "planned", DeliveryRow.slot_utc < before)
                .values(status="missed", reason=reason)
            )
            return result.rowcount or 0

    def record_attempt(self, delivery_id: int, at: datetime, worker: str, outcome: str, detail: str = "") -> None:
        with self.session() as s:
            s.add(DeliveryAttemptRow(delivery_id=delivery_id, at=at, worker=worker, outcome=outcome, detail=detail[:300]))

    def attempts_of(self, delivery_id: int) -> list[tuple[datetime, str, str]]:
        with self.session() as s:
            rows = s.exec(
                select(DeliveryAttemptRow)
                .where(DeliveryAttemptRow.delivery_id == delivery_id)
                .order_by(DeliveryAttemptRow.id)
            )
            return [(r.at, r.outcome, r.detail) for r in rows]

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        with self.session() as s:
            return to_value(Delivery, s.get(DeliveryRow, delivery_id))

    def deliveries_of(self, enrollment_ids: Sequence[int], *, since: date | None = None) -> list[Delivery]:
        with self.session() as s:
            query = select(DeliveryRow).where(col(DeliveryRow.enrollment_id).in_(enrollment_ids))
            if since is not None:
                query = query.where(DeliveryRow.local_date >= since)
            return [to_value(Delivery, r) for r in s.exec(query.order_by(DeliveryRow.slot_utc))]

    def open_prompt(self, person_id: int, now: datetime, window: timedelta) -> Delivery | None:
        """The most recent prompt delivered to a person within ``window``."""
        with self.session() as s:
            row = s.exec(
                select(DeliveryRow)
                .where(
                    DeliveryRow.person_id == person_id,
                    DeliveryRow.status == "sent",
                    DeliveryRow.sent_at >= now - window,
                )
                .order_by(col(DeliveryRow.sent_at).desc())
                .limit(1)
            ).first()
            return to_value(Delivery, row)

    def delivery_by_message(self, workspace_id: int, message_id: str) -> Delivery | None:
        with self.session() as s:
            row = s.exec(
                select(DeliveryRow).where(
                    DeliveryRow.workspace_id == workspace_id, DeliveryRow.message_id == message_id
                )
            ).first()
            return to_value(Delivery, row)
