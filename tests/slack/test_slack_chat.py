"""The Slack chat port against the fake Web API: DMs, threads, metadata, updates, ephemeral
notes, finding a sent prompt again, and Slack's refusals as SendErrors."""

from __future__ import annotations

import json

import pytest
from slack_sdk.errors import SlackApiError

from bot.adapters.slack.chat import SlackChat
from bot.core import cards
from bot.core.messages import Address, Outbound, SentRef
from bot.core.ports import SendError
from bot.core.prompts import PromptItem
from fake_slack import FakeSlack, spec_problems
from slack_harness import LoopThread

ANA = Address("slack", "T1", user="UANA")
PROMPT = PromptItem(id="p1", kind="reflection", focus="questioning", level="any", title="Wait time",
                    text="Try waiting five seconds.")


def prompt() -> Outbound:
    return cards.prompt_message(42, PROMPT, "Coach Kim", ai_on=False)


def test_a_prompt_goes_to_the_persons_dm_with_blocks_text_and_delivery_metadata(
        loop_thread: LoopThread, chat: SlackChat, fake: FakeSlack) -> None:
    ref = loop_thread.run(chat.send(ANA, prompt()))
    [message] = fake.posted("DUANA")
    assert ref.message_id == message["ts"]
    assert message["metadata"] == {"event_type": "microcoach_delivery", "event_payload": {"delivery_key": "delivery:42"}}
    assert "Try waiting five seconds" in message["text"] and message["blocks"]


def test_the_dm_is_opened_once_and_remembered(loop_thread: LoopThread, chat: SlackChat, fake: FakeSlack) -> None:
    loop_thread.run(chat.send(ANA, cards.notice("one")))
    loop_thread.run(chat.send(ANA, cards.notice("two")))
    assert len(fake.called("conversations.open")) == 1


def test_a_send_into_a_thread_uses_the_prompts_ts(loop_thread: LoopThread, chat: SlackChat, fake: FakeSlack) -> None:
    first = loop_thread.run(chat.send(ANA, prompt()))
    loop_thread.run(chat.send(Address("slack", "T1", user="UANA", thread=first.message_id), cards.notice("follow-up")))
    assert fake.posted("DUANA")[1]["thread_ts"] == first.message_id


def test_update_replaces_the_message_the_ref_points_to(loop_thread: LoopThread, chat: SlackChat, fake: FakeSlack) -> None:
    ref = loop_thread.run(chat.send(ANA, cards.notice("pending")))
    loop_thread.run(chat.update(SentRef("slack", ref.data), cards.notice("approved")))
    [message] = fake.posted("DUANA")
    assert message["text"] == "approved" and message["edited"]


def test_tell_is_ephemeral_to_that_person(loop_thread: LoopThread, chat: SlackChat, fake: FakeSlack) -> None:
    loop_thread.run(chat.tell(ANA, "Only you can see this."))
    [note] = fake.ephemeral
    assert (note["channel"], note["user"], note["text"]) == ("DUANA", "UANA", "Only you can see this.")
    assert fake.posted() == []


def test_find_sent_reads_the_delivery_key_from_history(loop_thread: LoopThread, chat: SlackChat, fake: FakeSlack) -> None:
    ref = loop_thread.run(chat.send(ANA, prompt()))
    loop_thread.run(chat.send(ANA, cards.notice("something after")))
    found = loop_thread.run(chat.find_sent(ANA, "delivery:42"))
    assert found is not None and found.message_id == ref.message_id
    assert fake.called("conversations.history")[0].params["include_all_metadata"] in ("1", "true", True)


def test_find_sent_is_none_when_the_prompt_never_reached_slack(loop_thread: LoopThread, chat: SlackChat) -> None:
    loop_thread.run(chat.send(ANA, cards.notice("unrelated")))
    assert loop_thread.run(chat.find_sent(ANA, "delivery:42")) is None


def test_429_becomes_a_retryable_error_with_slacks_retry_after(loop_thread: LoopThread, chat: SlackChat,
                                                               fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", "ratelimited", status=429, retry_after=17)
    with pytest.raises(SendError) as caught:
        loop_thread.run(chat.send(ANA, prompt()))
    assert caught.value.retry_after == 17 and not caught.value.permanent


@pytest.mark.parametrize("error", ["account_inactive", "channel_not_found", "not_in_channel", "invalid_auth"])
def test_a_person_or_bot_gone_is_permanent(loop_thread: LoopThread, chat: SlackChat, fake: FakeSlack, error: str) -> None:
    fake.fail_next("chat.postMessage", error)
    with pytest.raises(SendError) as caught:
        loop_thread.run(chat.send(ANA, prompt()))
    assert caught.value.permanent and caught.value.reason == error


def test_a_server_error_is_retryable(loop_thread: LoopThread, chat: SlackChat, fake: FakeSlack) -> None:
    fake.fail_next("chat.postMessage", "internal_error", status=503)
    with pytest.raises(SendError) as caught:
        loop_thread.run(chat.send(ANA, prompt()))
    assert not caught.value.permanent


def test_a_workspace_without_an_installation_is_permanent(loop_thread: LoopThread, chat: SlackChat) -> None:
    with pytest.raises(SendError) as caught:
        loop_thread.run(chat.send(Address("slack", "T-GONE", user="U9"), prompt()))
    assert caught.value.permanent


def test_a_ref_that_is_not_ours_is_refused_permanently(loop_thread: LoopThread, chat: SlackChat) -> None:
    with pytest.raises(SendError) as caught:
        loop_thread.run(chat.update(SentRef("slack", "m1"), cards.notice("x")))
    assert caught.value.permanent


def test_sent_ref_data_holds_team_channel_and_ts(loop_thread: LoopThread, chat: SlackChat) -> None:
    ref = loop_thread.run(chat.send(ANA, cards.notice("hi")))
    assert json.loads(ref.data) == {"team": "T1", "channel": "DUANA", "ts": ref.message_id}


def test_the_fake_catches_a_missing_required_parameter() -> None:
    assert spec_problems("chat.postMessage", {"token": "x", "text": "hi"}) == [
        "chat.postMessage: missing required parameter channel"]
    assert spec_problems("chat.postMessage", {"token": "x", "channel": "D1"}) == []
    assert spec_problems("chat.sendCarrierPigeon", {}) == ["chat.sendCarrierPigeon: not a method in the spec"]


def test_the_fake_records_a_call_that_misses_a_parameter(loop_thread: LoopThread, chat: SlackChat, fake: FakeSlack) -> None:
    with pytest.raises(SlackApiError):
        loop_thread.run(chat.client.chat_update(token="xoxb-test-token", channel="DUANA", ts="", text="x"))
    assert fake.violations == ["chat.update: missing required parameter ts"]
    fake.violations.clear()
