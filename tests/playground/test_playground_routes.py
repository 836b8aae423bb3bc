"""The playground over real HTTP on 127.0.0.1: what the page posts reaches the core as neutral
Inbounds, what the core answers is stored for the page, and bad input changes nothing."""

from __future__ import annotations

import asyncio
import re

import pytest

from bot.adapters.playground.chat import PlaygroundChat
from bot.clock import FixedClock
from bot.core.messages import Action, Address, Button, Outbound, SentRef, TextInput

from playground_harness import Outcome, Playground, Reply

CARD = Outbound(
    text="Ana replied",
    buttons=(Button("Approve", "draft.approve", "7", "primary"), Button("Reject", "draft.reject", "7", "danger")),
    inputs=(TextInput("draft_text", "Follow-up", initial="Nice work!", max_length=50),),
)


def send_to(playground: Playground, user: str, message: Outbound) -> SentRef:
    chat = PlaygroundChat(playground.store, FixedClock(playground.now))
    return asyncio.run(chat.send(Address("playground", "demo", user=user), message))


def type_in(playground: Playground, text: str, *, user: str = "u-ana", **fields: object) -> Reply:
    """What the page posts when a person sends a message."""
    return playground.client.post("/playground/api/send", {"as": user, "text": text, **fields})


def test_page_is_the_playground_with_its_test_hooks(playground: Playground) -> None:
    page = playground.client.get("/")

    assert page.status == 200
    assert "<title>MicroCoach playground</title>" in page.text
    for hook in ('data-testid="person-picker"', 'data-testid="composer"', 'data-testid="send"', "You are:"):
        assert hook in page.text


def test_page_runs_only_its_own_script_under_a_strict_policy(playground: Playground) -> None:
    page = playground.client.get("/")

    assert re.findall(r"<script[^>]*>", page.text) == ['<script src="/playground/static/playground.js" defer>']
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert not re.search(r"(src|href)=\"(https?:)?//", page.text), "the page must work offline"


def test_page_script_builds_message_text_as_text_never_as_markup(playground: Playground) -> None:
    script = playground.client.get("/playground/static/playground.js")

    assert script.status == 200
    assert script.headers["Content-Type"].startswith("text/javascript")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script.text
    assert "textContent" in script.text


def test_unknown_static_file_is_not_found(playground: Playground) -> None:
    assert playground.client.get("/playground/static/..%2Fapi.py").status == 404


def test_people_are_the_demo_people_with_role_labels(playground: Playground) -> None:
    people = playground.client.get("/playground/api/people").json()

    assert people[:3] == [
        {"id": "u-admin", "name": "Dana Reyes", "role": "admin"},
        {"id": "u-coach", "name": "Coach Kim", "role": "coach"},
        {"id": "u-ana", "name": "Ana Lopez", "role": "teacher"},
    ]


def test_sent_text_is_stored_before_the_core_sees_it(playground: Playground) -> None:
    answer = type_in(playground, "It went well").json()

    assert answer == {"ok": True, "id": answer["id"]}
    assert [(m["id"], m["direction"], m["body"]["text"]) for m in playground.core.seen_rows[0]] == [
        (answer["id"], "in", "It went well")
    ]


def test_sent_text_reaches_the_core_as_a_playground_message(playground: Playground) -> None:
    answer = type_in(playground, "help", user="u-ben").json()

    [inbound] = playground.core.inbounds
    assert (inbound.kind, inbound.sender, inbound.text, inbound.message_id, inbound.in_thread_of) == (
        "message",
        Address("playground", "demo", user="u-ben"),
        "help",
        str(answer["id"]),
        None,
    )
    assert (inbound.dedupe_key, inbound.display_name, inbound.timezone) == (
        f"playground:{answer['id']}",
        "Ben Carter",
        "America/Chicago",
    )


def test_notices_from_the_core_are_stored_for_the_sender_only(playground: Playground) -> None:
    playground.core.answer = lambda _inbound: Outcome(notices=["Thanks! Only Coach Kim will see this."])

    type_in(playground, "It went well")

    assert [(m["direction"], m["body"]["text"]) for m in playground.conversation("u-ana")] == [
        ("in", "It went well"),
        ("notice", "Thanks! Only Coach Kim will see this."),
    ]
    assert playground.conversation("u-coach") == []


def test_reply_in_thread_names_the_prompt_it_answers(playground: Playground) -> None:
    prompt = send_to(playground, "u-ana", Outbound("What went well today?"))

    answer = type_in(playground, "Exit tickets", thread=int(prompt.data)).json()

    assert playground.core.inbounds[0].in_thread_of == prompt.message_id
    assert playground.store.get_message(answer["id"])["thread"] == int(prompt.data)


def test_reply_under_a_thread_reply_joins_the_same_thread(playground: Playground) -> None:
    prompt = send_to(playground, "u-ana", Outbound("What went well today?"))
    first = type_in(playground, "One", thread=int(prompt.data)).json()

    type_in(playground, "Two", thread=first["id"])

    assert playground.core.inbounds[1].in_thread_of == prompt.message_id


