"""The Slack adapter: bolt for HTTP (and Socket Mode), OAuth and signatures; slack_sdk's Web API
client for the chat port; the glue to the core in between. ``build_slack`` builds it all."""

from __future__ import annotations

from bot.adapters.slack.adapter import SlackAdapter, build_slack, slack_chat
from bot.adapters.slack.chat import SlackChat
from bot.adapters.slack.manifest import build_manifest, manifest_json

__all__ = ["SlackAdapter", "SlackChat", "build_manifest", "build_slack", "manifest_json", "slack_chat"]
