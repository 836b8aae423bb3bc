"""Drafting, as the worker drives it: each reply waiting for a draft gets one (or a fresh one),
and its coach's card is queued as soon as that draft is stored.

Concurrent end to end: a pass claims as many waiting replies as it has free model slots, in one
statement and under a lease (a drafter that stops mid-draft has its replies taken over when the
lease runs out); what the claimed replies' drafts need is read for all of them at once, and each
is drafted on a thread of its own (``concurrency`` in flight); the drafts that finish together
are stored together, in one transaction, and ``on_card`` is told. A claim never waits on a model
call, and a model call never waits on another's write.

A teacher's ``ai off``, a workspace over its monthly cap, and a reply that matches the
safeguarding rules all mean the offline drafter: such a reply is never sent to a model. When a
model call fails, for any reason, the offline draft takes its place and the card says so.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.directory import Directory
from bot.core.draft_jobs import DraftJob, DraftJobs, UsageLedger
from bot.core.model import Reply
from bot.core.ports import Clock, DraftResult, Drafter, PromptLibrary
from bot.core.store import Store

__all__ = ["DraftFailed", "Drafting", "UsageLedger"]

log = logging.getLogger("microcoach.drafting")

STORE_BATCH = 50
"""The most drafts stored in one transaction."""


class DraftFailed(Exception):
    """A drafter wrote nothing usable. The tokens it spent on the way still count."""

    def __init__(self, reason: str, *, prompt_tokens: int = 0, completion_tokens: int = 0, model: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.prompt_tokens = prompt_tokens
        self.completion_tokens = completion_tokens
        self.model = model


@dataclass(frozen=True)
class _Drafted:
    """One claimed reply, drafted (or found to need no draft), ready to be stored."""

    reply: Reply
    claim: str
    job: DraftJob | None = None
    result: DraftResult | None = None
    spent: tuple[str, int, int] | None = None
    """The model's name and the prompt and completion tokens it used, when it was called."""


