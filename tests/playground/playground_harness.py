"""What the playground's route tests share: a recording stand-in for the core, a plain HTTP
client, and the running playground they drive."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.core.messages import Inbound, Outbound
from storage.playground import PlaygroundStore


@dataclass
class Outcome:
    """The shape of the core's answer (``bot.core.service.Outcome``)."""

    notices: list[str] = field(default_factory=list)
    replace: Outbound | None = None


@dataclass
class RecordingCore:
    """Stands in for the core: keeps every Inbound and answers with ``answer(inbound)``."""

    store: PlaygroundStore
    answer: Callable[[Inbound], Outcome] = lambda _inbound: Outcome()
    inbounds: list[Inbound] = field(default_factory=list)
    seen_rows: list[list[dict[str, Any]]] = field(default_factory=list)
    """The sender's conversation as stored when the core was called."""

    async def __call__(self, inbound: Inbound) -> Outcome:
        self.inbounds.append(inbound)
        key = f"{inbound.sender.workspace}:{inbound.sender.user}"
        self.seen_rows.append(self.store.messages_for(key))
        return self.answer(inbound)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        return json.loads(self.text)


@dataclass
class Client:
    """Plain HTTP to the server, as a browser or curl would send it."""

    base: str

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        return self._open(urllib.request.Request(self.base + path, headers=headers or {}))

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> Reply:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent = {"Content-Type": "application/json", **(headers or {})}
        return self._open(urllib.request.Request(self.base + path, data=raw, headers=sent, method="POST"))

    @staticmethod
    def _open(request: urllib.request.Request) -> Reply:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return Reply(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, dict(error.headers), error.read())


@dataclass
class Playground:
    store: PlaygroundStore
    core: RecordingCore
    client: Client
    now: datetime

    def conversation(self, user: str) -> list[dict[str, Any]]:
        return self.store.messages_for(f"demo:{user}")