def test_markup_typed_by_a_person_comes_back_as_plain_text(playground: Playground) -> None:
    text = "<script>alert('hi')</script><img src=x onerror=alert(1)>"
    type_in(playground, text)

    reply = playground.client.get("/playground/api/messages?as=u-ana")

    assert reply.headers["Content-Type"].startswith("application/json")
    assert reply.json()[0]["body"]["text"] == text


def test_messages_after_an_id_are_only_the_newer_ones(playground: Playground) -> None:
    first = type_in(playground, "one").json()
    second = type_in(playground, "two").json()

    messages = playground.client.get(f"/playground/api/messages?as=u-ana&after={first['id']}").json()

    assert [m["id"] for m in messages] == [second["id"]]


@pytest.mark.parametrize(
    "query", ["as=u-nobody", "as=", "as=u-ana&after=abc", "as=u-ana&after=-1", "as=u-ana&after=" + "9" * 5000]
)
def test_messages_for_a_bad_query_are_refused(playground: Playground, query: str) -> None:
    reply = playground.client.get(f"/playground/api/messages?{query}")

    assert (reply.status, reply.json()["ok"]) == (400, False)


BAD_SENDS = {
    "empty": {"as": "u-ana", "text": ""},
    "blank": {"as": "u-ana", "text": "   "},
    "too long": {"as": "u-ana", "text": "x" * 40_001},
    "unknown person": {"as": "u-nobody", "text": "hi"},
    "no person": {"text": "hi"},
    "text not text": {"as": "u-ana", "text": ["hi"]},
    "thread of nobody's message": {"as": "u-ana", "text": "hi", "thread": 9999},
    "not an object": ["u-ana", "hi"],
    "malformed JSON": b'{"as": "u-ana", "text": ',
    "not UTF-8": b'{"as": "u-ana", "text": "\xff"}',
}


@pytest.mark.parametrize("body", BAD_SENDS.values(), ids=BAD_SENDS.keys())
def test_bad_send_is_refused_with_a_reason_and_changes_nothing(playground: Playground, body: object) -> None:
    reply = playground.client.post("/playground/api/send", body)

    assert reply.status == 400
    assert reply.json()["error"]
    assert playground.core.inbounds == []
    assert playground.conversation("u-ana") == []


def test_send_that_is_not_json_is_refused(playground: Playground) -> None:
    reply = playground.client.post(
        "/playground/api/send", b'{"as": "u-ana", "text": "hi"}', headers={"Content-Type": "text/plain"}
    )

    assert reply.status == 400
    assert playground.conversation("u-ana") == []


def test_thread_in_someone_elses_conversation_is_refused(playground: Playground) -> None:
    bens_prompt = send_to(playground, "u-ben", Outbound("What went well today?"))

    reply = type_in(playground, "hi", thread=int(bens_prompt.data))

    assert reply.status == 400
    assert playground.conversation("u-ana") == []


def click(playground: Playground, ref: SentRef, **fields: object) -> object:
    body = {"as": "u-coach", "message_id": int(ref.data), "action_id": "draft.approve", "value": "7", **fields}
    return playground.client.post("/playground/api/action", body)


def test_click_reaches_the_core_with_the_cards_inputs(playground: Playground) -> None:
    card = send_to(playground, "u-coach", CARD)

    reply = click(playground, card, inputs={"draft_text": "Lovely — try it again Friday?"})

    assert reply.json() == {"ok": True}
    [inbound] = playground.core.inbounds
    assert (inbound.kind, inbound.message_id, inbound.action) == (
        "action",
        card.message_id,
        Action("draft.approve", "7", inputs=(("draft_text", "Lovely — try it again Friday?"),)),
    )
    assert inbound.dedupe_key.startswith("playground:action:")


def test_each_click_is_a_distinct_event(playground: Playground) -> None:
    card = send_to(playground, "u-coach", CARD)

    click(playground, card)
    click(playground, card)

    assert len({inbound.dedupe_key for inbound in playground.core.inbounds}) == 2


def test_replacement_from_the_core_rewrites_the_clicked_card(playground: Playground) -> None:
    card = send_to(playground, "u-coach", CARD)
    playground.core.answer = lambda _inbound: Outcome(notices=["Sent to Ana."], replace=Outbound("Approved ✓"))

    click(playground, card)

    assert [(m["id"], m["body"]["text"], m["body"]["buttons"]) for m in playground.conversation("u-coach")] == [
        (int(card.data), "Approved ✓", []),
        (int(card.data) + 1, "Sent to Ana.", []),
    ]


def test_click_on_a_card_decided_since_still_reaches_the_core(playground: Playground) -> None:
    card = send_to(playground, "u-coach", CARD)
    playground.core.answer = lambda _inbound: Outcome(replace=Outbound("Approved ✓"))
    click(playground, card)
    playground.core.answer = lambda _inbound: Outcome(notices=["This draft has already been decided."])

    stale = click(playground, card)

    assert stale.status == 200
    assert [i.action.action_id for i in playground.core.inbounds] == ["draft.approve", "draft.approve"]
    assert playground.conversation("u-coach")[-1]["body"]["text"] == "This draft has already been decided."


