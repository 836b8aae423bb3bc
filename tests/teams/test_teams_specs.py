"""The spec oracles themselves: a request or card that does not fit the official specs is
caught, so a test that passes means something."""

from __future__ import annotations

from teams_specs import card_problems, connector_problems

ACTIVITY = {"type": "message", "text": "hi", "conversation": {"id": "a:1"}, "from": {"id": "28:bot"}}


def test_a_fitting_post_has_no_problems() -> None:
    assert connector_problems("POST", "/v3/conversations/a%3A1/activities", {}, ACTIVITY) == []


def test_a_post_without_its_required_activity_is_caught() -> None:
    assert connector_problems("POST", "/v3/conversations/a%3A1/activities", {}, None) != []


def test_a_path_the_connector_does_not_have_is_caught() -> None:
    assert connector_problems("POST", "/v3/chats/a%3A1/messages", {}, ACTIVITY) != []


def test_a_body_of_the_wrong_shape_is_caught() -> None:
    assert connector_problems("POST", "/v3/conversations", {}, {"members": "everyone"}) != []


def test_any_verb_on_a_known_path_counts_as_the_path_existing() -> None:
    assert connector_problems("GET", "/v3/conversations/a%3A1/members/29%3Ax", {}, None) == []


def test_extra_parameters_are_allowed() -> None:
    assert connector_problems("POST", "/v3/conversations/a%3A1/activities", {"extra": "1"},
                              {**ACTIVITY, "metadata": {"x": 1}}) == []


def test_the_msteams_extension_is_set_aside_but_nothing_else_unknown_is() -> None:
    card = {"type": "AdaptiveCard", "version": "1.5", "body": [], "msteams": {"width": "Full"}}
    assert card_problems(card) == []
    assert card_problems({**card, "teams": {}}) != []
