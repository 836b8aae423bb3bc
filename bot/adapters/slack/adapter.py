"""Everything Slack, built from the container: the chat port, the bolt app and its listeners, the
HTTP routes, and Socket Mode when ``SLACK_APP_TOKEN`` is set."""

from __future__ import annotations

from dataclasses import dataclass, field

from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.app import oauth_app, register, single_workspace_app
from bot.adapters.slack.chat import SlackChat, TokenFor
from bot.adapters.slack.home import HomeTab
from bot.adapters.slack.installations import SqlInstallationStore, SqlOAuthStateStore
from bot.adapters.slack.lifecycle import Lifecycle
from bot.adapters.slack.listeners import Background, Handle, Listeners
from bot.adapters.slack.modals import ModalFields
from bot.adapters.slack.people import SlackPeople
from bot.adapters.slack.routes import SlackRoutes
from bot.adapters.slack.socket import SocketMode
from bot.container import Container
from storage.slack_store import SlackInstallations


@dataclass
class SlackAdapter:
    chat: SlackChat
    bolt: AsyncApp
    listeners: Listeners
    routes: SlackRoutes
    background: Background = field(default_factory=Background)
    socket: SocketMode | None = None

    def add_routes(self, app: web.Application) -> None:
        """``POST /slack/events`` always (Socket Mode or not, so either works), and the OAuth pages."""
        self.routes.add_to(app)

    async def start(self) -> None:
        """Connects Socket Mode when ``SLACK_APP_TOKEN`` is set; over HTTP there is nothing to start."""
        if self.socket is not None:
            await self.socket.start()

    async def stop(self) -> None:
        if self.socket is not None:
            await self.socket.stop()
        await self.background.drain()


@dataclass(frozen=True)
class _Parts:
    client: AsyncWebClient
    token_for: TokenFor
    installations: SqlInstallationStore | None


def _parts(container: Container, lifecycle: Lifecycle | None = None) -> _Parts:
    settings = container.settings
    if settings.slack_client_id:
        client = AsyncWebClient(base_url=settings.slack_api_url)
        installations = SqlInstallationStore(SlackInstallations(container.engine, container.sealer), container.clock,
                                             on_saved=_activate(lifecycle) if lifecycle else None)
        return _Parts(client, installations.bot_token_for_team, installations)
    token = settings.slack_bot_token

    async def single(team: str) -> str | None:
        return token

    return _Parts(AsyncWebClient(token=token, base_url=settings.slack_api_url), single, None)


def slack_chat(container: Container) -> SlackChat:
    """The chat port alone (the worker sends but takes no requests)."""
    parts = _parts(container)
    return SlackChat(parts.client, parts.token_for)


def build_slack(container: Container, handle: Handle) -> SlackAdapter:
    settings = container.settings
    lifecycle = Lifecycle(container.store, container.clock)
    parts = _parts(container, lifecycle)
    chat = SlackChat(parts.client, parts.token_for)
    if parts.installations is not None:
        states = SqlOAuthStateStore(parts.installations.records, container.clock)
        bolt = oauth_app(settings, parts.client, parts.installations, states)
    else:
        bolt = single_workspace_app(settings, parts.client)
    background = Background()
    people = SlackPeople(parts.client, parts.token_for, container.store, container.clock)
    modals = ModalFields(container.store, container.service.approvals)
    home = HomeTab(parts.client, parts.token_for, container.store, container.clock, settings.default_tz)
    listeners = Listeners(handle, chat, people, modals, background, home)
    register(bolt, listeners, lifecycle)
    socket = SocketMode(bolt, settings.slack_app_token, parts.client) if settings.slack_app_token else None
    return SlackAdapter(chat=chat, bolt=bolt, listeners=listeners,
                        routes=SlackRoutes(bolt, settings.slack_signing_secret or "", listeners.recorded_directly),
                        background=background,
                        socket=socket)


def _activate(lifecycle: Lifecycle):  # noqa: ANN202 — an installation-store callback
    async def saved(installation: Installation) -> None:
        workspace = installation.enterprise_id if installation.is_enterprise_install else installation.team_id
        if workspace:
            await lifecycle.installed(workspace, name=installation.team_name or installation.enterprise_name or "",
                                      enterprise_id=installation.enterprise_id, installer=installation.user_id)

    return saved
