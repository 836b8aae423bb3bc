"""The pack item schema: strict about keys, enums and lengths, so pack typos fail loudly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

import pytest
from pydantic import ValidationError

from bot.core.prompts import FOCUS_AREAS, KINDS, LEVELS, PromptItem
from prompts.schema import (
    Focus,
    Kind,
    Level,
    PackHeader,
    PromptItemModel,
    from_prompt_item,
    to_prompt_item,
    url_problem,
)

ItemFactory = Callable[..., dict[str, Any]]


def validate(raw: dict[str, Any]) -> PromptItemModel:
    return PromptItemModel.model_validate(raw)


def test_schema_enums_match_the_core_constants() -> None:
    assert get_args(Kind) == KINDS
    assert get_args(Focus) == FOCUS_AREAS
    assert get_args(Level) == LEVELS


def test_valid_item_becomes_a_prompt_item_with_defaults(pack_item: ItemFactory) -> None:
    item = to_prompt_item(validate(pack_item(id="fb-sample-01")))

    assert isinstance(item, PromptItem)
    assert item.id == "fb-sample-01"
    assert item.quick_replies == ("Tried it", "Not yet")
    assert item.grade_bands == ("K-12",)
    assert item.subjects == ("any",)
    assert item.follow_up_questions == ("How did it go?", "What would you change?")


def test_surrounding_whitespace_in_text_is_trimmed(pack_item: ItemFactory) -> None:
    assert validate(pack_item(text="  Notice one thing.\n")).text == "Notice one thing."


def test_unknown_key_is_refused(pack_item: ItemFactory) -> None:
    with pytest.raises(ValidationError, match="colour"):
        validate(pack_item(colour="blue"))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "lecture"),
        ("focus", "homework"),
        ("level", "expert"),
        ("grade_bands", ["K-3"]),
    ],
)
def test_value_outside_its_enum_is_refused(
    pack_item: ItemFactory, field: str, value: object
) -> None:
    with pytest.raises(ValidationError, match=field):
        validate(pack_item(**{field: value}))


def test_text_longer_than_600_characters_is_refused(pack_item: ItemFactory) -> None:
    with pytest.raises(ValidationError, match="text"):
        validate(pack_item(text="word " * 121))


def test_text_of_exactly_600_characters_is_accepted(pack_item: ItemFactory) -> None:
    assert len(validate(pack_item(text="x" * 600)).text) == 600


def test_quick_reply_longer_than_30_characters_is_refused(pack_item: ItemFactory) -> None:
    with pytest.raises(ValidationError, match="quick_replies"):
        validate(pack_item(quick_replies=["I tried it and it went really well"]))


def test_more_than_three_quick_replies_are_refused(pack_item: ItemFactory) -> None:
    with pytest.raises(ValidationError, match="quick_replies"):
        validate(pack_item(quick_replies=["A", "B", "C", "D"]))


def test_repeated_quick_replies_are_refused(pack_item: ItemFactory) -> None:
    with pytest.raises(ValidationError, match="repeated"):
        validate(pack_item(quick_replies=["Tried it", "Tried it"]))


@pytest.mark.parametrize("minutes", [0, 11, "3", 2.5, True])
def test_minutes_must_be_a_whole_number_from_1_to_10(
    pack_item: ItemFactory, minutes: object
) -> None:
    with pytest.raises(ValidationError, match="minutes"):
        validate(pack_item(minutes=minutes))


@pytest.mark.parametrize("item_id", ["Has-Capitals", "under_score", "-leading", "two--dashes", ""])
def test_id_must_be_a_lowercase_slug(pack_item: ItemFactory, item_id: str) -> None:
    with pytest.raises(ValidationError, match="id"):
        validate(pack_item(id=item_id))


def test_k12_cannot_be_combined_with_specific_bands(pack_item: ItemFactory) -> None:
    with pytest.raises(ValidationError, match="K-12"):
        validate(pack_item(grade_bands=["K-12", "3-5"]))


def test_any_subject_cannot_be_combined_with_specific_subjects(pack_item: ItemFactory) -> None:
    with pytest.raises(ValidationError, match="any"):
        validate(pack_item(subjects=["any", "math"]))


def test_micro_lesson_without_a_link_is_refused(pack_item: ItemFactory) -> None:
    with pytest.raises(ValidationError, match="micro-lesson needs a link"):
        validate(pack_item(kind="micro-lesson"))


def test_plain_http_link_is_refused(pack_item: ItemFactory) -> None:
    with pytest.raises(ValidationError, match="https"):
        validate(pack_item(link="http://www.edutopia.org/"))


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://www.edutopia.org/topic/assessment", None),
        ("http://www.edutopia.org/", "must use https"),
        ("https://edutopia org/", "whitespace"),
        ("https://localhost/page", "no valid host"),
        ("www.edutopia.org/topic", "must use https"),
    ],
)
def test_url_problem_explains_what_is_wrong(url: str, problem: str | None) -> None:
    found = url_problem(url)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_pack_header_refuses_unknown_top_level_keys() -> None:
    with pytest.raises(ValidationError, match="itemz"):
        PackHeader.model_validate({"pack": {"name": "a", "description": "b"}, "itemz": []})


def test_a_prompt_item_round_trips_through_the_schema(pack_item: ItemFactory) -> None:
    item = to_prompt_item(validate(pack_item(grade_bands=["6-8", "9-12"], tags=["wait-time"])))

    assert to_prompt_item(from_prompt_item(item)) == item
