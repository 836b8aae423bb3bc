"""Clicks on cards (Universal Actions, ``adaptiveCard/action``), answered by us with HTTP 200:
the updated card when something changed, an error card for anyone but the teacher's coach, and
a short message, leaving the card as it was, when the click was refused."""

from __future__ import annotations

from typing import Any

import pytest

from bot.core import cards
from teams_people import ADMIN, ANA, BEN, COACH
from teams_harness import TeamsWorld
from teams_specs import card_problems
from teams_school import MONDAY_0745_NY, cards_with, set_up_school

CARD = "application/vnd.microsoft.card.adaptive"


@pytest.fixture
def carded(edge: TeamsWorld) -> TeamsWorld:
    """Ana replied to Monday's prompt; Coach Kim has the card with her draft."""
    world = set_up_school(edge)
    world.bot.post(world.tenant.message(ADMIN, "Dana", "cohort add fall7 team:Grade 5"))
    world.bot.tick(MONDAY_0745_NY)
    world.clock.set(MONDAY_0745_NY.replace(minute=55))
    world.bot.post(world.tenant.message(ANA, "Ana Lopez", "I waited five seconds and Jo answered."))
    world.bot.tick()
    return world


def click(world: TeamsWorld, user: str, name: str, verb: str, **inputs: str) -> dict[str, Any]:
    holder = COACH if verb.startswith("draft.") else user
    request = cards_with(world, holder, verb)[-1]
    value = next(a["data"]["value"] for a in request.cards[0]["actions"] if a["verb"] == verb)
    reply = world.bot.post(world.tenant.click(user, name, world.connector.id_of(request), verb, value, **inputs))
    assert reply.status == 200
    return reply.json()


def draft_status(world: TeamsWorld) -> str:
    with world.bot.container.engine.connect() as conn:
        return conn.exec_driver_sql("SELECT status FROM draft").scalar_one()


def test_approve_answers_with_the_decided_card(carded: TeamsWorld) -> None:
    body = click(carded, COACH, "Kim Lee", cards.APPROVE)
    assert (body["statusCode"], body["type"]) == (200, CARD)
    assert card_problems(body["value"]) == []
    assert draft_status(carded) == "approved"


def test_edit_sends_the_edited_text(carded: TeamsWorld) -> None:
    click(carded, COACH, "Kim Lee", cards.EDIT, edited_text="What did Jo say after the pause?")
    carded.bot.tick()
    assert draft_status(carded) == "edited"
    assert "What did Jo say after the pause?" in carded.connector.posts(f"a:chat-{ANA}")[-1].text


def test_anyone_but_the_coach_gets_an_error_card_and_nothing_changes(carded: TeamsWorld) -> None:
    body = click(carded, BEN, "Ben Carter", cards.APPROVE)
    assert body["type"] == CARD
    assert "coach" in body["value"]["fallbackText"]
    assert draft_status(carded) == "pending"


def test_a_second_click_on_a_decided_card_changes_nothing(carded: TeamsWorld) -> None:
    click(carded, COACH, "Kim Lee", cards.APPROVE)
    body = click(carded, COACH, "Kim Lee", cards.REJECT)
    assert "closed" in body["value"]["fallbackText"]
    assert draft_status(carded) == "approved"


def test_an_empty_reflection_is_refused_with_a_message_and_the_card_stays(carded: TeamsWorld) -> None:
    body = click(carded, ANA, "Ana Lopez", cards.REFLECT, reflection="  ")
    assert body["type"] == "application/vnd.microsoft.activity.message"
    assert "few words" in body["value"]


def test_a_one_tap_answer_is_acknowledged_on_the_card(carded: TeamsWorld) -> None:
    body = click(carded, ANA, "Ana Lopez", cards.QUICK)
    assert body["type"] == CARD
    assert card_problems(body["value"]) == []
