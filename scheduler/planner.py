"""Planning: lay out each enrolment's slots for the coming days as delivery rows.

Idempotent (unique per enrolment and slot) and incremental: only enrolments whose
``planned_through`` falls short of the horizon are read, so a tick with nothing to plan is cheap.
A teacher in several cohorts gets one prompt a local day; the oldest enrolment wins and the
others are recorded as skipped, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.model import Cohort, Enrollment, Person, SkipDay
from bot.core.ports import Selector
from bot.core.store import Store
from scheduler.cadence import schedule_for, slots_between

HORIZON = timedelta(days=7)
BATCH = 500


@dataclass
class Planner:
    store: Store
    selector: Selector
    grace: timedelta

    def plan(self, now: datetime) -> int:
        """Plan every enrolment that needs it; returns how many slots were added."""
        through = (now + HORIZON).date()
        added = 0
        cohorts: dict[int, Cohort | None] = {}
        skips: dict[int, list[SkipDay]] = {}
        while batch := self.store.enrollments_to_plan(through, BATCH):
            for enrollment in batch:
                cohort = cohorts.setdefault(enrollment.cohort_id, self.store.get_cohort(enrollment.cohort_id))
                if cohort is not None and cohort.id not in skips:
                    skips[cohort.id] = self.store.skips_of(cohort.id)
                teacher = self.store.get_person(enrollment.teacher_id)
                if cohort is not None and teacher is not None:
                    added += self._plan_one(enrollment, cohort, teacher, skips[cohort.id], now)
            self.store.set_planned_through([e.id for e in batch], through)
        return added

    def _plan_one(self, enrollment: Enrollment, cohort: Cohort, teacher: Person, skip_days: list[SkipDay], now: datetime) -> int:
        schedule = schedule_for(cohort, enrollment, teacher, skip_days)
        if schedule is None:
            return 0
        added = 0
        for slot in slots_between(schedule, now - self.grace, now + HORIZON):
            prompt = self.selector.next_prompt(enrollment.id, slot.local_date)
            if prompt is None:
                continue
            row = {
                "enrollment_id": enrollment.id, "person_id": teacher.id, "workspace_id": cohort.workspace_id,
                "cohort_id": cohort.id, "slot_utc": slot.slot_utc, "local_date": slot.local_date,
                "prompt_id": prompt.id, "kind": "prompt", "status": "planned", "attempts": 0, "created_at": now,
            }
            if self.store.plan_deliveries([row]):
                added += 1
            else:
                self.store.plan_deliveries([{**row, "status": "skipped", "reason": "one prompt a day: another was already planned or sent"}])
        return added
