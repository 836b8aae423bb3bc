"""``prompts show``: a plain-text preview a coach can read in a terminal."""

from __future__ import annotations

from bot.core.prompts import PromptItem
from prompts.preview import show_text

FULL = PromptItem(
    id="qt-sample-01",
    kind="micro-lesson",
    focus="questioning",
    level="deeper",
    title="A sample",
    text="Read the page, then plan one question.",
    quick_replies=("Read it", "Saved for later"),
    follow_up_questions=("Which question did you plan?", "How did it go?"),
    follow_up_material="Start with a why question.",
    rationale="Why questions deepen thinking.",
    minutes=6,
    grade_bands=("6-8", "9-12"),
    subjects=("science",),
    link="https://www.edutopia.org/topic/assessment",
    tags=("wait-time",),
)


def test_preview_opens_with_id_title_and_facts_then_the_teacher_text() -> None:
    lines = show_text(FULL).splitlines()

    assert lines[0] == "qt-sample-01 — A sample"
    assert lines[1] == (
        "micro-lesson · questioning · deeper · about 6 min · grades 6-8, 9-12 · subjects science"
    )
    assert lines[3] == "Read the page, then plan one question."


def test_preview_shows_link_buttons_and_drafter_guidance() -> None:
    text = show_text(FULL)

    assert "Link: https://www.edutopia.org/topic/assessment" in text
    assert "Buttons: [Read it] | [Saved for later]" in text
    assert "  - Which question did you plan?" in text
    assert "Follow-up material: Start with a why question." in text
    assert "Why it matters: Why questions deepen thinking." in text
    assert "Tags: wait-time" in text


def test_preview_leaves_out_sections_an_item_does_not_have() -> None:
    bare = PromptItem(id="fb-bare-01", kind="tip", focus="feedback", level="introductory", text="Hi")

    text = show_text(bare)

    assert text.splitlines()[0] == "fb-bare-01"
    for absent in ("Link:", "Follow-up", "Why it matters", "Tags:"):
        assert absent not in text
