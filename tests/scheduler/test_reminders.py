"""Reminders, through the whole engine on SQLite and PostgreSQL: one gentle, private nudge when a
prompt has had no reply for a day; never twice, never after a reply, a pause or a stop, never at
night (it waits for the morning), never about last week after an outage."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core import cards
from bot.core.catalogue import reminder_text
from bot.core.model import Delivery
from conftest_loop import MONDAY_0745_NY, School
from engine_support import local, prompts_to
from fakes import Sent

NY = "America/New_York"
TUESDAY_0745_NY = MONDAY_0745_NY + timedelta(days=1)


def reminders_to(school: School, user: str) -> list[Sent]:
    return [s for s in school.chat.to(user) if s.message.text.startswith("A gentle nudge")]


def delivery_of(school: School, prompt: Sent) -> Delivery:
    return school.container.store.get_delivery(int((prompt.message.delivery_key or "").removeprefix("delivery:")))


def anas_prompt(school: School) -> Sent:
    school.tick(MONDAY_0745_NY)
    [prompt] = prompts_to(school, "u-ana")
    return prompt


def test_an_unanswered_prompt_gets_one_gentle_private_reminder_a_day_later(cohort: School) -> None:
    prompt = anas_prompt(cohort)
    cohort.tick(TUESDAY_0745_NY - timedelta(minutes=1))
    assert reminders_to(cohort, "u-ana") == []
    cohort.tick(TUESDAY_0745_NY)
    [reminder] = reminders_to(cohort, "u-ana")
    title = cohort.container.prompts.get(delivery_of(cohort, prompt).prompt_id).title
    assert reminder.message.text == reminder_text(title)
    assert (reminder.to.user, reminder.to.conversation, reminder.to.thread) == ("u-ana", None, None)
    assert [s.to.user for s in cohort.chat.sent if s.message.text == reminder.message.text] == ["u-ana"]


def test_the_reminder_is_recorded_on_the_delivery(cohort: School) -> None:
    prompt = anas_prompt(cohort)
    cohort.tick(TUESDAY_0745_NY)
    assert delivery_of(cohort, prompt).reminded_at == TUESDAY_0745_NY


def test_a_prompt_gets_at_most_one_reminder(cohort: School) -> None:
    anas_prompt(cohort)
    for hours in (0, 1, 4, 9):
        cohort.tick(TUESDAY_0745_NY + timedelta(hours=hours))
    assert len(reminders_to(cohort, "u-ana")) == 1


@pytest.mark.parametrize("answer", ["reply", "one tap"])
def test_no_reminder_once_the_teacher_has_answered(cohort: School, answer: str) -> None:
    prompt = anas_prompt(cohort)
    if answer == "reply":
        cohort.say("u-ana", "We tried it in third period.", thread=prompt.ref.message_id)
    else:
        quick = next(b for b in prompt.message.buttons if b.action_id == cards.QUICK)
        cohort.click("u-ana", cards.QUICK, quick.value)
    cohort.tick(TUESDAY_0745_NY)
    assert reminders_to(cohort, "u-ana") == []


@pytest.mark.parametrize("command", ["pause me", "stop"])
def test_no_reminder_to_a_teacher_who_paused_or_stopped(cohort: School, command: str) -> None:
    anas_prompt(cohort)
    cohort.say("u-ana", command)
    cohort.tick(TUESDAY_0745_NY)
    assert reminders_to(cohort, "u-ana") == []


def test_a_reminder_due_at_night_waits_for_the_morning(cohort: School) -> None:
    cohort.container.worker.reminding.after = timedelta(hours=13)
    anas_prompt(cohort)
    cohort.tick(local(NY, 2026, 11, 30, 20, 45))
    cohort.tick(local(NY, 2026, 12, 1, 6, 29))
    assert reminders_to(cohort, "u-ana") == []
    cohort.tick(local(NY, 2026, 12, 1, 6, 30))
    assert len(reminders_to(cohort, "u-ana")) == 1


def test_no_reminder_about_an_old_prompt_after_an_outage(cohort: School) -> None:
    anas_prompt(cohort)
    cohort.tick(local(NY, 2026, 12, 2, 8, 0))
    assert reminders_to(cohort, "u-ana") == []
    assert len(prompts_to(cohort, "u-ana")) == 2, "Wednesday's prompt still went, inside its grace period"
