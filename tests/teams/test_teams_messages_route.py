"""``POST /api/messages`` in unauthenticated test mode: references stored the moment they are
seen, messages and commands reach the core, notices come back in the 1:1 chat, and bad input is
refused with 4xx, never 5xx."""

from __future__ import annotations

import json

import pytest

from bot.settings import load_settings
from teams_people import ADMIN, ANA, COACH, START
from teams_activities import Tenant
from teams_harness import Loop, TeamsBotServer, TeamsWorld


def refs_of(world: TeamsWorld, user: str):  # noqa: ANN201 — a ConversationReference or None
    return world.loop.run(world.bot.teams.chat.refs.reference(world.tenant.tenant, user))


def test_a_personal_install_stores_the_persons_reference(world: TeamsWorld) -> None:
    reply = world.bot.post(world.tenant.personal_install(ANA, "Ana Lopez"))
    assert reply.status == 200
    assert world.person(ANA).display_name == "Ana Lopez"
    reference = refs_of(world, ANA)
    assert (reference.conversation.id, reference.service_url) == (f"a:chat-{ANA}", world.tenant.service_url)
    assert world.connector.requests == []


def test_the_bot_joining_a_personal_chat_stores_the_reference(edge: TeamsWorld) -> None:
    assert edge.bot.post(edge.tenant.personal_hello(ANA, "Ana Lopez")).status == 200
    assert refs_of(edge, ANA).conversation.id == f"a:chat-{ANA}"


def test_any_message_refreshes_the_reference(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(ANA, "Ana Lopez"))
    moved = edge.connector_url.replace("127.0.0.1", "localhost") + "/"
    edge.bot.post(Tenant(moved).message(ANA, "Ana Lopez", "hello"))
    assert refs_of(edge, ANA).service_url == moved


def test_references_are_sealed_at_rest(world: TeamsWorld) -> None:
    world.bot.post(world.tenant.personal_install(ANA, "Ana Lopez"))
    with world.bot.container.engine.connect() as conn:
        [data] = conn.exec_driver_sql("SELECT data FROM conversation_ref").scalars().all()
    assert data.startswith(("plain:", "fernet:"))


def test_a_command_from_an_admin_is_answered_in_the_chat(edge: TeamsWorld) -> None:
    reply = edge.bot.post(edge.tenant.message(ADMIN, "Dana", "cohort create fall7 America/New_York"))
    assert reply.status == 200
    [answer] = edge.connector.posts(f"a:chat-{ADMIN}")
    assert "fall7" in answer.text
    assert answer.body["recipient"]["id"] == ADMIN


def test_a_mentioned_person_is_resolved_by_their_mention(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(COACH, "Kim Lee"))
    edge.bot.post(edge.tenant.message(ADMIN, "Dana", "cohort create fall7"))
    edge.bot.post(edge.tenant.message(ADMIN, "Dana", "cohort coach fall7 <at>Kim Lee</at>",
                                        mentions=(("Kim Lee", COACH),)))
    store = edge.bot.container.store
    cohort = store.find_cohort(edge.person(ADMIN).workspace_id, "fall7")
    assert cohort.coach_id == edge.person(COACH).id


def test_local_timezone_sets_the_persons_zone(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.message(ANA, "Ana Lopez", "hello", zone="America/Denver"))
    assert edge.person(ANA).tz == "America/Denver"


def test_an_unknown_zone_is_ignored(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.message(ANA, "Ana Lopez", "hello", zone="Mars/Olympus"))
    assert edge.person(ANA).tz is None


def enrol(world: TeamsWorld, user: str) -> None:
    store, now = world.bot.container.store, world.clock.now()
    workspace = store.ensure_workspace("teams", world.tenant.tenant, at=now)
    cohort = store.create_cohort(workspace.id, "fall7", "America/New_York", at=now)
    store.enroll(cohort.id, store.ensure_person(workspace.id, user, at=now).id, at=now)


def test_an_edit_and_a_deletion_reach_the_core(edge: TeamsWorld) -> None:
    enrol(edge, ANA)
    note = edge.tenant.message(ANA, "Ana Lopez", "Could we talk about group work?")
    edge.bot.post(note)
    edge.bot.post(edge.tenant.edit(ANA, "Ana Lopez", note["id"], "Could we talk about pair work?"))
    edge.bot.post(edge.tenant.delete(ANA, "Ana Lopez", note["id"]))
    said = [r.text for r in edge.connector.posts(f"a:chat-{ANA}")]
    assert said[1:] == ["Updated — your coach will see the new wording.",
                        "Withdrawn. Your coach won't see that message any more."]


