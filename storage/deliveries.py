"""Delivery rows: idempotent planning and the batch reads the planner needs, the record of
attempts, and the reads the core makes. Claims and outcomes live in :mod:`storage.claims`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from sqlalchemy import Table, TextClause, delete, func, text, update
from sqlalchemy.engine import Dialect
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from bot.core.model import Delivery, Person
from storage.base import to_value
from storage.claims import ClaimStore
from storage.rows import CohortRow, DeliveryAttemptRow, DeliveryRow, EnrollmentRow, PersonRow

LIVE = ("planned", "claimed", "sent")
"""Statuses that hold a teacher's one prompt of a local day."""
PLANNING_LOCK = 0x6D63706C616E  # "mcplan": one planner at a time on PostgreSQL


def _unnest_insert(table: Table, rows: list[dict], dialect: Dialect) -> tuple[TextClause, dict[str, list]]:
    """``INSERT … SELECT * FROM unnest(column arrays) ON CONFLICT DO NOTHING RETURNING status``:
    thousands of rows in one statement with one parameter per column, values converted as the
    column types convert them."""
    columns = list(rows[0])
    arrays = {}
    for name in columns:
        convert = table.c[name].type.bind_processor(dialect) or (lambda value: value)
        arrays[name] = [convert(row[name]) for row in rows]
    casts = ", ".join(f"CAST(:{name} AS {table.c[name].type.compile(dialect)}[])" for name in columns)
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({casts}) "
           "ON CONFLICT DO NOTHING RETURNING status")
    return text(sql), arrays


