"""Peer shares: each cohort's weekly post in its channel, and the answers in its thread, kept
apart from private replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select

from bot.core.model import Cohort, PeerPost, PeerShare
from storage.base import StoreBase, to_value
from storage.rows import CadenceRow, CohortRow, OutboxRow, PeerPostRow, PeerShareRow


def post_key(post_id: int) -> str:
    """The outbox key that sends a post."""
    return f"peer-post:{post_id}"


class PeerPostStore(StoreBase):
    # Posts ----------------------------------------------------------------------------------

    def cohorts_with_channel(self) -> list[Cohort]:
        with self.session() as s:
            rows = s.exec(
                select(CohortRow, CadenceRow)
                .join(CadenceRow, CadenceRow.cohort_id == CohortRow.id, isouter=True)
                .where(col(CohortRow.channel).is_not(None))
                .order_by(CohortRow.id)
            )
            return [_cohort(c, k) for c, k in rows]

    def plan_peer_post(self, values: dict, *, at: datetime) -> PeerPost | None:
        """Plan a post and queue its send, in one transaction; None (and nothing queued) when the
        cohort already has a live post that week."""
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        table = PeerPostRow.__table__
        with self.session() as s:
            statement = insert(table).values(**values, status="planned", created_at=at)
            post_id = s.connection().execute(statement.on_conflict_do_nothing().returning(table.c.id)).scalar()
            if post_id is None:
                return None
            s.add(OutboxRow(key=post_key(post_id), workspace_id=values["workspace_id"], person_id=None, kind="peer_post",
                            payload={"post_id": post_id}, not_before=values["slot_utc"], created_at=at))
            s.flush()
            return to_value(PeerPost, s.get(PeerPostRow, post_id))

    def peer_posts_of(self, cohort_id: int) -> list[PeerPost]:
        """A cohort's posts, oldest first, cancelled ones included."""
        with self.session() as s:
            rows = s.exec(select(PeerPostRow).where(PeerPostRow.cohort_id == cohort_id).order_by(PeerPostRow.week, PeerPostRow.id))
            return [to_value(PeerPost, r) for r in rows]  # type: ignore[misc]

    def get_peer_post(self, post_id: int) -> PeerPost | None:
        with self.session() as s:
            return to_value(PeerPost, s.get(PeerPostRow, post_id))

    def peer_post_by_message(self, workspace_id: int, message_id: str) -> PeerPost | None:
        with self.session() as s:
            row = s.exec(select(PeerPostRow).where(PeerPostRow.workspace_id == workspace_id,
                                                   PeerPostRow.message_id == message_id)).first()
            return to_value(PeerPost, row)

    def set_peer_post(self, post_id: int, **values: object) -> None:
        with self.session() as s:
            row = s.get(PeerPostRow, post_id)
            if row is not None:
                self._set(row, values)

    def drop_peer_posts(self, cohort_id: int, after: datetime) -> int:
        """Cancel a cohort's unsent posts due after ``after``, and their queued sends, so the next
        planning pass lays them out again under the cohort's new settings."""
        with self.session() as s:
            ids = list(s.exec(select(PeerPostRow.id).where(PeerPostRow.cohort_id == cohort_id,
                                                           PeerPostRow.status == "planned",
                                                           PeerPostRow.slot_utc > after)))
            if not ids:
                return 0
            s.exec(update(PeerPostRow).where(col(PeerPostRow.id).in_(ids)).values(status="cancelled"))  # type: ignore[call-overload]
            s.exec(update(OutboxRow).where(col(OutboxRow.key).in_([post_key(i) for i in ids]),  # type: ignore[call-overload]
                                           OutboxRow.status == "pending").values(status="cancelled"))
            return len(ids)

    # Answers --------------------------------------------------------------------------------

    def add_peer_share(self, *, post_id: int, workspace_id: int, person_id: int, text: str, message_id: str | None,
                       at: datetime) -> tuple[PeerShare, bool]:
        """Store an answer once per platform message; the flag says whether it is new."""
        with self.session() as s:
            if message_id is not None:
                found = s.exec(select(PeerShareRow).where(PeerShareRow.workspace_id == workspace_id,
                                                          PeerShareRow.message_id == message_id)).first()
                if found is not None:
                    return to_value(PeerShare, found), False  # type: ignore[return-value]
            row = PeerShareRow(post_id=post_id, workspace_id=workspace_id, person_id=person_id, text=text,
                               message_id=message_id, created_at=at, updated_at=at)
            s.add(row)
            s.flush()
            return to_value(PeerShare, row), True  # type: ignore[return-value]

    def peer_share_by_message(self, workspace_id: int, message_id: str) -> PeerShare | None:
        with self.session() as s:
            row = s.exec(select(PeerShareRow).where(PeerShareRow.workspace_id == workspace_id,
                                                    PeerShareRow.message_id == message_id)).first()
            return to_value(PeerShare, row)

    def update_peer_share(self, share_id: int, **values: object) -> None:
        with self.session() as s:
            row = s.get(PeerShareRow, share_id)
            if row is not None:
                self._set(row, values)

    def peer_shares_of(self, post_ids: Sequence[int]) -> list[PeerShare]:
        if not post_ids:
            return []
        with self.session() as s:
            rows = s.exec(select(PeerShareRow).where(col(PeerShareRow.post_id).in_(post_ids)).order_by(PeerShareRow.id))
            return [to_value(PeerShare, r) for r in rows]  # type: ignore[misc]


def _cohort(row: CohortRow, cadence: CadenceRow | None) -> Cohort:
    value = to_value(Cohort, row)
    assert value is not None
    if cadence is not None:
        value.days, value.send_time = cadence.days, cadence.send_time
    return value

