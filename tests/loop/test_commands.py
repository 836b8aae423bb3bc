"""Commands through the core: each coach or admin command writes exactly one audit row, and bad
input gets a clear message and changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from conftest_loop import MONDAY_0745_NY, School


def audit_count(school: School) -> int:
    ws = school.container.store.ensure_workspace("playground", "demo", at=school.clock.now())
    return len(school.container.store.audit_entries(ws.id))


def snapshot(school: School) -> tuple:
    """Everything a command could change, to compare before and after bad input."""
    store = school.container.store
    ws = store.ensure_workspace("playground", "demo", at=school.clock.now())
    cohorts = [(c.name, c.tz, c.coach_id, c.days, c.send_time, c.term_start, c.paused, c.paused_until)
               for c in store.list_cohorts(ws.id)]
    enrollments = []
    for cohort in store.list_cohorts(ws.id):
        enrollments += [(e.teacher_id, e.coach_id, e.focus, e.own_time, e.paused, e.paused_until, e.active)
                        for e in store.enrollments_of_cohort(cohort.id, active_only=False)]
        enrollments += [(s.start, s.end) for s in store.skips_of(cohort.id)]
    people = [(p.id, p.status, p.ai_opt_out) for p in (store.find_person(ws.id, u) for u in ("u-ana", "u-ben", "u-coach"))]
    return cohorts, enrollments, people, len(store.audit_entries(ws.id))


COACH_AND_ADMIN_COMMANDS = [
    ("u-admin", "cohort create spring America/Chicago"),
    ("u-admin", "cohort list"),
    ("u-admin", "cohort term fall7 2026-08-20..2027-06-10"),
    ("u-admin", "cohort coach fall7 @u-other"),
    ("u-admin", "coach assign @u-ana @u-other"),
    ("u-admin", "cohort add fall7 @u-other"),
    ("u-admin", "cohort remove fall7 @u-ben"),
    ("u-admin", "cadence set fall7 weekdays 08:00"),
    ("u-admin", "cadence show fall7"),
    ("u-admin", "skip fall7 2026-12-21..2027-01-01 winter break"),
    ("u-coach", "pause fall7 until 2026-12-01"),
    ("u-coach", "resume fall7"),
    ("u-coach", "pause @u-ana"),
    ("u-coach", "resume @u-ana"),
    ("u-coach", "send now fall7"),
    ("u-coach", "report fall7"),
    ("u-coach", "test-send qt-wait-time-01"),
    ("u-coach", "voice warm, brief, first names"),
    ("u-coach", "triage"),
    ("u-admin", "llm off"),
    ("u-admin", "admin add @u-coach"),
]


@pytest.mark.parametrize(("user", "line"), COACH_AND_ADMIN_COMMANDS, ids=[line for _, line in COACH_AND_ADMIN_COMMANDS])
def test_each_coach_or_admin_command_writes_one_audit_row(cohort: School, user: str, line: str) -> None:
    before = audit_count(cohort)
    outcome = cohort.say(user, line)
    assert not outcome.refused, outcome.notices
    assert audit_count(cohort) == before + 1


BAD_INPUT = [
    ("u-admin", "frobnicate the cohort", "isn't a command"),
    ("u-admin", "cohort creat fall8", "cohort"),
    ("u-admin", "cohort create me", "me"),
    ("u-admin", "cohort create fall8 Mars/Olympus", "Mars/Olympus"),
    ("u-admin", "cadence set fall7 mon,wed 25:00", "25:00"),
    ("u-admin", "cadence set fall7 mon,wed 7.45", "7.45"),
    ("u-admin", "cadence set fall7 mon,funday 07:45", "funday"),
    ("u-admin", "cadence set fall7 mon,wed 22:15", "outside the teachers' day"),
    ("u-admin", "skip fall7 2026-13-01", "2026-13-01"),
    ("u-admin", "skip fall7 2026-12-20..2026-12-01", "2026-12-20"),
    ("u-admin", "cohort term fall7 2026-09-01", "cohort term"),
    ("u-admin", "cadence set nosuch mon 07:45", "no cohort called nosuch"),
    ("u-admin", "cohort add nosuch @u-ana", "no cohort called nosuch"),
    ("u-admin", "cohort add fall7 @u-ghost", "u-ghost"),
    ("u-admin", "coach assign @u-ghost @u-coach", "u-ghost"),
    ("u-ana", "cohort create mine", "Only admins"),
    ("u-ana", "cadence set fall7 daily 07:00", "Only admins"),
    ("u-ana", "send now fall7", "coach"),
    ("u-ana", "report fall7", "coach"),
    ("u-other", "pause @u-ana", "coach"),
    ("u-ben", "admin add @u-ben", "Only admins"),
]


@pytest.mark.parametrize(("user", "line", "says"), BAD_INPUT, ids=[line for _, line, _ in BAD_INPUT])
def test_bad_input_gets_a_clear_message_and_changes_nothing(cohort: School, user: str, line: str, says: str) -> None:
    before = snapshot(cohort)
    outcome = cohort.say(user, line, kind="command")
    assert outcome.refused
    assert says.lower() in " ".join(outcome.notices).lower(), outcome.notices
    assert snapshot(cohort) == before


def test_a_reply_that_starts_with_a_command_word_is_a_reply(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    outcome = cohort.say("u-ana", "focus on questions was hard today")
    assert "Only Coach Kim sees your replies" in outcome.notices[0]
    [reply] = cohort.container.store.replies_of(cohort.person("u-ana").id)
    assert reply.text == "focus on questions was hard today"
    assert cohort.container.store.enrollments_of_teacher(cohort.person("u-ana").id)[0].focus is None


def test_a_teacher_running_an_admin_command_in_chat_is_refused(cohort: School) -> None:
    before = snapshot(cohort)
    outcome = cohort.say("u-ana", "cohort create mine")
    assert outcome.refused and "Only admins" in outcome.notices[0]
    assert snapshot(cohort) == before


def test_a_stale_button_says_it_has_closed(cohort: School) -> None:
    before = snapshot(cohort)
    for action, value in (("draft.approve", "999"), ("prompt.quick", "999|Tried it"), ("draft.approve", "abc"),
                          ("no.such.action", "1")):
        outcome = cohort.click("u-coach", action, value)
        assert outcome.replace is None and "closed" in outcome.notices[0]
    assert snapshot(cohort) == before


def test_a_teacher_cannot_answer_someone_elses_prompt(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    [prompt] = [s for s in cohort.chat.to("u-ana") if s.message.delivery_key]
    quick = prompt.message.buttons[0]
    outcome = cohort.click("u-ben", quick.action_id, quick.value)
    assert "closed" in outcome.notices[0]
    assert cohort.container.store.replies_of(cohort.person("u-ben").id) == []


def test_own_time_outside_the_quiet_window_is_refused(cohort: School) -> None:
    outcome = cohort.say("u-ana", "time 05:00")
    assert outcome.refused and "outside the teachers' day" in outcome.notices[0]


def test_a_change_of_coach_tells_the_teacher(cohort: School) -> None:
    cohort.say("u-admin", "coach assign @u-ana @u-other")
    cohort.tick()
    assert any("Your coach is now Otto Coach" in s.message.text for s in cohort.chat.to("u-ana"))


def test_pause_me_until_a_date_resumes_the_day_after(cohort: School) -> None:
    cohort.say("u-ana", "pause me until 2026-11-30")
    assert cohort.tick(MONDAY_0745_NY).sent == 0
    wednesday = MONDAY_0745_NY + timedelta(days=2)
    cohort.tick(wednesday)
    assert len([s for s in cohort.chat.to("u-ana") if s.message.delivery_key]) == 1


def test_stop_then_start(cohort: School) -> None:
    cohort.say("u-ana", "stop")
    assert cohort.tick(MONDAY_0745_NY).sent == 0
    cohort.say("u-ana", "start")
    cohort.tick(MONDAY_0745_NY + timedelta(days=2))
    assert len([s for s in cohort.chat.to("u-ana") if s.message.delivery_key]) == 1


def test_forget_me_asks_first_then_deletes(cohort: School) -> None:
    cohort.say("u-ana", "my words")
    first = cohort.say("u-ana", "forget me")
    assert "forget me confirm" in first.notices[0]
    assert cohort.person("u-ana") is not None
    cohort.say("u-ana", "forget me confirm")
    assert cohort.person("u-ana") is None


def test_report_gives_aggregates_without_reply_text(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "A private reflection about period three.")
    outcome = cohort.say("u-admin", "report fall7")
    text = outcome.notices[0]
    assert "response rate: 100%" in text and "Prompts sent: 1" in text
    assert "period three" not in text


def test_forget_me_also_clears_the_playground_history(cohort: School) -> None:
    from storage.playground import PlaygroundStore

    playground = PlaygroundStore(cohort.container.engine)
    playground.add_message("demo:u-ana", {"text": "my private words"}, direction="in", at=cohort.clock.now())
    cohort.say("u-ana", "forget me confirm")
    assert playground.messages_for("demo:u-ana") == []


def test_send_now_brings_todays_planned_prompt_forward(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY - timedelta(hours=1))  # plans today's 07:45 slots, sends nothing yet
    cohort.clock.set(MONDAY_0745_NY - timedelta(minutes=5))  # 07:40 in New York, 06:40 in Chicago
    outcome = cohort.say("u-coach", "send now fall7")
    assert "to 2 teacher(s)" in outcome.notices[0]
    cohort.tick()
    cohort.tick(MONDAY_0745_NY + timedelta(hours=2))
    assert len([s for s in cohort.chat.to("u-ana") if s.message.delivery_key]) == 1


def test_send_now_outside_a_teachers_day_waits_for_it_to_start(cohort: School) -> None:
    cohort.clock.set(MONDAY_0745_NY - timedelta(hours=2))  # 05:45 in New York, 04:45 in Chicago
    outcome = cohort.say("u-coach", "send now fall7")
    assert "to 0 teacher(s)" in outcome.notices[0] and "Ana Lopez (Mon 06:30 their time)" in outcome.notices[1]
    assert cohort.tick().sent == 0
    cohort.tick(MONDAY_0745_NY - timedelta(hours=1, minutes=15))
    assert len([s for s in cohort.chat.to("u-ana") if s.message.delivery_key]) == 1