BAD_CLICKS = {
    "unknown message": {"message_id": 9999},
    "field too long": {"inputs": {"draft_text": "x" * 51}},
    "field text not text": {"inputs": {"draft_text": 5}},
    "inputs not an object": {"inputs": ["x"]},
    "no action": {"action_id": ""},
}


@pytest.mark.parametrize("fields", BAD_CLICKS.values(), ids=BAD_CLICKS.keys())
def test_bad_click_is_refused_and_changes_nothing(playground: Playground, fields: dict[str, object]) -> None:
    card = send_to(playground, "u-coach", CARD)
    before = playground.conversation("u-coach")

    reply = click(playground, card, **fields)

    assert reply.status == 400
    assert playground.core.inbounds == []
    assert playground.conversation("u-coach") == before


def test_click_on_someone_elses_card_is_refused(playground: Playground) -> None:
    card = send_to(playground, "u-coach", CARD)

    reply = click(playground, card, **{"as": "u-ana"})

    assert reply.status == 400
    assert playground.core.inbounds == []


def test_edit_marks_the_message_edited_and_tells_the_core(playground: Playground) -> None:
    sent = type_in(playground, "It went wel").json()

    reply = playground.client.post(
        "/playground/api/edit", {"as": "u-ana", "message_id": sent["id"], "text": "It went well"}
    )

    assert reply.json() == {"ok": True}
    body = playground.store.get_message(sent["id"])["body"]
    assert (body["text"], body["edited"]) == ("It went well", True)
    edit = playground.core.inbounds[-1]
    assert (edit.kind, edit.message_id, edit.text) == ("edit", str(sent["id"]), "It went well")


def test_delete_withdraws_the_text_and_tells_the_core(playground: Playground) -> None:
    sent = type_in(playground, "Something private").json()

    playground.client.post("/playground/api/delete", {"as": "u-ana", "message_id": sent["id"]})

    body = playground.store.get_message(sent["id"])["body"]
    assert (body["text"], body["deleted"]) == ("", True)
    delete = playground.core.inbounds[-1]
    assert (delete.kind, delete.message_id) == ("delete", str(sent["id"]))


BAD_CHANGES = {
    "edit a bot message": ("edit", "u-ana", "bot", {"text": "mine now"}),
    "edit someone else's": ("edit", "u-ben", "own", {"text": "mine now"}),
    "edit to empty": ("edit", "u-ana", "own", {"text": " "}),
    "delete a bot message": ("delete", "u-ana", "bot", {}),
    "delete someone else's": ("delete", "u-ben", "own", {}),
}


@pytest.mark.parametrize(("route", "user", "target", "fields"), BAD_CHANGES.values(), ids=BAD_CHANGES.keys())
def test_changing_a_message_that_is_not_yours_to_change_is_refused(
    playground: Playground, route: str, user: str, target: str, fields: dict[str, str]
) -> None:
    bot = int(send_to(playground, "u-ana", Outbound("What went well today?")).data)
    own = type_in(playground, "Exit tickets").json()["id"]
    before = playground.conversation("u-ana")
    heard = len(playground.core.inbounds)

    message_id = bot if target == "bot" else own
    reply = playground.client.post(f"/playground/api/{route}", {"as": user, "message_id": message_id, **fields})

    assert reply.status == 400
    assert playground.conversation("u-ana") == before
    assert len(playground.core.inbounds) == heard


def test_deleting_twice_is_refused_the_second_time(playground: Playground) -> None:
    sent = type_in(playground, "Oops").json()
    playground.client.post("/playground/api/delete", {"as": "u-ana", "message_id": sent["id"]})

    again = playground.client.post("/playground/api/delete", {"as": "u-ana", "message_id": sent["id"]})

    assert again.status == 400
    assert [i.kind for i in playground.core.inbounds] == ["message", "delete"]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:3000", "10.0.0.5", "::::", "evil.example:abc"])
def test_requests_addressed_to_another_host_are_refused(playground: Playground, host: str) -> None:
    reply = playground.client.get("/playground/api/messages?as=u-ana", headers={"Host": host})

    assert reply.status == 403


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:3000", "[::1]:3000"])
def test_requests_addressed_to_this_computer_are_served(playground: Playground, host: str) -> None:
    assert playground.client.get("/playground/api/people", headers={"Host": host}).status == 200


def test_posts_from_another_site_are_refused(playground: Playground) -> None:
    reply = playground.client.post(
        "/playground/api/send", {"as": "u-ana", "text": "hi"}, headers={"Origin": "https://evil.example"}
    )

    assert reply.status == 403
    assert playground.conversation("u-ana") == []


def test_posts_from_the_page_itself_are_accepted(playground: Playground) -> None:
    origin = playground.client.base

    reply = playground.client.post("/playground/api/send", {"as": "u-ana", "text": "hi"}, headers={"Origin": origin})

    assert reply.status == 200


def test_page_icon_is_served_from_the_package(playground: Playground) -> None:
    icon = playground.client.get("/playground/static/favicon.png")

    assert (icon.status, icon.headers["Content-Type"], icon.body[:4]) == (200, "image/png", b"\x89PNG")
