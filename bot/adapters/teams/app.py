"""Building the Teams adapter from the composition root: the SDK's adapter and authentication
from the settings, our bot, the chat port, and the ``/api/messages`` route."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from aiohttp import web
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication
from botframework.connector.auth import AuthenticationConstants, BotFrameworkAuthentication

from bot.adapters.teams.chat import TeamsChat
from bot.adapters.teams.connectors import ReusingAuthentication
from bot.adapters.teams.handler import TeamsBot
from bot.adapters.teams.reachability import Reachability
from bot.adapters.teams.refs import ConversationRefs
from bot.adapters.teams.roster import Roster
from bot.adapters.teams.routes import MessagesEndpoint
from bot.container import Container
from bot.core.messages import Inbound
from bot.core.outcome import Outcome
from bot.settings import Settings
from storage.teams_refs import TeamsRefStore

log = logging.getLogger("microcoach.teams")

ROUTE = "/api/messages"
Handle = Callable[[Inbound], Awaitable[Outcome]]


@dataclass(frozen=True)
class BotConfig:
    """What ``ConfigurationBotFrameworkAuthentication`` reads, by its attribute names."""

    APP_ID: str = ""
    APP_PASSWORD: str = ""
    APP_TYPE: str = "MultiTenant"
    APP_TENANTID: str = ""
    TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL: str | None = None
    TO_BOT_FROM_CHANNEL_TOKEN_ISSUER: str | None = None
    TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL: str | None = None
    TO_CHANNEL_FROM_BOT_LOGIN_URL: str | None = None
    TO_CHANNEL_FROM_BOT_OAUTH_SCOPE: str | None = None
    OAUTH_URL: str | None = None


def bot_config(settings: Settings) -> BotConfig:
    """``TEAMS_OPENID_METADATA_URL`` switches the SDK to its parameterized authentication, with
    the public cloud's values for everything else."""
    base = BotConfig(APP_ID=settings.teams_app_id or "", APP_PASSWORD=settings.teams_app_password or "",
                     APP_TYPE=settings.teams_app_type, APP_TENANTID=settings.teams_tenant_id or "")
    if not settings.teams_openid_metadata_url:
        return base
    constants = AuthenticationConstants
    login_tenant = settings.teams_tenant_id if settings.teams_app_type == "SingleTenant" else constants.DEFAULT_CHANNEL_AUTH_TENANT
    return dataclasses.replace(
        base,
        TO_BOT_FROM_CHANNEL_OPENID_METADATA_URL=settings.teams_openid_metadata_url,
        TO_BOT_FROM_CHANNEL_TOKEN_ISSUER=constants.TO_BOT_FROM_CHANNEL_TOKEN_ISSUER,
        TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL=constants.TO_BOT_FROM_EMULATOR_OPENID_METADATA_URL,
        TO_CHANNEL_FROM_BOT_LOGIN_URL=constants.TO_CHANNEL_FROM_BOT_LOGIN_URL_PREFIX + (login_tenant or ""),
        TO_CHANNEL_FROM_BOT_OAUTH_SCOPE=constants.TO_CHANNEL_FROM_BOT_OAUTH_SCOPE,
        OAUTH_URL=constants.OAUTH_URL,
    )


@dataclass
class TeamsAdapter:
    settings: Settings
    chat: TeamsChat
    bot: TeamsBot
    endpoint: MessagesEndpoint

    def add_routes(self, app: web.Application) -> None:
        """``POST /api/messages``: on with an app id (every request authenticated) or with
        ``TEAMS_ALLOW_UNAUTHENTICATED``; otherwise not served at all."""
        if not self.settings.teams_enabled:
            log.info("Teams off: set MicrosoftAppId (or TEAMS_ALLOW_UNAUTHENTICATED=1 for local testing)")
            return
        if not self.settings.teams_app_id:
            log.warning("Teams runs UNAUTHENTICATED (TEAMS_ALLOW_UNAUTHENTICATED): for the Emulator and tests only")
        app.router.add_post(ROUTE, self.endpoint.messages)


def teams_chat(container: Container) -> TeamsChat:
    """The chat port alone, for processes that only send (``worker``, ``tick``)."""
    return _parts(container)[1]


def build_teams(container: Container, handle: Handle) -> TeamsAdapter:
    """The chat port, the bot and ``/api/messages`` for ``serve``."""
    auth, chat, adapter = _parts(container)
    settings, refs = container.settings, chat.refs

    async def is_admin(inbound: Inbound) -> bool:
        actor = partial(container.service.directory.actor, inbound, container.clock.now())
        return (await asyncio.get_running_loop().run_in_executor(None, actor)).is_admin

    bot = TeamsBot(refs, handle, chat, Roster(adapter, refs, is_admin, chat.app_id))
    endpoint = MessagesEndpoint(adapter, auth, bot, authenticated=bool(settings.teams_app_id))
    return TeamsAdapter(settings, chat, bot, endpoint)


def _parts(container: Container) -> tuple[BotFrameworkAuthentication, TeamsChat, CloudAdapter]:
    settings = container.settings
    auth = ReusingAuthentication(ConfigurationBotFrameworkAuthentication(bot_config(settings)))
    adapter = CloudAdapter(auth)
    refs = ConversationRefs(container.store, TeamsRefStore(container.engine, container.sealer), container.clock)
    reachability = Reachability(container.store, container.service.directory, container.clock)
    chat = TeamsChat(adapter, refs, settings.teams_app_id or "", on_unreachable=reachability.mark)
    return auth, chat, adapter
