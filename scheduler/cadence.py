"""Cadence maths: which local days a teacher gets a prompt, and the UTC instant of each.

Pure functions over a :class:`TeacherSchedule`; no clock, no database. A local time on a local
date happens at the first instant the teacher's clock reads that time or later that day:
- in a fall-back overlap (01:30 on the day clocks go back) that is the first occurrence;
- in a spring-forward gap (02:30 on the day clocks go forward) the clock never reads it, so
  the slot is sent when the gap ends (03:00 in New York). Every later time that day still
  comes after it, and the quiet window opens by the same rule.
Either way every local day the zone has gets exactly one slot.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.model import Cohort, Enrollment, Person, PersonStatus, SkipDay


class SkipRange(NamedTuple):
    """Local dates with no prompt, both ends inclusive."""

    start: date
    end: date
    reason: str = ""


@dataclass(frozen=True)
class TeacherSchedule:
    """Everything that decides one teacher's slots in one enrolment.

    A pause with ``*_paused_until`` set runs through that local date and resumes the day
    after, whatever the flag says; ``paused`` alone is a pause with no end.
    """

    tz: str
    days: frozenset[int]
    """ISO weekdays, 1 = Monday … 7 = Sunday."""
    send_time: time
    term_start: date | None = None
    term_end: date | None = None
    skips: tuple[SkipRange, ...] = ()
    paused: bool = False
    paused_until: date | None = None
    stopped: bool = False
    cohort_paused: bool = False
    cohort_paused_until: date | None = None
    enrolled_from: date | None = None

    def __post_init__(self) -> None:
        zone(self.tz)
        if not self.days <= frozenset(range(1, 8)):
            raise ValueError(f"cadence days are ISO weekdays 1–7; got {sorted(self.days)}")
        if self.send_time.tzinfo is not None:
            raise ValueError("send_time is a local wall-clock time, without a zone")
        for skip in self.skips:
            if skip.end < skip.start:
                raise ValueError(f"skip range ends before it starts: {skip.start}..{skip.end}")


@dataclass(frozen=True)
class Slot:
    """One prompt to send: the teacher's local date, the instant, and their clock then."""

    local_date: date
    slot_utc: datetime
    local_time: time


def zone(tz: str) -> ZoneInfo:
    """The IANA zone named ``tz``; ``ValueError`` with a readable message when unknown."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{tz}' is not an IANA time zone (like America/Chicago)") from None


def require_aware(moment: datetime, name: str) -> datetime:
    """``moment`` in UTC; a naive datetime is refused rather than guessed at."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")
    return moment.astimezone(timezone.utc)


