"""A local fake of the Slack Web API (and of ``response_url``), on 127.0.0.1.

Every call is checked against the official OpenAPI spec as the contract says: the method exists
(any verb), its required parameters are present (a Bearer header counts as the token; Basic
auth as the client id and secret), extra parameters are allowed. A call that fails the check is
recorded in :attr:`FakeSlack.violations` and answered ``invalid_arguments``; the fixtures fail a
test that leaves any behind. Methods newer than the 2021 spec are listed in ``NEWER_METHODS``.
"""

from __future__ import annotations

import asyncio
import base64
import functools
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from support import SPECS as SHARED_SPECS

SPEC = SHARED_SPECS / "slack" / "web-api.openapi.json"
NEWER_METHODS = frozenset({"apps.connections.open"})
APP_LEVEL = frozenset({"oauth.v2.access", "apps.connections.open"})
"""Methods called with the app's credentials or app-level token, not a bot token."""


@functools.lru_cache(maxsize=1)
def required_params() -> dict[str, frozenset[str]]:
    """Each method's required parameters, from the spec."""
    spec = json.loads(SPEC.read_text())
    methods = {}
    for path, verbs in spec["paths"].items():
        required = {p["name"] for op in verbs.values() for p in op.get("parameters", []) if p.get("required")}
        methods[path.lstrip("/")] = frozenset(required)
    return methods


def spec_problems(method: str, params: dict[str, Any]) -> list[str]:
    """What is wrong with a call, by the contract's rule (empty when nothing is)."""
    spec = required_params()
    if method not in spec:
        return [] if method in NEWER_METHODS else [f"{method}: not a method in the spec"]
    missing = sorted(name for name in spec[method] if params.get(name) in (None, ""))
    return [f"{method}: missing required parameter {name}" for name in missing]


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class Failure:
    status: int
    error: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Team:
    team_id: str
    bot_user_id: str = "UBOT"
    bot_id: str = "BBOT"
    enterprise_id: str | None = None


