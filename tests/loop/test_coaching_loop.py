"""The whole micro-coaching loop through the core and the engine, with a recording chat."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event

from bot.core import cards
from conftest_loop import MONDAY_0745_NY, School


def prompt_to(school: School, user: str):  # noqa: ANN201
    [sent] = [s for s in school.chat.to(user) if s.message.delivery_key]
    return sent


def test_a_slot_sends_each_teacher_one_prompt_at_local_time(cohort: School) -> None:
    report = cohort.tick(MONDAY_0745_NY)
    assert report.sent == 1  # Ana, in New York; Ben's 07:45 is an hour later in Chicago
    sent = prompt_to(cohort, "u-ana")
    assert sent.message.delivery_key.startswith("delivery:")
    assert cohort.tick(MONDAY_0745_NY + timedelta(hours=1)).sent == 1
    assert len([s for s in cohort.chat.to("u-ben") if s.message.delivery_key]) == 1
    assert cohort.tick(MONDAY_0745_NY + timedelta(hours=1, minutes=5)).sent == 0


def test_welcome_goes_out_at_enrolment(cohort: School) -> None:
    cohort.tick()
    welcomes = [s for s in cohort.chat.to("u-ana") if "Welcome to MicroCoach" in s.message.text]
    assert len(welcomes) == 1 and "Coach Kim" in welcomes[0].message.text


def test_reply_draft_approve_follow_up(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    prompt = prompt_to(cohort, "u-ana")
    ack = cohort.say("u-ana", "I waited five seconds and three quiet kids in the back raised hands.",
                     thread=prompt.ref.message_id)
    assert "Only Coach Kim sees your replies" in ack.notices[0]
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [s for s in cohort.chat.to("u-coach") if any(b.action_id == cards.APPROVE for b in s.message.buttons)]
    draft_id = card.message.buttons[0].value
    decided = cohort.click("u-coach", cards.APPROVE, draft_id)
    assert decided.replace is not None and "Approved by Coach Kim" in decided.replace.text
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=2))
    [followup] = [s for s in cohort.chat.to("u-ana") if "— Coach Kim" in s.message.text]
    assert followup.to.thread == prompt.ref.message_id


def test_only_the_teachers_coach_may_decide(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "It went fine, they liked the think time.")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [s for s in cohort.chat.to("u-coach") if s.message.buttons]
    draft_id = card.message.buttons[0].value
    refused = cohort.click("u-other", cards.APPROVE, draft_id)
    assert refused.replace is None and "Only Ana Lopez's coach" in refused.notices[0]
    assert cohort.container.store.get_draft(int(draft_id)).status == "pending"


def test_a_double_click_decides_once(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "We tried it in second period.")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [s for s in cohort.chat.to("u-coach") if s.message.buttons]
    draft_id = card.message.buttons[0].value
    assert cohort.click("u-coach", cards.APPROVE, draft_id).replace is not None
    again = cohort.click("u-coach", cards.REJECT, draft_id)
    assert again.replace is None and "closed" in again.notices[0]
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert len([s for s in cohort.chat.to("u-ana") if "— Coach Kim" in s.message.text]) == 1


def test_edit_sends_the_coachs_words(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "Exit tickets showed half the class mixed up area and perimeter.")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [s for s in cohort.chat.to("u-coach") if s.message.buttons]
    draft_id = card.message.buttons[0].value
    outcome = cohort.click("u-coach", cards.EDIT, draft_id, edited_text="Lovely catch. Want to try a quick sort tomorrow?")
    assert "Edited and sent" in outcome.replace.text
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert any("Lovely catch" in s.message.text for s in cohort.chat.to("u-ana"))
    assert cohort.container.store.get_draft(int(draft_id)).status == "edited"


def test_reject_sends_nothing_then_the_coach_may_write_their_own(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "Honestly I didn't get to it.")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [s for s in cohort.chat.to("u-coach") if s.message.buttons]
    draft_id = card.message.buttons[0].value
    rejected = cohort.click("u-coach", cards.REJECT, draft_id)
    assert [b.action_id for b in rejected.replace.buttons] == [cards.OWN]
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert not [s for s in cohort.chat.to("u-ana") if "— Coach Kim" in s.message.text]
    own = cohort.click("u-coach", cards.OWN, draft_id, own_text="No worries at all — want to pick it up Wednesday?")
    assert "wrote their own" in own.replace.text
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=3))
    assert any("pick it up Wednesday" in s.message.text for s in cohort.chat.to("u-ana"))


def test_a_message_with_no_open_prompt_becomes_a_note_for_the_coach(cohort: School) -> None:
    outcome = cohort.say("u-ana", "Can we talk about my 4th period sometime?")
    assert "kept this as a note" in outcome.notices[0] and "help" in outcome.notices[0]
    cohort.tick()
    assert any("A note" in s.message.text for s in cohort.chat.to("u-coach"))


def test_more_messages_the_same_day_join_the_reply(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "First thought: wait time helped.")
    second = cohort.say("u-ana", "Second thought: but only in period 2.")
    assert "Added to today's reply" in second.notices[0]
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [s for s in cohort.chat.to("u-coach") if s.message.buttons]
    assert "First thought" in card.message.text and "Second thought" in card.message.text


def test_a_safeguarding_reply_alerts_the_coach_with_no_draft(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    outcome = cohort.say("u-ana", "A student told me her dad hits her when he drinks.")
    assert "not a reporting channel" in outcome.notices[0]
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    coach_msgs = cohort.chat.to("u-coach")
    assert any("Urgent" in s.message.text for s in coach_msgs)
    assert not any(s.message.buttons for s in coach_msgs)


def test_a_one_tap_answer_is_recorded_without_a_draft(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    prompt = prompt_to(cohort, "u-ana")
    quick = next(b for b in prompt.message.buttons if b.action_id == cards.QUICK)
    outcome = cohort.click("u-ana", cards.QUICK, quick.value)
    assert "Noted" in outcome.notices[0]
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    assert not [s for s in cohort.chat.to("u-coach") if s.message.buttons]


def test_deleting_the_message_withdraws_the_pending_draft(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "Something I regret writing.")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [s for s in cohort.chat.to("u-coach") if s.message.buttons]
    message_id = cohort.container.store.replies_of(cohort.person("u-ana").id)[0].message_id
    cohort.say("u-ana", "", kind="delete", message_id=message_id)
    draft = cohort.container.store.get_draft(int(card.message.buttons[0].value))
    assert draft.status == "withdrawn"
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert cohort.chat.updates and "withdrew" in cohort.chat.updates[-1][1].text


def test_a_retried_event_changes_nothing(cohort: School) -> None:
    from bot.core.messages import Address, Inbound

    inbound = Inbound(kind="message", sender=Address("playground", "demo", user="u-ana"), dedupe_key="same",
                      text="note one", message_id="x1")
    assert cohort.container.service.handle(inbound).handled
    assert not cohort.container.service.handle(inbound).handled
    assert len(cohort.container.store.replies_of(cohort.person("u-ana").id)) == 1


def test_send_now_sends_once_per_local_day(cohort: School) -> None:
    cohort.clock.set(MONDAY_0745_NY + timedelta(hours=3))
    first = cohort.say("u-coach", "send now fall7")
    assert "to 2 teacher(s)" in first.notices[0]
    second = cohort.say("u-coach", "send now fall7")
    assert "already had today's prompt" in " ".join(second.notices)
    cohort.tick()
    assert len([s for s in cohort.chat.sent if s.message.delivery_key]) == 2


def test_an_undecided_draft_expires_and_the_coach_is_told(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "We tried the exit ticket.")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [s for s in cohort.chat.to("u-coach") if s.message.buttons]
    draft_id = int(card.message.buttons[0].value)
    report = cohort.tick(MONDAY_0745_NY + timedelta(hours=73))
    assert report.expired == 1
    assert cohort.container.store.get_draft(draft_id).status == "expired"
    assert any("expired" in s.message.text for s in cohort.chat.to("u-coach"))
    assert any("Expired" in update.text for _, update in cohort.chat.updates)
    late = cohort.click("u-coach", cards.APPROVE, str(draft_id))
    assert "closed" in late.notices[0]
    assert not [s for s in cohort.chat.to("u-ana") if "— Coach Kim" in s.message.text]


def test_editing_a_reply_refreshes_the_pending_draft(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    cohort.say("u-ana", "Wait time felt awkward.", message_id="msg-1")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    ack = cohort.say("u-ana", "Wait time felt awkward, but the answers were longer.", kind="edit", message_id="msg-1")
    assert "Updated" in ack.notices[0]
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert any("answers were longer" in update.text for _, update in cohort.chat.updates)


def test_ai_off_is_honoured_and_said_in_the_acknowledgement(cohort: School) -> None:
    outcome = cohort.say("u-ana", "ai off")
    assert "AI drafting is off for you" in outcome.notices[0]
    assert cohort.person("u-ana").ai_opt_out is True
    cohort.tick(MONDAY_0745_NY)
    ack = cohort.say("u-ana", "It went well.")
    assert "AI" not in ack.notices[0]


def test_a_reflection_typed_into_the_prompt_card_is_a_reply(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    prompt = prompt_to(cohort, "u-ana")
    outcome = cohort.click("u-ana", cards.REFLECT, str(prompt.message.delivery_key.split(":")[1]),
                           reflection="The pause gave Jo time to think.")
    assert "Only Coach Kim sees your replies" in outcome.notices[0]
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    assert any("pause gave Jo" in s.message.text for s in cohort.chat.to("u-coach"))


def test_a_reply_and_everything_it_causes_are_recorded_in_one_transaction(cohort: School) -> None:
    cohort.tick(MONDAY_0745_NY)
    prompt = prompt_to(cohort, "u-ana")
    commits: list[int] = []
    event.listen(cohort.container.engine, "commit", lambda _conn: commits.append(1))
    ack = cohort.say("u-ana", "Cold-calling with think time went well.", thread=prompt.ref.message_id)
    assert ack.handled and len(commits) == 1


def test_a_reply_from_a_known_teacher_costs_seven_statements(cohort: School) -> None:
    """Seen once, the sender with their roles, are they a teacher, the prompt, the coach, the
    reply it may join, the reply: what a burst of replies costs the web process, each."""
    cohort.tick(MONDAY_0745_NY)
    prompt = prompt_to(cohort, "u-ana")
    statements: list[str] = []
    event.listen(cohort.container.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_: statements.append(statement.split()[0].upper()))
    ack = cohort.say("u-ana", "Cold-calling with think time went well.", thread=prompt.ref.message_id)
    data = [s for s in statements if s in ("SELECT", "INSERT", "UPDATE", "DELETE")]
    assert ack.handled and len(data) == 7, statements
