"""The whole coaching loop through Slack over real HTTP: ``/coach`` set-up, the prompt DM, a
thread reply, the coach's card, the decision, the follow-up in the prompt's thread."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from fake_slack import FakeSlack
from slack_harness import wait_for
from slack_world import SlackWorld

MONDAY_0745_NY = datetime(2026, 11, 30, 12, 45, tzinfo=timezone.utc)


def prompt_of(world: SlackWorld, user: str) -> dict[str, Any]:
    [prompt] = [m for m in world.dms(user) if (m.get("metadata") or {}).get("event_type") == "microcoach_delivery"]
    return prompt


def card_of(world: SlackWorld) -> dict[str, Any]:
    [card] = [m for m in world.dms("UCOACH") if "replied" in m["text"]]
    return card


def replied(world: SlackWorld, text: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Ana gets her Monday prompt and answers it in its thread; Coach Kim gets the card."""
    world.set_up_cohort()
    world.tick(MONDAY_0745_NY)
    prompt = prompt_of(world, "UANA")
    assert world.dm("UANA", text, thread_ts=prompt["ts"]).status == 200
    world.tick(MONDAY_0745_NY + timedelta(minutes=1))
    return prompt, card_of(world)


def test_setup_prompt_reply_card_approve_follow_up_in_the_thread(world_on: SlackWorld, fake: FakeSlack) -> None:
    world = world_on
    prompt, card = replied(world, "I waited five seconds and three quiet kids raised hands.")
    assert prompt["metadata"]["event_payload"]["delivery_key"].startswith("delivery:")
    ack = wait_for(lambda: [e for e in fake.ephemeral if e["user"] == "UANA"])[0]
    assert ack["thread_ts"] == prompt["ts"] and "Coach Kim" in ack["text"]
    assert "three quiet kids" in str(card["blocks"])

    assert world.click("UCOACH", card, "Approve & send", channel="DUCOACH").status == 200
    world.settle()
    [decided] = [r for r in fake.responses if r.get("replace_original")]
    assert "Approved by Coach Kim" in decided["text"] and not any(b["type"] == "actions" for b in decided["blocks"])

    world.tick(MONDAY_0745_NY + timedelta(minutes=2))
    [followup] = [m for m in world.dms("UANA") if "— Coach Kim" in m["text"]]
    assert followup["thread_ts"] == prompt["ts"]


def test_edit_opens_a_modal_with_the_draft_and_sends_the_coachs_words(world: SlackWorld, fake: FakeSlack) -> None:
    _, card = replied(world, "Exit tickets showed half the class mixed up area and perimeter.")
    world.click("UCOACH", card, "Edit…", channel="DUCOACH")
    [opened] = fake.modals()
    field = opened["view"]["blocks"][0]
    assert field["element"]["initial_value"] and field["element"]["initial_value"] in str(card["blocks"])

    reply = world.submit("UCOACH", opened["view"], edited_text="Lovely catch. Want to try a quick sort tomorrow?")
    assert reply.status == 200 and reply.body in (b"", b"{}")
    world.settle()
    updated = card_of(world)
    assert updated.get("edited") and "Edited" in updated["text"]

    world.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert any("Lovely catch" in m["text"] for m in world.dms("UANA"))


def test_reject_then_write_my_own_from_a_modal(world: SlackWorld, fake: FakeSlack) -> None:
    _, card = replied(world, "Honestly I didn't get to it.")
    world.click("UCOACH", card, "Reject", channel="DUCOACH")
    world.settle()
    [rejected] = [r for r in fake.responses if r.get("replace_original")]
    mine = world.button(rejected, "Write my own…")
    world.click("UCOACH", {**rejected, "ts": card["ts"]}, "Write my own…", channel="DUCOACH")
    [opened] = fake.modals()
    assert mine["action_id"].startswith("draft.own")
    world.submit("UCOACH", opened["view"], own_text="No worries — want to pick it up Wednesday?")
    world.settle()
    world.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert any("pick it up Wednesday" in m["text"] for m in world.dms("UANA"))


def test_another_coachs_click_gets_an_ephemeral_refusal_and_changes_nothing(world: SlackWorld, fake: FakeSlack) -> None:
    _, card = replied(world, "It went fine, they liked the think time.")
    world.click("UOTHER", card, "Approve & send", channel="DUCOACH")
    world.click("UOTHER", card, "Edit…", channel="DUCOACH")
    world.settle()
    assert fake.modals() == []
    assert len(fake.responses) == 2
    assert all(r["response_type"] == "ephemeral" and "coach" in r["text"] for r in fake.responses)
    draft = world.container.store.pending_drafts()[0]
    assert draft.status == "pending"


def test_a_double_click_decides_once(world: SlackWorld, fake: FakeSlack) -> None:
    _, card = replied(world, "We tried it in second period.")
    world.click("UCOACH", card, "Approve & send", channel="DUCOACH")
    world.click("UCOACH", card, "Reject", channel="DUCOACH")
    world.settle()
    replaced = [r for r in fake.responses if r.get("replace_original")]
    closed = [r for r in fake.responses if r.get("response_type") == "ephemeral"]
    assert len(replaced) == 1 and "closed" in closed[0]["text"]
    world.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert len([m for m in world.dms("UANA") if "— Coach Kim" in m["text"]]) == 1


