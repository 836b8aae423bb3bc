"""The playground's chat history: what each demo person sees, stored as rendered JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlmodel import col, select

from bot.core.model import PersonStatus
from storage.base import StoreBase
from storage.rows import CohortRow, PersonRow, PlaygroundMessageRow, RoleRow, WorkspaceRow

Direction = Literal["in", "out", "notice"]
"""``in``: the person wrote it; ``out``: the bot sent it; ``notice``: only that person sees it."""


def person_key(workspace: str, user: str) -> str:
    """Whose conversation a message belongs to: ``<workspace external id>:<user external id>``."""
    return f"{workspace}:{user}"


def channel_key(workspace: str, channel: str) -> str:
    """A channel's conversation, which everyone in the workspace sees: ``<workspace>:#<channel>``."""
    return f"{workspace}:#{channel}"


class PlaygroundStore(StoreBase):
    def add_message(
        self,
        person_key: str,
        body: dict[str, Any],
        *,
        direction: Direction,
        at: datetime,
        thread: int | None = None,
        delivery_key: str | None = None,
    ) -> int:
        with self.session() as s:
            row = PlaygroundMessageRow(
                person_key=person_key,
                body=body,
                direction=direction,
                thread=thread,
                delivery_key=delivery_key,
                created_at=at,
            )
            s.add(row)
            s.flush()
            assert row.id is not None
            return row.id

    def update_message(self, message_id: int, body: dict[str, Any], *, at: datetime) -> bool:
        """Replace a message's body; False when there is no such message."""
        with self.session() as s:
            row = s.get(PlaygroundMessageRow, message_id)
            if row is None:
                return False
            row.body = body
            row.updated_at = at
            return True

    def messages_for(self, person_key: str, after_id: int = 0) -> list[dict[str, Any]]:
        """One person's conversation, oldest first, from just after ``after_id``."""
        with self.session() as s:
            rows = s.exec(
                select(PlaygroundMessageRow)
                .where(PlaygroundMessageRow.person_key == person_key, col(PlaygroundMessageRow.id) > after_id)
                .order_by(col(PlaygroundMessageRow.id))
            )
            return [_view(row) for row in rows]

    def get_message(self, message_id: int) -> dict[str, Any] | None:
        """A message with whose it is (``person_key``) and its ``delivery_key``."""
        with self.session() as s:
            row = s.get(PlaygroundMessageRow, message_id)
            if row is None:
                return None
            return {**_view(row), "person_key": row.person_key, "delivery_key": row.delivery_key}

    def find_by_delivery_key(self, person_key: str, key: str) -> int | None:
        with self.session() as s:
            return s.exec(
                select(PlaygroundMessageRow.id)
                .where(PlaygroundMessageRow.person_key == person_key, PlaygroundMessageRow.delivery_key == key)
                .order_by(col(PlaygroundMessageRow.id))
            ).first()

    def channels_of(self, workspace: str) -> list[dict[str, Any]]:
        """The channels the playground workspace's cohorts post peer shares in: ``{id, cohort}``."""
        with self.session() as s:
            rows = s.exec(
                select(CohortRow.channel, CohortRow.name)
                .join(WorkspaceRow, col(WorkspaceRow.id) == col(CohortRow.workspace_id))
                .where(WorkspaceRow.platform == "playground", WorkspaceRow.external_id == workspace,
                       col(CohortRow.channel).is_not(None))
                .order_by(CohortRow.channel, CohortRow.name)
            ).all()
        return [{"id": channel, "cohort": name} for channel, name in rows]

    def people_of(self, workspace: str) -> list[dict[str, Any]]:
        """The playground workspace's people in the order they joined, with their roles; people
        whose data was deleted are left out."""
        with self.session() as s:
            rows = s.exec(
                select(PersonRow)
                .join(WorkspaceRow, col(WorkspaceRow.id) == col(PersonRow.workspace_id))
                .where(
                    WorkspaceRow.platform == "playground",
                    WorkspaceRow.external_id == workspace,
                    PersonRow.status != PersonStatus.DELETED.value,
                )
                .order_by(col(PersonRow.id))
            ).all()
            grants = s.exec(
                select(RoleRow.person_id, RoleRow.role).where(col(RoleRow.person_id).in_([r.id for r in rows]))
            ).all()
            roles: dict[int, set[str]] = {}
            for person_id, role in grants:
                roles.setdefault(person_id, set()).add(role)
            return [
                {"id": r.external_id, "name": r.display_name, "roles": sorted(roles.get(r.id or 0, ())), "tz": r.tz}
                for r in rows
            ]


def _view(row: PlaygroundMessageRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "thread": row.thread,
        "direction": row.direction,
        "body": row.body,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat() if row.updated_at else None,
    }
