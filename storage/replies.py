"""What teachers wrote, and the drafts written for their coaches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, insert, or_, update
from sqlmodel import col, select

from bot.core.model import Draft, Reply
from storage.base import StoreBase, to_value
from storage.rows import DraftRow, ReplyRow

OPEN_DRAFT = ("pending",)


class ReplyStore(StoreBase):
    def add_reply(
        self,
        *,
        workspace_id: int,
        person_id: int,
        delivery_id: int | None,
        kind: str,
        text: str,
        message_id: str | None,
        at: datetime,
        urgent: bool = False,
        concern: str | None = None,
        needs_draft: bool = False,
    ) -> tuple[Reply, bool]:
        """Store a reply; a second one with the same platform message id returns the first. One
        ``INSERT … ON CONFLICT DO NOTHING RETURNING``; the first is read only when there is one."""
        with self.session() as s:
            row = self.inserted(s, ReplyRow.__table__, dict(
                workspace_id=workspace_id, person_id=person_id, delivery_id=delivery_id, kind=kind, text=text,
                message_id=message_id, urgent=urgent, concern=concern, needs_draft=needs_draft, created_at=at,
                updated_at=at,
            ))
            if row is not None:
                return to_value(Reply, row), True
        existing = self.reply_by_message(workspace_id, message_id or "")
        if existing is None:
            raise RuntimeError("a reply's message id was taken, and its reply cannot be found")
        return existing, False

    def get_reply(self, reply_id: int) -> Reply | None:
        with self.session() as s:
            return to_value(Reply, s.get(ReplyRow, reply_id))

    def reply_by_message(self, workspace_id: int, message_id: str) -> Reply | None:
        with self.session() as s:
            row = s.exec(
                select(ReplyRow).where(ReplyRow.workspace_id == workspace_id, ReplyRow.message_id == message_id)
            ).first()
            return to_value(Reply, row)

    def reply_to_delivery(self, person_id: int, delivery_id: int, kinds: tuple[str, ...]) -> Reply | None:
        """The teacher's latest live reply of these kinds to one prompt."""
        with self.session() as s:
            row = s.exec(
                select(ReplyRow)
                .where(
                    ReplyRow.person_id == person_id,
                    ReplyRow.delivery_id == delivery_id,
                    col(ReplyRow.kind).in_(kinds),
                    ReplyRow.withdrawn == False,  # noqa: E712
                )
                .order_by(col(ReplyRow.id).desc())
            ).first()
            return to_value(Reply, row)

    def update_reply(self, reply_id: int, **values: object) -> None:
        """Setting ``needs_draft`` (either way) voids a drafting claim in progress: a reply edited,
        joined, withdrawn or flagged meanwhile gets no draft of its old text."""
        if "needs_draft" in values:
            values = {**values, "draft_claim": None, "draft_lease_until": None}
        with self.session() as s:
            row = s.get(ReplyRow, reply_id)
            if row is not None:
                self._set(row, values)

    def replies_of(self, person_id: int) -> list[Reply]:
        with self.session() as s:
            rows = s.exec(select(ReplyRow).where(ReplyRow.person_id == person_id).order_by(ReplyRow.id))
            return [to_value(Reply, r) for r in rows]

    def replies_of_people(self, person_ids: Sequence[int]) -> dict[int, list[Reply]]:
        """:meth:`replies_of` for many people, in one query."""
        found: dict[int, list[Reply]] = {pid: [] for pid in person_ids}
        if not person_ids:
            return found
        with self.session() as s:
            rows = s.exec(select(ReplyRow).where(col(ReplyRow.person_id).in_(person_ids)).order_by(ReplyRow.id))
            for row in rows:
                found[row.person_id].append(to_value(Reply, row))  # type: ignore[arg-type]
        return found

    def claim_replies_to_draft(self, now: datetime, claim: str, lease_until: datetime, limit: int) -> list[Reply]:
        """Claim up to ``limit`` replies waiting for a draft, oldest first, in one statement: those
        nobody holds, and those whose drafter let the lease run out (it stopped mid-draft)."""
        if limit <= 0:
            return []
        waiting = and_(
            ReplyRow.needs_draft == True,  # noqa: E712
            or_(ReplyRow.draft_lease_until == None, ReplyRow.draft_lease_until < now),  # noqa: E711
        )
        pick = select(ReplyRow.id).where(waiting).order_by(ReplyRow.updated_at, ReplyRow.id).limit(limit)
        statement = (
            update(ReplyRow)
            .where(col(ReplyRow.id).in_(pick.with_for_update(skip_locked=True).scalar_subquery()), waiting)
            .values(draft_claim=claim, draft_lease_until=lease_until)
            .returning(ReplyRow)
        )
        with self.session() as s:
            rows = s.exec(statement).scalars().all()  # type: ignore[call-overload]
            return sorted((to_value(Reply, r) for r in rows), key=lambda r: r.id)

    def release_draft_claims(self, held: Sequence[tuple[int, str]]) -> set[int]:
        """The replies are drafted: no longer waiting. Each (reply id, claim) pair whose claim no
        longer holds its reply (it changed meanwhile, or another drafter took it over) changes
        nothing. One statement a claim; returns the ids of the replies released."""
        table, by_claim = ReplyRow.__table__, {}
        for reply_id, claim in held:
            by_claim.setdefault(claim, []).append(reply_id)
        released: set[int] = set()
        with self.session() as s:
            for claim, reply_ids in by_claim.items():
                released.update(s.connection().execute(
                    update(table)
                    .where(table.c.id.in_(reply_ids), table.c.draft_claim == claim)
                    .where(table.c.needs_draft == True)  # noqa: E712
                    .values(needs_draft=False, draft_claim=None, draft_lease_until=None)
                    .returning(table.c.id)
                ).scalars())
        return released

    # Drafts --------------------------------------------------------------------------------

    def add_drafts(self, drafts: Sequence[dict]) -> dict[int, Draft]:
        """Store many drafts in one statement: each by its reply's id (one draft a reply)."""
        if not drafts:
            return {}
        table = DraftRow.__table__
        with self.session() as s:
            rows = s.connection().execute(insert(table).returning(*table.columns), list(drafts))
            return {row.reply_id: to_value(Draft, row) for row in rows}  # type: ignore[misc]

    def get_draft(self, draft_id: int) -> Draft | None:
        with self.session() as s:
            return to_value(Draft, s.get(DraftRow, draft_id))

    def open_draft_of(self, reply_id: int) -> Draft | None:
        with self.session() as s:
            row = s.exec(
                select(DraftRow).where(DraftRow.reply_id == reply_id, col(DraftRow.status).in_(OPEN_DRAFT))
            ).first()
            return to_value(Draft, row)

    def open_drafts_of(self, reply_ids: Sequence[int]) -> dict[int, Draft]:
        """:meth:`open_draft_of` for many replies, in one query: by reply id, for those with one."""
        if not reply_ids:
            return {}
        with self.session() as s:
            rows = s.exec(select(DraftRow).where(col(DraftRow.reply_id).in_(reply_ids),
                                                 col(DraftRow.status).in_(OPEN_DRAFT)).order_by(DraftRow.id))
            return {row.reply_id: to_value(Draft, row) for row in rows}  # type: ignore[misc]

    def drafts_of_reply(self, reply_id: int) -> list[Draft]:
        with self.session() as s:
            rows = s.exec(select(DraftRow).where(DraftRow.reply_id == reply_id).order_by(DraftRow.id))
            return [to_value(Draft, r) for r in rows]

    def update_draft(self, draft_id: int, **values: object) -> None:
        with self.session() as s:
            row = s.get(DraftRow, draft_id)
            if row is not None:
                self._set(row, values)

    def decide_draft(self, draft_id: int, *, status: str, by: int | None, at: datetime, final_text: str | None) -> bool:
        """Move a pending draft to its outcome; False when it was no longer pending (a double
        click, another coach, an expiry) — then nothing changes."""
        with self.session() as s:
            result = s.exec(  # type: ignore[call-overload]
                update(DraftRow)
                .where(DraftRow.id == draft_id, DraftRow.status == "pending")
                .values(status=status, decided_by=by, decided_at=at, final_text=final_text, updated_at=at)
            )
            return (result.rowcount or 0) == 1

    def pending_drafts(self, *, coach_id: int | None = None, expiring_before: datetime | None = None) -> list[Draft]:
        with self.session() as s:
            query = select(DraftRow).where(DraftRow.status == "pending")
            if coach_id is not None:
                query = query.where(DraftRow.coach_id == coach_id)
            if expiring_before is not None:
                query = query.where(DraftRow.expires_at < expiring_before)
            return [to_value(Draft, r) for r in s.exec(query.order_by(DraftRow.created_at, DraftRow.id))]