def test_a_quick_reply_is_recorded_and_acknowledged_to_the_teacher_alone(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    world.tick(MONDAY_0745_NY)
    prompt = prompt_of(world, "UANA")
    assert world.click("UANA", prompt, "Tried it", channel="DUANA").status == 200
    world.settle()
    [note] = fake.responses
    assert note["response_type"] == "ephemeral" and not note.get("replace_original")
    [reply] = world.container.store.replies_of(world.person("UANA").id)
    assert reply.text == "Tried it"


def test_reflect_opens_a_modal_and_the_reflection_is_a_reply(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    world.tick(MONDAY_0745_NY)
    prompt = prompt_of(world, "UANA")
    world.click("UANA", prompt, "Reflect…", channel="DUANA")
    [opened] = fake.modals()
    world.submit("UANA", opened["view"], reflection="The pause felt long but it worked.")
    world.settle()
    assert any("Coach Kim" in r["text"] for r in fake.responses)
    [reply] = world.container.store.replies_of(world.person("UANA").id)
    assert reply.text == "The pause felt long but it worked." and reply.delivery_id is not None


def test_a_click_on_a_closed_prompt_says_so_and_opens_nothing(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    world.tick(MONDAY_0745_NY)
    prompt = prompt_of(world, "UANA")
    world.click("UBEN", prompt, "Reflect…", channel="DUANA")
    world.settle()
    assert fake.modals() == [] and "closed" in fake.responses[0]["text"]


def test_deleting_the_reply_withdraws_the_coachs_card(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    world.tick(MONDAY_0745_NY)
    prompt = prompt_of(world, "UANA")
    world.dm("UANA", "Something I'd rather not send.", thread_ts=prompt["ts"], ts="1700007000.000001")
    world.tick(MONDAY_0745_NY + timedelta(minutes=1))
    from slack_payloads import dm_deleted, envelope
    world.event(envelope(dm_deleted("UANA", "1700007000.000001")))
    world.tick(MONDAY_0745_NY + timedelta(minutes=2))
    card = card_of(world) if any("replied" in m["text"] for m in world.dms("UCOACH")) else None
    withdrawn = [m for m in world.dms("UCOACH") if "withdrew" in m["text"]]
    assert withdrawn and (card is None or card.get("edited"))


def welcome_of(world: SlackWorld, user: str) -> dict[str, Any]:
    [welcome] = [m for m in world.dms(user) if m["text"].startswith("Welcome to MicroCoach")]
    return welcome


def test_the_welcome_lets_a_teacher_choose_a_focus_in_one_tap(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    world.tick()
    world.click("UANA", welcome_of(world, "UANA"), "Questioning", channel="DUANA")
    world.settle()
    [replaced] = [r for r in fake.responses if r.get("replace_original")]
    assert "Your focus: Questioning." in replaced["text"]
    assert world.container.store.enrollments_of_teacher(world.person("UANA").id)[0].focus == "questioning"


def test_set_a_goal_opens_a_modal_and_saves_the_goal(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    world.tick()
    world.click("UANA", welcome_of(world, "UANA"), "Set a goal…", channel="DUANA")
    [opened] = fake.modals()
    world.submit("UANA", opened["view"], goal="More students talking than me.")
    world.settle()
    assert any("Saved your goal" in r["text"] for r in fake.responses)
    assert world.container.store.enrollments_of_teacher(world.person("UANA").id)[0].goal == "More students talking than me."


def test_an_empty_goal_keeps_the_modal_open_with_the_reason(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    world.tick()
    world.click("UANA", welcome_of(world, "UANA"), "Set a goal…", channel="DUANA")
    [opened] = fake.modals()
    reply = world.submit("UANA", opened["view"], goal="   ")
    assert reply.json()["response_action"] == "errors" and "goal" in reply.json()["errors"]


def test_a_form_that_fails_to_open_says_so_and_decides_nothing(world: SlackWorld, fake: FakeSlack) -> None:
    _, card = replied(world, "We tried it in second period.")
    fake.fail_next("views.open", "expired_trigger_id")
    assert world.click("UCOACH", card, "Edit…", channel="DUCOACH").status == 200
    world.settle()
    [note] = fake.responses
    assert "tap the button again" in note["text"]
    assert world.container.store.pending_drafts()[0].status == "pending"


def test_was_this_useful_is_one_tap_on_the_follow_up(world: SlackWorld, fake: FakeSlack) -> None:
    _, card = replied(world, "Three quiet kids raised their hands.")
    world.click("UCOACH", card, "Approve & send", channel="DUCOACH")
    world.tick(MONDAY_0745_NY + timedelta(minutes=2))
    [followup] = [m for m in world.dms("UANA") if "— Coach Kim" in m["text"]]
    world.click("UANA", followup, "Useful", channel="DUANA")
    world.settle()
    [thanked] = [r for r in fake.responses if r.get("replace_original") and "Coach Kim" in r["text"]
                 and "Approved" not in r["text"]]
    assert not any(b["type"] == "actions" for b in thanked["blocks"])
    [draft] = [d for d in world.container.store.drafts_of_reply(world.container.store.replies_of(
        world.person("UANA").id)[0].id)]
    assert draft.useful is True
