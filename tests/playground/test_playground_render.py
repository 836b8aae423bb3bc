"""Outbound → the JSON the playground page draws."""

from __future__ import annotations

import json

from bot.adapters.playground.render import text_view, to_view
from bot.core.messages import Button, Outbound, Section, TextInput

CARD = Outbound(
    text="Ana replied to today's prompt",
    sections=(Section(text="What went *well*?", heading="Ana Lopez", facts=(("Cohort", "grade5"),)),),
    buttons=(Button("Approve", "draft.approve", "7", "primary"), Button("Reject", "draft.reject", "7", "danger")),
    inputs=(TextInput("draft_text", "Follow-up", initial="Lovely idea!", multiline=True, max_length=500),),
    delivery_key="draft:7",
)


def test_card_becomes_text_sections_buttons_and_inputs() -> None:
    assert to_view(CARD) == {
        "text": "Ana replied to today's prompt",
        "sections": [
            {"heading": "Ana Lopez", "text": "What went *well*?", "facts": [{"label": "Cohort", "value": "grade5"}]}
        ],
        "buttons": [
            {"label": "Approve", "action_id": "draft.approve", "value": "7", "style": "primary"},
            {"label": "Reject", "action_id": "draft.reject", "value": "7", "style": "danger"},
        ],
        "inputs": [
            {
                "input_id": "draft_text",
                "label": "Follow-up",
                "initial": "Lovely idea!",
                "multiline": True,
                "max_length": 500,
            }
        ],
    }


def test_view_survives_a_json_round_trip() -> None:
    assert json.loads(json.dumps(to_view(CARD))) == to_view(CARD)


def test_markup_in_text_is_kept_verbatim_for_the_page_to_show_as_text() -> None:
    view = to_view(Outbound(text="<script>alert('x')</script> & <b>bold</b>"))

    assert view["text"] == "<script>alert('x')</script> & <b>bold</b>"


def test_plain_text_view_has_empty_rich_parts() -> None:
    assert text_view("Thanks — only your coach will see this.") == {
        "text": "Thanks — only your coach will see this.",
        "sections": [],
        "buttons": [],
        "inputs": [],
    }
