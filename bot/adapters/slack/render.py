"""Outbound → Block Kit, built with slack_sdk's block models (pure functions).

Every message keeps its plain ``text`` for notifications and screen readers. Text the bot did
not write (a teacher's reply quoted on a coach's card) is escaped, so ``<!channel>`` or a link
typed by a person stays inert. Slack wants action ids unique within a block, so the buttons of
one message get a ``#n`` suffix that :func:`base_action_id` strips again.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.metadata import Metadata
from slack_sdk.models.views import View

from bot.core import cards
from bot.core.messages import Button, Outbound, Section, TextInput

DELIVERY_EVENT = "microcoach_delivery"
MODAL_CALLBACK = "microcoach.modal"
MAX_TEXT = 3000
MAX_FIELD = 2000
MAX_FIELDS = 10
MAX_BUTTON_LABEL = 75
MAX_FALLBACK = 4000
BUTTONS_PER_BLOCK = 25

MODAL_BUTTONS = {cards.REFLECT: "Reflect…", cards.EDIT: "Edit…", cards.OWN: "Write my own…",
                 cards.SAVE_GOAL: "Set a goal…"}
"""In Slack these buttons open a modal with the message's text field, so their labels say so."""
MODAL_TITLES = {cards.REFLECT: "Reflect", cards.EDIT: "Edit follow-up", cards.OWN: "Your follow-up",
                cards.SAVE_GOAL: "Your goal"}


def escape(text: str) -> str:
    """Slack's three control characters, escaped as its formatting rules require."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_blocks(message: Outbound) -> list[dict[str, Any]]:
    blocks: list[Block] = []
    for section in message.sections:
        blocks += _section(section)
    if not blocks and message.text:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_clip(escape(message.text), MAX_TEXT))))
    for start in range(0, len(message.buttons), BUTTONS_PER_BLOCK):
        chunk = message.buttons[start:start + BUTTONS_PER_BLOCK]
        blocks.append(ActionsBlock(elements=[_button(b, start + i) for i, b in enumerate(chunk)]))
    return [block.to_dict() for block in blocks]


def fallback_text(message: Outbound) -> str:
    """The plain ``text`` of a message: escaped like any other Slack text, and kept short."""
    return _clip(escape(message.text), MAX_FALLBACK)


def delivery_metadata(message: Outbound) -> dict[str, Any] | None:
    """The metadata that lets the chat port find a sent prompt again in the DM's history."""
    if not message.delivery_key:
        return None
    return Metadata(event_type=DELIVERY_EVENT, event_payload={"delivery_key": message.delivery_key}).to_dict()


def _section(section: Section) -> list[Block]:
    parts = []
    if section.heading:
        parts.append(f"*{escape(section.heading)}*")
    if section.text:
        parts.append(escape(section.text))
    blocks: list[Block] = []
    if parts:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_clip("\n".join(parts), MAX_TEXT))))
    if section.facts:
        fields = [MarkdownTextObject(text=_clip(f"*{escape(label)}*\n{escape(value)}", MAX_FIELD))
                  for label, value in section.facts[:MAX_FIELDS]]
        blocks.append(SectionBlock(fields=fields))
    return blocks


def _button(button: Button, index: int) -> ButtonElement:
    style = None if button.style == "default" else button.style
    label = MODAL_BUTTONS.get(button.action_id, button.label)
    return ButtonElement(text=PlainTextObject(text=_clip(label, MAX_BUTTON_LABEL), emoji=True),
                         action_id=f"{button.action_id}#{index}", value=button.value or None, style=style)


def base_action_id(slack_action_id: str) -> str:
    return slack_action_id.split("#", 1)[0]


@dataclass(frozen=True)
class ModalContext:
    """What a modal must remember of the click that opened it (its ``private_metadata``)."""

    action_id: str
    value: str
    channel: str = ""
    ts: str = ""
    response_url: str = ""

    def dump(self) -> str:
        return json.dumps({"a": self.action_id, "v": self.value, "c": self.channel, "t": self.ts,
                           "r": self.response_url}, separators=(",", ":"))

    @classmethod
    def load(cls, text: str) -> ModalContext | None:
        try:
            data = json.loads(text or "")
            return cls(str(data["a"]), str(data["v"]), str(data.get("c", "")), str(data.get("t", "")),
                       str(data.get("r", "")))
        except (ValueError, TypeError, KeyError):
            return None


def modal(field: TextInput, context: ModalContext) -> dict[str, Any]:
    """A modal with one text field; submitting it is the click with the field's text."""
    title = MODAL_TITLES.get(context.action_id, "MicroCoach")
    element = PlainTextInputElement(action_id=field.input_id, initial_value=field.initial or None,
                                    multiline=field.multiline, max_length=min(field.max_length, MAX_TEXT))
    block = InputBlock(block_id=field.input_id, label=PlainTextObject(text=_clip(field.label, MAX_FIELD)),
                       element=element)
    view = View(type="modal", callback_id=MODAL_CALLBACK, title=PlainTextObject(text=title),
                submit=PlainTextObject(text="Send"), close=PlainTextObject(text="Cancel"), blocks=[block],
                private_metadata=context.dump())
    return view.to_dict()
