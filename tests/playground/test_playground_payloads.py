"""What the page may post: checked before anything is stored."""

from __future__ import annotations

import pytest

from bot.adapters.playground.payloads import (
    MAX_TEXT,
    ActionPayload,
    BadPayload,
    check_inputs,
    parse_action,
    parse_after,
    parse_send,
)
from bot.adapters.playground.render import to_view
from bot.core.messages import Button, Outbound, TextInput


def test_send_reads_person_text_and_thread() -> None:
    assert parse_send({"as": "u-ana", "text": "It went well", "thread": 4}).thread == 4


@pytest.mark.parametrize("thread", [None, "", 0])
def test_send_without_a_thread_is_top_level(thread: object) -> None:
    assert parse_send({"as": "u-ana", "text": "hi", "thread": thread}).thread is None


def test_poll_after_zero_is_the_whole_conversation() -> None:
    assert parse_after("0") == 0


@pytest.mark.parametrize("after", ["", "-1", "abc", "2147483648", "9" * 5000])
def test_poll_after_that_is_not_a_message_id_is_refused(after: str) -> None:
    with pytest.raises(BadPayload, match="after"):
        parse_after(after)


def test_message_ids_may_arrive_as_digit_strings() -> None:
    assert parse_send({"as": "u-ana", "text": "hi", "thread": "12"}).thread == 12


@pytest.mark.parametrize("thread", [True, -1, 2**31, "12a", 1.5, "١٢", "9" * 5000])
def test_thread_that_is_not_a_message_id_is_refused(thread: object) -> None:
    with pytest.raises(BadPayload, match="thread"):
        parse_send({"as": "u-ana", "text": "hi", "thread": thread})


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("  \n ", "empty"),
        ("x" * (MAX_TEXT + 1), "limit"),
        (42, "text"),
        ("a\x00b", "NUL"),
        ("\ud800", "Unicode"),
    ],
)
def test_unusable_text_is_refused_with_a_reason(text: object, reason: str) -> None:
    with pytest.raises(BadPayload, match=reason):
        parse_send({"as": "u-ana", "text": text})


def test_text_at_the_limit_is_accepted() -> None:
    assert len(parse_send({"as": "u-ana", "text": "x" * MAX_TEXT}).text) == MAX_TEXT


@pytest.mark.parametrize("body", [[], "text", None, {"text": "no sender"}, {"as": "", "text": "hi"}])
def test_body_without_a_sender_object_is_refused(body: object) -> None:
    with pytest.raises(BadPayload):
        parse_send(body)


def test_action_inputs_are_sorted_pairs() -> None:
    payload = parse_action({"as": "u-coach", "message_id": 3, "action_id": "a", "inputs": {"b": "2", "a": "1"}})

    assert payload.inputs == (("a", "1"), ("b", "2"))


CARD = to_view(
    Outbound(
        text="card",
        buttons=(Button("Approve", "draft.approve", "7"),),
        inputs=(TextInput("note", "Note", max_length=10),),
    )
)


def test_fields_within_their_lengths_pass() -> None:
    check_inputs(CARD, ActionPayload("u-coach", 1, "draft.approve", "7", (("note", "x" * 10),)))


def test_click_the_card_no_longer_offers_is_left_to_the_core() -> None:
    check_inputs(CARD, ActionPayload("u-coach", 1, "draft.reopen", "8"))


@pytest.mark.parametrize(
    ("action", "reason"),
    [
        (ActionPayload("u-coach", 1, "draft.approve", "7", (("note", "x" * 11),)), "Note can be at most 10"),
        (ActionPayload("u-coach", 1, "draft.approve", "7", (("other", "x" * (MAX_TEXT + 1)),)), "other can be at most"),
    ],
)
def test_field_longer_than_allowed_is_refused(action: ActionPayload, reason: str) -> None:
    with pytest.raises(BadPayload, match=reason):
        check_inputs(CARD, action)
