"""Claims on due deliveries: leases under a per-workspace limit, holds after a rate limit, and
the outcomes of attempts.

A claim takes due rows workspace by workspace: never more than ``per_workspace`` in flight in one
workspace across every worker, and none from a workspace the platform asked to wait (HTTP 429,
kept in ``send_gate``). On PostgreSQL each workspace row is locked (``FOR NO KEY UPDATE SKIP
LOCKED``) while its live claims are counted and its rows claimed, so workers share workspaces
without waiting on each other; on SQLite the claim runs under ``BEGIN IMMEDIATE``, the database's
one write lock. Either way a row is claimed by one worker at a time.

Claims and outcomes run many times a second under load, so their statements are built once,
with bound parameters, and reused (see :func:`_claim_statement`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from itertools import groupby
from operator import itemgetter

from sqlalchemy import Update, and_, bindparam, case, exists, func, insert, or_, text, union_all, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.elements import BindParameter, ColumnElement
from sqlalchemy.sql.selectable import ScalarSelect, Select, Subquery
from sqlmodel import Session, col, select

from bot.core.model import Delivery, Enrollment, Person
from storage.base import StoreBase, to_value
from storage.rows import DeliveryAttemptRow, DeliveryRow, EnrollmentRow, PersonRow, SendGateRow, WorkspaceRow

Outcome = tuple[int, datetime, str, str, dict[str, object]]
"""An attempt to record: delivery id, when, outcome, detail, the values to set."""
DELIVERY = DeliveryRow.__table__  # type: ignore[attr-defined]
NOW = bindparam("now", type_=DeliveryRow.__table__.c.slot_utc.type)  # type: ignore[attr-defined]


def _waiting(now: ColumnElement[datetime] | datetime) -> ColumnElement[bool]:
    """Planned rows come due (after any retry wait)."""
    return and_(
        DeliveryRow.status == "planned",
        DeliveryRow.slot_utc <= now,
        or_(DeliveryRow.next_attempt_at == None, DeliveryRow.next_attempt_at <= now),  # noqa: E711
    )


def _lapsed(now: ColumnElement[datetime] | datetime) -> ColumnElement[bool]:
    """Claims whose worker let the lease run out (crashed, or lost its connection)."""
    return and_(DeliveryRow.status == "claimed", DeliveryRow.lease_until < now)


def _first_slot(due: ColumnElement[bool], *where: ColumnElement[bool]) -> ScalarSelect[datetime]:
    """The earliest slot among rows matching ``due``, or NULL. Asked in index order so that the
    database walks the index to the first match, however many rows it guesses there are (the
    statuses and slot times are correlated, which its statistics cannot see)."""
    return select(DeliveryRow.slot_utc).where(due, *where).order_by(DeliveryRow.slot_utc).limit(1).scalar_subquery()


def _oldest(workspace_id: BindParameter[int], room: BindParameter[int]) -> Subquery:
    """Ids of the ``room`` oldest claimable rows of one workspace, each kind (lapsed claims, due
    rows) looked up on its own index."""
    kinds = [
        select(DeliveryRow.id, DeliveryRow.slot_utc)
        .where(DeliveryRow.workspace_id == workspace_id, due)
        .order_by(DeliveryRow.slot_utc, DeliveryRow.id)
        .limit(room)
        .subquery()
        for due in (_lapsed(NOW), _waiting(NOW))
    ]
    both = union_all(*(select(kind.c.id, kind.c.slot_utc) for kind in kinds)).subquery()
    return select(both.c.id).order_by(both.c.slot_utc, both.c.id).limit(room).subquery()


@cache
def _claimable_workspaces(dialect: str) -> Select[tuple[int]]:
    has_due = or_(*(_first_slot(due, DeliveryRow.workspace_id == WorkspaceRow.id).is_not(None)
                    for due in (_waiting(NOW), _lapsed(NOW))))
    held = exists().where(SendGateRow.workspace_id == WorkspaceRow.id, SendGateRow.open_at > NOW)
    query = select(WorkspaceRow.id).where(has_due, ~held).order_by(func.random())
    if dialect == "postgresql":
        query = query.with_for_update(skip_locked=True, key_share=True, of=WorkspaceRow)
    return query


@cache
def _claim_statement(workspaces: int) -> Update:
    """Claim, in one statement, the oldest rows of ``workspaces`` workspaces, ``w<i>`` taking up
    to ``r<i>`` rows, ``limit`` in all. Built once per number of workspaces."""
    ids = [select(_oldest(bindparam(f"w{i}"), bindparam(f"r{i}")).c.id) for i in range(workspaces)]
    each = (union_all(*ids) if len(ids) > 1 else ids[0]).subquery()
    return (
        update(DELIVERY)
        .where(DELIVERY.c.id.in_(select(each.c.id).limit(bindparam("limit"))), or_(_waiting(NOW), _lapsed(NOW)))
        .values(status="claimed", claimed_by=bindparam("worker"), lease_until=bindparam("until"),
                attempts=DELIVERY.c.attempts + 1)
        .returning(*DELIVERY.c)
    )


@cache
def _outcome_statement(keys: tuple[str, ...]) -> Update:
    """Apply values for ``keys`` to a row while ``b_worker`` still holds its claim."""
    return (
        update(DELIVERY)
        .where(DELIVERY.c.id == bindparam("b_id"), DELIVERY.c.status == "claimed",
               DELIVERY.c.claimed_by == bindparam("b_worker"))
        .values({key: bindparam(f"v_{key}") for key in keys})
    )


class ClaimStore(StoreBase):
    def claim_due(
        self, now: datetime, worker: str, lease: timedelta, limit: int, *, per_workspace: int = 4
    ) -> list[Delivery]:
        """Claim up to ``limit`` due rows, oldest slot first within each workspace, keeping every
        workspace at or under ``per_workspace`` live claims (this worker's and others')."""
        if limit <= 0:
            return []
        with self.session() as s:
            conn = s.connection()
            if self.dialect == "sqlite":
                conn.execute(text("BEGIN IMMEDIATE"))
            workspaces = list(conn.execute(_claimable_workspaces(self.dialect), {"now": now}).scalars())
            busy = self._live_claims(s, now, workspaces)
            rooms = [(w, min(per_workspace - busy.get(w, 0), limit)) for w in workspaces]
            rooms = [(w, room) for w, room in rooms if room > 0]
            if not rooms:
                return []
            params: dict[str, object] = {"now": now, "limit": limit, "worker": worker, "until": now + lease}
            for i, (workspace_id, room) in enumerate(rooms):
                params |= {f"w{i}": workspace_id, f"r{i}": room}
            claimed = [to_value(Delivery, row) for row in conn.execute(_claim_statement(len(rooms)), params)]
            return sorted(claimed, key=lambda d: (d.slot_utc, d.id))  # type: ignore[union-attr]

    @staticmethod
    def _live_claims(s: Session, now: datetime, workspaces: list[int]) -> dict[int, int]:
        if not workspaces:
            return {}
        rows = s.exec(
            select(DeliveryRow.workspace_id, func.count())
            .where(
                DeliveryRow.status == "claimed",
                DeliveryRow.lease_until >= now,
                col(DeliveryRow.workspace_id).in_(workspaces),
            )
            .group_by(DeliveryRow.workspace_id)
        )
        return dict(rows.all())  # type: ignore[arg-type]

    def recipients(self, delivery_ids: Sequence[int]) -> dict[int, tuple[Person | None, Enrollment | None]]:
        """Each delivery's teacher and enrolment, for a claimed batch in one query."""
        if not delivery_ids:
            return {}
        with self.session() as s:
            rows = s.exec(
                select(DeliveryRow.id, PersonRow, EnrollmentRow)
                .join(PersonRow, PersonRow.id == DeliveryRow.person_id, isouter=True)
                .join(EnrollmentRow, EnrollmentRow.id == DeliveryRow.enrollment_id, isouter=True)
                .where(col(DeliveryRow.id).in_(delivery_ids))
            )
            return {d: (to_value(Person, p), to_value(Enrollment, e)) for d, p, e in rows}

    def extend_claim(self, delivery_id: int, worker: str, until: datetime) -> bool:
        """Push a live claim's lease to ``until``; False when it is no longer this worker's."""
        return self.finish_delivery(delivery_id, worker, lease_until=until)

    def hold_workspace(self, workspace_id: int, until: datetime, reason: str) -> None:
        """No claims in this workspace before ``until`` (a platform's Retry-After), for every
        worker; a later hold wins over an earlier one."""
        upsert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        table = SendGateRow.__table__
        statement = upsert(table).values(workspace_id=workspace_id, open_at=until, reason=reason[:200])
        later = case((statement.excluded.open_at > table.c.open_at, statement.excluded.open_at), else_=table.c.open_at)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.workspace_id], set_={"open_at": later, "reason": statement.excluded.reason}
        )
        with self.session() as s:
            s.exec(statement)  # type: ignore[call-overload]

    def next_dispatch_at(self, now: datetime, since: datetime) -> datetime | None:
        """When work already due may become claimable: a retry wait (of a slot since ``since``)
        or a workspace hold ending, or another worker's lease running out; ``now`` itself when
        due rows wait only for room in a workspace that is not held. ``None`` when nothing due
        waits (slots to come are the next tick's)."""
        moments = (
            select(func.min(DeliveryRow.next_attempt_at)).where(
                DeliveryRow.status == "planned", DeliveryRow.slot_utc >= since, DeliveryRow.slot_utc <= now,
                DeliveryRow.next_attempt_at > now),
            select(func.min(DeliveryRow.lease_until)).where(DeliveryRow.status == "claimed", DeliveryRow.lease_until >= now),
            select(func.min(SendGateRow.open_at)).where(SendGateRow.open_at > now),
        )
        with self.session() as s:
            found = [s.exec(query).one() for query in moments]  # type: ignore[call-overload]
            query = _claimable_workspaces("any").limit(1)
            waiting_for_room = s.connection().execute(query, {"now": now}).first() is not None
        return now if waiting_for_room else min((m for m in found if m is not None), default=None)

    def finish_delivery(self, delivery_id: int, worker: str, **values: object) -> bool:
        """Record an outcome, but only while this worker still holds the claim."""
        with self.session() as s:
            return self._apply(s, worker, [(delivery_id, values)])[0]

    def record_outcomes(self, worker: str, outcomes: Sequence[Outcome]) -> list[bool]:
        """Record attempts (delivery id, when, outcome, detail, new values) in one transaction:
        each attempt is recorded, and its values applied while this worker still holds that
        claim. Returns, for each, whether the claim was still held."""
        if not outcomes:
            return []
        attempts = [{"delivery_id": delivery_id, "at": at, "worker": worker, "outcome": outcome, "detail": detail[:300]}
                    for delivery_id, at, outcome, detail, _ in outcomes]
        with self.session() as s:
            s.connection().execute(insert(DeliveryAttemptRow.__table__), attempts)  # type: ignore[attr-defined]
            return self._apply(s, worker, [(delivery_id, values) for delivery_id, _, _, _, values in outcomes])

    def _apply(self, s: Session, worker: str, changes: Sequence[tuple[int, dict[str, object]]]) -> list[bool]:
        """Apply each change while this worker holds that claim. On SQLite, a statement each
        (the database is in-process); on PostgreSQL the held rows are locked first, then one
        executemany (one round trip, pipelined) per shape of change."""
        conn = s.connection()
        params = [(tuple(sorted(values)), {"b_id": delivery_id, "b_worker": worker,
                                           **{f"v_{k}": v for k, v in values.items()}})
                  for delivery_id, values in changes]
        if self.dialect != "postgresql":
            return [conn.execute(_outcome_statement(keys), row).rowcount == 1 for keys, row in params]
        ids = [delivery_id for delivery_id, _ in changes]
        mine = select(DELIVERY.c.id).where(DELIVERY.c.id.in_(ids), DELIVERY.c.status == "claimed",
                                           DELIVERY.c.claimed_by == worker).with_for_update()
        held = set(conn.execute(mine).scalars())
        shape = itemgetter(0)
        for keys, group in groupby(sorted((p for p in params if p[1]["b_id"] in held), key=shape), key=shape):
            conn.execute(_outcome_statement(keys), [row for _, row in group])
        return [delivery_id in held for delivery_id in ids]
