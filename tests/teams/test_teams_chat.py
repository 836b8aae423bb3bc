"""TeamsChat, the Chat port: proactive sends through stored references to each reference's own
``serviceUrl``, 1:1 chats opened for roster members on first send, updates in place, and what the
connector refuses turned into SendError the dispatcher understands."""

from __future__ import annotations

import json

import pytest

from bot.adapters.teams.app import teams_chat
from bot.core import cards
from bot.core.messages import Address, SentRef
from bot.core.model import PersonStatus
from bot.core.ports import SendError
from teams_people import ADMIN, ANA, BEN
from teams_activities import TENANT
from teams_harness import TeamsWorld

NOTICE = cards.notice("Your cohort starts Monday.")
PROMPT_CARD = cards.pending_card(cards.CardFacts(7, "Ana Lopez", "Wait time", "It worked.", "Lovely!", "offline"))


def to(user: str, thread: str | None = None) -> Address:
    return Address("teams", TENANT, user=user, thread=thread)


def send(world: TeamsWorld, user: str, message=NOTICE, thread: str | None = None) -> SentRef:  # noqa: ANN001
    return world.loop.run(world.bot.teams.chat.send(to(user, thread), message))


def failure(world: TeamsWorld, user: str) -> SendError:
    with pytest.raises(SendError) as caught:
        send(world, user)
    return caught.value


def test_a_send_posts_to_the_persons_chat_at_their_service_url(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(ANA, "Ana Lopez"))
    ref = send(edge, ANA, PROMPT_CARD)
    [posted] = edge.connector.posts()
    assert posted.path == f"/v3/conversations/a:chat-{ANA}/activities"
    assert posted.body["recipient"]["id"] == ANA and posted.body["serviceUrl"] == edge.tenant.service_url
    assert ref.message_id == edge.connector.id_of(posted)
    assert json.loads(ref.data)["c"] == f"a:chat-{ANA}"


def test_a_send_in_a_thread_replies_to_that_message(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(ANA, "Ana Lopez"))
    send(edge, ANA, thread="act-prompt")
    assert edge.connector.posts()[0].path == f"/v3/conversations/a:chat-{ANA}/activities/act-prompt"


def test_an_update_replaces_the_message_with_a_card(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(ANA, "Ana Lopez"))
    ref = send(edge, ANA, PROMPT_CARD)
    edge.loop.run(edge.bot.teams.chat.update(SentRef("teams", ref.data), NOTICE))
    [put] = edge.connector.updates()
    assert put.path == f"/v3/conversations/a:chat-{ANA}/activities/{ref.message_id}"
    assert put.cards[0]["fallbackText"] == NOTICE.text


def test_tell_sends_plain_text(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(ANA, "Ana Lopez"))
    edge.loop.run(edge.bot.teams.chat.tell(to(ANA), "Only you can see this."))
    assert edge.connector.posts()[0].body["text"] == "Only you can see this."


def test_teams_cannot_look_up_earlier_sends(edge: TeamsWorld) -> None:
    chat = edge.bot.teams.chat
    assert chat.can_find_sent is False
    assert edge.loop.run(chat.find_sent(to(ANA), "delivery:1")) is None


def test_a_restart_loses_no_reference(world: TeamsWorld) -> None:
    world.bot.post(world.tenant.personal_install(ANA, "Ana Lopez"))
    world.restart()
    send(world, ANA)
    assert [r.conversation for r in world.connector.posts()] == [f"a:chat-{ANA}"]


@pytest.mark.parametrize(("status", "code"), [(412, "PreconditionFailed"), (500, "InternalServerError"),
                                              (502, "BadGateway"), (504, "GatewayTimeout")])
def test_connector_trouble_is_retried(edge: TeamsWorld, status: int, code: str) -> None:
    edge.bot.post(edge.tenant.personal_install(ANA, "Ana Lopez"))
    edge.connector.fail(status, code)
    error = failure(edge, ANA)
    assert not error.permanent and str(status) in error.reason


def test_a_rate_limit_is_retried_after_the_connectors_retry_after(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(ANA, "Ana Lopez"))
    edge.connector.fail(429, "TooManyRequests", headers={"Retry-After": "7"})
    error = failure(edge, ANA)
    assert (error.permanent, error.retry_after) == (False, 7.0)


def test_an_unreachable_connector_is_retried(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(ANA, "Ana Lopez"))
    edge.bot.post(type(edge.tenant)("http://127.0.0.1:9/").message(ANA, "Ana Lopez", "moved"))
    error = failure(edge, ANA)
    assert not error.permanent


def test_a_person_who_blocked_the_bot_is_marked_unreachable_and_admins_told(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(ANA, "Ana Lopez"))
    edge.bot.post(edge.tenant.message(ADMIN, "Dana", "help"))
    edge.connector.fail(403, "MessageWritesBlocked")
    error = failure(edge, ANA)
    assert error.permanent
    assert edge.person(ANA).status == PersonStatus.UNREACHABLE
    edge.bot.tick()
    assert "Ana Lopez" in edge.connector.posts(f"a:chat-{ADMIN}")[-1].text


def test_a_person_marked_unreachable_is_reachable_again_when_they_write(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(ANA, "Ana Lopez"))
    edge.connector.fail(403, "MessageWritesBlocked")
    failure(edge, ANA)
    edge.bot.post(edge.tenant.message(ANA, "Ana Lopez", "hello again"))
    assert edge.person(ANA).status == PersonStatus.ACTIVE


def test_someone_never_seen_cannot_be_reached(edge: TeamsWorld) -> None:
    error = failure(edge, BEN)
    assert error.permanent
    assert edge.connector.requests == []


def test_the_worker_gets_a_chat_port_without_the_web_route(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(ANA, "Ana Lopez"))
    chat = teams_chat(edge.bot.container)
    edge.loop.run(chat.send(to(ANA), NOTICE))
    assert [r.conversation for r in edge.connector.posts()] == [f"a:chat-{ANA}"]
