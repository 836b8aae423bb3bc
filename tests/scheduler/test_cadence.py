"""Cadence maths: one prompt per chosen local day at the teacher's own local time, correct
across daylight-saving changes in every hemisphere, and never on a skipped, paused or stopped
day."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.core.model import Cohort, Enrollment, Person, PersonStatus, SkipDay
from scheduler.cadence import (
    SkipRange,
    Slot,
    TeacherSchedule,
    exclusion_reason,
    local_to_utc,
    schedule_for,
    slots_between,
)

NEW_YORK = "America/New_York"
DAILY = frozenset(range(1, 8))
WEEKDAYS = frozenset(range(1, 6))
MON_WED_FRI = frozenset({1, 3, 5})
MONDAY = date(2026, 11, 23)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


def schedule(**changes: object) -> TeacherSchedule:
    values: dict[str, object] = {"tz": NEW_YORK, "days": WEEKDAYS, "send_time": time(7, 45)}
    values.update(changes)
    return TeacherSchedule(**values)  # type: ignore[arg-type]


def local_slots(schedule_: TeacherSchedule, first: date, last: date) -> list[Slot]:
    """The slots from local midnight starting ``first`` to local midnight ending ``last``."""
    zone = ZoneInfo(schedule_.tz)
    start = datetime.combine(first, time(0), tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)
    return slots_between(schedule_, start, end)


def local_dates(schedule_: TeacherSchedule, first: date, last: date) -> list[date]:
    return [slot.local_date for slot in local_slots(schedule_, first, last)]


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# --- local time to UTC, around clock changes ------------------------------------------------

@pytest.mark.parametrize(
    ("tz", "local_date", "local_time", "expected_utc"),
    [
        # America/New_York: spring forward 2027-03-14 02:00 EST -> 03:00 EDT.
        (NEW_YORK, date(2027, 3, 13), time(7, 45), utc(2027, 3, 13, 12, 45)),
        (NEW_YORK, date(2027, 3, 14), time(7, 45), utc(2027, 3, 14, 11, 45)),
        (NEW_YORK, date(2027, 3, 14), time(2, 30), utc(2027, 3, 14, 7, 0)),
        (NEW_YORK, date(2027, 3, 14), time(1, 30), utc(2027, 3, 14, 6, 30)),
        # America/New_York: fall back 2027-11-07 02:00 EDT -> 01:00 EST.
        (NEW_YORK, date(2027, 11, 6), time(7, 45), utc(2027, 11, 6, 11, 45)),
        (NEW_YORK, date(2027, 11, 7), time(7, 45), utc(2027, 11, 7, 12, 45)),
        (NEW_YORK, date(2027, 11, 7), time(1, 30), utc(2027, 11, 7, 5, 30)),
        (NEW_YORK, date(2027, 11, 7), time(2, 30), utc(2027, 11, 7, 7, 30)),
        # Europe/London: 2027-03-28 01:00 GMT -> 02:00 BST; 2027-10-31 02:00 BST -> 01:00 GMT.
        ("Europe/London", date(2027, 3, 27), time(7, 45), utc(2027, 3, 27, 7, 45)),
        ("Europe/London", date(2027, 3, 28), time(7, 45), utc(2027, 3, 28, 6, 45)),
        ("Europe/London", date(2027, 3, 28), time(1, 30), utc(2027, 3, 28, 1, 0)),
        ("Europe/London", date(2027, 10, 31), time(1, 30), utc(2027, 10, 31, 0, 30)),
        ("Europe/London", date(2027, 10, 31), time(7, 45), utc(2027, 10, 31, 7, 45)),
        # Australia/Sydney (southern hemisphere): clocks go back in April, forward in October.
        ("Australia/Sydney", date(2027, 4, 3), time(7, 45), utc(2027, 4, 2, 20, 45)),
        ("Australia/Sydney", date(2027, 4, 4), time(7, 45), utc(2027, 4, 3, 21, 45)),
        ("Australia/Sydney", date(2027, 4, 4), time(2, 30), utc(2027, 4, 3, 15, 30)),
        ("Australia/Sydney", date(2027, 10, 3), time(2, 30), utc(2027, 10, 2, 16, 0)),
        ("Australia/Sydney", date(2027, 10, 3), time(7, 45), utc(2027, 10, 2, 20, 45)),
        # Asia/Kolkata: +05:30 all year.
        ("Asia/Kolkata", date(2027, 1, 15), time(7, 45), utc(2027, 1, 15, 2, 15)),
        ("Asia/Kolkata", date(2027, 7, 15), time(7, 45), utc(2027, 7, 15, 2, 15)),
        # Pacific/Chatham: +13:45 in summer, +12:45 in winter; changes at 02:45/03:45.
        ("Pacific/Chatham", date(2027, 4, 3), time(7, 45), utc(2027, 4, 2, 18, 0)),
        ("Pacific/Chatham", date(2027, 4, 5), time(7, 45), utc(2027, 4, 4, 19, 0)),
        ("Pacific/Chatham", date(2027, 4, 4), time(3, 0), utc(2027, 4, 3, 13, 15)),
        ("Pacific/Chatham", date(2027, 9, 26), time(3, 0), utc(2027, 9, 25, 14, 0)),
        # Australia/Lord_Howe: a half-hour change, 02:00 -> 02:30 and 02:00 -> 01:30.
        ("Australia/Lord_Howe", date(2027, 10, 3), time(2, 15), utc(2027, 10, 2, 15, 30)),
        ("Australia/Lord_Howe", date(2027, 4, 4), time(1, 45), utc(2027, 4, 3, 14, 45)),
    ],
    ids=lambda value: str(value),
)
def test_local_time_maps_to_the_right_utc_instant(
    tz: str, local_date: date, local_time: time, expected_utc: datetime
) -> None:
    assert local_to_utc(local_date, local_time, tz) == expected_utc


def test_time_in_spring_forward_gap_is_sent_when_the_gap_ends() -> None:
    gap_day = schedule(days=DAILY, send_time=time(2, 30))
    slots = slots_between(gap_day, utc(2027, 3, 14), utc(2027, 3, 15))
    assert slots == [Slot(date(2027, 3, 14), utc(2027, 3, 14, 7, 0), time(3, 0))]


def test_time_in_fall_back_overlap_is_sent_once_at_its_first_occurrence() -> None:
    overlap_day = schedule(days=DAILY, send_time=time(1, 30))
    slots = slots_between(overlap_day, utc(2027, 11, 7), utc(2027, 11, 8))
    assert slots == [Slot(date(2027, 11, 7), utc(2027, 11, 7, 5, 30), time(1, 30))]
    assert slots[0].slot_utc.astimezone(ZoneInfo(NEW_YORK)).utcoffset() == timedelta(hours=-4)


@pytest.mark.parametrize(
    "tz",
    [NEW_YORK, "Europe/London", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe"],
)
@pytest.mark.parametrize("send_time", [time(0, 30), time(1, 30), time(2, 30), time(3, 0), time(7, 45), time(23, 30)])
def test_every_local_day_of_a_year_gets_exactly_one_slot(tz: str, send_time: time) -> None:
    daily = schedule(tz=tz, days=DAILY, send_time=send_time)
    slots = local_slots(daily, date(2027, 1, 1), date(2027, 12, 31))
    assert [slot.local_date for slot in slots] == days(date(2027, 1, 1), date(2027, 12, 31))
    assert all(a.slot_utc < b.slot_utc for a, b in zip(slots, slots[1:]))
    for slot in slots:
        local = slot.slot_utc.astimezone(ZoneInfo(tz))
        assert (local.date(), local.time()) == (slot.local_date, slot.local_time)
        shifted = datetime.combine(slot.local_date, slot.local_time) - datetime.combine(slot.local_date, send_time)
        assert timedelta(0) <= shifted <= timedelta(hours=1)


def test_a_date_the_zone_skipped_has_no_slot_and_the_next_day_has_one() -> None:
    samoa = schedule(tz="Pacific/Apia", days=DAILY)  # Samoa went from 2011-12-29 to 2011-12-31
    slots = slots_between(samoa, utc(2011, 12, 28), utc(2012, 1, 1, 12))
    assert [slot.local_date for slot in slots] == [
        date(2011, 12, 28), date(2011, 12, 29), date(2011, 12, 31), date(2012, 1, 1)
    ]
    assert {slot.local_time for slot in slots} == {time(7, 45)}


@pytest.mark.parametrize("tz", [NEW_YORK, "Europe/London", "Australia/Sydney", "Pacific/Chatham"])
def test_an_ordinary_time_keeps_its_local_clock_reading_all_year(tz: str) -> None:
    daily = schedule(tz=tz, days=DAILY)
    slots = slots_between(daily, utc(2027, 1, 1), utc(2028, 1, 1))
    assert {slot.local_time for slot in slots} == {time(7, 45)}
    assert len({slot.slot_utc.astimezone(ZoneInfo(tz)).utcoffset() for slot in slots}) == 2


# --- which days ------------------------------------------------------------------------------

def test_only_the_chosen_weekdays_get_slots() -> None:
    chosen = local_dates(schedule(days=MON_WED_FRI), MONDAY, MONDAY + timedelta(days=13))
    assert [d.isoweekday() for d in chosen] == [1, 3, 5, 1, 3, 5]


def test_a_day_off_the_cadence_says_so() -> None:
    assert exclusion_reason(schedule(days=MON_WED_FRI), date(2026, 11, 24)) == "not a cadence day"
    assert exclusion_reason(schedule(days=MON_WED_FRI), date(2026, 11, 25)) is None


def test_a_skip_range_covers_both_of_its_ends() -> None:
    break_ = schedule(days=DAILY, skips=(SkipRange(date(2026, 11, 25), date(2026, 11, 27), "Thanksgiving"),))
    chosen = local_dates(break_, date(2026, 11, 24), date(2026, 11, 28))
    assert chosen == [date(2026, 11, 24), date(2026, 11, 28)]


def test_a_skip_day_gives_its_reason() -> None:
    break_ = schedule(skips=(SkipRange(date(2026, 11, 25), date(2026, 11, 25), "Thanksgiving"),))
    assert exclusion_reason(break_, date(2026, 11, 25)) == "skip day: Thanksgiving"


def test_a_skip_day_without_a_reason_is_still_named() -> None:
    break_ = schedule(skips=(SkipRange(date(2026, 11, 25), date(2026, 11, 25)),))
    assert exclusion_reason(break_, date(2026, 11, 25)) == "skip day"


def test_term_bounds_are_inclusive() -> None:
    term = schedule(days=DAILY, term_start=date(2026, 9, 1), term_end=date(2026, 9, 3))
    assert local_dates(term, date(2026, 8, 30), date(2026, 9, 5)) == days(date(2026, 9, 1), date(2026, 9, 3))


@pytest.mark.parametrize("day", [date(2026, 8, 31), date(2026, 9, 4)])
def test_days_outside_the_term_say_so(day: date) -> None:
    term = schedule(days=DAILY, term_start=date(2026, 9, 1), term_end=date(2026, 9, 3))
    assert exclusion_reason(term, day) == "outside term"


def test_an_open_ended_term_has_slots_after_its_start() -> None:
    term = schedule(days=DAILY, term_start=date(2026, 9, 1))
    assert local_dates(term, date(2026, 8, 31), date(2026, 9, 2)) == [date(2026, 9, 1), date(2026, 9, 2)]


@pytest.mark.parametrize("flag", [False, True])
def test_paused_until_a_date_resumes_the_day_after(flag: bool) -> None:
    paused = schedule(days=DAILY, paused=flag, paused_until=date(2026, 12, 1))
    assert local_dates(paused, date(2026, 11, 30), date(2026, 12, 3)) == [date(2026, 12, 2), date(2026, 12, 3)]
    assert exclusion_reason(paused, date(2026, 12, 1)) == "paused until 2026-12-01"


def test_an_indefinite_pause_has_no_slots_and_says_so() -> None:
    paused = schedule(paused=True)
    assert slots_between(paused, utc(2026, 11, 1), utc(2027, 6, 1)) == []
    assert exclusion_reason(paused, MONDAY) == "paused"


def test_a_paused_cohort_pauses_its_teachers_until_the_date() -> None:
    paused = schedule(days=DAILY, cohort_paused_until=date(2026, 11, 24))
    assert local_dates(paused, MONDAY, date(2026, 11, 25)) == [date(2026, 11, 25)]
    assert exclusion_reason(paused, MONDAY) == "cohort paused until 2026-11-24"


def test_an_indefinitely_paused_cohort_says_so() -> None:
    assert exclusion_reason(schedule(cohort_paused=True), MONDAY) == "cohort paused"


def test_a_stopped_teacher_has_no_slots_and_stopped_is_the_reason_given() -> None:
    stopped = schedule(stopped=True, paused=True, skips=(SkipRange(MONDAY, MONDAY, "PD day"),))
    assert slots_between(stopped, utc(2026, 11, 1), utc(2027, 6, 1)) == []
    assert exclusion_reason(stopped, MONDAY) == "stopped"


def test_no_slots_before_the_teacher_enrolled() -> None:
    joined = schedule(days=DAILY, enrolled_from=date(2026, 11, 25))
    assert local_dates(joined, MONDAY, date(2026, 11, 26)) == [date(2026, 11, 25), date(2026, 11, 26)]
    assert exclusion_reason(joined, MONDAY) == "before enrolment"


def test_a_forty_week_school_year_has_every_cadence_day_but_the_breaks() -> None:
    year = schedule(
        days=MON_WED_FRI,
        term_start=date(2026, 8, 31),
        term_end=date(2027, 6, 6),
        skips=(
            SkipRange(date(2026, 11, 25), date(2026, 11, 27), "Thanksgiving"),
            SkipRange(date(2026, 12, 21), date(2027, 1, 1), "Winter break"),
        ),
    )
    slots = slots_between(year, utc(2026, 8, 1), utc(2027, 7, 1))
    # 40 weeks x 3 days, less Wed 25 + Fri 27 Nov and six cadence days over winter break.
    assert len(slots) == 40 * 3 - 2 - 6
    assert {slot.local_time for slot in slots} == {time(7, 45)}
    assert (slots[0].local_date, slots[-1].local_date) == (date(2026, 8, 31), date(2027, 6, 4))


# --- the window of a query -------------------------------------------------------------------

def test_a_slot_at_the_start_is_included_and_one_at_the_end_is_not() -> None:
    daily = schedule(days=DAILY)
    assert [s.local_date for s in slots_between(daily, utc(2026, 11, 23, 12, 45), utc(2026, 11, 24, 12, 45))] == [
        MONDAY
    ]


def test_consecutive_windows_plan_each_slot_once() -> None:
    daily = schedule(days=DAILY, send_time=time(1, 30))
    edges = [utc(2027, 11, 1) + timedelta(hours=5 * n) for n in range(60)]
    pieces = [slot for a, b in zip(edges, edges[1:]) for slot in slots_between(daily, a, b)]
    assert pieces == slots_between(daily, edges[0], edges[-1])


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        slots_between(schedule(), datetime(2026, 11, 23), utc(2026, 11, 24))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"tz": "Mars/Olympus"}, "not an IANA time zone"),
        ({"days": frozenset({0, 1})}, "ISO weekdays"),
        ({"skips": (SkipRange(date(2026, 12, 2), date(2026, 12, 1)),)}, "ends before it starts"),
    ],
)
def test_an_impossible_schedule_is_refused(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        schedule(**changes)


# --- from the domain -------------------------------------------------------------------------

COHORT = Cohort(
    id=1, workspace_id=1, name="grade4", tz=NEW_YORK, days="1,3", send_time=time(7, 45),
    term_start=date(2026, 8, 31), term_end=date(2027, 6, 6),
)


def teacher(**changes: object) -> Person:
    values: dict[str, object] = {"id": 7, "workspace_id": 1, "external_id": "U7"}
    values.update(changes)
    return Person(**values)  # type: ignore[arg-type]


def enrolment(**changes: object) -> Enrollment:
    values: dict[str, object] = {"id": 3, "cohort_id": 1, "teacher_id": 7}
    values.update(changes)
    return Enrollment(**values)  # type: ignore[arg-type]


def test_a_schedule_is_built_from_the_cohort_and_enrolment() -> None:
    built = schedule_for(
        COHORT,
        enrolment(paused_until=date(2026, 12, 1), created_at=utc(2026, 9, 2, 3)),
        teacher(),
        [SkipDay(1, 1, date(2026, 11, 25), date(2026, 11, 27), "Thanksgiving"), SkipDay(2, 9, MONDAY, MONDAY)],
    )
    assert built == TeacherSchedule(
        tz=NEW_YORK,
        days=frozenset({1, 3}),
        send_time=time(7, 45),
        term_start=date(2026, 8, 31),
        term_end=date(2027, 6, 6),
        skips=(SkipRange(date(2026, 11, 25), date(2026, 11, 27), "Thanksgiving"),),
        paused_until=date(2026, 12, 1),
        enrolled_from=date(2026, 9, 1),
    )


def test_the_teachers_own_zone_and_time_win_over_the_cohorts() -> None:
    built = schedule_for(COHORT, enrolment(own_time=time(15, 10)), teacher(tz="Europe/London"), [])
    assert built is not None
    assert (built.tz, built.send_time) == ("Europe/London", time(15, 10))


@pytest.mark.parametrize(
    ("person", "enrolled"),
    [(teacher(status=PersonStatus.STOPPED), enrolment()), (teacher(), enrolment(active=False))],
)
def test_a_stopped_teacher_or_ended_enrolment_is_stopped(person: Person, enrolled: Enrollment) -> None:
    built = schedule_for(COHORT, enrolled, person, [])
    assert built is not None and built.stopped


def test_a_cohort_without_a_cadence_has_no_schedule() -> None:
    unset = Cohort(id=2, workspace_id=1, name="new", tz=NEW_YORK)
    assert schedule_for(unset, enrolment(cohort_id=2), teacher(), []) is None