def test_a_retried_activity_changes_nothing_the_second_time(edge: TeamsWorld) -> None:
    activity = edge.tenant.message(ADMIN, "Dana", "cohort create fall7")
    assert edge.bot.post(activity).status == 200
    assert edge.bot.post(activity).status == 200
    assert len(edge.connector.posts(f"a:chat-{ADMIN}")) == 1


def test_any_authorization_header_is_refused_in_unauthenticated_mode(edge: TeamsWorld) -> None:
    reply = edge.bot.post(edge.tenant.message(ADMIN, "Dana", "help"), headers={"Authorization": "Bearer x.y.z"})
    assert reply.status == 401
    assert edge.person(ADMIN) is None


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe", b'{"text": "no type"}',
                                 b'{"type": "message", "entities": "nope", "conversation": {"id": "c"}}'])
def test_a_body_that_is_not_an_activity_gets_400(edge: TeamsWorld, raw: bytes) -> None:
    assert edge.bot.post(None, raw=raw).status == 400


@pytest.mark.parametrize("field", ["serviceUrl", "conversation", "from"])
def test_an_activity_missing_what_we_answer_on_gets_400(edge: TeamsWorld, field: str) -> None:
    activity = edge.tenant.message(ANA, "Ana Lopez", "hello")
    del activity[field]
    assert edge.bot.post(activity).status == 400


def test_an_unknown_invoke_gets_an_error_response_not_a_500(edge: TeamsWorld) -> None:
    reply = edge.bot.post(edge.tenant.invoke(ANA, "Ana Lopez", "task/fetch", {"data": {}}))
    assert reply.status == 400
    assert reply.json()["type"] == "application/vnd.microsoft.error"


@pytest.mark.parametrize("value", [None, {}, {"action": {"type": "Action.Submit", "verb": "x"}},
                                   {"action": {"type": "Action.Execute"}}])
def test_a_malformed_card_action_gets_a_bad_request_response(edge: TeamsWorld, value: object) -> None:
    reply = edge.bot.post(edge.tenant.invoke(ANA, "Ana Lopez", "adaptiveCard/action", value))
    assert reply.status == 400
    assert reply.json()["value"]["code"] == "BadRequest"


def test_the_endpoint_is_off_without_an_app_id_or_the_test_flag(sqlite_url: str, loop: Loop) -> None:
    from bot.clock import FixedClock

    settings = load_settings(DATABASE_URL=sqlite_url, MicrosoftAppId="", TEAMS_ALLOW_UNAUTHENTICATED="0")
    server = TeamsBotServer(loop, settings, FixedClock(START))
    try:
        assert server.post(Tenant("http://127.0.0.1:9/").message(ANA, "Ana", "hi")).status == 404
    finally:
        server.stop()


def test_an_unreachable_database_gets_503_with_retry_after(loop: Loop) -> None:
    from bot.clock import FixedClock

    settings = load_settings(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:9/none", TEAMS_ALLOW_UNAUTHENTICATED="1")
    server = TeamsBotServer(loop, settings, FixedClock(START))
    try:
        reply = server.post(Tenant("http://127.0.0.1:9/").message(ANA, "Ana", "hi"))
    finally:
        server.stop()
    assert reply.status == 503
    assert reply.headers["Retry-After"].isdigit()
    assert json.loads(reply.body)["ok"] is False


def test_a_command_in_a_team_channel_is_answered_privately_in_the_1_1_chat(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.personal_install(ADMIN, "Dana"))
    edge.bot.post(edge.tenant.channel_message("19:grade5@thread.tacv2", ADMIN, "Dana", "cohort list"))
    [answer] = edge.connector.posts()
    assert answer.conversation == f"a:chat-{ADMIN}"


def test_without_a_1_1_chat_the_bot_opens_one_to_answer(edge: TeamsWorld) -> None:
    edge.bot.post(edge.tenant.channel_message("19:grade5@thread.tacv2", ADMIN, "Dana", "cohort list"))
    assert [r.body["members"][0]["id"] for r in edge.connector.created()] == [ADMIN]
    assert [r.conversation for r in edge.connector.posts()] == [f"a:chat-{ADMIN}"]


def test_if_no_1_1_chat_can_be_opened_the_channel_is_asked_to_open_one(edge: TeamsWorld) -> None:
    edge.connector.fail(403, "BotNotInConversationRoster", path_contains="/v3/conversations")
    edge.bot.post(edge.tenant.channel_message("19:grade5@thread.tacv2", ADMIN, "Dana", "cohort list"))
    [answer] = edge.connector.posts()
    assert answer.conversation.startswith("19:grade5") and "open a chat" in answer.text
