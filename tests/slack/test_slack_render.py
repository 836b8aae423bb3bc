"""Outbound → Block Kit: what Slack shows, and the plain text every message keeps."""

from __future__ import annotations

from bot.adapters.slack.render import (
    ModalContext,
    base_action_id,
    delivery_metadata,
    fallback_text,
    modal,
    to_blocks,
)
from bot.core import cards
from bot.core.messages import Button, Outbound, Section, TextInput
from bot.core.prompts import PromptItem

PROMPT = PromptItem(id="wait-time-1", kind="reflection", focus="questioning", level="any", title="Wait time",
                    text="Try waiting five seconds after a question. What changed?",
                    quick_replies=("Tried it", "Not yet"))


def facts() -> cards.CardFacts:
    return cards.CardFacts(draft_id=7, teacher="Ana Lopez", prompt_title="Wait time",
                           reply="More hands went up <!channel> & I was glad", draft="Lovely noticing.",
                           source="offline")


def test_a_prompt_renders_its_text_and_one_button_per_quick_reply() -> None:
    blocks = to_blocks(cards.prompt_message(42, PROMPT, "Coach Kim", ai_on=False))
    [actions] = [b for b in blocks if b["type"] == "actions"]
    labels = [e["text"]["text"] for e in actions["elements"]]
    assert labels == ["Tried it", "Not yet", "Reflect…"]
    assert "Try waiting five seconds" in blocks[0]["text"]["text"]


def test_buttons_of_one_message_get_unique_action_ids_that_map_back() -> None:
    blocks = to_blocks(cards.prompt_message(42, PROMPT, None, ai_on=False))
    [actions] = [b for b in blocks if b["type"] == "actions"]
    ids = [e["action_id"] for e in actions["elements"]]
    assert len(set(ids)) == len(ids)
    assert [base_action_id(i) for i in ids] == [cards.QUICK, cards.QUICK, cards.REFLECT]


def test_button_values_carry_the_cores_value() -> None:
    blocks = to_blocks(cards.pending_card(facts()))
    [actions] = [b for b in blocks if b["type"] == "actions"]
    assert {e["value"] for e in actions["elements"]} == {"7"}
    assert [e.get("style") for e in actions["elements"]] == ["primary", None, "danger"]


def test_text_a_person_wrote_is_escaped_so_it_cannot_ping_or_link() -> None:
    message = cards.pending_card(facts())
    rendered = str(to_blocks(message))
    assert "<!channel>" not in rendered and "&lt;!channel&gt;" in rendered
    assert "<!channel>" not in fallback_text(message)


def test_facts_become_section_fields() -> None:
    blocks = to_blocks(Outbound(text="t", sections=(Section(facts=(("Teacher", "Ana"), ("Prompt", "Wait time"))),)))
    assert [f["text"] for f in blocks[0]["fields"]] == ["*Teacher*\nAna", "*Prompt*\nWait time"]


def test_a_text_only_message_still_has_a_block() -> None:
    assert to_blocks(Outbound(text="Thanks!"))[0]["text"]["text"] == "Thanks!"


def test_long_text_is_clipped_to_slacks_section_limit() -> None:
    blocks = to_blocks(Outbound(text="x", sections=(Section(text="y" * 40_000),)))
    assert len(blocks[0]["text"]["text"]) == 3000 and blocks[0]["text"]["text"].endswith("…")
    assert len(fallback_text(Outbound(text="z" * 40_000))) <= 4000


def test_only_prompts_carry_delivery_metadata() -> None:
    prompt = cards.prompt_message(42, PROMPT, None, ai_on=False)
    assert delivery_metadata(prompt) == {"event_type": "microcoach_delivery",
                                         "event_payload": {"delivery_key": "delivery:42"}}
    assert delivery_metadata(cards.notice("hi")) is None


def test_a_modal_holds_one_field_with_its_initial_text_and_remembers_the_click() -> None:
    context = ModalContext(cards.EDIT, "7", channel="D1", ts="1.2", response_url="https://hooks.example/1")
    view = modal(TextInput(cards.EDIT_INPUT, "Edit the follow-up", initial="Lovely noticing."), context)
    [block] = view["blocks"]
    assert block["element"]["initial_value"] == "Lovely noticing."
    assert block["block_id"] == block["element"]["action_id"] == cards.EDIT_INPUT
    assert ModalContext.load(view["private_metadata"]) == context


def test_unreadable_modal_metadata_is_none() -> None:
    assert ModalContext.load("not json") is None
    assert ModalContext.load('{"x": 1}') is None


def test_more_than_25_buttons_are_split_across_action_blocks() -> None:
    message = Outbound(text="many", buttons=tuple(Button(str(i), "prompt.quick", str(i)) for i in range(30)))
    actions = [b for b in to_blocks(message) if b["type"] == "actions"]
    assert [len(a["elements"]) for a in actions] == [25, 5]
