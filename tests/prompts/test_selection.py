"""Prompt selection: the coaching journey as pure rules, checked on small libraries and on a
simulated 40-week school year."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import product
from typing import Any

import pytest

from bot.core.prompts import FOCUS_AREAS, KINDS, LEVELS, PromptItem
from prompts.selection import DM_KINDS, REPEAT_WINDOW, Choice, SentItem, choose

MONDAY = date(2025, 9, 1)
FOCUS = "questioning"

TOPICS = {
    "classroom-management": ("routines for transitions", "a calm signal for attention"),
    "student-engagement": ("turn and talk partners", "choice boards"),
    "questioning": ("wait time after a question", "open questions that invite reasoning"),
    "feedback": ("specific praise", "next-step comments on drafts"),
    "formative-assessment": ("exit tickets", "mini whiteboards"),
    "technology": ("a shared slide deck", "quick polls"),
    "relationships": ("greeting each child at the door", "two-minute conversations"),
    "differentiation": ("flexible groups", "tiered tasks"),
    "wellbeing": ("a boundary on marking time", "a short pause between lessons"),
    "collaboration": ("co-planning with a colleague", "peer observation"),
}
OPENERS = {
    "reflection": "Think back to {topic}: what did you notice?",
    "tip": "A small idea: try {topic} once today.",
    "try-this": "This week, plan {topic} into one lesson.",
    "celebration": "Name one moment where {topic} went well.",
    "peer-share": "Share with your team how {topic} is going.",
    "micro-lesson": "Two minutes on why {topic} matters.",
}
DEPTHS = {
    "introductory": "Start small.",
    "developing": "Build on what worked.",
    "deeper": "Look for a pattern across weeks.",
}


def synthetic_library() -> list[PromptItem]:
    """10 focus areas × 3 levels × 6 kinds × 2 topics = 360 items."""
    return [
        PromptItem(
            id=f"{focus}-{level}-{kind}-{variant}",
            kind=kind,
            focus=focus,
            level=level,
            text=f"{OPENERS[kind].format(topic=TOPICS[focus][variant])} {DEPTHS[level]}",
            tags=(focus,),
        )
        for focus, level, kind, variant in product(FOCUS_AREAS, LEVELS, KINDS, (0, 1))
    ]


def item(
    id: str,
    *,
    focus: str = FOCUS,
    level: str = "introductory",
    kind: str = "reflection",
    text: str = "Think about one lesson today.",
) -> PromptItem:
    return PromptItem(id=id, kind=kind, focus=focus, level=level, text=text)


def sent(prompt: PromptItem, day: date) -> SentItem:
    return SentItem(prompt.id, day, prompt.kind, prompt.level, prompt.focus)


def pick(
    items: Sequence[PromptItem],
    history: Sequence[SentItem] = (),
    *,
    focus: str | None = FOCUS,
    goal: str | None = None,
    today: date = MONDAY,
    **options: Any,
) -> Choice:
    return choose(items, history, focus=focus, goal=goal, today=today, **options)


@dataclass(frozen=True)
class Journey:
    sent: tuple[SentItem, ...]
    reasons: tuple[str, ...]
    check_backs: tuple[date, ...]


def simulate(
    items: Sequence[PromptItem], weekdays: frozenset[int], *, weeks: int = 40
) -> Journey:
    """Play a teacher's year slot by slot, feeding each choice back as history."""
    history: list[SentItem] = []
    reasons: list[str] = []
    check_backs: list[date] = []
    for today in (MONDAY + timedelta(days=n) for n in range(weeks * 7)):
        if today.weekday() not in weekdays:
            continue
        choice = choose(
            items,
            history,
            focus=FOCUS,
            goal=None,
            today=today,
            enrolled_on=MONDAY,
            last_check_back=check_backs[-1] if check_backs else None,
        )
        if choice.check_back:
            check_backs.append(today)
        elif choice.prompt is not None:
            history.append(sent(choice.prompt, today))
            reasons.append(choice.reason)
    return Journey(tuple(history), tuple(reasons), tuple(check_backs))


MON_WED = frozenset({0, 2})
DAILY = frozenset(range(7))


@pytest.fixture(scope="module")
def library() -> list[PromptItem]:
    return synthetic_library()


@pytest.fixture(scope="module", params=[MON_WED, DAILY], ids=["mon-wed", "daily"])
def journey(request: pytest.FixtureRequest, library: list[PromptItem]) -> Journey:
    return simulate(library, request.param)


@pytest.fixture(scope="module")
def daily_journey(library: list[PromptItem]) -> Journey:
    return simulate(library, DAILY)


