"""Rendering the core's messages for Teams: Adaptive Cards 1.5 that pass the official schema,
keep their plain text as ``fallbackText``, and carry each button's action id and value."""

from __future__ import annotations

import pytest

from bot.adapters.teams.render import (
    CARD_TYPE,
    card_response,
    error_response,
    summary,
    to_activity,
    to_adaptive_card,
)
from bot.core import cards
from bot.core.messages import Button, Outbound, Section, TextInput
from bot.core.prompts import PromptItem

from teams_specs import card_problems

PROMPT = PromptItem(id="p-wait-time", kind="reflection", focus="questioning", level="starter",
                    title="Wait time", text="Where did a longer pause help a student today?")
FACTS = cards.CardFacts(draft_id=7, teacher="Ana Lopez", prompt_title="Wait time",
                        reply="I waited five seconds and Jo answered.", draft="Lovely — what did Jo say?",
                        source="offline")

CORE_MESSAGES = {
    "prompt": cards.prompt_message(42, PROMPT, "Coach Kim", ai_on=False),
    "pending card": cards.pending_card(FACTS),
    "decided card": cards.decided_card(FACTS, "approved", "Coach Kim", "Mon Nov 30, 08:10", "Lovely — what did Jo say?"),
    "rejected card": cards.rejected_card(FACTS, "Coach Kim", "Mon Nov 30, 08:10"),
    "urgent card": cards.urgent_card("Ana Lopez", "Wait time", "A student told me something worrying.", "harm"),
    "note card": cards.note_card("Ana Lopez", "Can we talk on Friday?"),
    "follow-up": cards.followup_message(7, "What did Jo say next?", "Coach Kim"),
    "useful thanks": cards.useful_thanks("What did Jo say next?", "Coach Kim", useful=True),
    "welcome": cards.welcome_card("Welcome to fall7 — Coach Kim is your coach.", None),
    "notice": cards.notice("You're all set."),
}


@pytest.mark.parametrize("name", sorted(CORE_MESSAGES))
def test_every_core_message_renders_to_a_valid_adaptive_card_1_5(name: str) -> None:
    card = to_adaptive_card(CORE_MESSAGES[name])
    assert card["version"] == "1.5"
    assert card_problems(card) == []


@pytest.mark.parametrize("name", sorted(CORE_MESSAGES))
def test_every_card_keeps_the_plain_text_as_fallback_text(name: str) -> None:
    message = CORE_MESSAGES[name]
    assert to_adaptive_card(message)["fallbackText"] == message.text


def test_schema_check_catches_an_invalid_card() -> None:
    card = to_adaptive_card(CORE_MESSAGES["prompt"])
    card["actions"][0]["verb"] = 7
    assert card_problems(card) != []


def test_buttons_become_action_execute_with_verb_and_value() -> None:
    card = to_adaptive_card(CORE_MESSAGES["pending card"])
    actions = [(a["type"], a["verb"], a["data"]["value"]) for a in card["actions"]]
    assert actions == [("Action.Execute", cards.APPROVE, "7"), ("Action.Execute", cards.EDIT, "7"),
                       ("Action.Execute", cards.REJECT, "7")]


def test_button_styles_map_to_adaptive_card_styles() -> None:
    message = Outbound(text="t", buttons=(Button("Yes", "a", style="primary"), Button("No", "b", style="danger"),
                                          Button("Later", "c")))
    assert [a["style"] for a in to_adaptive_card(message)["actions"]] == ["positive", "destructive", "default"]


def test_the_edit_field_is_an_input_text_prefilled_with_the_draft() -> None:
    card = to_adaptive_card(CORE_MESSAGES["pending card"])
    inputs = [e for e in card["body"] if e["type"] == "Input.Text"]
    assert inputs == [{"type": "Input.Text", "id": cards.EDIT_INPUT, "label": "Edit the follow-up",
                       "isMultiline": True, "maxLength": 3000, "value": FACTS.draft}]


def test_an_empty_input_has_no_initial_value() -> None:
    card = to_adaptive_card(Outbound(text="t", inputs=(TextInput("reflection", "Your reflection", multiline=False),)))
    assert card["body"][-1] == {"type": "Input.Text", "id": "reflection", "label": "Your reflection",
                                "isMultiline": False, "maxLength": 3000}


def test_section_headings_text_and_facts_appear_in_order() -> None:
    message = Outbound(text="t", sections=(Section(text="Body", heading="Title", facts=(("Prompt", "Wait time"),)),))
    body = to_adaptive_card(message)["body"]
    assert [e["type"] for e in body] == ["TextBlock", "TextBlock", "FactSet"]
    assert body[0]["text"] == "Title" and body[0]["weight"] == "Bolder"
    assert body[2]["facts"] == [{"title": "Prompt", "value": "Wait time"}]


def test_a_message_without_sections_shows_its_text() -> None:
    card = to_adaptive_card(Outbound(text="Just this", buttons=(Button("OK", "a"),)))
    assert card["body"] == [{"type": "TextBlock", "text": "Just this", "wrap": True}]


def test_plain_messages_are_sent_as_text_not_cards() -> None:
    activity = to_activity(CORE_MESSAGES["useful thanks"])
    assert activity["text"] == CORE_MESSAGES["useful thanks"].text
    assert "attachments" not in activity


def test_rich_messages_are_sent_as_one_adaptive_card_with_a_summary() -> None:
    activity = to_activity(CORE_MESSAGES["prompt"])
    assert [a["contentType"] for a in activity["attachments"]] == [CARD_TYPE]
    assert activity["summary"] == "Wait time"


def test_a_plain_message_can_be_forced_into_a_card_for_updates() -> None:
    activity = to_activity(cards.notice("Withdrawn."), card=True)
    assert activity["attachments"][0]["content"]["fallbackText"] == "Withdrawn."


def test_summary_is_the_first_line_shortened() -> None:
    assert summary("x" * 500 + "\nsecond") == "x" * 199 + "…"
    assert summary("   ") == ""


def test_card_response_is_a_universal_actions_card_body() -> None:
    response = card_response(CORE_MESSAGES["decided card"])
    assert (response["statusCode"], response["type"]) == (200, CARD_TYPE)
    assert card_problems(response["value"]) == []


def test_error_response_names_the_code_and_message() -> None:
    assert error_response(400, "NotSupported", "Nope") == {
        "statusCode": 400, "type": "application/vnd.microsoft.error",
        "value": {"code": "NotSupported", "message": "Nope"},
    }
