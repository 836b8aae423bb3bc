"""Peer shares in Teams, over real HTTP, with what the stored conversation references allow: the
weekly peer-share prompt is a new post in the team's General channel (through the reference kept
when the app was installed in the team), and an answer in its thread that @mentions MicroCoach
(the only channel messages a bot hears without extra permissions) is kept apart from private
replies, acknowledged in the 1:1 chat and never drafted on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from teams_activities import BOT
from teams_harness import TeamsWorld
from teams_people import ADMIN, ANA, COACH
from teams_school import MONDAY_0745_NY, TEAM, said_to, set_up_school


@pytest.fixture
def posted(edge: TeamsWorld) -> tuple[TeamsWorld, str]:
    """fall7 enrolled from the Grade 5 team, posting in its channel; Monday's post is out."""
    world = set_up_school(edge)
    for line in ("cohort add fall7 team:Grade 5", "cohort channel fall7 team:Grade 5"):
        assert world.bot.post(world.tenant.message(ADMIN, "Dana", line)).status == 200
    assert "peer-share prompt in team:Grade 5 each week" in said_to(world, ADMIN)[-1]
    world.bot.tick(MONDAY_0745_NY)
    [post] = world.connector.posts(TEAM)
    return world, world.connector.id_of(post)


def thread_answer(world: TeamsWorld, post_id: str, user: str, name: str, text: str) -> dict[str, Any]:
    activity = world.tenant.channel_message(TEAM, user, name, text)
    activity["conversation"]["id"] = f"{TEAM};messageid={post_id}"
    activity["replyToId"] = post_id
    return activity


def shares(world: TeamsWorld) -> list:
    store = world.bot.container.store
    fall7 = store.find_cohort(world.person(ANA).workspace_id, "fall7")
    return store.peer_shares_of([p.id for p in store.peer_posts_of(fall7.id)])


def test_the_weekly_prompt_is_a_new_post_in_the_teams_general_channel(posted: tuple[TeamsWorld, str]) -> None:
    world, post_id = posted
    [post] = world.connector.posts(TEAM)
    assert post.path == f"/v3/conversations/{TEAM}/activities" and post_id
    assert "This week's peer share" in post.text and "Everyone in this channel sees" in post.text
    assert post.body["conversation"]["id"] == TEAM


def test_an_at_mention_answer_in_its_thread_is_kept_apart_and_acknowledged_privately(
        posted: tuple[TeamsWorld, str]) -> None:
    world, post_id = posted
    reply = world.bot.post(thread_answer(world, post_id, ANA, "Ana Lopez", "We open with a riddle on the board."))
    assert reply.status == 200
    [share] = shares(world)
    assert share.text == "We open with a riddle on the board."
    assert "Everyone there can see it" in said_to(world, ANA)[-1]
    assert world.bot.container.store.replies_of(world.person(ANA).id) == []
    world.bot.tick(MONDAY_0745_NY + timedelta(minutes=5))
    assert not [text for text in said_to(world, COACH) if "replied" in text]


def test_a_command_in_the_thread_is_still_a_command(posted: tuple[TeamsWorld, str]) -> None:
    world, post_id = posted
    world.bot.post(thread_answer(world, post_id, ADMIN, "Dana", "cohort list"))
    assert "fall7" in said_to(world, ADMIN)[-1] and shares(world) == []


def test_the_bots_own_mention_is_not_part_of_the_share(posted: tuple[TeamsWorld, str]) -> None:
    world, post_id = posted
    activity = thread_answer(world, post_id, ANA, "Ana Lopez", "Exit slips.")
    assert activity["entities"][0]["mentioned"] == BOT
    world.bot.post(activity)
    assert [s.text for s in shares(world)] == ["Exit slips."]