def wall_instants(local_date: date, local_time: time, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants PEP 495 gives for fold 0 and fold 1: equal on an ordinary day,
    first/second occurrence in an overlap, and (later, earlier) in a gap."""
    first, second = (
        datetime.combine(local_date, local_time.replace(fold=fold), tzinfo=tz).astimezone(timezone.utc)
        for fold in (0, 1)
    )
    return first, second


def offset_change(tz: ZoneInfo, before: datetime, after: datetime) -> datetime:
    """The first whole second in ``(before, after]`` with ``after``'s UTC offset; zones
    change their offsets on whole seconds, so this is the instant of the change."""
    old = before.astimezone(tz).utcoffset()
    low, high = math.floor(before.timestamp()), math.ceil(after.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == old:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, timezone.utc)


def local_to_utc(local_date: date, local_time: time, tz: str) -> datetime:
    """The first instant at which the clock in ``tz`` reads ``local_time`` or later on
    ``local_date``: the first occurrence in an overlap, the end of the gap in a gap."""
    zone_info = zone(tz)
    first, second = wall_instants(local_date, local_time, zone_info)
    if first <= second:
        return first
    return offset_change(zone_info, second, first)


def _paused_reason(flag: bool, until: date | None, local_date: date, who: str) -> str | None:
    if until is not None:
        return f"{who} until {until.isoformat()}" if local_date <= until else None
    return who if flag else None


def exclusion_reason(schedule: TeacherSchedule, local_date: date) -> str | None:
    """Why ``local_date`` gets no prompt, or ``None`` when it gets one.

    The first rule that applies is named, the longest-lasting first, so a preview reads
    "stopped" rather than a list of every skip day after it.
    """
    if schedule.stopped:
        return "stopped"
    if (schedule.term_start and local_date < schedule.term_start) or (
        schedule.term_end and local_date > schedule.term_end
    ):
        return "outside term"
    if schedule.enrolled_from and local_date < schedule.enrolled_from:
        return "before enrolment"
    if local_date.isoweekday() not in schedule.days:
        return "not a cadence day"
    for skip in schedule.skips:
        if skip.start <= local_date <= skip.end:
            return f"skip day: {skip.reason}" if skip.reason else "skip day"
    return _paused_reason(
        schedule.cohort_paused, schedule.cohort_paused_until, local_date, "cohort paused"
    ) or _paused_reason(schedule.paused, schedule.paused_until, local_date, "paused")


def _local_dates(first: date, last: date) -> Iterable[date]:
    for offset in range((last - first).days + 1):
        yield first + timedelta(days=offset)


def slots_between(schedule: TeacherSchedule, start_utc: datetime, end_utc: datetime) -> list[Slot]:
    """The slots with ``start_utc <= slot_utc < end_utc``, in order; half-open so that
    consecutive windows never plan a slot twice."""
    start = require_aware(start_utc, "start_utc")
    end = require_aware(end_utc, "end_utc")
    zone_info = zone(schedule.tz)
    # A day either side, for zones whose clocks change across midnight.
    first = start.astimezone(zone_info).date() - timedelta(days=1)
    last = end.astimezone(zone_info).date() + timedelta(days=1)
    slots: list[Slot] = []
    for local_date in _local_dates(first, last):
        if exclusion_reason(schedule, local_date) is not None:
            continue
        instant = local_to_utc(local_date, schedule.send_time, schedule.tz)
        local = instant.astimezone(zone_info)
        # A date the zone skipped outright (Samoa, 2011-12-30) would land on the next day.
        if start <= instant < end and local.date() == local_date:
            slots.append(Slot(local_date, instant, local.time()))
    return slots


def parse_days(days: str) -> frozenset[int]:
    """The stored form of cadence days, ``"1,3,5"``, as ISO weekday numbers."""
    return frozenset(int(part) for part in days.split(",") if part.strip())


def schedule_for(
    cohort: Cohort, enrollment: Enrollment, teacher: Person, skip_days: Iterable[SkipDay]
) -> TeacherSchedule | None:
    """The schedule of one enrolment, or ``None`` while the cohort has no cadence.

    The teacher's own zone and time win over the cohort's; a teacher who is not active, or an
    enrolment that has ended, is stopped.
    """
    days = parse_days(cohort.days)
    send_time = enrollment.own_time or cohort.send_time
    if not days or send_time is None:
        return None
    tz = teacher.tz or cohort.tz
    enrolled_from = None
    if enrollment.created_at is not None:
        enrolled_from = require_aware(enrollment.created_at, "created_at").astimezone(zone(tz)).date()
    return TeacherSchedule(
        tz=tz,
        days=days,
        send_time=send_time,
        term_start=cohort.term_start,
        term_end=cohort.term_end,
        skips=tuple(SkipRange(s.start, s.end, s.reason) for s in skip_days if s.cohort_id == cohort.id),
        paused=enrollment.paused,
        paused_until=enrollment.paused_until,
        stopped=teacher.status != PersonStatus.ACTIVE or not enrollment.active,
        cohort_paused=cohort.paused,
        cohort_paused_until=cohort.paused_until,
        enrolled_from=enrolled_from,
    )
