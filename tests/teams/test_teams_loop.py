"""The whole coaching loop in Teams, over real HTTP: the app installed in a team, an admin
setting up by message, the roster enrolled, a restart, the scheduled prompt sent proactively,
the teacher's reply, the coach's card, approval by Action.Execute, the follow-up."""

from __future__ import annotations

import pytest

from bot.core import cards
from teams_people import ADMIN, ANA, BEN, COACH
from teams_harness import TeamsWorld
from teams_school import MONDAY_0745_NY, cards_with, said_to, set_up_school
from teams_specs import card_problems


@pytest.fixture
def school(world: TeamsWorld) -> TeamsWorld:
    return set_up_school(world)


@pytest.fixture
def edge_school(edge: TeamsWorld) -> TeamsWorld:
    return set_up_school(edge)


def test_team_roster_enrolment_reads_every_page_and_welcomes_each_teacher(school: TeamsWorld) -> None:
    school.bot.post(school.tenant.message(ADMIN, "Dana", "cohort add fall7 team:Grade 5"))
    assert "Added to fall7" in said_to(school, ADMIN)[-1]
    pages = [r for r in school.connector.requests if r.path.endswith("/pagedmembers")]
    assert len(pages) == 2
    school.bot.tick()
    assert [r.body["members"][0]["id"] for r in school.connector.created()] == [ANA, BEN]
    assert all(r.body["channelData"]["tenant"]["id"] == school.tenant.tenant for r in school.connector.created())
    assert any("fall7" in text for text in said_to(school, ANA))
    assert any("fall7" in text for text in said_to(school, BEN))


def test_a_team_the_app_is_not_in_is_listed_back(edge_school: TeamsWorld) -> None:
    edge_school.bot.post(edge_school.tenant.message(ADMIN, "Dana", "cohort add fall7 team:Grade 9"))
    assert "team:Grade 9" in said_to(edge_school, ADMIN)[-1]
    assert not [r for r in edge_school.connector.requests if r.path.endswith("/pagedmembers")]


def test_only_an_admin_command_reads_a_roster(edge_school: TeamsWorld) -> None:
    edge_school.bot.post(edge_school.tenant.message(BEN, "Ben Carter", "cohort add fall7 team:Grade 5"))
    assert not [r for r in edge_school.connector.requests if r.path.endswith("/pagedmembers")]


def test_the_whole_loop_from_install_to_follow_up(school: TeamsWorld) -> None:
    world = school
    world.bot.post(world.tenant.message(ADMIN, "Dana", "cohort add fall7 team:Grade 5"))
    world.restart()

    world.bot.tick(MONDAY_0745_NY)
    [prompt] = cards_with(world, ANA, cards.REFLECT)
    prompt_id = world.connector.id_of(prompt)
    verbs = [a["verb"] for a in prompt.cards[0]["actions"]]
    assert verbs[-1] == cards.REFLECT and cards.QUICK in verbs

    world.clock.set(MONDAY_0745_NY.replace(minute=55))
    reply = world.tenant.message(ANA, "Ana Lopez", "I waited five seconds and Jo answered.", zone="America/New_York")
    assert world.bot.post(reply).status == 200
    assert "Kim Lee" in said_to(world, ANA)[-1]

    world.bot.tick()
    [card] = cards_with(world, COACH, cards.APPROVE)
    assert [a["verb"] for a in card.cards[0]["actions"]] == [cards.APPROVE, cards.EDIT, cards.REJECT]
    draft_id = card.cards[0]["actions"][0]["data"]["value"]

    click = world.tenant.click(COACH, "Kim Lee", world.connector.id_of(card), cards.APPROVE, draft_id)
    answer = world.bot.post(click)
    assert answer.status == 200
    body = answer.json()
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert card_problems(body["value"]) == []
    assert "Kim Lee" in body["value"]["fallbackText"] and "actions" not in body["value"]

    world.bot.tick()
    followup = world.connector.posts(f"a:chat-{ANA}")[-1]
    assert followup.path.endswith(f"/activities/{prompt_id}")
    assert "Kim Lee" in followup.text

