"""``microcoach slack manifest --url https://HOST``: the Slack app manifest (JSON, which Slack's
"create from manifest" accepts as is). Every scope is listed with why the bot needs it."""

from __future__ import annotations

import json
from typing import Any

SCOPES_WHY = {
    "chat:write": "send prompts, coaches' cards, follow-ups and notes only one person sees",
    "im:write": "open the direct message with each teacher and coach",
    "im:history": "read replies in those direct messages, and check a prompt really went out before a re-send",
    "channels:history": "hear teachers' answers in the thread of a cohort's weekly peer-share post, in a public channel",
    "groups:history": "hear answers in the thread of a peer-share post in a private channel the bot was added to",
    "commands": "the /coach command",
    "users:read": "people's names and time zones, so prompts arrive in their own morning",
    "users:read.email": "enrol teachers from a list of e-mail addresses",
    "channels:read": "enrol the members of a public channel (cohort add <name> #channel)",
    "groups:read": "enrol the members of a private channel the bot was added to",
    "usergroups:read": "enrol the members of a user group (cohort add <name> @group)",
}
BOT_SCOPES = tuple(SCOPES_WHY)
BOT_EVENTS = ("message.im", "message.channels", "message.groups", "app_home_opened", "app_uninstalled",
              "tokens_revoked", "user_change")
DESCRIPTION = "Two-minute coaching prompts for teachers, with their coach's follow-up."
LONG_DESCRIPTION = (
    "MicroCoach sends each teacher a short reflection prompt or tip by direct message, on their cohort's "
    "cadence and in their own time zone. Teachers reply in a thread or tap a quick answer; their instructional "
    "coach sees each reply with a drafted follow-up and approves, edits or rejects it before anything reaches "
    "the teacher. Admins set up cohorts, coaches and cadences with /coach."
)


def build_manifest(url: str, *, name: str = "MicroCoach", socket_mode: bool = False) -> dict[str, Any]:
    """The manifest for an app served at ``url`` (e.g. ``https://coach.district.org``)."""
    base = url.rstrip("/")
    events = f"{base}/slack/events"
    manifest: dict[str, Any] = {
        "_metadata": {"major_version": 1, "minor_version": 1},
        "display_information": {"name": name, "description": DESCRIPTION, "long_description": LONG_DESCRIPTION,
                                "background_color": "#2c4a6e"},
        "features": {
            "app_home": {"home_tab_enabled": True, "messages_tab_enabled": True,
                         "messages_tab_read_only_enabled": False},
            "bot_user": {"display_name": name, "always_online": True},
            "slash_commands": [{"command": "/coach", "url": events, "description": "Set up cohorts and cadences, or change your own settings",
                                "usage_hint": "help", "should_escape": True}],
        },
        "oauth_config": {"redirect_urls": [f"{base}/slack/oauth_redirect"], "scopes": {"bot": list(BOT_SCOPES)}},
        "settings": {
            "event_subscriptions": {"request_url": events, "bot_events": list(BOT_EVENTS)},
            "interactivity": {"is_enabled": True, "request_url": events},
            "org_deploy_enabled": True,
            "socket_mode_enabled": socket_mode,
            "token_rotation_enabled": False,
        },
    }
    return manifest


def manifest_json(url: str, *, socket_mode: bool = False) -> str:
    return json.dumps(build_manifest(url, socket_mode=socket_mode), indent=2, ensure_ascii=False)
