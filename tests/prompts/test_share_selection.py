"""Choosing a cohort's weekly peer-share prompt (pure rules), and when a coach's pinned prompt
still waits for a teacher's next slot."""

from __future__ import annotations

from datetime import date, timedelta

from bot.core.model import Enrollment
from bot.core.prompts import PromptItem
from prompts.selection import SentItem, choose_share
from scheduler.selector import live_pin

MONDAY = date(2026, 11, 30)


def share(id: str, focus: str = "feedback", level: str = "introductory") -> PromptItem:
    return PromptItem(id=id, kind="peer-share", focus=focus, level=level, text=f"Share {id} with the cohort.")


def posted(item: PromptItem, day: date) -> SentItem:
    return SentItem(item.id, day, item.kind, item.level, item.focus)


def test_only_peer_share_items_are_chosen_for_the_channel() -> None:
    tip = PromptItem(id="a-tip", kind="tip", focus="feedback", level="introductory", text="A tip.")
    assert choose_share([tip, share("z-share")], [], focus="feedback", today=MONDAY).prompt.id == "z-share"


def test_the_cohorts_default_focus_comes_first() -> None:
    items = [share("a", focus="wellbeing"), share("b", focus="feedback")]
    assert choose_share(items, [], focus="feedback", today=MONDAY).prompt.id == "b"


def test_a_share_posted_in_the_last_8_weeks_is_not_posted_again() -> None:
    items = [share("a"), share("b")]
    history = [posted(items[0], MONDAY - timedelta(weeks=7))]
    assert choose_share(items, history, focus="feedback", today=MONDAY).prompt.id == "b"
    history = [posted(items[0], MONDAY - timedelta(weeks=8)), posted(items[1], MONDAY - timedelta(weeks=1))]
    assert choose_share(items, history, focus="feedback", today=MONDAY).prompt.id == "a"


def test_without_a_focus_the_least_recently_covered_area_is_chosen() -> None:
    items = [share("a", focus="feedback"), share("b", focus="wellbeing")]
    history = [posted(share("old", focus="feedback"), MONDAY - timedelta(weeks=10))]
    assert choose_share(items, history, focus=None, today=MONDAY).prompt.id == "b"


def test_nothing_left_says_so() -> None:
    items = [share("a")]
    choice = choose_share(items, [posted(items[0], MONDAY - timedelta(weeks=1))], focus="feedback", today=MONDAY)
    assert choice.prompt is None and "every peer-share item was sent within the last 8 weeks" in choice.reason


def pinned(on: date) -> Enrollment:
    return Enrollment(id=1, cohort_id=1, teacher_id=1, pinned_prompt_id="fb-x", pinned_on=on)


def test_a_pin_waits_until_a_slot_on_or_after_its_day_holds_it() -> None:
    assert live_pin(pinned(MONDAY), [("fb-x", MONDAY - timedelta(days=60))], MONDAY) == "fb-x"
    assert live_pin(pinned(MONDAY), [("fb-x", MONDAY)], MONDAY + timedelta(days=2)) is None


def test_a_pin_lapses_after_8_weeks_and_never_applies_before_its_day() -> None:
    assert live_pin(pinned(MONDAY), [], MONDAY + timedelta(weeks=8)) is None
    assert live_pin(pinned(MONDAY), [], MONDAY - timedelta(days=1)) is None
    assert live_pin(Enrollment(id=1, cohort_id=1, teacher_id=1), [], MONDAY) is None