def focus_items_left(library: Sequence[PromptItem], history: Sequence[SentItem], day: date) -> int:
    recent = {s.prompt_id for s in history if day - s.local_date < REPEAT_WINDOW}
    return sum(
        1 for i in library if i.focus == FOCUS and i.kind in DM_KINDS and i.id not in recent
    )


# The simulated year


def test_prompts_stay_in_focus_while_focus_items_remain(
    journey: Journey, library: list[PromptItem]
) -> None:
    for index, entry in enumerate(journey.sent):
        if entry.focus != FOCUS:
            assert focus_items_left(library, journey.sent[:index], entry.local_date) == 0


def test_twice_a_week_never_leaves_the_focus(library: list[PromptItem]) -> None:
    assert {entry.focus for entry in simulate(library, MON_WED).sent} == {FOCUS}


def test_daily_cadence_exhausts_the_focus_and_widens_with_a_reason(
    daily_journey: Journey,
) -> None:
    widened = [
        reason
        for entry, reason in zip(daily_journey.sent, daily_journey.reasons, strict=True)
        if entry.focus != FOCUS
    ]
    assert widened
    assert all(f"nothing left in {FOCUS}" in reason for reason in widened)


def test_no_item_repeats_within_56_days(journey: Journey) -> None:
    last_seen: dict[str, date] = {}
    for entry in journey.sent:
        if entry.prompt_id in last_seen:
            assert entry.local_date - last_seen[entry.prompt_id] >= timedelta(days=56)
        last_seen[entry.prompt_id] = entry.local_date


def test_every_week_with_two_or_more_prompts_mixes_kinds(journey: Journey) -> None:
    kinds_by_week: dict[tuple[int, int], list[str]] = defaultdict(list)
    for entry in journey.sent:
        kinds_by_week[entry.local_date.isocalendar()[:2]].append(entry.kind)
    busy_weeks = [kinds for kinds in kinds_by_week.values() if len(kinds) >= 2]
    assert busy_weeks
    assert all(len(set(kinds)) >= 2 for kinds in busy_weeks)


def test_peer_share_is_never_sent_by_dm(journey: Journey) -> None:
    assert "peer-share" not in {entry.kind for entry in journey.sent}


def test_first_four_prompts_in_focus_are_introductory_and_the_next_six_developing(
    journey: Journey,
) -> None:
    in_focus = [entry.level for entry in journey.sent if entry.focus == FOCUS]
    assert in_focus[:10] == ["introductory"] * 4 + ["developing"] * 6
    assert in_focus[10] == "deeper"


