"""What the scheduler will do for one cohort over the coming days: each teacher's cadence days,
with the prompt that would go (or what already happened) at what local and UTC time, or why that
day is skipped. It reads, never writes: the same rules as the planner, applied in memory."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.core.catalogue import CHECK_BACK_TITLE
from bot.core.model import Cohort, Delivery, Enrollment, Person
from bot.core.prompts import NextUp
from bot.core.store import Store
from scheduler.cadence import TeacherSchedule, exclusion_reason, local_to_utc, schedule_for, zone
from scheduler.selector import LibrarySelector, next_up

NOT_A_CADENCE_DAY = "not a cadence day"
DONE = {"sent": "sent", "claimed": "sending now", "missed": "missed", "failed": "failed", "cancelled": "cancelled"}


@dataclass(frozen=True)
class PreviewLine:
    teacher: str
    local_date: date
    tz: str
    local_time: time | None
    utc: datetime | None
    what: str
    """``send``, or what happened (``sent``, ``missed`` …), or ``skip``."""
    detail: str
    """The prompt's title and id, or the reason."""


def preview(store: Store, selector: LibrarySelector, cohort: Cohort, now: datetime, days: int) -> list[PreviewLine]:
    """Every teacher's cadence days from today (their local date) for ``days`` days."""
    selector.refresh()
    enrollments = store.enrollments_of_cohort(cohort.id)
    teachers = store.teachers([e.teacher_id for e in enrollments])
    history = store.history_of(sorted(teachers))
    skips = store.skips_of(cohort.id)
    rows: dict[tuple[int, date], Delivery] = {}
    for row in store.deliveries_of([e.id for e in enrollments], since=now.date() - timedelta(days=1)):
        key = (row.enrollment_id or 0, row.local_date)
        if key not in rows or rows[key].status == "skipped":
            rows[key] = row
    lines: list[PreviewLine] = []
    for enrollment in enrollments:
        teacher = teachers.get(enrollment.teacher_id)
        schedule = schedule_for(cohort, enrollment, teacher, skips) if teacher else None
        if teacher is None or schedule is None:
            continue
        firsts = _older_enrollments(store, teacher, enrollment)
        today = now.astimezone(zone(schedule.tz)).date()
        for local_date in (today + timedelta(days=n) for n in range(days)):
            line = _line(selector, cohort, enrollment, teacher, schedule, local_date, rows, history[teacher.id],
                         firsts, now)
            if line is not None:
                lines.append(line)
    return sorted(lines, key=lambda line: (line.local_date, line.utc or now, line.teacher))


def _older_enrollments(store: Store, teacher: Person, enrollment: Enrollment) -> list[tuple[str, TeacherSchedule]]:
    """The teacher's enrolments that come first for "one prompt a day": (cohort name, schedule)."""
    older: list[tuple[str, TeacherSchedule]] = []
    for other in store.enrollments_of_teacher(teacher.id):
        if other.id == enrollment.id:
            break
        cohort = store.get_cohort(other.cohort_id)
        schedule = schedule_for(cohort, other, teacher, store.skips_of(cohort.id)) if cohort else None
        if cohort is not None and schedule is not None:
            older.append((cohort.name, schedule))
    return older


def _line(selector: LibrarySelector, cohort: Cohort, enrollment: Enrollment, teacher: Person,
          schedule: TeacherSchedule, local_date: date, rows: dict[tuple[int, date], Delivery],
          history: list[tuple[str, date]], firsts: Sequence[tuple[str, TeacherSchedule]],
          now: datetime) -> PreviewLine | None:
    name = teacher.display_name or teacher.external_id
    reason = exclusion_reason(schedule, local_date)
    if reason == NOT_A_CADENCE_DAY:
        return None
    if reason is None:
        reason = next((f"one prompt a day: {other} comes first" for other, first in firsts
                       if exclusion_reason(first, local_date) is None), None)
    if reason is not None:
        return PreviewLine(name, local_date, schedule.tz, None, None, "skip", reason)
    utc = local_to_utc(local_date, schedule.send_time, schedule.tz)
    local = utc.astimezone(zone(schedule.tz)).time()
    row = rows.get((enrollment.id, local_date))
    if row is not None and row.status in DONE:
        return PreviewLine(name, local_date, schedule.tz, local, row.slot_utc, DONE[row.status], row.reason or "")
    if row is not None and row.status == "skipped":
        return PreviewLine(name, local_date, schedule.tz, None, None, "skip", row.reason or "")
    if row is None and utc < now:
        return PreviewLine(name, local_date, schedule.tz, local, utc, "passed", "its time passed before it was planned")
    up = NextUp(row.prompt_id, row.kind) if row is not None else next_up(
        selector.choose_for(enrollment, cohort, history, local_date))
    if up is None:
        return PreviewLine(name, local_date, schedule.tz, local, utc, "skip", "no prompt left to send")
    if row is None:
        history.append((up.prompt_id, local_date))
    return PreviewLine(name, local_date, schedule.tz, local, utc, "send", _detail(selector, up))


def _detail(selector: LibrarySelector, up: NextUp) -> str:
    if up.kind == "check_back":
        return f"goal check-back: “{CHECK_BACK_TITLE}”"
    prompt = selector.library.get(up.prompt_id)
    return f"“{prompt.title}” ({prompt.id})" if prompt else up.prompt_id
