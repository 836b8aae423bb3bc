"""Onboarding (a welcome from the coach by name, a focus and a goal) and "Was this useful?"."""

from __future__ import annotations

from datetime import timedelta

from bot.core import cards
from conftest_loop import MONDAY_0745_NY, School


def welcome(school: School, user: str):  # noqa: ANN201
    school.tick(MONDAY_0745_NY - timedelta(minutes=30))
    [card] = [s for s in school.chat.to(user) if any(b.action_id == cards.CHOOSE_FOCUS for b in s.message.buttons)]
    return card


def test_the_welcome_names_the_coach_who_sees_replies_and_how_to_stop(cohort: School) -> None:
    card = welcome(cohort, "u-ana")
    text = card.message.text
    assert "Coach Kim" in text and "Only Coach Kim sees your replies" in text
    assert "pause me" in text and "stop" in text
    assert len([b for b in card.message.buttons if b.action_id == cards.CHOOSE_FOCUS]) == 10


def test_welcomes_never_come_with_a_prompt(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    for sent in cohort.chat.to("u-ana"):
        is_welcome = any(b.action_id == cards.CHOOSE_FOCUS for b in sent.message.buttons)
        assert not (is_welcome and sent.message.delivery_key)


def test_choosing_a_focus_applies_to_every_enrolment_and_updates_the_card(cohort: School) -> None:
    welcome(cohort, "u-ana")
    outcome = cohort.click("u-ana", cards.CHOOSE_FOCUS, "questioning")
    assert "Your focus: Questioning" in outcome.notices[0]
    assert "Your focus: Questioning" in outcome.replace.text
    assert {e.focus for e in cohort.container.store.enrollments_of_teacher(cohort.person("u-ana").id)} == {"questioning"}


def test_a_goal_in_the_teachers_own_words_is_saved(cohort: School) -> None:
    welcome(cohort, "u-ana")
    outcome = cohort.click("u-ana", cards.SAVE_GOAL, "goal", goal="  More of my quiet students talking in discussions ")
    assert "Saved your goal" in outcome.notices[0]
    [enrollment] = cohort.container.store.enrollments_of_teacher(cohort.person("u-ana").id)
    assert enrollment.goal == "More of my quiet students talking in discussions"
    empty = cohort.click("u-ana", cards.SAVE_GOAL, "goal", goal="   ")
    assert empty.refused


def test_the_cadence_runs_whether_or_not_the_teacher_chose(cohort: School) -> None:
    assert cohort.tick(MONDAY_0745_NY).sent == 1


def test_was_this_useful_is_stored_and_reported_per_item(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "The pause helped a lot.")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [s for s in cohort.chat.to("u-coach") if any(b.action_id == cards.APPROVE for b in s.message.buttons)]
    cohort.click("u-coach", cards.APPROVE, card.message.buttons[0].value)
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=2))
    [followup] = [s for s in cohort.chat.to("u-ana") if any(b.action_id == cards.USEFUL for b in s.message.buttons)]
    yes = next(b for b in followup.message.buttons if b.value.endswith("|yes"))
    assert cohort.click("u-ben", cards.USEFUL, yes.value).refused
    outcome = cohort.click("u-ana", cards.USEFUL, yes.value)
    assert "glad it helped" in outcome.replace.text
    report = cohort.say("u-admin", "report fall7").notices[0]
    assert "1 of 1 said useful" in report
