"""Outbound → Teams: Adaptive Cards 1.5 with ``fallbackText``, message activities, and the
bodies of ``adaptiveCard/action`` invoke responses (pure functions, plain JSON-ready dicts).

Buttons become ``Action.Execute`` (Universal Actions): the verb is the core's action id and
``data.value`` its value; Teams merges the card's inputs into ``data`` when it invokes the bot.
"""

from __future__ import annotations

from typing import Any

from bot.core.messages import Button, Outbound, Section, TextInput

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
ERROR_TYPE = "application/vnd.microsoft.error"
MESSAGE_TYPE = "application/vnd.microsoft.activity.message"
CARD_VERSION = "1.5"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VALUE_KEY = "value"
"""The key of a button's value in ``Action.Execute.data`` (input ids never use it)."""
SUMMARY_LENGTH = 200
_STYLES = {"default": "default", "primary": "positive", "danger": "destructive"}


def to_adaptive_card(message: Outbound) -> dict[str, Any]:
    body = [element for section in message.sections for element in _section(section)]
    if not body and message.text:
        body.append(_text(message.text))
    body += [_input(field) for field in message.inputs]
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": CARD_SCHEMA,
        "version": CARD_VERSION,
        "fallbackText": message.text,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if message.buttons:
        card["actions"] = [_action(button) for button in message.buttons]
    return card


def is_plain(message: Outbound) -> bool:
    """A message that is only text reads best as an ordinary chat message, not a card."""
    return not message.buttons and not message.inputs and all(
        not section.heading and not section.facts for section in message.sections
    )


def to_activity(message: Outbound, *, card: bool = False) -> dict[str, Any]:
    """A message activity's content (addressing is added by the chat port). ``card`` forces a
    card even for plain text, for updates of a message that was a card."""
    if is_plain(message) and not card:
        return {"type": "message", "text": message.text, "textFormat": "markdown"}
    return {
        "type": "message",
        "summary": summary(message.text),
        "attachments": [{"contentType": CARD_TYPE, "content": to_adaptive_card(message)}],
    }


def text_activity(text: str) -> dict[str, Any]:
    return to_activity(Outbound(text=text))


def summary(text: str) -> str:
    """The first line, short: what Teams shows in notifications and the chat list."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    return first if len(first) <= SUMMARY_LENGTH else first[: SUMMARY_LENGTH - 1] + "…"


def card_response(message: Outbound) -> dict[str, Any]:
    """The invoke response that replaces the clicked card with ``message``."""
    return {"statusCode": 200, "type": CARD_TYPE, "value": to_adaptive_card(message)}


def message_response(text: str) -> dict[str, Any]:
    """The invoke response that leaves the card as it is and shows the person ``text``."""
    return {"statusCode": 200, "type": MESSAGE_TYPE, "value": text}


def error_response(status: int, code: str, text: str) -> dict[str, Any]:
    return {"statusCode": status, "type": ERROR_TYPE, "value": {"code": code, "message": text}}


def _section(section: Section) -> list[dict[str, Any]]:
    elements: list[dict[str, Any]] = []
    if section.heading:
        elements.append({**_text(section.heading), "weight": "Bolder", "size": "Medium"})
    if section.text:
        elements.append(_text(section.text))
    if section.facts:
        elements.append({"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in section.facts]})
    return elements


def _text(text: str) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True}


def _input(field: TextInput) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "Input.Text",
        "id": field.input_id,
        "label": field.label,
        "isMultiline": field.multiline,
        "maxLength": field.max_length,
    }
    if field.initial:
        element["value"] = field.initial
    return element


def _action(button: Button) -> dict[str, Any]:
    return {
        "type": "Action.Execute",
        "title": button.label,
        "verb": button.action_id,
        "data": {VALUE_KEY: button.value},
        "style": _STYLES[button.style],
    }
