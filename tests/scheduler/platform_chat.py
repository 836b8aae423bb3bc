"""The Chat port of the test platform (:mod:`platform_server`), over HTTP: what a platform
adapter does, minus the platform's own formats. 429 becomes a rate-limit error with its
Retry-After, 5xx a transient error, 404 a permanent one; ``find_sent`` asks the platform."""

from __future__ import annotations

import os

import aiohttp

from bot.core.messages import Address, Outbound, SentRef
from bot.core.ports import SendError


class PlatformChat:
    can_find_sent = True

    def __init__(self, base_url: str, *, platform: str = "slack", worker: str | None = None, timeout: float = 10.0):
        self.platform = platform
        self._base = base_url.rstrip("/")
        self._worker = worker or str(os.getpid())
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout, headers={"X-Worker": self._worker},
                                                  connector=aiohttp.TCPConnector(limit=0))
        return self._session

    async def send(self, to: Address, message: Outbound) -> SentRef:
        body = {"workspace": to.workspace, "user": to.user, "key": message.delivery_key, "text": message.text}
        try:
            async with self._client().post(f"{self._base}/send", json=body) as response:
                if response.status == 429:
                    raise SendError("rate limited", retry_after=float(response.headers.get("Retry-After", "1")))
                if response.status == 404:
                    raise SendError("user not found", permanent=True)
                if response.status >= 500:
                    raise SendError(f"platform error {response.status}")
                message_id = (await response.json())["message_id"]
        except aiohttp.ClientError as exc:
            raise SendError(f"connection failed: {type(exc).__name__}") from exc
        return SentRef(self.platform, message_id, message_id=message_id)

    async def update(self, ref: SentRef, message: Outbound) -> None:
        async with self._client().post(f"{self._base}/update", json={"id": ref.data, "text": message.text}):
            return

    async def tell(self, to: Address, text: str) -> None:
        async with self._client().post(f"{self._base}/tell", json={"user": to.user, "text": text}):
            return

    async def find_sent(self, to: Address, delivery_key: str) -> SentRef | None:
        query = {"workspace": to.workspace, "user": to.user or "", "key": delivery_key}
        try:
            async with self._client().get(f"{self._base}/find", params=query) as response:
                if response.status != 200:
                    raise SendError(f"lookup failed with {response.status}")
                message_id = (await response.json())["message_id"]
        except aiohttp.ClientError as exc:
            raise SendError(f"lookup failed: {type(exc).__name__}") from exc
        return None if message_id is None else SentRef(self.platform, message_id, message_id=message_id)
