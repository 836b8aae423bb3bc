"""Messages past bolt: once bolt has authorised a workspace's messages in this process, a DM from
someone whose profile is known is recorded and answered by the route itself (Slack's 3-second
clock is spent on the record alone), then handled exactly as bolt's listener would. Anything
else — a first message, an unknown author, a workspace since uninstalled — goes through bolt.
A message recorded but never handled (the process stopped) is handled by a later tick, and its
sender is told who will see it, as they would have been at once."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

import slack_payloads as p
from bot.adapters.slack.inbound import Profile, from_message_event
from fake_slack import FakeSlack
from slack_harness import sign, wait_for
from slack_world import SlackWorld


@pytest.fixture
def dispatched(world: SlackWorld) -> list[str]:
    """The event ids bolt dispatched (a global bolt middleware sees every request it takes)."""
    seen: list[str] = []

    async def note(body: dict[str, Any], next: Any) -> None:  # noqa: A002 — bolt's argument name
        seen.append(str(body.get("event_id", "")))
        await next()

    world.adapter.bolt.middleware(note)
    return seen


def test_the_first_dm_from_a_workspace_goes_through_bolt(world: SlackWorld, dispatched: list[str]) -> None:
    world.set_up_cohort()
    assert world.client.event(p.envelope(p.dm("UANA", "First thought."), event_id="EvFIRST")).status == 200
    assert "EvFIRST" in dispatched


def test_a_later_dm_from_a_known_teacher_is_recorded_without_bolt_and_handled_the_same(
        world: SlackWorld, fake: FakeSlack, dispatched: list[str]) -> None:
    world.set_up_cohort()
    world.dm("UANA", "First thought.")
    world.settle()
    reply = world.client.event(p.envelope(p.dm("UANA", "Second thought."), event_id="EvHOT"))
    assert reply.status == 200
    world.settle()
    assert "EvHOT" not in dispatched
    assert len(wait_for(lambda: fake.ephemeral if len(fake.ephemeral) >= 2 else None)) == 2
    notes = world.container.store.replies_of(world.person("UANA").id)
    assert any("Second thought." in reply.text for reply in notes)


def test_a_retry_on_the_hot_path_is_recorded_once(world: SlackWorld, fake: FakeSlack, dispatched: list[str]) -> None:
    world.set_up_cohort()
    world.dm("UANA", "First thought.")
    world.settle()
    for retry in ("0", "1"):
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"} if retry != "0" else {}
        assert world.client.event(p.envelope(p.dm("UANA", "Once only."), event_id="EvTWICE"), **headers).status == 200
    world.settle()
    assert "EvTWICE" not in dispatched
    texts = [r.text for r in world.container.store.replies_of(world.person("UANA").id)]
    assert sum(text.count("Once only.") for text in texts) == 1


def test_a_dm_from_someone_whose_profile_is_not_known_goes_through_bolt(
        world: SlackWorld, fake: FakeSlack, dispatched: list[str]) -> None:
    world.set_up_cohort()
    world.dm("UANA", "First thought.")
    world.settle()
    fake.add_user("UCAL", "Cal Diaz")
    world.client.event(p.envelope(p.dm("UCAL", "Hello from Cal."), event_id="EvCAL"))
    world.settle()
    assert "EvCAL" in dispatched
    assert world.person("UCAL").display_name == "Cal Diaz"


def test_after_an_uninstall_messages_go_through_bolt_again(world: SlackWorld, dispatched: list[str]) -> None:
    world.set_up_cohort()
    world.dm("UANA", "First thought.")
    world.settle()
    assert world.client.event(p.envelope({"type": "app_uninstalled"})).status == 200
    world.client.event(p.envelope(p.dm("UANA", "Are you back?"), event_id="EvAFTER"))
    world.settle()
    assert "EvAFTER" in dispatched


def test_the_bots_own_echo_on_the_hot_path_is_still_ignored(world: SlackWorld, fake: FakeSlack,
                                                            dispatched: list[str]) -> None:
    world.set_up_cohort()
    world.dm("UANA", "First thought.")
    world.settle()
    before = len(world.container.store.replies_of(world.person("UANA").id))
    assert world.client.event(p.envelope(p.bot_echo("UANA", "Today's two-minute prompt"), event_id="EvECHO")).status == 200
    world.settle()
    assert "EvECHO" not in dispatched
    assert len(world.container.store.replies_of(world.person("UANA").id)) == before


def test_a_forged_dm_never_reaches_the_hot_path(world: SlackWorld) -> None:
    world.set_up_cohort()
    world.dm("UANA", "First thought.")
    world.settle()
    before = len(world.container.store.replies_of(world.person("UANA").id))
    body = json.dumps(p.envelope(p.dm("UANA", "Forged."))).encode()
    forged = world.client.signed(body, "application/json", signer=lambda raw: sign(raw, secret="not-the-secret"))
    assert forged.status == 401
    world.settle()
    assert len(world.container.store.replies_of(world.person("UANA").id)) == before


def test_a_dm_left_waiting_by_a_stopped_process_is_handled_by_a_tick_and_the_teacher_told(
        world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    event = p.dm("UANA", "Written just before the server stopped.")
    inbound = from_message_event(event, "T1", "EvSTOPPED", Profile(name="Ana Lopez", tz="America/New_York"))
    assert inbound is not None
    world.container.service.receive([inbound])
    assert world.tick(world.clock.now() + timedelta(minutes=1)).received == 1
    notes = [note for note in fake.ephemeral if note["user"] == "UANA"]
    assert len(notes) == 1 and notes[0]["channel"] == "DUANA"
