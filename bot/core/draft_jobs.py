"""What a waiting reply needs before a drafter sees it, and whether a model may see it.

A reply that matches the safeguarding rules only once its parts are joined is flagged here
(urgent card, no draft); a teacher's ``ai off`` and a workspace past its monthly cap mean the
offline drafter. A pass prepares every reply it claimed at once, in a few reads; only flagging a
reply and telling admins of the cap write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.directory import Directory
from bot.core.model import Delivery, Enrollment, Person, Reply, Workspace
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
    workspace: Workspace | None = None


@dataclass(frozen=True)
class _Reads:
    """What a batch of replies' drafts need from the store, read together."""

    teachers: dict[int, Person]
    replies: dict[int, list[Reply]]
    """Each teacher's replies, oldest first."""
    deliveries: dict[int, Delivery]
    enrollments: dict[int, Enrollment]
    coaches: dict[int, Person | None]
    """By enrolment."""
    workspaces: dict[int, Workspace | None]


class DraftJobs:
    def __init__(self, store: Store, directory: Directory, prompts: PromptLibrary, usage: UsageLedger | None):
        self.store = store
        self.directory = directory
        self.prompts = prompts
        self.usage = usage

    def prepare(self, replies: Sequence[Reply], now: datetime) -> dict[int, DraftJob | None]:
        """Each reply's request for a draft, by reply id; None for one that gets none (gone,
        urgent, no coach). A whole batch is read in one read-only transaction of a few queries,
        whatever its size (and no write lock is held while it is read)."""
        live = [r for r in replies if not r.withdrawn and not r.urgent and r.kind == "reply"]
        read = self.store.atomically(lambda: self._read_all(live), writes=False) if live else {}
        jobs: dict[int, DraftJob | None] = {}
        for reply in replies:
            job, concern = read.get(reply.id, (None, None))
            if job is not None and concern is not None:
                self._flag(reply, job.teacher, job.coach, concern, now)
                job = None
            jobs[reply.id] = job
        return jobs

    def _read_all(self, replies: list[Reply]) -> dict[int, tuple[DraftJob | None, str | None]]:
        teacher_ids = sorted({r.person_id for r in replies})
        theirs = self.store.replies_of_people(teacher_ids)
        earlier = {r.id: self._earlier(r, theirs.get(r.person_id, [])) for r in replies}
        delivery_ids = {r.delivery_id for r in replies} | {h.delivery_id for r in replies for h in earlier[r.id]}
        deliveries = self.store.deliveries(sorted(d for d in delivery_ids if d))
        enrollment_ids = sorted({d.enrollment_id for d in deliveries.values() if d.enrollment_id})
        teachers = self.store.teachers(teacher_ids)
        workspace_ids = {t.workspace_id for t in teachers.values()}
        reads = _Reads(teachers=teachers, replies=theirs, deliveries=deliveries,
                       enrollments=self.store.enrollments(enrollment_ids),
                       coaches=self.store.coaches_of(enrollment_ids),
                       workspaces={w: self.store.get_workspace(w) for w in workspace_ids})
        return {r.id: self._read(r, earlier[r.id], reads) for r in replies}

    def _read(self, reply: Reply, earlier: list[Reply], reads: _Reads) -> tuple[DraftJob | None, str | None]:
        """The job for a reply, and the safeguarding category its joined text matches, if any."""
        teacher = reads.teachers.get(reply.person_id)
        delivery = reads.deliveries.get(reply.delivery_id) if reply.delivery_id else None
        enrollment_id = delivery.enrollment_id if delivery else None
        if enrollment_id in reads.coaches:
            coach = reads.coaches[enrollment_id]
        else:
            coach = self.directory.coach_of_teacher(reply.person_id, enrollment_id)
        replies = reads.replies.get(reply.person_id, [])
        text = joined_text(reply, replies)
        if teacher is None or coach is None or not text.strip():
            return None, None
        enrollment = reads.enrollments.get(enrollment_id) if enrollment_id else None
        request = DraftRequest(
            prompt=self.prompts.get(delivery.prompt_id) if delivery else None,
            reply=text,
            teacher_name=(teacher.display_name or "").split(" ")[0],
            coach_name=self.directory.name(coach),
            focus=enrollment.focus if enrollment else None,
            goal=enrollment.goal if enrollment else None,
            history=self._history(earlier, replies, reads.deliveries),
            voice=coach.voice or "",
        )
        concern = assess(text)
        job = DraftJob(reply, teacher, coach, request, reads.workspaces.get(teacher.workspace_id))
        return job, concern.category if concern is not None else None

    def uses_model(self, job: DraftJob, now: datetime) -> bool:
        """Whether the model may draft this job: AI on for the teacher, the workspace under its cap."""
        if not self.directory.ai_on_for(job.teacher, job.workspace):
            return False
        if self.usage is not None and self.usage.over_cap(job.teacher.workspace_id, now):
            self._tell_admins_of_cap(job.teacher.workspace_id, now)
            return False
        return True

    @staticmethod
    def _earlier(reply: Reply, replies: list[Reply]) -> list[Reply]:
        """The teacher's last few answered prompts before this one, oldest first. Urgent and
        withdrawn replies are left out, so they never reach a model."""
        earlier = [r for r in replies
                   if r.kind == "reply" and r.id < reply.id and not r.withdrawn and not r.urgent and r.delivery_id]
        return earlier[-HISTORY:]

    def _history(self, earlier: list[Reply], replies: list[Reply],
                 deliveries: dict[int, Delivery]) -> tuple[tuple[str, str], ...]:
        exchanges = []
        for head in earlier:
            delivery = deliveries.get(head.delivery_id) if head.delivery_id else None
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
