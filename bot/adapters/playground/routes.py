"""The playground's routes on the one web server: the page, its static files, the JSON API.

The page is plain HTML plus a little vanilla JavaScript and CSS served from this package, so it
works offline with no build step. Every route answers only requests addressed to this computer
(a DNS-rebinding page cannot read or drive it), and posts from another site are refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from ipaddress import ip_address
from pathlib import Path
from types import MappingProxyType

from aiohttp import web

from bot.adapters.playground.api import Handle, People, PlaygroundApi
from bot.adapters.playground.payloads import BadPayload
from bot.adapters.playground.seed import DEMO_WORKSPACE
from bot.clock import SystemClock
from bot.core.ports import Clock
from storage.playground import PlaygroundStore

STATIC = Path(__file__).with_name("static")
ASSET_TYPES = MappingProxyType(
    {
        "playground.js": "text/javascript; charset=utf-8",
        "playground.css": "text/css; charset=utf-8",
        "favicon.png": "image/png",
    }
)
SECURITY_HEADERS = MappingProxyType(
    {
        "Content-Security-Policy": (
            "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        ),
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }
)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def add_routes(
    app: web.Application,
    *,
    store: PlaygroundStore,
    people: People,
    handle: Handle,
    workspace: str = DEMO_WORKSPACE,
    clock: Clock | None = None,
) -> None:
    api = PlaygroundApi(store=store, people=people, handle=handle, workspace=workspace, clock=clock or SystemClock())
    page = _Page.load()
    gets = {
        "/": page.index,
        "/playground/static/{name}": page.asset,
        "/playground/api/people": api.list_people,
        "/playground/api/channels": api.list_channels,
        "/playground/api/messages": api.messages,
    }
    posts = {
        "/playground/api/send": api.send,
        "/playground/api/action": api.action,
        "/playground/api/edit": api.edit,
        "/playground/api/delete": api.delete,
    }
    for path, handler in gets.items():
        app.router.add_get(path, _guarded(handler))
    for path, handler in posts.items():
        app.router.add_post(path, _guarded(handler))


@dataclass(frozen=True)
class _Page:
    html: bytes
    assets: dict[str, bytes]

    @classmethod
    def load(cls) -> _Page:
        return cls(
            html=(STATIC / "index.html").read_bytes(),
            assets={name: (STATIC / name).read_bytes() for name in ASSET_TYPES},
        )

    async def index(self, request: web.Request) -> web.Response:
        return web.Response(body=self.html, content_type="text/html", charset="utf-8", headers={**SECURITY_HEADERS})

    async def asset(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in self.assets:
            raise web.HTTPNotFound()
        return web.Response(body=self.assets[name], headers={**SECURITY_HEADERS, "Content-Type": ASSET_TYPES[name]})


def _guarded(handler: Handler) -> Handler:
    """Local requests only; bad input becomes a 400 with a reason the page can show."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        if not _is_local(_hostname(request.host)):
            return _error(403, "The playground answers only on this computer's own address.")
        if request.method == "POST" and not _same_origin(request):
            return _error(403, "Another site can't post to the playground.")
        try:
            return await handler(request)
        except BadPayload as exc:
            return _error(400, str(exc))

    return guarded


def _hostname(authority: str) -> str:
    """The host of a ``Host`` header, parsed leniently: a malformed one must not become a 500."""
    if authority.startswith("["):
        return authority[1:].split("]", 1)[0]
    return authority.rsplit(":", 1)[0] if authority.count(":") == 1 else authority


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _same_origin(request: web.Request) -> bool:
    """Browsers send ``Origin`` on every cross-site post; scripts and tests may send none."""
    origin = request.headers.get("Origin")
    return origin is None or origin.split("://", 1)[-1] == request.host


def _error(status: int, reason: str) -> web.Response:
    return web.json_response({"ok": False, "error": reason}, status=status, headers={"Cache-Control": "no-store"})