class Drafting:
    """``on_card``, when set, is called (from the drafting thread) after each transaction that
    queued cards, so the caller can send them at once rather than when the pass ends."""

    def __init__(self, store: Store, directory: Directory, prompts: PromptLibrary, offline: Drafter,
                 llm: Drafter | None = None, *, clock: Clock, concurrency: int = 16, usage: UsageLedger | None = None,
                 lease: timedelta = timedelta(minutes=2), worker_id: str = "drafting",
                 on_card: Callable[[], None] | None = None):
        self.store = store
        self.directory = directory
        self.offline = offline
        self.llm = llm
        self.clock = clock
        self.jobs = DraftJobs(store, directory, prompts, usage)
        self.concurrency = max(1, concurrency)
        self.lease = lease
        self.worker_id = worker_id
        self.on_card = on_card
        self._state = threading.Lock()
        self._wake = threading.Event()
        self._running = False
        self._asked = False

    @property
    def usage(self) -> UsageLedger | None:
        return self.jobs.usage

    @usage.setter
    def usage(self, ledger: UsageLedger | None) -> None:
        self.jobs.usage = ledger

    def run(self) -> int:
        """Draft every waiting reply; returns how many drafts were stored.

        One pass runs at a time in a process: a call made while a pass is running returns 0 at
        once and the running pass claims again.
        """
        return self._pass_once() if self._enter() else 0

    def start(self) -> None:
        """Like :meth:`run`, on a thread of its own: returns at once, so a reply's handler (and
        the thread pool it runs on) never waits for drafting."""
        if self._enter():
            threading.Thread(target=self._in_background, name="drafting-pass", daemon=True).start()

    def _enter(self) -> bool:
        """Ask for a pass; True when the caller is to run it (none was running)."""
        with self._state:
            self._asked = True
            self._wake.set()
            if self._running:
                return False
            self._running = True
            return True

    def _pass_once(self) -> int:
        try:
            return self._pass()
        except BaseException:
            with self._state:
                self._running = False
            raise

    def _in_background(self) -> None:
        try:
            self._pass_once()
        except Exception:  # noqa: BLE001 — the claims lapse; the next pass or tick drafts them
            log.exception("a drafting pass failed; its replies are drafted again when their leases run out")

    def _pass(self) -> int:
        written = 0
        flight: dict[Future[_Drafted], Reply] = {}
        with ThreadPoolExecutor(max_workers=self.concurrency, thread_name_prefix="drafting") as pool:
            while True:
                self._wake.clear()
                finished = [self._outcome(future, flight.pop(future)) for future in list(flight) if future.done()]
                room = self.concurrency - len(flight)
                if room > 0 and self._take_asked():
                    claim = f"{self.worker_id[:100]}:{uuid.uuid4().hex[:12]}"
                    now = self.clock.now()
                    replies = self.store.claim_replies_to_draft(now, claim, now + self.lease, room)
                    if len(replies) == room:
                        self._ask()  # more may be waiting: claim again as slots free up
                    jobs = self._prepare(replies, now)
                    for reply in (r for r in replies if r.id in jobs):
                        if (job := jobs[reply.id]) is None:
                            finished.append(_Drafted(reply, claim))  # no draft: the claim is released
                            continue
                        future = pool.submit(self._draft, reply, claim, job)
                        future.add_done_callback(lambda _: self._wake.set())
                        flight[future] = reply
                if finished:
                    written += self._store(finished)
                if not flight:
                    with self._state:
                        if not self._asked:
                            self._running = False
                            return written
                    continue
                self._wake.wait()

    def _prepare(self, replies: list[Reply], now: datetime) -> dict[int, DraftJob | None]:
        """The claimed replies' jobs; none when they cannot be read now (their claims lapse, and
        they are drafted again when the leases run out)."""
        try:
            return self.jobs.prepare(replies, now)
        except Exception:  # noqa: BLE001
            log.exception("reading %d replies to draft failed; they are drafted again when their leases run out",
                          len(replies))
            return {}

    def _ask(self) -> None:
        with self._state:
            self._asked = True

    def _take_asked(self) -> bool:
        with self._state:
            asked, self._asked = self._asked, False
            return asked

    # On the drafting threads ----------------------------------------------------------------

    def _draft(self, reply: Reply, claim: str, job: DraftJob) -> _Drafted:
        now = self.clock.now()
        if self.llm is None or not self.jobs.uses_model(job, now):
            return _Drafted(reply, claim, job, self.offline.draft(job.request))
        try:
            result = self.llm.draft(job.request)
        except DraftFailed as failure:
            log.warning("model draft failed (%s); the offline draft is used", failure.reason)
            spent = (failure.model, failure.prompt_tokens, failure.completion_tokens)
            return _Drafted(reply, claim, job, self.offline.draft(job.request), spent)
        except Exception as error:  # noqa: BLE001 — whatever breaks, the coach still gets a draft
            log.warning("model drafter raised %s; the offline draft is used", type(error).__name__)
            return _Drafted(reply, claim, job, self.offline.draft(job.request))
        spent = (result.source.removeprefix("llm:"), result.prompt_tokens, result.completion_tokens)
        return _Drafted(reply, claim, job, result, spent)

    # On the pass's own thread ----------------------------------------------------------------

    @staticmethod
    def _outcome(future: Future[_Drafted], reply: Reply) -> _Drafted | None:
        """A drafting thread's result; None when it failed (the claim's lease runs out, and the
        reply is drafted again)."""
        try:
            return future.result()
        except Exception:  # noqa: BLE001
            log.exception("drafting reply %s failed; it is drafted again when its lease runs out", reply.id)
            return None

    def _store(self, drafted: list[_Drafted | None]) -> int:
        """Store the drafts that finished together, up to :data:`STORE_BATCH` a transaction (so a
        transaction never holds SQLite's write lock for long), announcing the cards after each."""
        ready = [d for d in drafted if d is not None]
        written = 0
        for start in range(0, len(ready), STORE_BATCH):
            batch, now = ready[start:start + STORE_BATCH], self.clock.now()
            try:
                stored = self.store.atomically(lambda: self._write_all(batch, now))  # noqa: B023
            except Exception:  # noqa: BLE001 — the claims lapse and the replies are drafted again
                log.exception("storing %d drafts failed; they are drafted again when their leases run out", len(batch))
                continue
            if stored and self.on_card is not None:
                self.on_card()
            written += stored
        return written

    def _write_all(self, batch: list[_Drafted], now: datetime) -> int:
        """Store a batch of drafts, and the model usage they cost: one record per workspace and
        model, however many calls the batch made."""
        if self.usage is not None:
            spent: dict[tuple[int, str], list[int]] = {}
            for drafted in batch:
                if drafted.spent is not None and drafted.job is not None and any(drafted.spent[1:]):
                    model, prompt_tokens, completion_tokens = drafted.spent
                    total = spent.setdefault((drafted.job.teacher.workspace_id, model), [0, 0, 0])
                    total[0], total[1], total[2] = total[0] + 1, total[1] + prompt_tokens, total[2] + completion_tokens
            for (workspace_id, model), (calls, prompt, completion) in spent.items():
                self.usage.record(workspace_id, model, prompt, completion, now, calls=calls)
        return self._write(batch, now)

    def _write(self, batch: list[_Drafted], now: datetime) -> int:
        """Store the drafts and queue their cards, while each claim still holds its reply: one
        that was edited, withdrawn or flagged meanwhile, or taken over, gets nothing from its
        claim. A few statements for the whole batch: release, look for open drafts, insert the
        new ones, queue their cards."""
        released = self.store.release_draft_claims([(d.reply.id, d.claim) for d in batch])
        ready = [d for d in batch if d.reply.id in released and d.job is not None and d.result is not None]
        jobs = {d.reply.id: (d.job, d.result) for d in ready}
        existing = self.store.open_drafts_of(sorted(jobs))
        for reply_id, draft in existing.items():
            job, result = jobs[reply_id]
            self.store.update_draft(draft.id, text=result.text, source=result.source, updated_at=now)
            self.store.enqueue(key=f"card-update:{draft.id}:{now.isoformat()}", workspace_id=job.teacher.workspace_id,
                               person_id=job.coach.id, kind="card_update", payload={"draft_id": draft.id},
                               not_before=now, at=now)
        added = self.store.add_drafts([
            dict(reply_id=reply_id, coach_id=job.coach.id, text=result.text, source=result.source, status="pending",
                 created_at=now, updated_at=now, expires_at=now + self.directory.config.draft_expiry)
            for reply_id, (job, result) in jobs.items() if reply_id not in existing
        ])
        self.store.enqueue_all([
            dict(key=f"card:{draft.id}", workspace_id=jobs[reply_id][0].teacher.workspace_id,
                 person_id=jobs[reply_id][0].coach.id, kind="coach_card", payload={"draft_id": draft.id},
                 not_before=now, created_at=now)
            for reply_id, draft in added.items()
        ])
        return len(ready)
