"""The journey's own messages render on every adapter within its limits, like every library item:
the goal check-back, the focus picker it opens, and each peer-share post for a cohort's channel
(Slack Block Kit, the Adaptive Card 1.5 schema with Teams' root ``msteams`` set aside, the
playground)."""

from __future__ import annotations

import json
from functools import cache

import pytest
from jsonschema import Draft6Validator

from bot.adapters.playground.render import to_view
from bot.adapters.slack.render import fallback_text, to_blocks
from bot.adapters.teams.render import to_adaptive_card
from bot.core import cards
from bot.core import catalogue as say
from bot.core.messages import Outbound
from bot.core.prompts import FOCUS_AREAS
from prompts.library import YamlPromptLibrary
from support import SPECS

SHARES = [item for item in YamlPromptLibrary.load().all() if item.kind == "peer-share"]
LONG_GOAL = "Get every one of my quiet students talking at least once in each discussion, " * 6


@cache
def card_schema() -> Draft6Validator:
    return Draft6Validator(json.loads((SPECS / "teams" / "adaptive-card-1.5.json").read_text()))


def check_backs() -> list[tuple[str, Outbound]]:
    return [
        ("focus-and-goal", cards.check_back_message(42, "questioning", LONG_GOAL[:500], None, "Coach Kim", True)),
        ("focus-only", cards.check_back_message(42, "feedback", None, None, None, False)),
        ("no-focus-default", cards.check_back_message(42, None, None, "wellbeing", "Coach Kim", False)),
        ("no-focus-at-all", cards.check_back_message(42, None, None, None, "Coach Kim", False)),
        ("picker", cards.focus_picker(say.CHECK_BACK_CHANGE, "questioning", say.CHECK_BACK_QUESTION,
                                      say.CHECK_BACK_HINT, "check-back:42")),
        ("kept", cards.notice(say.check_back_kept("questioning"))),
    ]


MESSAGES = check_backs() + [(item.id, cards.peer_share_post(item)) for item in SHARES]


def assert_within_slack_limits(message: Outbound) -> None:
    blocks = to_blocks(message)
    assert 0 < len(blocks) <= 50
    for block in blocks:
        assert len((block.get("text") or {}).get("text", "")) <= 3000
        for element in block.get("elements", []):
            label = element.get("text")
            assert not isinstance(label, dict) or len(label.get("text", "")) <= 75
            assert len(str(element.get("value", ""))) <= 2000
    assert 0 < len(fallback_text(message)) <= 40000


@pytest.mark.parametrize(("name", "message"), MESSAGES, ids=[name for name, _ in MESSAGES])
def test_slack_renders_it_within_block_kit_limits(name: str, message: Outbound) -> None:
    assert_within_slack_limits(message)


@pytest.mark.parametrize(("name", "message"), MESSAGES, ids=[name for name, _ in MESSAGES])
def test_teams_renders_it_as_a_valid_adaptive_card(name: str, message: Outbound) -> None:
    card = to_adaptive_card(message)
    assert [e.message for e in card_schema().iter_errors({k: v for k, v in card.items() if k != "msteams"})] == []
    assert card.get("fallbackText")


@pytest.mark.parametrize(("name", "message"), MESSAGES, ids=[name for name, _ in MESSAGES])
def test_the_playground_shows_its_text_and_buttons(name: str, message: Outbound) -> None:
    view = to_view(message)
    assert [b["label"] for b in view["buttons"]] == [b.label for b in message.buttons]
    assert [(s["heading"], s["text"]) for s in view["sections"]] == [(s.heading, s.text) for s in message.sections]
    assert view["text"] == message.text


def test_the_check_back_asks_one_question_with_two_one_tap_answers() -> None:
    message = cards.check_back_message(42, "questioning", "More quiet students talking", None, "Coach Kim", False)
    assert message.sections[0].heading == "Is this still your focus?"
    assert "More quiet students talking" in message.text and "Only Coach Kim sees your replies" in message.text
    assert [(b.label, b.action_id, b.value) for b in message.buttons] == [
        ("Yes, keep it", cards.KEEP_FOCUS, "42"), ("Change my focus", cards.CHANGE_FOCUS, "42")]
    assert message.delivery_key == "delivery:42"


def test_the_picker_a_check_back_opens_carries_it_on_every_focus_button() -> None:
    picker = cards.focus_picker("t", None, say.CHECK_BACK_QUESTION, say.CHECK_BACK_HINT, "check-back:42")
    values = [b.value for b in picker.buttons if b.action_id == cards.CHOOSE_FOCUS]
    assert values == [f"{area}|check-back:42" for area in FOCUS_AREAS]


def test_a_peer_share_post_says_the_channel_sees_answers_and_has_no_buttons() -> None:
    post = cards.peer_share_post(SHARES[0])
    assert SHARES[0].text in post.text and "Everyone in this channel sees" in post.text
    assert post.buttons == () and post.inputs == () and post.delivery_key is None