class DeliveryStore(ClaimStore):
    # Planning --------------------------------------------------------------------------------

    def plan_deliveries(self, rows: Sequence[dict]) -> int:
        """Insert planned (and skipped) deliveries, ignoring ones that exist (same enrolment and
        slot, or a live one for the same teacher and local day). Returns how many new rows are
        planned, i.e. will be sent. Rows share their keys. One statement on PostgreSQL (columns
        as arrays, unnested), one executemany on SQLite."""
        if not rows:
            return 0
        table = DeliveryRow.__table__
        with self.session() as s:
            conn = s.connection()
            if self.dialect == "postgresql":
                result = conn.execute(*_unnest_insert(table, list(rows), conn.dialect))
            else:
                statement = sqlite_insert(table).on_conflict_do_nothing().returning(table.c.status)
                result = conn.execute(statement, list(rows))
            return sum(1 for (status,) in result if status == "planned")

    def replan(self, enrollment_ids: Sequence[int], after: datetime) -> int:
        """Forget unsent slots after ``after`` (planned or skipped, never claimed or sent) of these
        enrolments and of every other enrolment of the same teachers, and mark them all for
        planning again: "one prompt a day, the oldest enrolment wins" is decided across all of a
        teacher's cohorts at once. Returns how many slots were dropped."""
        if not enrollment_ids:
            return 0
        with self.session() as s:
            teachers = select(EnrollmentRow.teacher_id).where(col(EnrollmentRow.id).in_(enrollment_ids))
            affected = select(EnrollmentRow.id).where(col(EnrollmentRow.teacher_id).in_(teachers.scalar_subquery()))
            ids = list(s.exec(affected)) or list(enrollment_ids)
            result = s.exec(  # type: ignore[call-overload]
                delete(DeliveryRow).where(
                    col(DeliveryRow.enrollment_id).in_(ids),
                    col(DeliveryRow.status).in_(("planned", "skipped")),
                    DeliveryRow.slot_utc > after,
                )
            )
            s.exec(update(EnrollmentRow).where(col(EnrollmentRow.id).in_(ids)).values(planned_through=None))  # type: ignore[call-overload]
            return result.rowcount or 0

    @contextmanager
    def planning_lock(self) -> Iterator[bool]:
        """Whether this process may plan now: on PostgreSQL one planner at a time (the others
        skip planning that tick, as the unique keys would make their work a no-op anyway); on
        SQLite always, as its writes are serialised."""
        if self.dialect != "postgresql":
            yield True
            return
        with self.engine.connect() as conn:
            mine = bool(conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": PLANNING_LOCK}).scalar())
            conn.commit()
            try:
                yield mine
            finally:
                if mine:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": PLANNING_LOCK})
                    conn.commit()

    def teachers(self, person_ids: Sequence[int]) -> dict[int, Person]:
        """People by id, in one query (the planner reads a batch of enrolments at a time)."""
        return self.by_ids(PersonRow, Person, person_ids)

    def history_of(self, person_ids: Sequence[int]) -> dict[int, list[tuple[str, date]]]:
        """Each person's prompts (planned, in flight or sent) as (prompt id, local date), oldest
        first: what prompt selection needs, for a whole batch in one query."""
        history: dict[int, list[tuple[str, date]]] = {pid: [] for pid in person_ids}
        if not person_ids:
            return history
        with self.session() as s:
            rows = s.connection().execute(
                select(DeliveryRow.person_id, DeliveryRow.prompt_id, DeliveryRow.local_date)
                .where(col(DeliveryRow.person_id).in_(person_ids), col(DeliveryRow.status).in_(LIVE))
                .order_by(DeliveryRow.local_date, DeliveryRow.id)
            )
            for person_id, prompt_id, local_date in rows:
                history[person_id].append((prompt_id, local_date))
        return history

    def workspaces_with_cohort(self, name: str) -> list[int]:
        """Workspaces with a cohort of this name (``schedule preview`` looks in each)."""
        with self.session() as s:
            return list(s.exec(select(CohortRow.workspace_id).where(CohortRow.key == name.lower()).order_by(CohortRow.workspace_id)))

    def slots_planned(self, enrollment_ids: Sequence[int], since: datetime) -> set[tuple[int, datetime]]:
        """(enrolment, slot) pairs with a row of any status from ``since`` on: slots never to be
        planned again."""
        if not enrollment_ids:
            return set()
        with self.session() as s:
            rows = s.exec(
                select(DeliveryRow.enrollment_id, DeliveryRow.slot_utc).where(
                    col(DeliveryRow.enrollment_id).in_(enrollment_ids), DeliveryRow.slot_utc >= since
                )
            )
            return {(e, slot) for e, slot in rows}  # type: ignore[misc]

    def set_delivery(self, delivery_id: int, **values: object) -> None:
        with self.session() as s:
            row = s.get(DeliveryRow, delivery_id)
            if row is not None:
                self._set(row, values)

    def mark_planned_missed(self, before: datetime, reason: str) -> int:
        """Mark never-attempted planned rows older than ``before`` missed, in one statement.
        Rows attempted before stay for a claim, which first asks whether they went out. The
        oldest planned slot is looked up first (one index probe), so a tick with nothing to mark
        never scans."""
        with self.session() as s:
            oldest = s.exec(select(func.min(DeliveryRow.slot_utc)).where(DeliveryRow.status == "planned")).one()
            if oldest is None or oldest >= before:
                return 0
            result = s.exec(  # type: ignore[call-overload]
                update(DeliveryRow)
                .where(DeliveryRow.status == "planned", DeliveryRow.slot_utc < before, DeliveryRow.attempts == 0)
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

    # Reads -----------------------------------------------------------------------------------

    def get_delivery(self, delivery_id: int) -> Delivery | None:
        with self.session() as s:
            return to_value(Delivery, s.get(DeliveryRow, delivery_id))

    def deliveries(self, delivery_ids: Sequence[int]) -> dict[int, Delivery]:
        """Deliveries by id, in one query."""
        return self.by_ids(DeliveryRow, Delivery, delivery_ids)

    def deliveries_of(self, enrollment_ids: Sequence[int], *, since: date | None = None) -> list[Delivery]:
        with self.session() as s:
            query = select(DeliveryRow).where(col(DeliveryRow.enrollment_id).in_(enrollment_ids))
            if since is not None:
                query = query.where(DeliveryRow.local_date >= since)
            return [to_value(Delivery, r) for r in s.exec(query.order_by(DeliveryRow.slot_utc))]  # type: ignore[misc]

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
