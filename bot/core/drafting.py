"""Drafting, as the worker drives it: each reply waiting for a draft gets one (or a fresh one),
and its coach gets the card. A teacher's ``ai off`` always means the offline drafter."""

from __future__ import annotations

from datetime import datetime

from bot.core.directory import Directory
from bot.core.model import Reply
from bot.core.ports import DraftRequest, Drafter, PromptLibrary
from bot.core.replies import full_text
from bot.core.store import Store


class Drafting:
    def __init__(self, store: Store, directory: Directory, prompts: PromptLibrary, offline: Drafter,
                 llm: Drafter | None = None):
        self.store = store
        self.directory = directory
        self.prompts = prompts
        self.offline = offline
        self.llm = llm

    def run(self, now: datetime, limit: int = 50) -> int:
        """Draft what is waiting; returns how many drafts were written."""
        written = 0
        for reply in self.store.take_replies_to_draft(limit):
            if self.draft_one(reply, now):
                written += 1
        return written

    def draft_one(self, reply: Reply, now: datetime) -> bool:
        if reply.withdrawn or reply.urgent or reply.kind != "reply":
            return False
        teacher = self.directory.store.get_person(reply.person_id)
        delivery = self.store.get_delivery(reply.delivery_id) if reply.delivery_id else None
        coach = self.directory.coach_of_teacher(reply.person_id, delivery.enrollment_id if delivery else None)
        text = full_text(self.store, reply)
        if teacher is None or coach is None or not text.strip():
            return False
        enrollment = self.store.get_enrollment(delivery.enrollment_id) if delivery and delivery.enrollment_id else None
        request = DraftRequest(
            prompt=self.prompts.get(delivery.prompt_id) if delivery else None,
            reply=text,
            teacher_name=(teacher.display_name or "").split(" ")[0],
            coach_name=self.directory.name(coach),
            focus=enrollment.focus if enrollment else None,
            goal=enrollment.goal if enrollment else None,
        )
        drafter = self.llm if self.llm is not None and self.directory.ai_on_for(teacher) else self.offline
        result = drafter.draft(request)
        existing = self.store.open_draft_of(reply.id)
        if existing is not None:
            self.store.update_draft(existing.id, text=result.text, source=result.source, updated_at=now)
            self.store.enqueue(key=f"card-update:{existing.id}:{now.isoformat()}", workspace_id=teacher.workspace_id,
                               person_id=coach.id, kind="card_update", payload={"draft_id": existing.id},
                               not_before=now, at=now)
            return True
        draft = self.store.add_draft(
            reply_id=reply.id, coach_id=coach.id, text=result.text, source=result.source, status="pending",
            created_at=now, updated_at=now, expires_at=now + self.directory.config.draft_expiry,
        )
        self.store.enqueue(key=f"card:{draft.id}", workspace_id=teacher.workspace_id, person_id=coach.id,
                           kind="coach_card", payload={"draft_id": draft.id}, not_before=now, at=now)
        return True
