"""What a waiting reply needs before a drafter sees it, and whether a model may see it.

A reply that matches the safeguarding rules only once its parts are joined is flagged here
(urgent card, no draft); a teacher's ``ai off`` and a workspace past its monthly cap mean the
offline drafter. These run on the drafting threads, one reply each, so they only read, except to
flag a reply or tell admins of the cap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.directory import Directory
from bot.core.model import Person, Reply
from bot.core.ports import DraftRequest, PromptLibrary
from bot.core.replies import joined_text
from bot.core.safeguarding import assess
from bot.core.store import Store

HISTORY = 3
CAP_NOTICE = ("This month's AI drafting budget for your workspace is used up, so MicroCoach's "
              "offline rules write the draft follow-ups until next month. Coaches still approve every one.")


class UsageLedger(Protocol):
    """Where model usage is counted per workspace, and whether a workspace is past its cap."""

    def record(self, workspace_id: int, model: str, prompt_tokens: int, completion_tokens: int,
               at: datetime, calls: int = 1) -> None: ...

    def over_cap(self, workspace_id: int, at: datetime) -> bool: ...


@dataclass(frozen=True)
class DraftJob:
    reply: Reply
    teacher: Person
    coach: Person
    request: DraftRequest


class DraftJobs:
    def __init__(self, store: Store, directory: Directory, prompts: PromptLibrary, usage: UsageLedger | None):
        self.store = store
        self.directory = directory
        self.prompts = prompts
        self.usage = usage

    def prepare(self, reply: Reply, now: datetime) -> DraftJob | None:
        """The request for a reply's draft; None when it gets none (gone, urgent, no coach).
        Its reads share one read-only transaction (one connection checkout, not one a query,
        and no write lock held while many replies are prepared at once)."""
        if reply.withdrawn or reply.urgent or reply.kind != "reply":
            return None
        job, concern = self.store.atomically(lambda: self._read(reply), writes=False)
        if job is not None and concern is not None:
            self._flag(reply, job.teacher, job.coach, concern, now)
            return None
        return job

    def _read(self, reply: Reply) -> tuple[DraftJob | None, str | None]:
        """The job for a reply, and the safeguarding category its joined text matches, if any."""
        teacher = self.store.get_person(reply.person_id)
        delivery = self.store.get_delivery(reply.delivery_id) if reply.delivery_id else None
        coach = self.directory.coach_of_teacher(reply.person_id, delivery.enrollment_id if delivery else None)
        replies = self.store.replies_of(reply.person_id)
        text = joined_text(reply, replies)
        if teacher is None or coach is None or not text.strip():
            return None, None
        enrollment = self.store.get_enrollment(delivery.enrollment_id) if delivery and delivery.enrollment_id else None
        request = DraftRequest(
            prompt=self.prompts.get(delivery.prompt_id) if delivery else None,
            reply=text,
            teacher_name=(teacher.display_name or "").split(" ")[0],
            coach_name=self.directory.name(coach),
            focus=enrollment.focus if enrollment else None,
            goal=enrollment.goal if enrollment else None,
            history=self._history(reply, replies),
            voice=coach.voice or "",
        )
        concern = assess(text)
        return DraftJob(reply, teacher, coach, request), concern.category if concern is not None else None

    def uses_model(self, job: DraftJob, now: datetime) -> bool:
        """Whether the model may draft this job: AI on for the teacher, the workspace under its cap."""
        if not self.directory.ai_on_for(job.teacher):
            return False
        if self.usage is not None and self.usage.over_cap(job.teacher.workspace_id, now):
            self._tell_admins_of_cap(job.teacher.workspace_id, now)
            return False
        return True

    def _history(self, reply: Reply, replies: list[Reply]) -> tuple[tuple[str, str], ...]:
        """The teacher's last few answered prompts before this one, oldest first. Urgent and
        withdrawn replies are left out, so they never reach a model."""
        earlier = [r for r in replies
                   if r.kind == "reply" and r.id < reply.id and not r.withdrawn and not r.urgent and r.delivery_id]
        exchanges = []
        for head in earlier[-HISTORY:]:
            delivery = self.store.get_delivery(head.delivery_id) if head.delivery_id else None
            prompt = self.prompts.get(delivery.prompt_id) if delivery else None
            text = joined_text(head, replies)
            if prompt is not None and text.strip() and assess(text) is None:
                exchanges.append((prompt.text, text))
        return tuple(exchanges)

    def _flag(self, reply: Reply, teacher: Person, coach: Person, category: str, now: datetime) -> None:
        """A reply that matches the safeguarding rules only once joined is flagged now: no
        draft, and the coach's urgent card."""
        self.store.update_reply(reply.id, urgent=True, concern=category, needs_draft=False, updated_at=now)
        self.store.enqueue(key=f"urgent_card:{reply.id}", workspace_id=teacher.workspace_id, person_id=coach.id,
                           kind="urgent_card", payload={"reply_id": reply.id}, not_before=now, at=now)

    def _tell_admins_of_cap(self, workspace_id: int, now: datetime) -> None:
        month = now.strftime("%Y-%m")
        for admin in self._admins(workspace_id):
            self.store.enqueue(key=f"llm-cap:{workspace_id}:{month}:{admin.id}", workspace_id=workspace_id,
                               person_id=admin.id, kind="notice", payload={"text": CAP_NOTICE}, not_before=now, at=now)

    def _admins(self, workspace_id: int) -> list[Person]:
        workspace = self.store.get_workspace(workspace_id)
        people = {p.id: p for p in self.store.people_with_role(workspace_id, "admin")}
        for platform, user in self.directory.config.admins:
            person = self.store.find_person(workspace_id, user) if workspace and workspace.platform == platform else None
            if person is not None:
                people[person.id] = person
        return list(people.values())
