"""``microcoach slack manifest``: valid against Slack's manifest schema, and complete."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from bot.adapters.slack.manifest import BOT_EVENTS, BOT_SCOPES, SCOPES_WHY, build_manifest, manifest_json
from support import SPECS as SHARED_SPECS

SPECS = SHARED_SPECS / "slack"
REMOTE = "https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/"


def validator() -> jsonschema.Draft7Validator:
    """The top schema refers to its versioned parts by URL; map those URLs to the local files."""
    resources = [(REMOTE + path.name, Resource.from_contents(json.loads(path.read_text())))
                 for path in (SPECS / "schemas").glob("*.json")]
    return jsonschema.Draft7Validator(json.loads((SPECS / "manifest.schema.json").read_text()),
                                      registry=Registry().with_resources(resources))


def test_the_manifest_is_valid_against_slacks_schema() -> None:
    errors = sorted(validator().iter_errors(build_manifest("https://coach.example.org")), key=str)
    assert errors == []


def test_the_validator_catches_a_broken_manifest() -> None:
    broken = build_manifest("https://coach.example.org")
    broken["features"]["slash_commands"][0]["command"] = "coach"
    assert list(validator().iter_errors(broken))


def test_every_url_points_at_the_one_server() -> None:
    manifest = build_manifest("https://coach.example.org/")
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"] == "https://coach.example.org/slack/events"
    assert settings["interactivity"]["request_url"] == "https://coach.example.org/slack/events"
    assert manifest["features"]["slash_commands"][0]["url"] == "https://coach.example.org/slack/events"
    assert manifest["oauth_config"]["redirect_urls"] == ["https://coach.example.org/slack/oauth_redirect"]


def test_it_asks_for_the_coach_command_the_events_and_only_the_scopes_it_explains() -> None:
    manifest = build_manifest("https://coach.example.org")
    assert manifest["features"]["slash_commands"][0]["command"] == "/coach"
    assert manifest["features"]["slash_commands"][0]["should_escape"] is True
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == set(BOT_EVENTS)
    assert manifest["oauth_config"]["scopes"]["bot"] == list(BOT_SCOPES)
    assert all(SCOPES_WHY[scope] for scope in BOT_SCOPES)


@pytest.mark.parametrize("socket_mode", [True, False])
def test_socket_mode_is_a_flag_in_the_manifest(socket_mode: bool) -> None:
    printed = json.loads(manifest_json("https://coach.example.org", socket_mode=socket_mode))
    assert printed["settings"]["socket_mode_enabled"] is socket_mode
