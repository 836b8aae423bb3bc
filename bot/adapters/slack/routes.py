"""Slack's HTTP endpoints on the one web server: ``POST /slack/events`` (events, slash commands,
interactivity) behind the guard, with a hot path past bolt for messages it has seen before
(:meth:`bot.adapters.slack.listeners.Listeners.recorded_directly`), and in OAuth mode ``GET /slack/install`` and
``GET /slack/oauth_redirect``, which bolt's OAuth flow answers."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from bot.adapters.slack.guard import checked_body, is_ssl_check, signature_ok

log = logging.getLogger("microcoach.slack.http")
EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


Direct = Callable[[dict[str, Any]], Awaitable[bool]]
"""Takes a signed, well-formed JSON payload without bolt if it can; True when it did."""


class SlackRoutes:
    def __init__(self, bolt: AsyncApp, signing_secret: str, direct: Direct | None = None):
        self.bolt = bolt
        self.signing_secret = signing_secret
        self.direct = direct

    def add_to(self, app: web.Application) -> None:
        app.router.add_post(EVENTS_PATH, self.events)
        if self.bolt.oauth_flow is not None:
            app.router.add_get(INSTALL_PATH, self.install)
            app.router.add_get(REDIRECT_PATH, self.oauth_redirect)

    async def events(self, request: web.Request) -> web.StreamResponse:
        body = await request.read()
        signed = signature_ok(self.signing_secret, request.headers, body, time.time())
        if not signed and not is_ssl_check(body, request.content_type):
            return web.json_response({"error": "invalid request"}, status=401)
        problem, payload = checked_body(body, request.content_type)
        if problem is not None:
            log.info("refused a signed Slack request: %s", problem)
            return web.json_response({"error": problem}, status=400)
        if self.direct is not None and payload is not None and await self.direct(payload):
            return web.Response(status=200)
        bolt_request = AsyncBoltRequest(body=body.decode("utf-8"), query=request.query_string,
                                        headers=dict(request.headers))
        return await to_aiohttp_response(await self.bolt.async_dispatch(bolt_request))

    async def install(self, request: web.Request) -> web.StreamResponse:
        flow = self.bolt.oauth_flow
        assert flow is not None
        return await to_aiohttp_response(await flow.handle_installation(self._get(request)))

    async def oauth_redirect(self, request: web.Request) -> web.StreamResponse:
        flow = self.bolt.oauth_flow
        assert flow is not None
        return await to_aiohttp_response(await flow.handle_callback(self._get(request)))

    @staticmethod
    def _get(request: web.Request) -> AsyncBoltRequest:
        return AsyncBoltRequest(body="", query=request.query_string, headers=dict(request.headers))
