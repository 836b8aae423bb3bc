"""Everything stored about one person: export it, or delete it leaving anonymous counts."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlmodel import SQLModel, col, select

from storage.base import StoreBase
from storage.rows import (
    AuditRow,
    ConversationRefRow,
    DeliveryRow,
    DraftRow,
    EnrollmentRow,
    OutboxRow,
    OwnPromptRow,
    PeerShareRow,
    PersonRow,
    PlaygroundMessageRow,
    ReplyRow,
    RoleRow,
    WorkspaceRow,
)

_PRIVATE = {"data", "sent_ref", "card_ref", "payload"}


def _plain(row: SQLModel) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.model_dump().items():
        if key in _PRIVATE:
            continue
        out[key] = value.isoformat() if isinstance(value, (date, datetime, time)) else value
    return out


class PrivacyStore(StoreBase):
    def export_person(self, person_id: int) -> dict[str, Any] | None:
        with self.session() as s:
            person = s.get(PersonRow, person_id)
            if person is None:
                return None
            replies = list(s.exec(select(ReplyRow).where(ReplyRow.person_id == person_id)))
            reply_ids = [r.id for r in replies]
            drafts = list(s.exec(select(DraftRow).where(col(DraftRow.reply_id).in_(reply_ids)))) if reply_ids else []
            return {
                "person": _plain(person),
                "roles": [r.role for r in s.exec(select(RoleRow).where(RoleRow.person_id == person_id))],
                "enrollments": [_plain(r) for r in s.exec(select(EnrollmentRow).where(EnrollmentRow.teacher_id == person_id))],
                "deliveries": [_plain(r) for r in s.exec(select(DeliveryRow).where(DeliveryRow.person_id == person_id))],
                "replies": [_plain(r) for r in replies],
                "drafts": [_plain(r) for r in drafts],
                "peer_shares": [_plain(r) for r in s.exec(select(PeerShareRow).where(PeerShareRow.person_id == person_id))],
                "own_prompts": [_plain(r) for r in s.exec(select(OwnPromptRow).where(OwnPromptRow.author_id == person_id))],
                "audit": [_plain(r) for r in s.exec(select(AuditRow).where(AuditRow.actor_id == person_id))],
            }

    def delete_person(self, person_id: int) -> bool:
        """Delete a person and what they wrote. Deliveries stay, anonymous, for counts."""
        with self.session() as s:
            person = s.get(PersonRow, person_id)
            if person is None:
                return False
            for row in s.exec(select(DeliveryRow).where(DeliveryRow.person_id == person_id)):
                row.person_id = None
                row.enrollment_id = None
                row.sent_ref = None
                row.message_id = None
            for model, column in ((OutboxRow, OutboxRow.person_id), (ConversationRefRow, ConversationRefRow.person_id)):
                for row in s.exec(select(model).where(column == person_id)):
                    s.delete(row)
            workspace = s.get(WorkspaceRow, person.workspace_id)
            if workspace is not None and workspace.platform == "playground":
                key = f"{workspace.external_id}:{person.external_id}"
                for row in s.exec(select(PlaygroundMessageRow).where(PlaygroundMessageRow.person_key == key)):
                    s.delete(row)
            s.flush()
            s.delete(person)
            return True