def test_levels_deepen_on_average_when_the_focus_never_runs_dry(library: list[PromptItem]) -> None:
    """Twice a week, 30 items in the focus outlast the 8-week window, so the journey can deepen;
    a daily cadence cycles through the whole focus instead, which the tests above cover."""
    blocks: dict[int, list[int]] = defaultdict(list)
    for entry in simulate(library, MON_WED).sent:
        blocks[(entry.local_date - MONDAY).days // 56].append(LEVELS.index(entry.level))
    first, *later = [sum(ranks) / len(ranks) for ranks in blocks.values()]
    assert later
    assert all(mean > first for mean in later)


def test_check_backs_arrive_every_three_weeks(journey: Journey) -> None:
    expected = tuple(MONDAY + timedelta(weeks=week) for week in range(3, 40, 3))
    assert journey.check_backs == expected


def test_check_back_replaces_the_prompt_that_day(journey: Journey) -> None:
    assert not set(journey.check_backs) & {entry.local_date for entry in journey.sent}


def test_same_year_plays_out_the_same_way(library: list[PromptItem]) -> None:
    assert simulate(library, MON_WED, weeks=12) == simulate(library, MON_WED, weeks=12)


def test_choice_does_not_depend_on_library_or_history_order(library: list[PromptItem]) -> None:
    history = simulate(library, DAILY, weeks=6).sent
    shuffled_library, shuffled_history = list(library), list(history)
    random.Random(7).shuffle(shuffled_library)
    random.Random(7).shuffle(shuffled_history)
    day = MONDAY + timedelta(weeks=6)
    assert pick(library, history, today=day) == pick(shuffled_library, shuffled_history, today=day)


# Focus


def test_default_focus_applies_when_teacher_has_none() -> None:
    items = [item("q", focus="questioning"), item("f", focus="feedback")]
    assert pick(items, focus=None, default_focus="feedback").prompt == items[1]


def test_teacher_focus_beats_default_focus() -> None:
    items = [item("q", focus="questioning"), item("f", focus="feedback")]
    assert pick(items, focus="questioning", default_focus="feedback").prompt == items[0]


def test_without_any_focus_rotates_to_least_recently_covered_area() -> None:
    items = [item(f"{area}-1", focus=area) for area in FOCUS_AREAS[:3]]
    history = [
        sent(items[0], MONDAY - timedelta(days=60)),
        sent(items[1], MONDAY - timedelta(days=70)),
        sent(items[2], MONDAY - timedelta(days=65)),
    ]
    choice = pick(items, history, focus=None)
    assert choice.prompt == items[1]
    assert "rotating" in choice.reason


def test_without_any_focus_never_covered_areas_come_first_in_library_order() -> None:
    items = [item(f"{area}-1", focus=area) for area in reversed(FOCUS_AREAS)]
    assert pick(items, focus=None).prompt == items[-1]


def test_used_up_focus_widens_to_another_area_with_a_reason() -> None:
    items = [item("q", focus="questioning"), item("f", focus="feedback")]
    choice = pick(items, [sent(items[0], MONDAY - timedelta(days=3))])
    assert choice.prompt == items[1]
    assert "widened: nothing left in questioning" in choice.reason


def test_nothing_left_returns_no_prompt_with_a_reason() -> None:
    items = [item("q"), item("p", kind="peer-share")]
    choice = pick(items, [sent(items[0], MONDAY - timedelta(days=3))])
    assert choice == Choice(None, False, choice.reason)
    assert "nothing left" in choice.reason


# Levels


def history_in_focus(count: int) -> list[SentItem]:
    """Earlier prompts of the focus, all long enough ago to be sendable again."""
    day = MONDAY - timedelta(days=400)
    return [SentItem(f"old-{n}", day, "tip", "introductory", FOCUS) for n in range(count)]


@pytest.mark.parametrize(
    ("count", "level"),
    [(0, "introductory"), (3, "introductory"), (4, "developing"), (9, "developing"),
     (10, "deeper"), (30, "deeper")],
)
def test_level_follows_how_many_items_of_the_focus_were_had(count: int, level: str) -> None:
    items = [item(f"i-{lvl}", level=lvl) for lvl in LEVELS]
    choice = pick(items, history_in_focus(count))
    assert choice.prompt is not None
    assert choice.prompt.level == level


def test_used_up_level_falls_back_to_the_next_level_with_a_reason() -> None:
    items = [item("intro", level="introductory"), item("dev", level="developing")]
    choice = pick(items, [sent(items[0], MONDAY - timedelta(days=2))])
    assert choice.prompt == items[1]
    assert "widened: no introductory item left" in choice.reason


def test_used_up_developing_level_moves_on_to_deeper_before_going_back() -> None:
    items = [item(f"i-{lvl}", level=lvl) for lvl in LEVELS]
    history = [*history_in_focus(5), sent(items[1], MONDAY - timedelta(days=2))]
    assert pick(items, history).prompt == items[2]


# Repeats


@pytest.mark.parametrize(("days_ago", "allowed"), [(1, False), (55, False), (56, True), (90, True)])
def test_an_item_returns_only_after_eight_weeks(days_ago: int, allowed: bool) -> None:
    only = item("only")
    choice = pick([only], [sent(only, MONDAY - timedelta(days=days_ago))])
    assert (choice.prompt == only) is allowed


def test_unseen_item_is_preferred_over_one_seen_long_ago() -> None:
    items = [item("a"), item("b")]
    choice = pick(items, [sent(items[0], MONDAY - timedelta(days=100))])
    assert choice.prompt == items[1]


# Kinds


def test_kind_already_sent_this_iso_week_is_avoided() -> None:
    items = [item("a-tip", kind="tip"), item("b-reflection", kind="reflection")]
    wednesday = MONDAY + timedelta(days=2)
    earlier = item("earlier", kind="tip")
    choice = pick(items, [sent(earlier, MONDAY)], today=wednesday)
    assert choice.prompt == items[1]


def test_kind_mix_starts_afresh_with_a_new_iso_week() -> None:
    items = [item("a-tip", kind="tip", text="wait time"), item("b-reflection")]
    sunday = MONDAY - timedelta(days=1)
    choice = pick(items, [sent(item("earlier", kind="tip"), sunday)], goal="wait time")
    assert choice.prompt == items[0]


def test_kind_repeats_within_a_week_when_it_is_the_only_one_left() -> None:
    items = [item("a-tip", kind="tip")]
    wednesday = MONDAY + timedelta(days=2)
    choice = pick(items, [sent(item("earlier", kind="tip"), MONDAY)], today=wednesday)
    assert choice.prompt == items[0]


def test_kind_mix_outranks_the_wanted_level_with_a_reason() -> None:
    items = [item("intro-tip", kind="tip"), item("dev-reflection", level="developing")]
    wednesday = MONDAY + timedelta(days=2)
    choice = pick(items, [sent(item("earlier", kind="tip"), MONDAY)], today=wednesday)
    assert choice.prompt == items[1]
    assert "introductory items left repeat a kind sent this week" in choice.reason


def test_dm_kinds_are_every_kind_but_peer_share() -> None:
    assert set(DM_KINDS) == set(KINDS) - {"peer-share"}


# Goal


def test_goal_words_break_ties_within_the_allowed_set() -> None:
    items = [
        item("a", text="Notice who answers first in a discussion."),
        item("b", text="Try three seconds of wait time after asking."),
    ]
    assert pick(items).prompt == items[0]
    choice = pick(items, goal="Give more wait time")
    assert choice.prompt == items[1]
    assert "shares goal words: time, wait" in choice.reason


def test_goal_words_match_other_forms_of_the_word() -> None:
    items = [item("a", text="Plan one lesson."), item("b", text="Plan two open questions.")]
    assert pick(items, goal="better questioning").prompt == items[1]


def test_stop_words_alone_do_not_count_as_shared_goal_words() -> None:
    items = [item("a", text="Plan one lesson."), item("b", text="What do your students want?")]
    assert pick(items, goal="I want my students to do more of what they love").prompt == items[0]


def test_goal_never_pulls_an_item_from_outside_the_focus() -> None:
    items = [item("a", text="Plan one lesson."), item("b", focus="feedback", text="wait time")]
    assert pick(items, goal="wait time").prompt == items[0]


# Pinned items


def test_pinned_item_wins_over_the_journey() -> None:
    items = [item("a"), item("z-pinned", focus="feedback", level="deeper")]
    choice = pick(items, pinned="z-pinned")
    assert choice.prompt == items[1]
    assert "pinned by coach" in choice.reason


def test_pinned_item_wins_only_once_within_eight_weeks() -> None:
    items = [item("a"), item("z-pinned")]
    first = pick(items, pinned="z-pinned")
    assert first.prompt is not None
    wednesday = MONDAY + timedelta(days=2)
    again = pick(items, [sent(first.prompt, MONDAY)], pinned="z-pinned", today=wednesday)
    assert again.prompt == items[0]
    assert "pinned z-pinned skipped: sent within the last 8 weeks" in again.reason


@pytest.mark.parametrize(
    ("pinned", "problem"),
    [("missing", "not in the library"), ("share", "peer-share is not sent by DM")],
)
def test_unusable_pinned_item_falls_back_to_the_journey(pinned: str, problem: str) -> None:
    items = [item("a"), item("share", kind="peer-share")]
    choice = pick(items, pinned=pinned)
    assert choice.prompt == items[0]
    assert problem in choice.reason


def test_pinned_item_goes_before_a_due_check_back() -> None:
    items = [item("a"), item("pinned")]
    enrolled = MONDAY - timedelta(weeks=3)
    assert pick(items, pinned="pinned", enrolled_on=enrolled).prompt == items[1]


def test_check_back_reason_keeps_the_note_on_a_skipped_pin() -> None:
    enrolled = MONDAY - timedelta(weeks=3)
    choice = pick([item("a")], pinned="missing", enrolled_on=enrolled)
    assert choice.check_back is True
    assert choice.reason == "pinned missing skipped: not in the library; goal check-back due"


# Check-backs


@pytest.mark.parametrize(
    ("enrolled_days_ago", "last_days_ago", "due"),
    [(20, None, False), (21, None, True), (60, 20, False), (60, 21, True), (60, 0, False)],
)
def test_check_back_falls_due_every_three_weeks(
    enrolled_days_ago: int, last_days_ago: int | None, due: bool
) -> None:
    last = None if last_days_ago is None else MONDAY - timedelta(days=last_days_ago)
    choice = pick(
        [item("a")],
        enrolled_on=MONDAY - timedelta(days=enrolled_days_ago),
        last_check_back=last,
    )
    assert choice.check_back is due
    assert (choice.prompt is None) is due


def test_check_back_interval_can_be_changed() -> None:
    enrolled = MONDAY - timedelta(weeks=2)
    choice = pick([item("a")], enrolled_on=enrolled, check_back_every=timedelta(weeks=2))
    assert choice == Choice(None, True, "goal check-back due")


def test_no_check_back_without_an_enrolment_date() -> None:
    assert pick([item("a")], enrolled_on=None).check_back is False
