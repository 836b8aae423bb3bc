"""A local OpenAI-compatible server (``POST /v1/chat/completions``) that records every request.

It runs on 127.0.0.1 on an ephemeral port in a thread of its own, so the real ``openai`` client
talks HTTP to it from any thread. Each request is answered by the next scripted responder, or by
``default`` when the script is spent.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from aiohttp import web

Responder = Callable[[dict], Awaitable[web.StreamResponse]]
PLACEHOLDER = re.compile(r"\[(?:TEACHER|COACH|SCHOOL|STAFF|NAME|EMAIL|PHONE|ID|ADDRESS)(?:_\d+)?\]")


def completion(text: str | None, *, prompt_tokens: int = 120, completion_tokens: int = 40,
               finish: str = "stop") -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": "fake-model",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": finish}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens}}


def answer(text: str | None, **usage: int | str) -> Responder:
    async def respond(body: dict) -> web.StreamResponse:
        return web.json_response(completion(text, **usage))  # type: ignore[arg-type]
    return respond


def status(code: int, retry_after: float | None = None) -> Responder:
    async def respond(body: dict) -> web.StreamResponse:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return web.json_response({"error": {"message": "fake failure", "type": "server_error"}}, status=code,
                                 headers=headers)
    return respond


def slow(seconds: float, then: Responder) -> Responder:
    async def respond(body: dict) -> web.StreamResponse:
        await asyncio.sleep(seconds)
        return await then(body)
    return respond


def held(release: threading.Event, then: Responder) -> Responder:
    """Holds each request until ``release`` is set (from any thread), then answers with ``then``:
    the model is as slow as a test needs a drafter to stay mid-draft."""
    async def respond(body: dict) -> web.StreamResponse:
        while not release.is_set():
            await asyncio.sleep(0.02)
        return await then(body)
    return respond


def raw(body_text: str) -> Responder:
    async def respond(body: dict) -> web.StreamResponse:
        return web.Response(text=body_text, content_type="application/json")
    return respond


def echo_placeholders(closing: str = "What did you notice?") -> Responder:
    """Answers with every placeholder of the user message, so a test sees each one restored."""
    async def respond(body: dict) -> web.StreamResponse:
        found = list(dict.fromkeys(PLACEHOLDER.findall(body["messages"][-1]["content"])))
        greeting = "Hi [TEACHER]! " if "[TEACHER]" in found else ""
        named = [p for p in found if p != "[TEACHER]"]
        text = greeting + (f"Thank you for writing about {', '.join(named)}. " if named else "") + closing
        return web.json_response(completion(text))
    return respond


@dataclass
class FakeOpenAI:
    url: str = ""
    requests: list[dict] = field(default_factory=list)
    script: list[Responder] = field(default_factory=list)
    default: Responder = field(default_factory=lambda: answer("Thanks for sharing this. What did you notice?"))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def then(self, *responders: Responder) -> None:
        with self._lock:
            self.script.extend(responders)

    def contents(self) -> list[str]:
        """Every message text of every request received, as the model saw it."""
        return [m["content"] for body in self.requests for m in body["messages"]]

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        with self._lock:
            self.requests.append(body)
            responder = self.script.pop(0) if self.script else self.default
        return await responder(body)


@contextmanager
def fake_openai() -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI()
    loop = asyncio.new_event_loop()
    app = web.Application()
    app.router.add_post("/v1/chat/completions", fake._handle)
    runner = web.AppRunner(app, access_log=None)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    fake.url = f"http://127.0.0.1:{port}/v1"
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
