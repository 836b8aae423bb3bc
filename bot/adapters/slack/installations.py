"""Bolt's installation-store and OAuth-state-store interfaces over our database
(:mod:`storage.slack_store`), so installs survive restarts and tokens are sealed at rest."""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, TypeVar

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from bot.core.ports import Clock
from storage.slack_store import InstallKey, SlackInstallations

log = logging.getLogger("microcoach.slack.install")
T = TypeVar("T")
BOT_FIELDS = ("app_id", "enterprise_id", "enterprise_name", "team_id", "team_name", "bot_token", "bot_id",
              "bot_user_id", "bot_scopes", "bot_refresh_token", "bot_token_expires_at", "is_enterprise_install",
              "installed_at")


async def off_loop(call: Callable[[], T]) -> T:
    return await asyncio.get_running_loop().run_in_executor(None, call)


def _key(enterprise_id: str | None, team_id: str | None, user_id: str | None = None,
         is_enterprise_install: bool | None = False) -> InstallKey:
    """Org-wide installs are keyed by the enterprise alone, as slack_sdk's own stores do."""
    return InstallKey(enterprise_id, None if is_enterprise_install else team_id, user_id)


class SqlInstallationStore(AsyncInstallationStore):
    """``on_saved`` runs after each new installation (the workspace becomes active again)."""

    def __init__(self, records: SlackInstallations, clock: Clock,
                 on_saved: Callable[[Installation], Awaitable[None]] | None = None):
        self.records = records
        self.clock = clock
        self.on_saved = on_saved

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        key = _key(installation.enterprise_id, installation.team_id, installation.user_id,
                   installation.is_enterprise_install)
        data = dict(installation.__dict__)
        await off_loop(lambda: self.records.save(key, data, enterprise_install=bool(installation.is_enterprise_install),
                                                 at=self.clock.now()))
        if self.on_saved is not None:
            await self.on_saved(installation)

    async def async_save_bot(self, bot: Bot) -> None:
        key = _key(bot.enterprise_id, bot.team_id, None, bot.is_enterprise_install)
        values = {name: getattr(bot, name) for name in BOT_FIELDS if hasattr(bot, name)}
        await off_loop(lambda: self.records.merge_latest(key, values))

    async def async_find_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                      user_id: str | None = None,
                                      is_enterprise_install: bool | None = False) -> Installation | None:
        key = _key(enterprise_id, team_id, user_id, is_enterprise_install)
        data = await off_loop(lambda: self.records.find(key))
        if data is None:
            return None
        installation = Installation(**data)
        if user_id is not None:
            latest = await off_loop(lambda: self.records.find(InstallKey(key.enterprise_id, key.team_id)))
            if latest and latest.get("bot_token"):
                for name in ("bot_id", "bot_user_id", "bot_token", "bot_scopes", "bot_refresh_token",
                             "bot_token_expires_at"):
                    setattr(installation, name, _bot_value(latest, name))
        return installation

    async def async_find_bot(self, *, enterprise_id: str | None, team_id: str | None,
                             is_enterprise_install: bool | None = False) -> Bot | None:
        data = await off_loop(lambda: self.records.find(_key(enterprise_id, team_id, None, is_enterprise_install)))
        if not data or not data.get("bot_token"):
            return None
        return Installation(**data).to_bot()

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await off_loop(lambda: self.records.delete(InstallKey(enterprise_id, team_id), all_users=False))

    async def async_delete_installation(self, *, enterprise_id: str | None, team_id: str | None,
                                        user_id: str | None = None) -> None:
        key = InstallKey(enterprise_id, team_id, user_id)
        await off_loop(lambda: self.records.delete(key, all_users=user_id is None))

    async def bot_token_for_team(self, team_id: str) -> str | None:
        """The token the chat port sends with, for a workspace (or its Enterprise Grid org)."""
        data = await off_loop(lambda: self.records.find_for_team(team_id))
        return str(data["bot_token"]) if data and data.get("bot_token") else None


def _bot_value(data: dict[str, Any], name: str) -> Any:
    value = data.get(name)
    if name == "bot_scopes" and isinstance(value, str):
        return value.split(",")
    return value


class SqlOAuthStateStore(AsyncOAuthStateStore):
    """One-time OAuth ``state`` values, valid for ``expiration`` after issue."""

    def __init__(self, records: SlackInstallations, clock: Clock, expiration: timedelta = timedelta(minutes=10)):
        self.records = records
        self.clock = clock
        self.expiration = expiration

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        state = secrets.token_urlsafe(24)
        expires = self.clock.now() + self.expiration
        await off_loop(lambda: self.records.issue_state(state, expires))
        return state

    async def async_consume(self, state: str) -> bool:
        return await off_loop(lambda: self.records.consume_state(state, self.clock.now()))
