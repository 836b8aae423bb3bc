"""Socket Mode, for schools that cannot expose a public URL: bolt's aiohttp Socket Mode handler
opens the connection with ``apps.connections.open`` (through the same Web API client, so
``SLACK_API_URL`` applies) and feeds each envelope to the same app and listeners as HTTP."""

from __future__ import annotations

import logging

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

log = logging.getLogger("microcoach.slack.socket")


class SocketMode:
    def __init__(self, bolt: AsyncApp, app_token: str, client: AsyncWebClient):
        self.bolt = bolt
        self.app_token = app_token
        self.client = client
        self.handler: AsyncSocketModeHandler | None = None

    async def start(self) -> None:
        """Connect (the handler needs a running loop, so it is made here)."""
        self.handler = AsyncSocketModeHandler(self.bolt, self.app_token, logger=log, web_client=self.client)
        await self.handler.connect_async()
        log.info("Slack Socket Mode connected")

    async def stop(self) -> None:
        if self.handler is not None:
            await self.handler.close_async()
            self.handler = None
