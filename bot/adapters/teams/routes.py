"""``POST /api/messages``: our own guard in front of the Bot Framework SDK.

We check what the SDK would get wrong: in unauthenticated test mode any ``Authorization`` header
is refused (the SDK would answer a bogus token with 500); a body that is not an activity is 400;
with an app id every request's JWT is validated and every failure is 401; and invoke responses
are written by us, since ``CloudAdapter.process`` answers 500 to any invoke with a body.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.core import InvokeResponse
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity
from botframework.connector.auth import AuthenticateRequestResult, BotFrameworkAuthentication
from requests import RequestException

from bot.adapters.teams.handler import TeamsBot
from bot.adapters.teams.inbound import BadActivity

log = logging.getLogger("microcoach.teams")

MAX_BODY = 256 * 1024
KEYS_RETRY_AFTER = 30


class MessagesEndpoint:
    def __init__(self, adapter: CloudAdapter, auth: BotFrameworkAuthentication, bot: TeamsBot, *, authenticated: bool):
        self.adapter = adapter
        self.auth = auth
        self.bot = bot
        self.authenticated = authenticated

    async def messages(self, request: web.Request) -> web.StreamResponse:
        header = request.headers.get("Authorization")
        if not self.authenticated and header is not None:
            return _refuse(401, "this endpoint runs unauthenticated and takes no Authorization header")
        try:
            activity = _activity(await _body(request))
        except BadActivity as exc:
            return _refuse(400, str(exc))
        if self.authenticated and not header:
            return _refuse(401, "an Authorization header is required")
        try:
            claims = await self._authenticate(activity, header)
        except RequestException as exc:
            log.warning("could not fetch the Bot Framework's signing keys (%s)", type(exc).__name__)
            return web.json_response({"error": "signing keys unavailable"}, status=503,
                                     headers={"Retry-After": str(KEYS_RETRY_AFTER)})
        except Exception as exc:  # noqa: BLE001 — the SDK signals a bad token with many types
            log.info("refused a Teams request: %s", type(exc).__name__)
            return _refuse(401, "the request's token was not accepted")
        try:
            response = await self.adapter.process_activity(claims, activity, self.bot.on_turn)
        except BadActivity as exc:
            return _refuse(400, str(exc))
        return _written(response)

    async def _authenticate(self, activity: Activity, header: str | None) -> AuthenticateRequestResult:
        """The SDK fetches signing keys with a blocking HTTP client, so tokens are checked on a
        worker thread, keeping the event loop free."""
        if not self.authenticated:
            return await self.auth.authenticate_request(activity, None)
        return await asyncio.to_thread(asyncio.run, self.auth.authenticate_request(activity, header))


async def _body(request: web.Request) -> Any:
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise BadActivity("the body is too large for an activity")
    raw = await request.content.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise BadActivity("the body is too large for an activity")
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadActivity("the body is not JSON") from None


def _activity(body: Any) -> Activity:
    if not isinstance(body, dict) or not isinstance(body.get("type"), str) or not body["type"]:
        raise BadActivity("the body is not an activity (no type)")
    try:
        activity = Activity().deserialize(body)
    except (ValueError, TypeError, AttributeError):
        raise BadActivity("the activity has fields of the wrong shape") from None
    if activity.conversation is None or not activity.conversation.id:
        raise BadActivity("the activity has no conversation")
    url = urlsplit(activity.service_url or "")
    if url.scheme not in ("http", "https") or not url.netloc:
        raise BadActivity("the activity has no serviceUrl to answer on")
    return activity


def _written(response: InvokeResponse | None) -> web.Response:
    if response is None:
        return web.Response(status=200)
    if response.body is None:
        return web.Response(status=response.status)
    return web.json_response(response.body, status=response.status)


def _refuse(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)
