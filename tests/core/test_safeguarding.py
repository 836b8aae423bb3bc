"""The safeguarding rules over a corpus of realistic teacher replies.

Contract: a reply matching the rules (harm to a student, self-harm, abuse, crisis) is flagged
to the coach at once. No concerning reply may slip through; a few ordinary ones may be flagged.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from bot.core.safeguarding import CATEGORIES, Concern, assess, normalise

CORPUS = yaml.safe_load(
    (Path(__file__).parent.parent / "fixtures" / "replies" / "safeguarding.yaml").read_text("utf-8")
)
CONCERNING = [(item["text"], item["category"]) for item in CORPUS["concerning"]]
ORDINARY = list(CORPUS["ordinary"])
MAX_FALSE_POSITIVE_RATE = 0.10


def _id(text: str) -> str:
    return text[:48]


def test_corpus_is_large_enough_and_labelled_with_known_categories() -> None:
    assert len(CONCERNING) >= 40
    assert len(ORDINARY) >= 40
    assert {category for _, category in CONCERNING} == set(CATEGORIES)


@pytest.mark.parametrize(("text", "category"), CONCERNING, ids=[_id(t) for t, _ in CONCERNING])
def test_concerning_reply_is_flagged(text: str, category: str) -> None:
    assert assess(text) is not None, f"not flagged: {text!r}"


@pytest.mark.parametrize(("text", "category"), CONCERNING, ids=[_id(t) for t, _ in CONCERNING])
def test_concerning_reply_is_flagged_with_its_category(text: str, category: str) -> None:
    concern = assess(text)
    assert concern is not None and concern.category == category, f"{text!r} gave {concern}"


def test_ordinary_replies_are_rarely_flagged(record_property: pytest.RecordProperty) -> None:
    flagged = [(text, assess(text)) for text in ORDINARY if assess(text) is not None]
    record_property("false_positives", f"{len(flagged)}/{len(ORDINARY)}")
    assert len(flagged) <= MAX_FALSE_POSITIVE_RATE * len(ORDINARY), flagged


@pytest.mark.parametrize(
    "text",
    [
        "My lesson died after lunch.",
        "Killed it today!",
        "The kids were shooting hoops at recess.",
        "We're dying to try this.",
        "I'm exhausted but fine.",
        "The fire drill ate my period.",
        "Some hurt feelings about a grade, but we talked it through.",
        "There's been some abuse of the hall pass system.",
        "Hands shot up when I asked.",
        "I broke down the problem into steps.",
    ],
)
def test_figurative_classroom_talk_is_not_flagged(text: str) -> None:
    assert assess(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "He's not suicidal, he says, but he talks about wanting to die.",
        "Probably nothing, but he said he'd bring a gun.",
        "No risk I think, she just said her stepdad hits her sometimes.",
        "Just kidding... kind of. I want to end it all.",
    ],
)
def test_reassurance_does_not_hide_a_concern(text: str) -> None:
    assert assess(text) is not None


@pytest.mark.parametrize(
    "text",
    ["I can’t go on", "I CAN'T GO ON", "i cant go on", "I  can't\n\tgo   on", "I cannot go on"],
)
def test_spelling_case_quotes_and_spacing_do_not_hide_a_concern(text: str) -> None:
    assert assess(text) == Concern("self-harm", "wish to die or to end a life")


def test_concern_names_the_rule_not_the_reply() -> None:
    text = "A student told me her dad hits her when he's drunk."
    concern = assess(text)
    assert concern is not None
    assert "dad" not in concern.matched and "drunk" not in concern.matched


def test_concern_is_immutable() -> None:
    concern = Concern("crisis", "panic attack")
    with pytest.raises(dataclasses.FrozenInstanceError):
        concern.category = "abuse"  # type: ignore[misc]


@pytest.mark.parametrize("text", ["", "   ", "Tried it", "👍", "学生们很喜欢这个活动"])
def test_empty_short_and_non_english_replies_without_concern_are_not_flagged(text: str) -> None:
    assert assess(text) is None


def test_normalise_folds_quotes_dashes_case_and_whitespace() -> None:
    assert normalise("  I’m  “SELF-HARMING”\n now ") == "i'm \"self harming\" now"
