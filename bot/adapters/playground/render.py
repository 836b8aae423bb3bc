"""Outbound → the JSON the playground page draws.

The page builds every element with ``textContent``, so nothing here escapes HTML: the values
stay plain text end to end, which is what makes the page safe from injected markup.
"""

from __future__ import annotations

from typing import Any

from bot.core.messages import Button, Outbound, Section, TextInput


def to_view(message: Outbound) -> dict[str, Any]:
    return {
        "text": message.text,
        "sections": [_section(s) for s in message.sections],
        "buttons": [_button(b) for b in message.buttons],
        "inputs": [_input(i) for i in message.inputs],
    }


def text_view(text: str) -> dict[str, Any]:
    """A message that is only text: what a person typed, or a notice."""
    return to_view(Outbound(text=text))


def _section(section: Section) -> dict[str, Any]:
    return {
        "heading": section.heading,
        "text": section.text,
        "facts": [{"label": label, "value": value} for label, value in section.facts],
    }


def _button(button: Button) -> dict[str, Any]:
    return {"label": button.label, "action_id": button.action_id, "value": button.value, "style": button.style}


def _input(field: TextInput) -> dict[str, Any]:
    return {
        "input_id": field.input_id,
        "label": field.label,
        "initial": field.initial,
        "multiline": field.multiline,
        "max_length": field.max_length,
    }
