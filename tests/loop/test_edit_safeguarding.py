"""A teacher's edit goes through the safeguarding rules like a new message: wording that now
matches them flags the reply to the coach at once as urgent, with no AI draft, and withdraws a
draft already waiting for the coach."""

from __future__ import annotations

from datetime import timedelta

from bot.core import cards
from bot.core.catalogue import URGENT_ACK, URGENT_TITLE
from bot.core.cards import APPROVE
from conftest_loop import MONDAY_0745_NY, School

CONCERN = "A student told me today that her dad hits her when he drinks."


def urgent_cards(school: School) -> list[str]:
    return [s.message.text for s in school.chat.to("u-coach") if s.message.text.startswith(URGENT_TITLE)]


def approve_cards(school: School) -> list[str]:
    return [s.message.buttons[0].value for s in school.chat.to("u-coach")
            if any(b.action_id == APPROVE for b in s.message.buttons)]


def test_an_edit_that_becomes_concerning_is_flagged_urgent_and_its_pending_draft_withdrawn(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "Wait time felt awkward.", message_id="msg-1")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [draft_id] = approve_cards(cohort)
    ack = cohort.say("u-ana", CONCERN, kind="edit", message_id="msg-1")
    assert ack.notices == [URGENT_ACK]
    store = cohort.container.store
    reply = store.get_reply(store.get_draft(int(draft_id)).reply_id)
    assert reply.urgent and reply.concern and not reply.needs_draft
    assert store.get_draft(int(draft_id)).status == "urgent"
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert len(urgent_cards(cohort)) == 1 and "dad hits her" in urgent_cards(cohort)[0]
    [(_, update)] = cohort.chat.updates
    assert "made this reply urgent" in update.text and not update.buttons


def test_a_decision_on_the_withdrawn_draft_sends_nothing(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "Wait time felt awkward.", message_id="msg-1")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [draft_id] = approve_cards(cohort)
    cohort.say("u-ana", CONCERN, kind="edit", message_id="msg-1")
    late = cohort.click("u-coach", cards.APPROVE, draft_id)
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert "closed" in late.notices[0]
    assert not [s for s in cohort.chat.to("u-ana") if "— Coach Kim" in s.message.text]


def test_an_edit_that_becomes_concerning_before_drafting_is_never_drafted(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "Wait time felt awkward.", message_id="msg-1")
    cohort.say("u-ana", CONCERN, kind="edit", message_id="msg-1")
    report = cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    assert report.drafted == 0 and approve_cards(cohort) == [] and len(urgent_cards(cohort)) == 1


def test_a_later_message_edited_into_a_concern_flags_the_whole_reply(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "Wait time felt awkward.", message_id="msg-1")
    cohort.say("u-ana", "Anyway, more tomorrow.", message_id="msg-2")
    cohort.say("u-ana", CONCERN, kind="edit", message_id="msg-2")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    assert approve_cards(cohort) == []
    [card] = urgent_cards(cohort)
    assert "awkward" in card and "dad hits her" in card


def test_a_note_edited_into_a_concern_reaches_the_coach_as_urgent(cohort: School) -> None:
    cohort.say("u-ana", "A note before any prompt.", message_id="note-1")
    ack = cohort.say("u-ana", CONCERN, kind="edit", message_id="note-1")
    assert ack.notices == [URGENT_ACK]
    cohort.tick(MONDAY_0745_NY)
    assert len(urgent_cards(cohort)) == 1


def test_an_edit_that_stays_ordinary_only_refreshes_the_draft(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "Wait time felt awkward.", message_id="msg-1")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    ack = cohort.say("u-ana", "Wait time felt awkward, but it helped.", kind="edit", message_id="msg-1")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert "Updated" in ack.notices[0] and urgent_cards(cohort) == [] and len(approve_cards(cohort)) == 1
