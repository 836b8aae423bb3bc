"""Planning: lay out each enrolment's slots for the coming days as delivery rows.

Idempotent (unique per enrolment and slot; a slot with a row of any status is never planned
again) and incremental: only enrolments whose ``planned_through`` falls short of the horizon are
read, so a tick with nothing to plan is cheap. Enrolments are planned a batch at a time — one
query for the teachers, one for their histories, one for the slots they have, bulk inserts — and
on PostgreSQL by one worker at a time. A teacher in several cohorts gets one prompt a local day;
the oldest enrolment wins and the others are recorded as skipped, with the reason. A slot may
hold a goal check-back (``kind`` ``check_back``) instead of a prompt. Cohorts with a channel get
their weekly peer-share post planned in the same pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.core.model import Cohort, Enrollment, Person, SkipDay
from bot.core.store import Store
from scheduler.cadence import schedule_for, slots_between
from scheduler.peer_posts import plan_channel_posts
from scheduler.selector import LibrarySelector, next_up

HORIZON = timedelta(days=7)
BATCH = 500
ONE_A_DAY = "one prompt a day: another cohort's prompt has this day"


@dataclass
class Planner:
    store: Store
    selector: LibrarySelector
    grace: timedelta
    horizon: timedelta = HORIZON
    batch: int = BATCH

    def plan(self, now: datetime) -> int:
        """Plan every enrolment that needs it; returns how many slots will be sent."""
        with self.store.planning_lock() as mine:
            if not mine:
                return 0
            self.selector.refresh()
            through = (now + self.horizon).date()
            cohorts: dict[int, Cohort | None] = {}
            skips: dict[int, list[SkipDay]] = {}
            added = 0
            while batch := self.store.enrollments_to_plan(through, self.batch):
                for cohort_id in {e.cohort_id for e in batch} - cohorts.keys():
                    cohorts[cohort_id] = self.store.get_cohort(cohort_id)
                    skips[cohort_id] = self.store.skips_of(cohort_id)
                added += self._plan_batch(batch, cohorts, skips, now)
                self.store.set_planned_through([e.id for e in batch], through)
            return added + plan_channel_posts(self.store, self.selector, now - self.grace, now + self.horizon, now)

    def _plan_batch(self, batch: list[Enrollment], cohorts: dict[int, Cohort | None],
                    skips: dict[int, list[SkipDay]], now: datetime) -> int:
        start, end = now - self.grace, now + self.horizon
        teachers = self.store.teachers(sorted({e.teacher_id for e in batch}))
        history = self.store.history_of(sorted(teachers))
        have = self.store.slots_planned([e.id for e in batch], start)
        rows: list[dict] = []
        for enrollment in batch:  # oldest enrolment of each teacher first
            cohort, teacher = cohorts.get(enrollment.cohort_id), teachers.get(enrollment.teacher_id)
            if cohort is not None and teacher is not None:
                rows += self._plan_one(enrollment, cohort, teacher, skips[cohort.id], history[teacher.id], have,
                                       start, end, now)
        return self.store.plan_deliveries(rows)

    def _plan_one(self, enrollment: Enrollment, cohort: Cohort, teacher: Person, skip_days: list[SkipDay],
                  history: list[tuple[str, date]], have: set[tuple[int, datetime]], start: datetime,
                  end: datetime, now: datetime) -> list[dict]:
        """Rows for one enrolment's new slots; ``history`` grows with each prompt planned, so the
        next slot (and the teacher's next enrolment) sees it."""
        schedule = schedule_for(cohort, enrollment, teacher, skip_days)
        if schedule is None:
            return []
        rows = []
        for slot in slots_between(schedule, start, end):
            if (enrollment.id, slot.slot_utc) in have:
                continue
            row = {"enrollment_id": enrollment.id, "person_id": teacher.id, "workspace_id": cohort.workspace_id,
                   "cohort_id": cohort.id, "slot_utc": slot.slot_utc, "local_date": slot.local_date,
                   "kind": "prompt", "attempts": 0, "created_at": now}
            if any(day == slot.local_date for _, day in history):
                rows.append({**row, "prompt_id": "", "status": "skipped", "reason": ONE_A_DAY})
                continue
            up = next_up(self.selector.choose_for(enrollment, cohort, history, slot.local_date))
            if up is not None:
                rows.append({**row, "prompt_id": up.prompt_id, "kind": up.kind, "status": "planned", "reason": None})
                history.append((up.prompt_id, slot.local_date))
        return rows
