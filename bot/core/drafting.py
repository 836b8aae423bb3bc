"""Drafting, as the worker drives it: each reply waiting for a draft gets one (or a fresh one),
and its coach gets the card as soon as that draft is ready.

A teacher's ``ai off``, a workspace over its monthly cap, and a reply that matches the
safeguarding rules all mean the offline drafter: such a reply is never sent to a model. Model
calls run concurrently (``concurrency`` in flight, one pass at a time per process); when one
fails, for any reason, the offline draft takes its place and the card says so.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.directory import Directory
from bot.core.model import Person, Reply
from bot.core.ports import DraftRequest, DraftResult, Drafter, PromptLibrary
from bot.core.replies import full_text
from bot.core.safeguarding import assess
from bot.core.store import Store

log = logging.getLogger("microcoach.drafting")

HISTORY = 3
CAP_NOTICE = ("This month's AI drafting budget for your workspace is used up, so MicroCoach's "
              "offline rules write the draft follow-ups until next month. Coaches still approve every one.")


class DraftFailed(Exception):
    """A drafter wrote nothing usable. The tokens it spent on the way still count."""

    def __init__(self, reason: str, *, prompt_tokens: int = 0, completion_tokens: int = 0, model: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens
        self.model = model


class UsageLedger(Protocol):
    """Where model usage is counted per workspace, and whether a workspace is past its cap."""

    def record(self, workspace_id: int, model: str, prompt_tokens: int, completion_tokens: int,
               at: datetime) -> None: ...

    def over_cap(self, workspace_id: int, at: datetime) -> bool: ...


@dataclass(frozen=True)
class _Job:
    reply: Reply
    teacher: Person
    coach: Person
    request: DraftRequest


class Drafting:
    """``on_card``, when set, is called (from the drafting thread) each time a card is queued,
    so the caller can send it at once rather than when the pass ends."""

    def __init__(self, store: Store, directory: Directory, prompts: PromptLibrary, offline: Drafter,
                 llm: Drafter | None = None, *, concurrency: int = 16, usage: UsageLedger | None = None,
                 on_card: Callable[[], None] | None = None):
        self.store = store
        self.directory = directory
        self.prompts = prompts
        self.offline = offline
        self.llm = llm
        self.usage = usage
        self.concurrency = max(1, concurrency)
        self.on_card = on_card
        self._state = threading.Lock()
        self._running = False
        self._again = False

    def run(self, now: datetime, limit: int = 50) -> int:
        """Draft up to ``limit`` waiting replies; returns how many drafts were written.

        One pass runs at a time in a process: a call made while a pass is running returns 0 at
        once and that pass takes another round, so callers (one per inbound reply) never wait
        on model calls, and at most ``concurrency`` calls are in flight.
        """
        with self._state:
            if self._running:
                self._again = True
                return 0
            self._running = True
        written = 0
        try:
            while True:
                written += self._pass(now, limit)
                if not self._more_asked():
                    return written
        finally:
            with self._state:
                self._running = False

    def _more_asked(self) -> bool:
        """Whether another pass was asked for meanwhile (and so this one may take more)."""
        with self._state:
            asked, self._again = self._again, False
            return asked

    def _pass(self, now: datetime, limit: int) -> int:
        """Model drafts are written (and their cards queued) as each completes, while more
        replies are taken to keep ``concurrency`` calls in flight; ``limit`` more each time
        another pass is asked for."""
        written = taken = 0
        futures: dict[Future[DraftResult], _Job] = {}
        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="drafting") as pool:
            while True:
                if taken >= limit and self._more_asked():
                    taken = 0
                room = min(self.concurrency - len(futures), limit - taken)
                batch = self.store.take_replies_to_draft(room) if room > 0 else []
                taken += len(batch)
                for reply in batch:
                    job = self._job(reply, now)
                    if job is None:
                        continue
                    if self._uses_model(job, now):
                        futures[pool.submit(self._model_draft, job, now)] = job
                    else:
                        written += self._write(job, self.offline.draft(job.request), now)
                if not futures:
                    if not batch:
                        return written
                    continue
                done, _ = wait(futures, return_when=FIRST_COMPLETED)
                for future in done:
                    written += self._write(futures.pop(future), future.result(), now)

    # Steps -----------------------------------------------------------------------------------

    def _job(self, reply: Reply, now: datetime) -> _Job | None:
        if reply.withdrawn or reply.urgent or reply.kind != "reply":
            return None
        teacher = self.store.get_person(reply.person_id)
        delivery = self.store.get_delivery(reply.delivery_id) if reply.delivery_id else None
        coach = self.directory.coach_of_teacher(reply.person_id, delivery.enrollment_id if delivery else None)
        text = full_text(self.store, reply)
        if teacher is None or coach is None or not text.strip():
            return None
        concern = assess(text)
        if concern is not None:
            self._flag(reply, teacher, coach, concern.category, now)
            return None
        enrollment = self.store.get_enrollment(delivery.enrollment_id) if delivery and delivery.enrollment_id else None
        request = DraftRequest(
            prompt=self.prompts.get(delivery.prompt_id) if delivery else None,
            reply=text,
            teacher_name=(teacher.display_name or "").split(" ")[0],
            coach_name=self.directory.name(coach),
            focus=enrollment.focus if enrollment else None,
            goal=enrollment.goal if enrollment else None,
            history=self._history(reply),
            voice=coach.voice or "",
        )
        return _Job(reply, teacher, coach, request)

    def _uses_model(self, job: _Job, now: datetime) -> bool:
        if self.llm is None or not self.directory.ai_on_for(job.teacher):
            return False
        if self.usage is not None and self.usage.over_cap(job.teacher.workspace_id, now):
            self._tell_admins_of_cap(job.teacher.workspace_id, now)
            return False
        return True

    def _model_draft(self, job: _Job, now: datetime) -> DraftResult:
        """The model's draft, or the offline one when the model fails. Runs in a pool thread."""
        assert self.llm is not None
        try:
            result = self.llm.draft(job.request)
        except DraftFailed as failure:
            log.warning("model draft failed (%s); the offline draft is used", failure.reason)
            self._record(job, failure.model, failure.prompt_tokens, failure.completion_tokens, now)
            return self.offline.draft(job.request)
        except Exception as error:  # noqa: BLE001 — whatever breaks, the coach still gets a draft
            log.warning("model drafter raised %s; the offline draft is used", type(error).__name__)
            return self.offline.draft(job.request)
        self._record(job, result.source.removeprefix("llm:"), result.prompt_tokens, result.completion_tokens, now)
        return result

    def _record(self, job: _Job, model: str, prompt_tokens: int, completion_tokens: int, now: datetime) -> None:
        if self.usage is not None and (prompt_tokens or completion_tokens):
            self.usage.record(job.teacher.workspace_id, model, prompt_tokens, completion_tokens, now)

    def _write(self, job: _Job, result: DraftResult, now: datetime) -> int:
        """Store the draft and queue the coach's card, unless the reply went away meanwhile."""
        reply = self.store.get_reply(job.reply.id)
        if reply is None or reply.withdrawn:
            return 0
        teacher, coach = job.teacher, job.coach
        existing = self.store.open_draft_of(reply.id)
        if existing is not None:
            self.store.update_draft(existing.id, text=result.text, source=result.source, updated_at=now)
            self.store.enqueue(key=f"card-update:{existing.id}:{now.isoformat()}", workspace_id=teacher.workspace_id,
                               person_id=coach.id, kind="card_update", payload={"draft_id": existing.id},
                               not_before=now, at=now)
            self._card_queued()
            return 1
        draft = self.store.add_draft(
            reply_id=reply.id, coach_id=coach.id, text=result.text, source=result.source, status="pending",
            created_at=now, updated_at=now, expires_at=now + self.directory.config.draft_expiry,
        )
        self.store.enqueue(key=f"card:{draft.id}", workspace_id=teacher.workspace_id, person_id=coach.id,
                           kind="coach_card", payload={"draft_id": draft.id}, not_before=now, at=now)
        self._card_queued()
        return 1

    def _card_queued(self) -> None:
        if self.on_card is not None:
            self.on_card()

    # Helpers ---------------------------------------------------------------------------------

    def _history(self, reply: Reply) -> tuple[tuple[str, str], ...]:
        """The teacher's last few answered prompts before this one, oldest first. Urgent and
        withdrawn replies are left out, so they never reach a model."""
        earlier = [r for r in self.store.replies_of(reply.person_id)
                   if r.kind == "reply" and r.id < reply.id and not r.withdrawn and not r.urgent and r.delivery_id]
        exchanges = []
        for head in earlier[-HISTORY:]:
            delivery = self.store.get_delivery(head.delivery_id) if head.delivery_id else None
            prompt = self.prompts.get(delivery.prompt_id) if delivery else None
            text = full_text(self.store, head)
            if prompt is not None and text.strip() and assess(text) is None:
                exchanges.append((prompt.text, text))
        return tuple(exchanges)

    def _flag(self, reply: Reply, teacher: Person, coach: Person, category: str, now: datetime) -> None:
        """A reply that matches the safeguarding rules only once joined or edited is flagged
        now: no draft, and the coach's urgent card."""
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

