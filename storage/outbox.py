"""The outbox (messages other than prompts, sent by the worker) with the reminders it carries, the
audit log, and the record of platform events already handled."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, exists, func, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from bot.core.model import AuditEntry, Delivery, OutboxItem, ReminderCandidate
from storage.base import StoreBase, to_value
from storage.rows import AuditRow, CohortRow, DeliveryRow, EnrollmentRow, OutboxRow, PersonRow, ReplyRow, SeenEventRow


def _item(row: OutboxRow) -> OutboxItem:
    return OutboxItem(
        id=row.id, key=row.key, workspace_id=row.workspace_id, person_id=row.person_id, kind=row.kind,
        payload=dict(row.payload), not_before=row.not_before, attempts=row.attempts, status=row.status,
        sent_ref=row.sent_ref,
    )


class OutboxStore(StoreBase):
    def enqueue(
        self, *, key: str, workspace_id: int, person_id: int | None, kind: str, payload: dict,
        not_before: datetime, at: datetime,
    ) -> bool:
        """Queue a message once per ``key``; False when that key was queued before."""
        with self.session() as s:
            return self.insert_new(s, OutboxRow.__table__, dict(
                key=key, workspace_id=workspace_id, person_id=person_id, kind=kind, payload=payload,
                not_before=not_before, created_at=at,
            ))

    def enqueue_all(self, items: Sequence[dict]) -> int:
        """:meth:`enqueue` for many messages, in one statement; how many were new. Each item has
        :meth:`enqueue`'s keywords, with ``created_at`` for ``at``."""
        if not items:
            return 0
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        table = OutboxRow.__table__
        with self.session() as s:
            return len(s.connection().execute(
                insert(table).on_conflict_do_nothing().returning(table.c.id), list(items)).all())

    def claim_outbox(self, now: datetime, worker: str, lease: timedelta, limit: int) -> list[OutboxItem]:
        due = or_(
            and_(OutboxRow.status == "pending", OutboxRow.not_before <= now),
            and_(OutboxRow.status == "claimed", OutboxRow.lease_until < now),
        )
        pick = select(OutboxRow.id).where(due).order_by(OutboxRow.not_before, OutboxRow.id).limit(limit)
        statement = (
            update(OutboxRow)
            .where(col(OutboxRow.id).in_(pick.with_for_update(skip_locked=True).scalar_subquery()))
            .where(due)
            .values(status="claimed", claimed_by=worker, lease_until=now + lease, attempts=OutboxRow.attempts + 1)
            .returning(OutboxRow)
        )
        with self.session() as s:
            rows = s.exec(statement).scalars().all()  # type: ignore[call-overload]
            return sorted((_item(r) for r in rows), key=lambda i: (i.not_before, i.id))

    def finish_outbox(self, item_id: int, worker: str, **values: object) -> bool:
        with self.session() as s:
            result = s.exec(  # type: ignore[call-overload]
                update(OutboxRow)
                .where(OutboxRow.id == item_id, OutboxRow.status == "claimed", OutboxRow.claimed_by == worker)
                .values(**values)
            )
            return (result.rowcount or 0) == 1

    def outbox_item(self, key: str) -> OutboxItem | None:
        with self.session() as s:
            row = s.exec(select(OutboxRow).where(OutboxRow.key == key)).first()
            return None if row is None else _item(row)

    def cancel_outbox(self, key_prefix: str) -> int:
        with self.session() as s:
            result = s.exec(  # type: ignore[call-overload]
                update(OutboxRow)
                .where(col(OutboxRow.key).startswith(key_prefix), OutboxRow.status == "pending")
                .values(status="cancelled")
            )
            return result.rowcount or 0

    # Reminders -----------------------------------------------------------------------------

    def reminder_candidates(self, sent_from: datetime, sent_to: datetime, limit: int) -> list[ReminderCandidate]:
        """Prompts (not goal check-backs) sent in ``[sent_from, sent_to]`` with no reply and no
        reminder, to active teachers in active, unpaused enrolments (uses ix_delivery_remind)."""
        replied = exists().where(ReplyRow.delivery_id == DeliveryRow.id)
        with self.session() as s:
            rows = s.exec(
                select(DeliveryRow, func.coalesce(PersonRow.tz, CohortRow.tz), EnrollmentRow.paused_until,
                       CohortRow.paused_until)
                .join(PersonRow, PersonRow.id == DeliveryRow.person_id)
                .join(EnrollmentRow, EnrollmentRow.id == DeliveryRow.enrollment_id)
                .join(CohortRow, CohortRow.id == EnrollmentRow.cohort_id)
                .where(
                    DeliveryRow.status == "sent",
                    DeliveryRow.kind == "prompt",
                    DeliveryRow.reminded_at == None,  # noqa: E711
                    DeliveryRow.sent_at >= sent_from,
                    DeliveryRow.sent_at <= sent_to,
                    PersonRow.status == "active",
                    EnrollmentRow.active == True,  # noqa: E712
                    EnrollmentRow.paused == False,  # noqa: E712
                    CohortRow.paused == False,  # noqa: E712
                    ~replied,
                )
                .order_by(DeliveryRow.sent_at, DeliveryRow.id)
                .limit(limit)
            )
            return [
                ReminderCandidate(to_value(Delivery, row), tz, max((d for d in (own, cohort) if d), default=None))  # type: ignore[arg-type]
                for row, tz, own, cohort in rows
            ]

    def record_reminder(self, delivery_id: int, *, at: datetime, key: str, payload: dict) -> bool:
        """Mark a prompt reminded and queue the reminder notice, in one transaction; False (and
        nothing queued) when it was reminded already, so a prompt gets at most one."""
        with self.session() as s:
            row = s.exec(  # type: ignore[call-overload]
                update(DeliveryRow)
                .where(DeliveryRow.id == delivery_id, DeliveryRow.status == "sent", DeliveryRow.reminded_at == None)  # noqa: E711
                .values(reminded_at=at)
                .returning(DeliveryRow.workspace_id, DeliveryRow.person_id)
            ).first()
            if row is None:
                return False
            s.add(OutboxRow(key=key, workspace_id=row.workspace_id, person_id=row.person_id, kind="notice",
                            payload=payload, not_before=at, created_at=at))
            return True

    # Audit ---------------------------------------------------------------------------------

    def audit(self, *, workspace_id: int | None, actor_id: int | None, action: str, target: str, at: datetime,
              details: dict | None = None) -> None:
        with self.session() as s:
            s.add(AuditRow(workspace_id=workspace_id, actor_id=actor_id, action=action, target=target[:300],
                           at=at, details=details or {}))

    def audit_entries(self, workspace_id: int) -> list[AuditEntry]:
        with self.session() as s:
            rows = s.exec(select(AuditRow).where(AuditRow.workspace_id == workspace_id).order_by(AuditRow.id))
            return [AuditEntry(r.actor_id, r.action, r.target, r.at, dict(r.details)) for r in rows]

    # Platform events already seen ----------------------------------------------------------

    def first_sighting(self, key: str, at: datetime) -> bool:
        """True the first time a platform event id is seen; False for a retry of it."""
        with self.session() as s:
            return self.insert_new(s, SeenEventRow.__table__, {"key": key[:200], "seen_at": at})

    def forget_seen_before(self, before: datetime) -> int:
        with self.session() as s:
            result = s.exec(delete(SeenEventRow).where(SeenEventRow.seen_at < before))  # type: ignore[call-overload]
            return result.rowcount or 0
