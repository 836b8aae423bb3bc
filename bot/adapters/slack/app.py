"""The bolt AsyncApp: single-workspace token mode or OAuth mode over our installation store, and
the listeners registered on it. Bolt does what it does well — signatures, authorization (cached:
one ``auth.test`` per installation, not per request), the OAuth flow, the self-event filter,
``respond`` — and the listeners hand everything else to the core."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.response import BoltResponse
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.installations import SqlInstallationStore, SqlOAuthStateStore
from bot.adapters.slack.lifecycle import REVOKED, UNINSTALLED, Lifecycle
from bot.adapters.slack.listeners import Listeners, workspace_of
from bot.adapters.slack.manifest import BOT_SCOPES
from bot.adapters.slack.routes import INSTALL_PATH, REDIRECT_PATH
from bot.core.errors import StoreUnavailable
from bot.settings import Settings

log = logging.getLogger("microcoach.slack")
RETRY_AFTER_SECONDS = 30
ANY = re.compile(".*")
LIFECYCLE_EVENTS = ("app_uninstalled", "tokens_revoked")


def oauth_base(api_url: str) -> str:
    """Slack's web host for an API base URL (``https://slack.com/api/`` → ``https://slack.com/``)."""
    return re.sub(r"api/?$", "", api_url.rstrip("/") + "/")


def single_workspace_app(settings: Settings, client: AsyncWebClient) -> AsyncApp:
    return AsyncApp(client=client, signing_secret=settings.slack_signing_secret, process_before_response=True,
                    logger=log)


def oauth_app(settings: Settings, client: AsyncWebClient, installations: SqlInstallationStore,
              states: SqlOAuthStateStore) -> AsyncApp:
    oauth = AsyncOAuthSettings(
        client_id=settings.slack_client_id, client_secret=settings.slack_client_secret, scopes=list(BOT_SCOPES),
        installation_store=installations, state_store=states, install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH, authorization_url=oauth_base(settings.slack_api_url) + "oauth/v2/authorize",
    )
    authorize = AsyncInstallationStoreAuthorize(
        logger=log, installation_store=installations, client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret, cache_enabled=True, client=client,
    )
    return AsyncApp(client=client, signing_secret=settings.slack_signing_secret, process_before_response=True,
                    oauth_settings=oauth, installation_store=installations, authorize=authorize, logger=log)


async def on_error(error: Exception) -> BoltResponse | None:
    """A database outage is a 503 that Slack retries; anything else stays bolt's 500."""
    if isinstance(error, StoreUnavailable):
        return BoltResponse(status=503, body={"ok": False, "error": "temporarily unavailable"},
                            headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    log.error("a Slack listener failed: %s", type(error).__name__, exc_info=error)
    return None


def register(app: AsyncApp, listeners: Listeners, lifecycle: Lifecycle) -> None:
    installations = app.installation_store

    async def uninstalled(ack: Any, body: dict[str, Any], context: AsyncBoltContext) -> None:
        listeners.trusted.discard(workspace_of(context, body))
        await lifecycle.deactivated(workspace_of(context, body), UNINSTALLED)
        if installations is not None:
            await installations.async_delete_all(enterprise_id=context.enterprise_id, team_id=context.team_id)
        await ack()

    async def tokens_revoked(ack: Any, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        tokens = event.get("tokens") or {}
        if tokens.get("bot"):
            listeners.trusted.discard(workspace_of(context, body))
            await lifecycle.deactivated(workspace_of(context, body), REVOKED)
        if installations is not None:
            for user in tokens.get("oauth") or []:
                await installations.async_delete_installation(enterprise_id=context.enterprise_id,
                                                              team_id=context.team_id, user_id=user)
            if tokens.get("bot"):
                await installations.async_delete_bot(enterprise_id=context.enterprise_id, team_id=context.team_id)
        await ack()

    async def user_change(ack: Any, event: dict[str, Any], body: dict[str, Any], context: AsyncBoltContext) -> None:
        await listeners.people.changed(workspace_of(context, body), event.get("user") or {})
        await ack()

    async def acknowledge(ack: Any) -> None:
        await ack()

    async def remember_org(context: AsyncBoltContext, body: dict[str, Any], next: Any) -> None:  # noqa: A002
        team = workspace_of(context, body)
        if context.is_enterprise_install and context.enterprise_id and team and team != context.enterprise_id:
            await lifecycle.linked(team, context.enterprise_id)
        if installations is None and team and (body.get("event") or {}).get("type") not in LIFECYCLE_EVENTS:
            await lifecycle.confirmed(team)
        await next()

    app.error(on_error)
    app.middleware(remember_org)
    app.command("/coach")(listeners.command)
    app.event("message")(listeners.message)
    app.event("app_uninstalled")(uninstalled)
    app.event("tokens_revoked")(tokens_revoked)
    app.event("user_change")(user_change)
    app.event("app_home_opened")(listeners.home_opened)
    app.action(ANY)(listeners.action)
    app.view(ANY)(listeners.view_submission)
    app.event(ANY)(acknowledge)
