"""Coaches add their own prompts and micro-lessons in chat (``prompt add``): checked by the pack
schema's lengths and lint's link rules, stored in the database, chosen by selection for their
workspace's teachers, and previewed with ``test-send``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.core import cards
from bot.core.messages import Address, Inbound
from conftest_loop import MONDAY_0745_NY, School

TIP = "prompt add questioning tip introductory Count slowly to five after every question before calling on anyone."


def audit_actions(school: School) -> list[str]:
    ws = school.container.store.ensure_workspace("playground", "demo", at=school.clock.now())
    return [entry.action for entry in school.container.store.audit_entries(ws.id)]


def own_items(school: School) -> list:
    ws = school.container.store.ensure_workspace("playground", "demo", at=school.clock.now())
    return school.container.store.own_prompts([ws.id]).get(ws.id, [])


def test_a_coach_adds_a_tip_which_is_stored_with_an_own_id_and_audited_once(cohort: School) -> None:
    before = audit_actions(cohort)
    outcome = cohort.say("u-coach", TIP)
    assert not outcome.refused, outcome.notices
    [item] = own_items(cohort)
    assert outcome.notices[0].startswith(f"Saved as `{item.id}` (tip · questioning · introductory)")
    assert (item.id.startswith("own-"), item.kind, item.focus, item.level, item.title) == (
        True, "tip", "questioning", "introductory", "A tip from Coach Kim")
    assert item.text == TIP.split("introductory ", 1)[1]
    assert audit_actions(cohort) == [*before, "prompt add"]


def test_a_micro_lesson_takes_its_link_from_the_text(cohort: School) -> None:
    line = ("prompt add feedback micro-lesson Watch this three-minute clip on feedback that moves learning "
            "forward: https://www.edutopia.org/video/feedback-that-works and try one idea tomorrow.")
    assert not cohort.say("u-coach", line).refused
    [item] = own_items(cohort)
    assert item.link == "https://www.edutopia.org/video/feedback-that-works"
    assert "https://" not in item.text and item.text.endswith("and try one idea tomorrow.")


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (f"prompt add questioning tip {'Wait a little longer. ' * 40}", "characters; a prompt keeps to 600"),
        ("prompt add feedback micro-lesson Watch the clip about feedback tomorrow.", "a micro-lesson needs a link"),
        ("prompt add feedback micro-lesson Watch http://www.edutopia.org/video/x today.", "must use https"),
        ("prompt add feedback tip Read https://example.com/feedback before class.", "not on an allow-listed domain"),
    ],
    ids=["too-long", "lesson-without-link", "plain-http", "unlisted-domain"],
)
def test_an_item_that_lint_would_refuse_is_refused_and_nothing_is_saved(cohort: School, line: str, reason: str) -> None:
    before = audit_actions(cohort)
    outcome = cohort.say("u-coach", line)
    assert outcome.refused and reason in outcome.notices[0] and "Nothing was saved" in outcome.notices[0]
    assert own_items(cohort) == [] and audit_actions(cohort) == before


def test_a_text_much_like_a_library_item_is_saved_with_a_note(cohort: School) -> None:
    library_item = cohort.container.prompts.get("qt-wait-time-01")
    outcome = cohort.say("u-coach", f"prompt add questioning try-this {library_item.text}")
    assert not outcome.refused
    assert "reads much like `qt-wait-time-01`" in outcome.notices[1]


def test_teachers_cannot_add_prompts(cohort: School) -> None:
    outcome = cohort.say("u-ana", TIP)
    assert outcome.refused and "Only coaches and admins can add prompts." in outcome.notices[0]
    assert own_items(cohort) == []


def test_test_send_previews_the_coachs_own_item(cohort: School) -> None:
    cohort.say("u-coach", TIP)
    [item] = own_items(cohort)
    assert not cohort.say("u-coach", f"test-send {item.id}").refused
    cohort.tick(MONDAY_0745_NY - timedelta(hours=1))
    [preview] = [s for s in cohort.chat.to("u-coach") if s.message.text.startswith("[Test] A tip from Coach Kim")]
    assert item.text in preview.message.text


def test_selection_chooses_an_own_item_for_the_workspaces_teachers(cohort: School) -> None:
    cohort.say("u-coach", TIP)
    [item] = own_items(cohort)
    cohort.say("u-ana", "focus questioning")
    cohort.click("u-ana", cards.SAVE_GOAL, "goal", goal="Count slowly to five before calling on anyone")
    cohort.tick(MONDAY_0745_NY)
    [prompt] = [s for s in cohort.chat.to("u-ana") if s.message.delivery_key]
    assert prompt.message.sections[0].heading == "A tip from Coach Kim" and item.text in prompt.message.text


def test_another_workspace_can_neither_preview_nor_pin_it(cohort: School) -> None:
    cohort.say("u-coach", TIP)
    [item] = own_items(cohort)
    store = cohort.container.store
    other = store.ensure_workspace("playground", "other-school", at=cohort.clock.now())
    visitor = store.ensure_person(other.id, "u-visitor", display_name="Vi", at=cohort.clock.now())
    store.grant_role(visitor.id, "admin", by=None, at=cohort.clock.now())
    outcomes = [
        cohort.container.service.handle(Inbound(kind="message", sender=Address("playground", "other-school", user="u-visitor"),
                                                dedupe_key=f"visitor-{n}", text=line))
        for n, line in enumerate((f"test-send {item.id}", "cohort create elsewhere", f"prompt next elsewhere {item.id}"))
    ]
    for outcome in (outcomes[0], outcomes[2]):
        assert outcome.refused and f"There's no prompt with id {item.id}." in outcome.notices[0]
