"""PlaygroundStore on SQLite and PostgreSQL: each person's conversation, as the page draws it."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.adapters.playground.seed import seed_demo
from bot.core.model import PersonStatus
from storage.playground import PlaygroundStore, person_key
from storage.sql_store import SqlStore

ANA = person_key("demo", "u-ana")
BEN = person_key("demo", "u-ben")


def test_person_key_joins_workspace_and_user() -> None:
    assert person_key("demo", "u-ana") == "demo:u-ana"


def test_added_message_reads_back_with_its_fields(playground_store: PlaygroundStore, now: datetime) -> None:
    message_id = playground_store.add_message(
        ANA, {"text": "Hello"}, direction="out", thread=None, delivery_key="delivery:1", at=now
    )

    assert playground_store.get_message(message_id) == {
        "id": message_id,
        "thread": None,
        "direction": "out",
        "body": {"text": "Hello"},
        "created_at": now.isoformat(),
        "updated_at": None,
        "person_key": ANA,
        "delivery_key": "delivery:1",
    }


def test_conversation_is_oldest_first_and_only_that_persons(playground_store: PlaygroundStore, now: datetime) -> None:
    first = playground_store.add_message(ANA, {"text": "1"}, direction="out", at=now)
    playground_store.add_message(BEN, {"text": "Ben's"}, direction="out", at=now)
    second = playground_store.add_message(ANA, {"text": "2"}, direction="in", thread=first, at=now)

    messages = playground_store.messages_for(ANA)

    assert [(m["id"], m["thread"], m["body"]["text"]) for m in messages] == [(first, None, "1"), (second, first, "2")]


def test_conversation_after_an_id_holds_only_newer_messages(playground_store: PlaygroundStore, now: datetime) -> None:
    first = playground_store.add_message(ANA, {"text": "1"}, direction="out", at=now)
    second = playground_store.add_message(ANA, {"text": "2"}, direction="notice", at=now)

    assert [m["id"] for m in playground_store.messages_for(ANA, after_id=first)] == [second]


def test_update_replaces_the_body_and_stamps_the_time(playground_store: PlaygroundStore, now: datetime) -> None:
    message_id = playground_store.add_message(ANA, {"text": "Draft"}, direction="out", at=now)
    later = now + timedelta(minutes=5)

    assert playground_store.update_message(message_id, {"text": "Approved"}, at=later) is True
    message = playground_store.get_message(message_id)
    assert (message["body"], message["updated_at"]) == ({"text": "Approved"}, later.isoformat())


def test_update_of_a_missing_message_says_so(playground_store: PlaygroundStore, now: datetime) -> None:
    assert playground_store.update_message(999, {"text": "x"}, at=now) is False


def test_missing_message_is_none(playground_store: PlaygroundStore) -> None:
    assert playground_store.get_message(999) is None


def test_delivery_key_is_found_in_that_persons_conversation_only(
    playground_store: PlaygroundStore, now: datetime
) -> None:
    message_id = playground_store.add_message(
        ANA, {"text": "Prompt"}, direction="out", delivery_key="delivery:9", at=now
    )

    assert playground_store.find_by_delivery_key(ANA, "delivery:9") == message_id
    assert playground_store.find_by_delivery_key(BEN, "delivery:9") is None
    assert playground_store.find_by_delivery_key(ANA, "delivery:10") is None


def test_people_of_the_demo_workspace_come_with_their_roles(
    store: SqlStore, playground_store: PlaygroundStore, now: datetime
) -> None:
    seed_demo(store, at=now)

    people = playground_store.people_of("demo")

    assert [(p["id"], p["roles"]) for p in people] == [
        ("u-admin", ["admin"]),
        ("u-coach", ["coach"]),
        ("u-ana", []),
        ("u-ben", []),
        ("u-chloe", []),
    ]


def test_people_of_leave_out_other_workspaces_and_deleted_people(
    store: SqlStore, playground_store: PlaygroundStore, now: datetime
) -> None:
    seed_demo(store, at=now)
    slack = store.ensure_workspace("slack", "demo", at=now)
    store.ensure_person(slack.id, "U1", at=now, display_name="Slack person")
    ws = store.ensure_workspace("playground", "demo", at=now)
    store.set_person_status(store.find_person(ws.id, "u-ben").id, PersonStatus.DELETED)

    assert [p["id"] for p in playground_store.people_of("demo")] == ["u-admin", "u-coach", "u-ana", "u-chloe"]
