"""A coach sends a chosen prompt to a cohort next (``prompt next <cohort> <prompt-id>``): each
teacher's next delivery carries it, in place of the usual pick, and later ones return to normal
selection. Through the scheduler, as ``tick`` runs it."""

from __future__ import annotations

from datetime import timedelta

from conftest_loop import MONDAY_0745_NY, School

WEDNESDAY = MONDAY_0745_NY + timedelta(days=2)
NEXT_MONDAY = MONDAY_0745_NY + timedelta(days=7)
CHOSEN = "fb-kind-specific-helpful-01"


def prompts_of(school: School, user: str) -> list[str]:
    store = school.container.store
    enrollments = store.enrollments_of_teacher(school.person(user).id)
    return [d.prompt_id for d in store.deliveries_of([e.id for e in enrollments]) if d.status == "sent"]


def tick_day(school: School, at) -> None:  # noqa: ANN001
    """Ana's slot (07:45 New York), then Ben's an hour later (07:45 Chicago)."""
    school.tick(at)
    school.tick(at + timedelta(hours=1))


def test_the_next_delivery_carries_the_chosen_prompt_and_later_ones_are_chosen_as_usual(cohort: School) -> None:
    assert cohort.container.prompts.get(CHOSEN) is not None
    tick_day(cohort, MONDAY_0745_NY)
    outcome = cohort.say("u-coach", f"prompt next fall7 {CHOSEN}")
    assert not outcome.refused, outcome.notices
    assert f"`{CHOSEN}` goes next to 2 teacher(s) in fall7" in outcome.notices[0]
    tick_day(cohort, WEDNESDAY)
    tick_day(cohort, NEXT_MONDAY)
    for user in ("u-ana", "u-ben"):
        sent = prompts_of(cohort, user)
        assert sent[1] == CHOSEN and sent[2] != CHOSEN and sent.count(CHOSEN) == 1
    [message] = [s for s in cohort.chat.to("u-ana") if s.message.delivery_key and "Kind, specific, helpful" in s.message.text]
    assert cohort.container.prompts.get(CHOSEN).text in message.message.text


def test_a_teacher_who_had_it_in_the_last_8_weeks_keeps_their_usual_journey(cohort: School) -> None:
    cohort.say("u-ben", "focus wellbeing")
    tick_day(cohort, MONDAY_0745_NY)
    had = prompts_of(cohort, "u-ana")[0]
    outcome = cohort.say("u-coach", f"prompt next fall7 {had}")
    assert "goes next to 1 teacher(s)" in outcome.notices[0]
    assert outcome.notices[1].startswith("Not for Ana Lopez: they had it in the last 8 weeks")
    tick_day(cohort, WEDNESDAY)
    assert prompts_of(cohort, "u-ana")[1] != had
    assert prompts_of(cohort, "u-ben")[1] == had


def test_a_coachs_own_prompt_can_be_sent_next(cohort: School) -> None:
    cohort.say("u-coach", "prompt add feedback try-this Tomorrow, write one glow and one grow on three exit tickets.")
    ws = cohort.container.store.ensure_workspace("playground", "demo", at=cohort.clock.now())
    [item] = cohort.container.store.own_prompts([ws.id])[ws.id]
    assert not cohort.say("u-coach", f"prompt next fall7 {item.id}").refused
    tick_day(cohort, MONDAY_0745_NY)
    assert prompts_of(cohort, "u-ana") == [item.id]


def test_bad_choices_are_refused_and_change_nothing(cohort: School) -> None:
    share = next(i for i in cohort.container.prompts.all() if i.kind == "peer-share")
    for line, reason in ((f"prompt next fall7 {share.id}", "peer-share prompt"),
                         ("prompt next fall7 no-such-prompt", "There's no prompt with id no-such-prompt."),
                         (f"prompt next nosuch {CHOSEN}", "There's no cohort called nosuch.")):
        outcome = cohort.say("u-admin", line)
        assert outcome.refused and reason in outcome.notices[0]
    store = cohort.container.store
    assert {e.pinned_prompt_id for e in store.enrollments_of_teacher(cohort.person("u-ana").id)} == {None}


def test_only_the_cohorts_coach_or_an_admin_may_choose(cohort: School) -> None:
    cohort.container.store.grant_role(cohort.person("u-other").id, "coach", by=None, at=cohort.clock.now())
    refused = cohort.say("u-other", f"prompt next fall7 {CHOSEN}")
    assert refused.refused and "coaches for their own cohorts" in refused.notices[0]
    assert not cohort.say("u-admin", f"prompt next fall7 {CHOSEN}").refused
    assert cohort.say("u-ana", f"prompt next fall7 {CHOSEN}").refused
