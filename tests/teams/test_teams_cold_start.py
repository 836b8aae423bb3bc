"""Roster members we never talked to: their 1:1 chat is created on the first send (in their
tenant), remembered, and reused."""

from __future__ import annotations

from bot.core import cards
from bot.core.messages import Address
from teams_people import ADMIN, BEN
from teams_activities import TENANT, member
from teams_harness import TeamsWorld

TEAM = "19:grade5@thread.tacv2"


def enrol_ben(world: TeamsWorld) -> None:
    world.connector.rosters[TEAM] = [member(BEN, "Ben Carter", "ben@maple.org")]
    world.bot.post(world.tenant.team_install(TEAM, "Grade 5", ADMIN, "Dana"))
    world.bot.post(world.tenant.message(ADMIN, "Dana", "cohort create fall7"))
    world.bot.post(world.tenant.message(ADMIN, "Dana", "cohort add fall7 team:Grade 5"))


def send_to_ben(world: TeamsWorld) -> None:
    world.loop.run(world.bot.teams.chat.send(Address("teams", TENANT, user=BEN), cards.notice("Hello")))


def test_the_first_send_opens_the_chat_in_the_persons_tenant(edge: TeamsWorld) -> None:
    enrol_ben(edge)
    send_to_ben(edge)
    [created] = edge.connector.created()
    assert created.body["members"] == [{"id": BEN, "name": "Ben Carter"}]
    assert created.body["channelData"] == {"tenant": {"id": TENANT}}
    assert edge.connector.posts()[-1].conversation == f"a:chat-{BEN}"


def test_an_opened_chat_is_remembered_across_a_restart(world: TeamsWorld) -> None:
    enrol_ben(world)
    send_to_ben(world)
    world.restart()
    send_to_ben(world)
    assert len(world.connector.created()) == 1


def test_roster_members_are_known_by_email(edge: TeamsWorld) -> None:
    enrol_ben(edge)
    assert edge.person(BEN).email == "ben@maple.org"


def test_someone_without_the_app_is_marked_unreachable(edge: TeamsWorld) -> None:
    enrol_ben(edge)
    edge.connector.fail(403, "BotNotInConversationRoster", path_contains="/v3/conversations")
    edge.bot.tick()
    assert edge.person(BEN).status == "unreachable"
