"""The quiet window: nothing reaches a teacher outside their day. Late prompts inside the
grace period go out; later ones are missed; reminders and approved follow-ups wait for the
morning."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from scheduler.quiet import (
    QuietWindow,
    cadence_time_allowed,
    catch_up_decision,
    is_open,
    next_open,
    release_time,
    reminder_due,
)

NEW_YORK = "America/New_York"
DAY = QuietWindow(time(6, 30), time(20, 0))
GRACE = timedelta(hours=2)
REMIND_AFTER = timedelta(hours=24)


def ny(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0, fold: int = 0) -> datetime:
    """A New York wall-clock instant, as UTC."""
    local = datetime(year, month, day, hour, minute, second, fold=fold, tzinfo=ZoneInfo(NEW_YORK))
    return local.astimezone(timezone.utc)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


# --- the window itself -----------------------------------------------------------------------

@pytest.mark.parametrize("text", ["06:30-20:00", " 06:30 - 20:00 ", "6:30-20:00", "06:30–20:00"])
def test_a_window_is_read_from_its_usual_spellings(text: str) -> None:
    assert QuietWindow.parse(text) == DAY


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "write it as HH:MM-HH:MM"),
        ("06:30", "write it as HH:MM-HH:MM"),
        ("morning-evening", "write it as HH:MM-HH:MM"),
        ("06:30-24:00", "hours run 00–23"),
        ("06:60-20:00", "minutes 00–59"),
        ("20:00-06:30", "must end after it starts"),
        ("06:30-06:30", "must end after it starts"),
    ],
)
def test_a_window_that_cannot_be_used_is_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        QuietWindow.parse(text)


def test_a_window_reads_back_as_the_teachers_day() -> None:
    assert str(DAY) == "06:30–20:00"


@pytest.mark.parametrize(
    ("local_time", "inside"),
    [
        (time(6, 29, 59), False),
        (time(6, 30), True),
        (time(12, 0), True),
        (time(19, 59, 59), True),
        (time(20, 0), False),
        (time(0, 0), False),
    ],
)
def test_the_window_includes_its_start_and_excludes_its_end(local_time: time, inside: bool) -> None:
    assert DAY.contains(local_time) is inside


def test_whether_the_window_is_open_depends_on_the_teachers_own_zone() -> None:
    instant = utc(2026, 11, 23, 14, 0)  # 09:00 in New York, 22:00 in Singapore
    assert is_open(DAY, NEW_YORK, instant)
    assert not is_open(DAY, "Asia/Singapore", instant)


# --- when it next opens ----------------------------------------------------------------------

def test_next_open_inside_the_window_is_now() -> None:
    now = ny(2026, 11, 23, 9, 15)
    assert next_open(DAY, NEW_YORK, now) == now


def test_next_open_before_dawn_is_the_same_mornings_start() -> None:
    assert next_open(DAY, NEW_YORK, ny(2026, 11, 23, 5, 0)) == ny(2026, 11, 23, 6, 30)


@pytest.mark.parametrize(
    "evening", [ny(2026, 11, 23, 20, 0), ny(2026, 11, 23, 23, 59), ny(2026, 11, 24, 0, 1)]
)
def test_next_open_after_the_window_closes_is_the_next_morning(evening: datetime) -> None:
    assert next_open(DAY, NEW_YORK, evening) == ny(2026, 11, 24, 6, 30)


def test_next_open_over_the_spring_forward_night_is_six_thirty_daylight_time() -> None:
    assert next_open(DAY, NEW_YORK, ny(2027, 3, 13, 21, 0)) == utc(2027, 3, 14, 10, 30)


def test_next_open_over_the_fall_back_night_is_six_thirty_standard_time() -> None:
    assert next_open(DAY, NEW_YORK, ny(2027, 11, 6, 21, 0)) == utc(2027, 11, 7, 11, 30)


@pytest.mark.parametrize(
    ("tz", "after", "expected"),
    [
        ("Europe/London", utc(2027, 3, 27, 20, 0), utc(2027, 3, 28, 5, 30)),
        ("Australia/Sydney", utc(2027, 4, 3, 10, 0), utc(2027, 4, 3, 20, 30)),
        ("Asia/Kolkata", utc(2027, 1, 15, 0, 0), utc(2027, 1, 15, 1, 0)),
        ("Pacific/Chatham", utc(2027, 9, 25, 12, 0), utc(2027, 9, 25, 16, 45)),
    ],
)
def test_next_open_follows_each_zones_clock(tz: str, after: datetime, expected: datetime) -> None:
    opened = next_open(DAY, tz, after)
    assert opened == expected
    assert opened.astimezone(ZoneInfo(tz)).time() == time(6, 30)


def test_a_window_starting_inside_a_spring_forward_gap_opens_when_the_gap_ends() -> None:
    night = QuietWindow(time(2, 30), time(5, 0))
    assert next_open(night, NEW_YORK, ny(2027, 3, 14, 1, 0)) == utc(2027, 3, 14, 7, 0)


def test_a_window_ending_inside_a_fall_back_overlap_reopens_when_the_clock_goes_back() -> None:
    night = QuietWindow(time(0, 0), time(1, 30))
    after_first_pass = ny(2027, 11, 7, 1, 40)
    assert next_open(night, NEW_YORK, after_first_pass) == ny(2027, 11, 7, 1, 0, fold=1)


def test_a_window_starting_inside_a_fall_back_overlap_reopens_at_its_second_start() -> None:
    night = QuietWindow(time(1, 15), time(5, 0))
    clock_gone_back = ny(2027, 11, 7, 1, 5, fold=1)
    assert next_open(night, NEW_YORK, clock_gone_back) == ny(2027, 11, 7, 1, 15, fold=1)


def test_an_approved_follow_up_inside_the_window_is_released_at_once() -> None:
    decided = ny(2026, 11, 23, 15, 0)
    assert release_time(decided, DAY, NEW_YORK) == decided


def test_an_approved_follow_up_decided_at_night_waits_for_the_morning() -> None:
    assert release_time(ny(2026, 11, 23, 22, 10), DAY, NEW_YORK) == ny(2026, 11, 24, 6, 30)


# --- cadence times ---------------------------------------------------------------------------

@pytest.mark.parametrize("t", [time(6, 30), time(7, 45), time(19, 59)])
def test_a_cadence_time_inside_the_teachers_day_is_allowed(t: time) -> None:
    assert cadence_time_allowed(DAY, t) is None


@pytest.mark.parametrize("t", [time(21, 15), time(20, 0), time(6, 29), time(0, 0)])
def test_a_cadence_time_outside_the_teachers_day_is_refused_with_why(t: time) -> None:
    message = cadence_time_allowed(DAY, t)
    assert message is not None
    assert message.startswith(f"{t:%H:%M} is outside the teachers' day (06:30–20:00)")
    assert "sends nothing" in message


# --- catching up late slots ------------------------------------------------------------------

SLOT = ny(2026, 11, 23, 7, 45)


def decide(now: datetime, grace: timedelta = GRACE, slot: datetime = SLOT) -> str:
    return catch_up_decision(slot, now, grace, DAY, NEW_YORK)


def test_a_slot_not_yet_due_waits() -> None:
    assert decide(SLOT - timedelta(seconds=1)) == "wait"


def test_a_slot_is_due_at_its_exact_instant() -> None:
    assert decide(SLOT) == "send"


def test_a_slot_late_by_less_than_the_grace_is_sent() -> None:
    assert decide(SLOT + GRACE - timedelta(seconds=1)) == "send"


def test_a_slot_late_by_exactly_the_grace_is_missed() -> None:
    assert decide(SLOT + GRACE) == "missed"


def test_a_slot_late_by_more_than_the_grace_is_missed() -> None:
    assert decide(SLOT + timedelta(days=1)) == "missed"


def test_a_catch_up_that_would_land_after_the_window_closes_is_missed() -> None:
    evening_slot = ny(2026, 11, 23, 19, 30)
    assert decide(ny(2026, 11, 23, 19, 59), slot=evening_slot) == "send"
    assert decide(ny(2026, 11, 23, 20, 0), slot=evening_slot) == "missed"


def test_with_no_grace_only_an_on_time_slot_is_sent() -> None:
    assert decide(SLOT, grace=timedelta(0)) == "send"
    assert decide(SLOT + timedelta(seconds=1), grace=timedelta(0)) == "missed"


def test_the_grace_is_measured_in_real_time_across_a_clock_change() -> None:
    spring_slot = ny(2027, 3, 14, 7, 45)
    assert catch_up_decision(spring_slot, spring_slot + timedelta(minutes=119), GRACE, DAY, NEW_YORK) == "send"


# --- reminders -------------------------------------------------------------------------------

SENT = ny(2026, 11, 23, 7, 45)


def remind(now: datetime, replied: bool = False, already_reminded: bool = False) -> bool:
    return reminder_due(SENT, now, REMIND_AFTER, DAY, NEW_YORK, replied, already_reminded)


def test_a_reminder_is_due_once_the_wait_has_passed_without_a_reply() -> None:
    assert remind(SENT + REMIND_AFTER) is True


def test_no_reminder_before_the_wait_has_passed() -> None:
    assert remind(SENT + REMIND_AFTER - timedelta(seconds=1)) is False


def test_no_reminder_after_the_teacher_replied() -> None:
    assert remind(SENT + REMIND_AFTER, replied=True) is False


def test_at_most_one_reminder() -> None:
    assert remind(SENT + REMIND_AFTER, already_reminded=True) is False


def test_a_reminder_due_at_night_waits_for_the_window_to_open() -> None:
    evening_sent = ny(2026, 11, 23, 19, 45)
    late = reminder_due(evening_sent, ny(2026, 11, 24, 20, 5), REMIND_AFTER, DAY, NEW_YORK, False, False)
    morning = reminder_due(evening_sent, ny(2026, 11, 25, 6, 30), REMIND_AFTER, DAY, NEW_YORK, False, False)
    assert (late, morning) == (False, True)
