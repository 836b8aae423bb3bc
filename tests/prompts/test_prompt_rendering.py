"""Every item of the library renders on every adapter within that platform's limits: Slack Block
Kit limits, the Adaptive Card 1.5 schema for Teams (its root `msteams` set aside), the playground."""

from __future__ import annotations

import json
from functools import cache

import pytest
from jsonschema import Draft6Validator

from bot.adapters.playground.render import to_view
from bot.adapters.slack.render import fallback_text, to_blocks
from bot.adapters.teams.render import to_adaptive_card
from bot.core.cards import prompt_message
from prompts.library import YamlPromptLibrary
from support import SPECS

ITEMS = YamlPromptLibrary.load().all()
SLACK_SECTION_TEXT = 3000
SLACK_BUTTON_TEXT = 75
SLACK_BLOCKS = 50
SLACK_TEXT = 40000


@cache
def card_schema() -> Draft6Validator:
    return Draft6Validator(json.loads((SPECS / "teams" / "adaptive-card-1.5.json").read_text()))


def message_for(item):  # noqa: ANN001, ANN201
    return prompt_message(1234, item, "Coach Kim", True)


@pytest.mark.parametrize("item", ITEMS, ids=[i.id for i in ITEMS])
def test_slack_renders_the_item_within_block_kit_limits(item) -> None:  # noqa: ANN001
    blocks = to_blocks(message_for(item))
    assert 0 < len(blocks) <= SLACK_BLOCKS
    for block in blocks:
        text = (block.get("text") or {}).get("text", "")
        assert len(text) <= SLACK_SECTION_TEXT
        for element in block.get("elements", []):
            label = (element.get("text") or {}).get("text", "") if isinstance(element.get("text"), dict) else ""
            assert len(label) <= SLACK_BUTTON_TEXT
    assert item.text[:40] in fallback_text(message_for(item)) and len(fallback_text(message_for(item))) <= SLACK_TEXT


@pytest.mark.parametrize("item", ITEMS, ids=[i.id for i in ITEMS])
def test_teams_renders_the_item_as_a_valid_adaptive_card(item) -> None:  # noqa: ANN001
    card = to_adaptive_card(message_for(item))
    checked = {k: v for k, v in card.items() if k != "msteams"}
    assert [e.message for e in card_schema().iter_errors(checked)] == []
    assert card.get("fallbackText")


@pytest.mark.parametrize("item", ITEMS, ids=[i.id for i in ITEMS])
def test_the_playground_shows_the_item_with_its_quick_replies(item) -> None:  # noqa: ANN001
    view = to_view(message_for(item))
    labels = [b["label"] for b in view["buttons"]]
    assert list(item.quick_replies) == labels[: len(item.quick_replies)]
    assert item.text in view["text"]