@dataclass
class FakeSlack:
    """The fake's state: who exists, what was posted, and scripted failures."""

    tokens: dict[str, Team] = field(default_factory=dict)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    channel_members: dict[str, list[str]] = field(default_factory=dict)
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    oauth_codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    client_credentials: tuple[str, str] = ("", "")
    socket_url: str = ""
    calls: list[Call] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    messages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ephemeral: list[dict[str, Any]] = field(default_factory=list)
    views: list[dict[str, Any]] = field(default_factory=list)
    responses: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    slow: dict[str, float] = field(default_factory=dict)
    """Seconds a method takes to answer."""
    _ts: itertools.count = field(default_factory=lambda: itertools.count(1))

    # Scripting -------------------------------------------------------------------------------

    def add_team(self, token: str, team: Team) -> None:
        self.tokens[token] = team

    def add_user(self, user_id: str, name: str, *, tz: str = "America/New_York", email: str | None = None,
                 is_admin: bool = False, team_id: str = "T1") -> None:
        self.users[user_id] = {"id": user_id, "team_id": team_id, "name": name.lower().replace(" ", "."),
                               "real_name": name, "tz": tz, "is_admin": is_admin, "is_owner": False,
                               "deleted": False, "is_bot": False,
                               "profile": {"real_name": name, "display_name": name, "email": email}}

    def fail_next(self, method: str, error: str, *, status: int = 200, retry_after: int | None = None) -> None:
        headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
        self.failures.setdefault(method, []).append(Failure(status, error, headers))

    # Reading -------------------------------------------------------------------------------

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posted(self, channel: str | None = None) -> list[dict[str, Any]]:
        found = [m for ch, ms in self.messages.items() for m in ms if channel in (None, ch)]
        return sorted(found, key=lambda m: float(m["ts"]))

    def modals(self) -> list[dict[str, Any]]:
        """Views opened with views.open (the Home tab is published with views.publish)."""
        return [v for v in self.views if v["method"] == "views.open"]

    def dm_of(self, user: str) -> str:
        return f"D{user}"

    # Serving -------------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=4 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{hook}", self._respond)
        return app

    async def _respond(self, request: web.Request) -> web.Response:
        self.responses.append({"hook": request.match_info["hook"], **(await request.json())})
        return web.Response(text="ok")

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _params(request)
        self.calls.append(Call(method, params))
        problems = spec_problems(method, params)
        if problems:
            self.violations += problems
            return web.json_response({"ok": False, "error": "invalid_arguments"})
        if method in self.slow:
            await asyncio.sleep(self.slow[method])
        if queued := self.failures.get(method):
            failure = queued.pop(0)
            return web.json_response({"ok": False, "error": failure.error}, status=failure.status,
                                     headers=failure.headers)
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        token = str(params.get("token", ""))
        team = self.tokens.get(token)
        if team is None and method not in APP_LEVEL or method == "apps.connections.open" and not token.startswith("xapp-"):
            return web.json_response({"ok": False, "error": "invalid_auth"})
        try:
            return web.json_response({"ok": True, **handler(team, params)})
        except SlackError as exc:
            return web.json_response({"ok": False, "error": exc.code})

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    # Methods -------------------------------------------------------------------------------

    def _auth_test(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": "https://school.slack.com/", "team": "School", "user": "microcoach", "team_id": team.team_id,
                "user_id": team.bot_user_id, "bot_id": team.bot_id, "enterprise_id": team.enterprise_id,
                "is_enterprise_install": False}

    def _conversations_open(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        return {"channel": {"id": self.dm_of(str(params["users"]))}}

    def _chat_postMessage(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        message = {"type": "message", "ts": self._next_ts(), "text": params.get("text", ""),
                   "blocks": _json(params.get("blocks")) or [], "user": team.bot_user_id, "bot_id": team.bot_id,
                   "thread_ts": params.get("thread_ts"), "metadata": _json(params.get("metadata"))}
        self.messages.setdefault(str(params["channel"]), []).append(message)
        return {"channel": params["channel"], "ts": message["ts"], "message": message}

    def _chat_update(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        for message in self.messages.get(str(params["channel"]), []):
            if message["ts"] == params["ts"]:
                message.update(text=params.get("text", ""), blocks=_json(params.get("blocks")) or [], edited=True)
                return {"channel": params["channel"], "ts": params["ts"]}
        raise SlackError("message_not_found")

    def _chat_postEphemeral(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        self.ephemeral.append(dict(params))
        return {"message_ts": self._next_ts()}

    def _conversations_history(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        found = [dict(m) for m in reversed(self.messages.get(str(params["channel"]), []))]
        for message in found:
            if not with_metadata:
                message.pop("metadata", None)
        return {"messages": found, "has_more": False, "response_metadata": {"next_cursor": ""}}

    def _users_info(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(params.get("user")))
        if user is None:
            raise SlackError("user_not_found")
        return {"user": user}

    def _users_lookupByEmail(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        for user in self.users.values():
            if user["profile"].get("email") == params["email"]:
                return {"user": user}
        raise SlackError("users_not_found")

    def _conversations_members(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        members = self.channel_members.get(str(params.get("channel")))
        if members is None:
            raise SlackError("channel_not_found")
        return {"members": members, "response_metadata": {"next_cursor": ""}}

    def _usergroups_users_list(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        users = self.usergroups.get(str(params["usergroup"]))
        if users is None:
            raise SlackError("no_such_subteam")
        return {"users": users}

    def _views_open(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        view = {"method": "views.open", **params, "view": _json(params.get("view"))}
        self.views.append(view)
        return {"view": {"id": f"V{len(self.views)}", **view["view"]}}

    def _views_publish(self, team: Team, params: dict[str, Any]) -> dict[str, Any]:
        view = {"method": "views.publish", **params, "view": _json(params.get("view"))}
        self.views.append(view)
        return {"view": {"id": f"V{len(self.views)}", **view["view"]}}

    def _apps_connections_open(self, team: Team | None, params: dict[str, Any]) -> dict[str, Any]:
        return {"url": self.socket_url}

    def _oauth_v2_access(self, team: Team | None, params: dict[str, Any]) -> dict[str, Any]:
        if (params.get("client_id"), params.get("client_secret")) != self.client_credentials:
            raise SlackError("invalid_client_id")
        granted = self.oauth_codes.pop(str(params["code"]), None)
        if granted is None:
            raise SlackError("invalid_code")
        return granted


class SlackError(Exception):
    """Slack's ``{"ok": false, "error": code}`` answer (HTTP 200)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def _json(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


async def _params(request: web.Request) -> dict[str, Any]:
    """Query, form and JSON parameters together; the Bearer token and Basic credentials too."""
    params: dict[str, Any] = dict(request.query)
    if request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            params.update(body if isinstance(body, dict) else {})
        else:
            params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
    auth = request.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        params.setdefault("token", auth[len("Bearer "):])
    elif auth.startswith("Basic "):
        client_id, _, secret = base64.b64decode(auth[len("Basic "):]).decode().partition(":")
        params.setdefault("client_id", client_id)
        params.setdefault("client_secret", secret)
    return params
