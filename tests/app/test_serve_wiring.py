"""`serve` mounts each configured adapter on its one web server: with Slack and Teams configured,
their endpoints answer (and guard) beside /healthz and the playground."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from aiohttp import ClientSession, web

from bot.container import build
from bot.serve import build_web
from bot.settings import load_settings


async def _serve_and_ask(app: web.Application, requests: list[tuple[str, str, dict, bytes]]) -> list[int]:
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with ClientSession() as session:
            statuses = []
            for method, path, headers, body in requests:
                async with session.request(method, f"http://127.0.0.1:{port}{path}", headers=headers, data=body) as r:
                    statuses.append(r.status)
            return statuses
    finally:
        await runner.cleanup()


def test_serve_mounts_teams_and_slack_beside_the_playground(tmp_path: Path) -> None:
    settings = load_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}", TEAMS_ALLOW_UNAUTHENTICATED="1",
                             SLACK_BOT_TOKEN="xoxb-test", SLACK_SIGNING_SECRET="secret",
                             SLACK_API_URL="http://127.0.0.1:9/api/")
    from storage.migrate import upgrade

    upgrade(settings.database_url)
    container = build(settings)
    app, _ = build_web(container, embedded=False)
    activity = json.dumps({"type": "message", "text": "hi"}).encode()
    statuses = asyncio.run(_serve_and_ask(app, [
        ("GET", "/healthz", {}, b""),
        ("GET", "/", {}, b""),
        ("POST", "/api/messages", {"Content-Type": "application/json", "Authorization": "Bearer x"}, activity),
        ("POST", "/api/messages", {"Content-Type": "application/json"}, b"{not json"),
        ("POST", "/slack/events", {"Content-Type": "application/json"}, b"{}"),
    ]))
    container.close()
    assert statuses == [200, 200, 401, 400, 401]
    assert set(container.chats) == {"playground", "slack", "teams"}


def test_without_platform_settings_only_the_playground_is_mounted(tmp_path: Path) -> None:
    settings = load_settings(DATABASE_URL=f"sqlite:///{tmp_path / 'w.db'}")
    container = build(settings)
    app, _ = build_web(container, embedded=False)
    statuses = asyncio.run(_serve_and_ask(app, [
        ("POST", "/api/messages", {"Content-Type": "application/json"}, b"{}"),
        ("POST", "/slack/events", {"Content-Type": "application/json"}, b"{}"),
    ]))
    container.close()
    assert statuses == [404, 404]
    assert set(container.chats) == {"playground"}
