"""The checks a model's draft must pass before it reaches a coach."""

from __future__ import annotations

import pytest

from bot.core.prompts import PromptItem
from bot.drafting.output_checks import check_output, library_links, links_in

GOOD = "Hi Ana! Three quiet kids spoke up. What do you think made the difference?"
PROMPT = PromptItem(id="p", kind="tip", focus="questioning", level="introductory", text="Pause. What changes?",
                    follow_up_material="Two pages at https://example.org/wait-time/", link="https://example.org/video")


def test_a_good_draft_passes() -> None:
    assert check_output(GOOD, frozenset()) == []


@pytest.mark.parametrize("text", [
    "Hi Ana! How did [NAME_2] respond?",
    "Hi [STUDENT NAME]! What did you notice?",
    "Hi {teacher}! What did you notice?",
    "Hi <TEACHER>! What did you notice?",
])
def test_an_unfilled_or_invented_placeholder_fails(text: str) -> None:
    assert "has an unfilled placeholder" in check_output(text, frozenset())


@pytest.mark.parametrize("text", [
    "Have a look at https://evil.example.com/login. What did you notice?",
    "See www.example.net for more. What did you notice?",
    "Try bit.ly/abc this week.",
    "![x](http://tracker.example.net/p.png) What did you notice?",
])
def test_a_link_the_library_did_not_supply_fails(text: str) -> None:
    assert any("link" in p for p in check_output(text, library_links(PROMPT)))


def test_a_link_the_library_supplied_passes_with_or_without_scheme() -> None:
    allowed = library_links(PROMPT)
    assert check_output("Try the two pages at example.org/wait-time this week.", allowed) == []
    assert check_output("Try the video at https://example.org/video.", allowed) == []


def test_an_email_address_is_not_a_link() -> None:
    assert links_in("Write to maria.lopez@gmail.com today.") == []


def test_grading_words_and_length_come_from_the_shared_draft_rules() -> None:
    problems = check_output("Excellent job. " * 50 + "What next?", frozenset())
    assert any(p.startswith("too long") for p in problems) and any(p.startswith("uses grading") for p in problems)
