"""PlaygroundChat: the Chat port over the playground's store, on SQLite."""

from __future__ import annotations

import asyncio
from datetime import datetime

import pytest

from bot.adapters.playground.chat import PlaygroundChat
from bot.adapters.playground.render import to_view
from bot.clock import FixedClock
from bot.core.messages import Address, Button, Outbound, SentRef
from bot.core.ports import SendError
from storage.playground import PlaygroundStore
from storage.sql_store import SqlStore

ANA = Address("playground", "demo", user="u-ana")
PROMPT = Outbound(text="What is one thing that went well today?", delivery_key="delivery:1")


@pytest.fixture
def history(sqlite_playground: tuple[PlaygroundStore, SqlStore]) -> PlaygroundStore:
    return sqlite_playground[0]


@pytest.fixture
def chat(history: PlaygroundStore, now: datetime) -> PlaygroundChat:
    return PlaygroundChat(history, FixedClock(now))


def test_chat_is_the_playground_and_can_find_what_it_sent(chat: PlaygroundChat) -> None:
    assert (chat.platform, chat.can_find_sent) == ("playground", True)


def test_send_stores_the_rendered_message_in_the_persons_conversation(
    chat: PlaygroundChat, history: PlaygroundStore
) -> None:
    ref = asyncio.run(chat.send(ANA, PROMPT))

    message = history.get_message(int(ref.data))
    assert (message["person_key"], message["direction"], message["body"], message["delivery_key"]) == (
        "demo:u-ana",
        "out",
        to_view(PROMPT),
        "delivery:1",
    )


def test_send_returns_a_ref_naming_the_row(chat: PlaygroundChat, history: PlaygroundStore) -> None:
    ref = asyncio.run(chat.send(ANA, PROMPT))

    assert ref == SentRef(platform="playground", data=ref.message_id, message_id=ref.message_id)
    assert history.get_message(int(ref.message_id)) is not None


def test_send_into_a_thread_files_it_under_that_message(chat: PlaygroundChat, history: PlaygroundStore) -> None:
    prompt = asyncio.run(chat.send(ANA, PROMPT))
    in_thread = Address("playground", "demo", user="u-ana", thread=prompt.message_id)

    follow_up = asyncio.run(chat.send(in_thread, Outbound("Nice!")))

    assert history.get_message(int(follow_up.data))["thread"] == int(prompt.message_id)


def test_send_to_a_channel_goes_to_that_channels_view(chat: PlaygroundChat, history: PlaygroundStore) -> None:
    ref = asyncio.run(chat.send(Address("playground", "demo", conversation="staffroom"), PROMPT))

    assert history.get_message(int(ref.data))["person_key"] == "demo:#staffroom"


def test_a_note_in_a_channel_is_marked_for_its_person_alone(chat: PlaygroundChat, history: PlaygroundStore) -> None:
    asyncio.run(chat.tell(Address("playground", "demo", user="u-ana", conversation="staffroom"), "Shared."))

    [note] = history.messages_for("demo:#staffroom")
    assert (note["direction"], note["body"]["only"]) == ("notice", "u-ana")


def test_send_to_nobody_is_a_permanent_failure(chat: PlaygroundChat) -> None:
    with pytest.raises(SendError) as raised:
        asyncio.run(chat.send(Address("playground", "demo"), PROMPT))

    assert raised.value.permanent


def test_update_rewrites_the_sent_message(chat: PlaygroundChat, history: PlaygroundStore) -> None:
    card = Outbound(text="Draft for Ana", buttons=(Button("Approve", "draft.approve", "1"),))
    ref = asyncio.run(chat.send(Address("playground", "demo", user="u-coach"), card))

    asyncio.run(chat.update(ref, Outbound(text="Approved and sent to Ana.")))

    assert history.get_message(int(ref.data))["body"] == to_view(Outbound(text="Approved and sent to Ana."))


def test_update_of_an_unknown_message_is_a_permanent_failure(chat: PlaygroundChat) -> None:
    with pytest.raises(SendError) as raised:
        asyncio.run(chat.update(SentRef("playground", "404", "404"), Outbound("x")))

    assert raised.value.permanent


def test_tell_leaves_a_notice_only_that_person_sees(chat: PlaygroundChat, history: PlaygroundStore) -> None:
    asyncio.run(chat.tell(ANA, "This prompt has closed."))

    assert [(m["direction"], m["body"]["text"]) for m in history.messages_for("demo:u-ana")] == [
        ("notice", "This prompt has closed.")
    ]
    assert history.messages_for("demo:u-ben") == []


def test_find_sent_returns_the_ref_of_the_message_with_that_key(chat: PlaygroundChat) -> None:
    ref = asyncio.run(chat.send(ANA, PROMPT))

    assert asyncio.run(chat.find_sent(ANA, "delivery:1")) == ref


def test_find_sent_is_none_for_a_key_never_sent_to_that_person(chat: PlaygroundChat) -> None:
    asyncio.run(chat.send(ANA, PROMPT))

    assert asyncio.run(chat.find_sent(Address("playground", "demo", user="u-ben"), "delivery:1")) is None
