"""The goal check-back through the whole loop: every third week of a teacher's prompts the planned
slot asks "Is this still your focus?" instead; keeping it is recorded, changing it opens the focus
picker, as onboarding does, and the new focus re-plans what comes next."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core import cards
from conftest_loop import School
from scheduler.preview import preview

NEW_YORK = ZoneInfo("America/New_York")
FIRST_MONDAY = date(2026, 11, 30)


def at_0745(day: date) -> datetime:
    return datetime.combine(day, time(7, 45), tzinfo=NEW_YORK)


def run_weeks(school: School, weeks: int) -> None:
    """Tick every Monday and Wednesday at 07:45 New York time (Ana's slot; Ben's is an hour
    later in Chicago, so the tick an hour after sends his)."""
    for n in range(weeks * 7):
        day = FIRST_MONDAY + timedelta(days=n)
        if day.weekday() in (0, 2):
            school.tick(at_0745(day))
            school.tick(at_0745(day) + timedelta(hours=1))


def deliveries(school: School, user: str):  # noqa: ANN201
    store = school.container.store
    enrollments = store.enrollments_of_teacher(school.person(user).id)
    return [d for d in store.deliveries_of([e.id for e in enrollments]) if d.status == "sent"]


def check_back_card(school: School, user: str):  # noqa: ANN201
    return [s for s in school.chat.to(user) if any(b.action_id == cards.KEEP_FOCUS for b in s.message.buttons)][-1]


def chose_questioning(school: School) -> School:
    assert not school.say("u-ana", "focus questioning").refused
    return school


def test_every_third_week_of_prompts_a_check_back_takes_the_slot(cohort: School) -> None:
    run_weeks(chose_questioning(cohort), 7)
    sent = deliveries(cohort, "u-ana")
    assert [d.local_date for d in sent if d.kind == "check_back"] == [date(2026, 12, 21), date(2027, 1, 11)]
    assert len({d.local_date for d in sent}) == len(sent) == 14
    card = check_back_card(cohort, "u-ana")
    assert card.message.sections[0].heading == "Is this still your focus?"
    assert "Questioning" in card.message.text and "Only Coach Kim sees your replies" in card.message.text


def test_keeping_the_focus_is_recorded_and_the_card_says_so(cohort: School) -> None:
    run_weeks(chose_questioning(cohort), 4)
    card = check_back_card(cohort, "u-ana")
    outcome = cohort.click("u-ana", cards.KEEP_FOCUS, card.message.buttons[0].value)
    assert "Keeping *Questioning*" in outcome.replace.text
    [answer] = [r for r in cohort.container.store.replies_of(cohort.person("u-ana").id) if r.kind == "check-back"]
    assert answer.text == "kept questioning" and not answer.needs_draft
    report = cohort.say("u-admin", "report fall7").notices[0]
    assert "Goal check-backs: 2 sent · kept their focus: 1 · chose a new one: 0" in report


def test_changing_opens_the_focus_picker_and_the_new_focus_plans_what_comes_next(cohort: School) -> None:
    run_weeks(chose_questioning(cohort), 4)
    card = check_back_card(cohort, "u-ana")
    picker = cohort.click("u-ana", cards.CHANGE_FOCUS, card.message.buttons[1].value).replace
    feedback = next(b for b in picker.buttons if b.value.startswith("feedback|"))
    assert picker.sections[1].heading == "What would you like to work on next?" and picker.inputs
    outcome = cohort.click("u-ana", cards.CHOOSE_FOCUS, feedback.value)
    assert outcome.notices == ["Your focus is now Feedback. Your next prompts follow it."]
    assert "Your focus: Feedback" in outcome.replace.text
    store = cohort.container.store
    assert {e.focus for e in store.enrollments_of_teacher(cohort.person("u-ana").id)} == {"feedback"}
    [answer] = [r for r in store.replies_of(cohort.person("u-ana").id) if r.kind == "check-back"]
    assert answer.text == "changed to feedback"
    run_weeks_from(cohort, FIRST_MONDAY + timedelta(weeks=4), 1)
    latest = deliveries(cohort, "u-ana")[-1]
    assert cohort.container.prompts.get(latest.prompt_id).focus == "feedback"


def run_weeks_from(school: School, monday: date, weeks: int) -> None:
    for n in range(weeks * 7):
        day = monday + timedelta(days=n)
        if day.weekday() in (0, 2):
            school.tick(at_0745(day))


def test_a_teacher_without_a_focus_is_asked_whether_to_choose_one(cohort: School) -> None:
    run_weeks(cohort, 4)
    card = check_back_card(cohort, "u-ben")
    assert "you haven't picked a focus yet" in card.message.text


def test_only_the_teacher_it_was_sent_to_can_answer_it(cohort: School) -> None:
    run_weeks(cohort, 4)
    card = check_back_card(cohort, "u-ana")
    delivery_id = card.message.buttons[0].value
    assert cohort.click("u-ben", cards.KEEP_FOCUS, delivery_id).refused
    borrowed = cohort.click("u-ben", cards.CHOOSE_FOCUS, f"feedback|check-back:{delivery_id}").replace
    assert borrowed.sections[1].heading == "What would you like to work on first?"
    assert [r for r in cohort.container.store.replies_of(cohort.person("u-ana").id) if r.kind == "check-back"] == []
    assert cohort.click("u-ana", cards.KEEP_FOCUS, "99999").refused


def test_a_check_back_gets_no_reminder(cohort: School) -> None:
    run_weeks(chose_questioning(cohort), 3)
    cohort.tick(at_0745(date(2026, 12, 21)))
    before = len(cohort.chat.to("u-ana"))
    cohort.tick(at_0745(date(2026, 12, 22)) + timedelta(hours=1))
    assert not [s for s in cohort.chat.to("u-ana")[before:] if "gentle nudge" in s.message.text]


def test_the_schedule_preview_shows_the_check_back_day(cohort: School) -> None:
    run_weeks(chose_questioning(cohort), 2)
    cohort.tick(at_0745(date(2026, 12, 16)) + timedelta(hours=2))
    store = cohort.container.store
    fall7 = store.find_cohort(cohort.person("u-ana").workspace_id, "fall7")
    lines = preview(store, cohort.container.worker.planner.selector, fall7, at_0745(date(2026, 12, 17)), 7)
    [line] = [line for line in lines if line.teacher == "Ana Lopez" and line.local_date == date(2026, 12, 21)]
    assert line.detail == "goal check-back: “Is this still your focus?”"
