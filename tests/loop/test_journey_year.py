"""A teacher's school year through the real scheduler: 40 weeks of Monday and Wednesday slots,
planned by the planner from the built-in library and sent by the dispatcher, as ``tick`` runs
them. The journey's rules hold on what was actually sent: the focus is respected, no item comes
twice within 8 weeks, kinds mix within a week, levels move from introductory to deeper, and
the goal check-back comes every third week on time."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.core.model import Delivery
from bot.core.prompts import CHECK_BACK_ID, LEVELS, PromptItem
from conftest_loop import School

NEW_YORK = ZoneInfo("America/New_York")
FIRST_MONDAY = date(2026, 11, 30)
WEEKS = 40
FOCUS = "questioning"


@dataclass(frozen=True)
class Year:
    sent: list[tuple[Delivery, PromptItem | None]]

    @property
    def prompts(self) -> list[tuple[date, PromptItem]]:
        return [(d.local_date, item) for d, item in self.sent if item is not None]

    @property
    def check_backs(self) -> list[date]:
        return [d.local_date for d, _ in self.sent if d.prompt_id == CHECK_BACK_ID]


@pytest.fixture
def year(school: School) -> Year:
    """Ana alone in a cohort, focus questioning, Mon/Wed at 07:45 New York time, for 40 weeks
    (across the change to summer time in March)."""
    for line in ("cohort create year America/New_York", "cohort coach year @u-coach", "cadence set year mon,wed 07:45",
                 "cohort add year @u-ana"):
        assert not school.say("u-admin", line).refused
    assert not school.say("u-ana", f"focus {FOCUS}").refused
    for n in range(WEEKS * 7):
        day = FIRST_MONDAY + timedelta(days=n)
        if day.weekday() in (0, 2):
            school.tick(datetime.combine(day, time(7, 45), tzinfo=NEW_YORK))
    store = school.container.store
    [enrollment] = store.enrollments_of_teacher(school.person("u-ana").id)
    sent = [d for d in store.deliveries_of([enrollment.id]) if d.status == "sent"]
    return Year([(d, school.container.prompts.get(d.prompt_id)) for d in sent])


def test_every_slot_of_the_year_went_out_once(year: Year) -> None:
    days = [d.local_date for d, _ in year.sent]
    assert len(days) == WEEKS * 2 == len(set(days))


def test_every_prompt_is_in_the_teachers_focus(year: Year) -> None:
    assert {item.focus for _, item in year.prompts} == {FOCUS}


def test_no_item_comes_twice_within_8_weeks(year: Year) -> None:
    last: dict[str, date] = {}
    for day, item in year.prompts:
        assert item.id not in last or day - last[item.id] >= timedelta(weeks=8), item.id
        last[item.id] = day


def test_every_week_with_two_prompts_mixes_kinds(year: Year) -> None:
    kinds: dict[tuple[int, int], list[str]] = defaultdict(list)
    for day, item in year.prompts:
        kinds[day.isocalendar()[:2]].append(item.kind)
    busy = [week for week in kinds.values() if len(week) == 2]
    assert len(busy) >= 25
    assert all(len(set(week)) == 2 for week in busy)


def test_levels_move_from_introductory_to_deeper(year: Year) -> None:
    levels = [LEVELS.index(item.level) for _, item in year.prompts]
    assert levels[0] == 0 and LEVELS.index("deeper") in levels[:16]
    first_four_weeks = levels[:7]
    weeks_five_to_eight = levels[7:14]
    assert sum(first_four_weeks) / 7 < sum(weeks_five_to_eight) / 7


def test_a_check_back_comes_every_third_week_from_the_first_prompt(year: Year) -> None:
    expected = [FIRST_MONDAY + timedelta(weeks=week) for week in range(3, WEEKS, 3)]
    assert year.check_backs == expected
    assert len(expected) == 13
