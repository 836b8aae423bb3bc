"""What the Slack tests share: an event loop on its own thread serving aiohttp apps on
127.0.0.1, a signer that signs requests the way Slack does, and a plain HTTP client."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web

T = TypeVar("T")
SIGNING_SECRET = "test-signing-secret"


class LoopThread:
    """An asyncio loop running on a daemon thread; tests hand it coroutines and wait."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.runners: list[web.AppRunner] = []

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 15) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=timeout)

    def serve(self, app: web.Application) -> str:
        """Serve ``app`` on an ephemeral port; returns its base URL."""

        async def start() -> str:
            runner = web.AppRunner(app, access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.runners.append(runner)
            host, port = runner.addresses[0][:2]
            return f"http://{host}:{port}"

        return self.run(start())

    def close(self) -> None:
        for runner in reversed(self.runners):
            self.run(runner.cleanup())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)
        self.loop.close()


def sign(body: bytes, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's request signature: v0=HMAC-SHA256("v0:{timestamp}:{body}")."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return {k.lower(): v for k, v in self.headers.items()}.get(name.lower())


@dataclass
class Client:
    """Plain HTTP, as Slack (or a browser, for the OAuth pages) would send it."""

    base: str

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return _open(urllib.request.Request(self.base + path, headers=headers or {}))

    def post_raw(self, path: str, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> Reply:
        sent = {"Content-Type": content_type, **(headers or {})}
        return _open(urllib.request.Request(self.base + path, data=body, headers=sent, method="POST"))

    def signed(self, body: bytes, content_type: str, *, headers: dict[str, str] | None = None,
               signer: Callable[[bytes], dict[str, str]] = sign) -> Reply:
        return self.post_raw("/slack/events", body, content_type, {**signer(body), **(headers or {})})

    def event(self, envelope: dict[str, Any], **headers: str) -> Reply:
        return self.signed(json.dumps(envelope).encode(), "application/json", headers=headers)

    def form(self, fields: dict[str, str]) -> Reply:
        return self.signed(urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def interaction(self, payload: dict[str, Any]) -> Reply:
        return self.form({"payload": json.dumps(payload)})


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _open(request: urllib.request.Request) -> Reply:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=15) as response:
            return Reply(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Reply(error.code, dict(error.headers), error.read())


def wait_for(check: Callable[[], T], timeout: float = 5.0) -> T:
    """Poll ``check`` until it returns something truthy (work Slack sees after the ack)."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            assert value, "timed out waiting"
            return value
        time.sleep(0.02)
