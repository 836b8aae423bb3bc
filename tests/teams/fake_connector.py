"""A local Bot Connector: the ``serviceUrl`` every test activity names. It records each request,
checks it against ConnectorAPI.json (a request that does not fit gets 400 and is kept in
``problems``), answers as Teams does, serves team rosters page by page, and fails on cue."""

from __future__ import annotations

import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from aiohttp import web

from teams_specs import card_problems, connector_problems

CARD = "application/vnd.microsoft.card.adaptive"
TENANT_PER_SECOND = 30
CONVERSATION_PER_SECOND = 7


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    """Percent-decoded."""
    query: dict[str, str]
    headers: dict[str, str]
    body: Any

    @property
    def conversation(self) -> str:
        return self.path.split("/")[3] if self.path.startswith("/v3/conversations/") else ""

    @property
    def cards(self) -> list[dict[str, Any]]:
        attachments = (self.body or {}).get("attachments") or [] if isinstance(self.body, dict) else []
        return [a["content"] for a in attachments if a.get("contentType") == CARD]

    @property
    def text(self) -> str:
        """What the person reads: the text, or the card's fallback text."""
        if isinstance(self.body, dict) and self.body.get("text"):
            return self.body["text"]
        return "\n".join(card.get("fallbackText", "") for card in self.cards)


@dataclass(frozen=True)
class Failure:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]
    path_contains: str


@dataclass
class FakeConnector:
    requests: list[Request] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    rosters: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """Team id → its members, as ``pagedmembers`` returns them."""
    failures: list[Failure] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)
    """What was answered to each request, in the order of ``requests``."""
    page_limit: int = 2
    """Members per page at most, whatever the bot asks for, so paging is exercised."""
    check_cards: bool = True
    """Validate every card against the Adaptive Card schema (about 20 ms each; a benchmark
    measuring the bot, not the fake, may turn it off)."""
    enforce_limits: bool = False
    """Answer 429 (Retry-After: 1) beyond Teams' limits: 30 requests in any second for the
    tenant, 7 in any second in one conversation."""
    throttled: int = 0
    arrivals: list[float] = field(default_factory=list)
    """When each request that was not throttled arrived (``time.monotonic``)."""
    _recent: deque[float] = field(default_factory=deque)
    _by_conversation: dict[str, deque[float]] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._serve)
        return app

    def fail(self, status: int, code: str = "", *, times: int = 1, path_contains: str = "",
             headers: dict[str, str] | None = None) -> None:
        body = {"error": {"code": code or "Error", "message": "scripted failure"}}
        self.failures += [Failure(status, body, headers or {}, path_contains)] * times

    def posts(self, conversation: str | None = None) -> list[Request]:
        """Messages posted (not created conversations, not updates), optionally in one chat."""
        return [r for r in self.requests if r.method == "POST" and "/activities" in r.path
                and (conversation is None or r.conversation == conversation)]

    def updates(self) -> list[Request]:
        return [r for r in self.requests if r.method == "PUT"]

    def created(self) -> list[Request]:
        return [r for r in self.requests if r.method == "POST" and r.path == "/v3/conversations"]

    async def _serve(self, request: web.Request) -> web.Response:
        raw = await request.read()
        body = json.loads(raw) if raw else None
        problems = connector_problems(request.method, request.raw_path.split("?")[0], dict(request.query), body)
        recorded = Request(request.method, unquote(request.path), dict(request.query), dict(request.headers), body)
        for card in recorded.cards if self.check_cards else ():
            problems += [f"card: {p}" for p in card_problems(card)]
        status, answer, headers = self._reply(recorded, problems)
        self.requests.append(recorded)
        self.answers.append(answer)
        return web.json_response(answer, status=status, headers=headers)

    def id_of(self, request: Request) -> str:
        """The activity id the connector gave a posted message."""
        return self.answers[self.requests.index(request)]["id"]

    def _reply(self, recorded: Request, problems: list[str]) -> tuple[int, Any, dict[str, str]]:
        if problems:
            self.problems += problems
            return 400, {"error": {"code": "BadSyntax", "message": "; ".join(problems)}}, {}
        for failure in self.failures:
            if failure.path_contains in recorded.path:
                self.failures.remove(failure)
                return failure.status, failure.body, failure.headers
        if self.enforce_limits and self._over_limit(recorded):
            self.throttled += 1
            return 429, {"error": {"code": "TooManyRequests", "message": "slow down"}}, {"Retry-After": "1"}
        self.arrivals.append(time.monotonic())
        return 200, self._answer(recorded), {}

    def _over_limit(self, request: Request) -> bool:
        now = time.monotonic()
        windows = [(self._recent, TENANT_PER_SECOND)]
        if request.conversation:
            windows.append((self._by_conversation.setdefault(request.conversation, deque()), CONVERSATION_PER_SECOND))
        for recent, _limit in windows:
            while recent and now - recent[0] >= 1.0:
                recent.popleft()
        if any(len(recent) >= limit for recent, limit in windows):
            return True
        for recent, _limit in windows:
            recent.append(now)
        return False

    def _answer(self, request: Request) -> Any:
        parts = request.path.strip("/").split("/")
        if request.method == "POST" and parts == ["v3", "conversations"]:
            members = request.body.get("members") or [{}]
            return {"id": f"a:chat-{members[0].get('id', '')}", "activityId": f"act-{next(self._ids)}"}
        if len(parts) >= 4 and parts[3] == "pagedmembers":
            return self._page(parts[2], request.query)
        if len(parts) == 5 and parts[3] == "members" and request.method == "GET":
            return {"id": parts[4], "name": parts[4]}
        if request.method == "PUT":
            return {"id": parts[-1]}
        return {"id": f"act-{next(self._ids)}"}

    def _page(self, team: str, query: dict[str, str]) -> dict[str, Any]:
        members = self.rosters.get(team, [])
        start = int(query.get("continuationToken") or 0)
        size = min(int(query.get("pageSize") or 100), self.page_limit)
        page: dict[str, Any] = {"members": members[start:start + size]}
        if start + size < len(members):
            page["continuationToken"] = str(start + size)
        return page
