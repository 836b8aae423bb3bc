"""The playground's channel view, over HTTP with the real core: a cohort's channel lists under
``/playground/api/channels``, the weekly peer-share prompt shows there for everyone, teachers
answer in its thread, and the note that says who sees a share is for its author alone."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

import pytest
from aiohttp import web

from bot.adapters.playground import seed_demo
from bot.clock import FixedClock
from bot.container import Container, build
from bot.serve import build_web
from bot.settings import load_settings
from playground_harness import Client

MONDAY_0745_NY = datetime(2026, 11, 30, 12, 45, tzinfo=timezone.utc)


@dataclass
class Live:
    container: Container
    client: Client
    run: Any

    def say(self, user: str, text: str, **extra: Any) -> dict[str, Any]:
        reply = self.client.post("/playground/api/send", {"as": user, "text": text, **extra})
        assert reply.status == 200, reply.text
        return reply.json()

    def channel(self, user: str) -> list[dict[str, Any]]:
        return self.client.get(f"/playground/api/messages?as={user}&after=0&channel=staffroom").json()

    def tick(self, at: datetime) -> None:
        self.container.clock.set(at)  # type: ignore[attr-defined]
        self.run(self.container.worker.tick(at))


@pytest.fixture
def live(sqlite_url: str) -> Iterator[Live]:
    container = build(load_settings(DATABASE_URL=sqlite_url), clock=FixedClock(datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)))
    seed_demo(container.store, at=container.clock.now())
    app, _ = build_web(container, embedded=False)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def run(coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=30)

    runner = web.AppRunner(app)
    run(runner.setup())
    run(web.TCPSite(runner, "127.0.0.1", 0).start())
    host, port = runner.addresses[0][:2]
    yield Live(container, Client(f"http://{host}:{port}"), run)
    run(runner.cleanup())
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    loop.close()
    container.close()


@pytest.fixture
def posted(live: Live) -> dict[str, Any]:
    """grade5 (Ana, Ben) posts in #staffroom; Monday's peer-share prompt has gone out."""
    for line in ("cohort create grade5", "cohort coach grade5 @u-coach", "cadence set grade5 mon,wed 07:45",
                 "cohort add grade5 @u-ana @u-ben", "cohort channel grade5 #staffroom"):
        live.say("u-admin", line)
    live.tick(MONDAY_0745_NY)
    [post] = live.channel("u-ana")
    return post


def test_the_cohorts_channel_is_listed(live: Live, posted: dict[str, Any]) -> None:
    assert live.client.get("/playground/api/channels").json() == [{"id": "staffroom", "cohort": "grade5"}]


def test_everyone_sees_the_post_and_the_answers_with_who_wrote_them(live: Live, posted: dict[str, Any]) -> None:
    assert posted["direction"] == "out" and "This week's peer share" in posted["body"]["text"]
    live.say("u-ana", "A two-line warm-up on the board.", channel="staffroom", thread=posted["id"])
    seen_by_ben = live.channel("u-ben")
    [answer] = [m for m in seen_by_ben if m["direction"] == "in"]
    assert answer["thread"] == posted["id"] and answer["body"]["author"] == {"id": "u-ana", "name": "Ana Lopez"}
    assert not [m for m in seen_by_ben if m["direction"] == "notice"]
    [note] = [m for m in live.channel("u-ana") if m["direction"] == "notice"]
    assert "Everyone there can see it" in note["body"]["text"]


def test_an_answer_is_stored_as_a_peer_share_not_a_reply(live: Live, posted: dict[str, Any]) -> None:
    live.say("u-ana", "Exit slips.", channel="staffroom", thread=posted["id"])
    store = live.container.store
    ana = store.find_person_on("playground", "u-ana")
    assert store.replies_of(ana.id) == []
    [share] = store.peer_shares_of([p.id for p in store.peer_posts_of(1)])
    assert share.text == "Exit slips." and share.person_id == ana.id


def test_only_the_author_may_edit_or_delete_an_answer(live: Live, posted: dict[str, Any]) -> None:
    sent = live.say("u-ana", "Exit slips.", channel="staffroom", thread=posted["id"])
    refused = live.client.post("/playground/api/delete", {"as": "u-ben", "message_id": sent["id"], "channel": "staffroom"})
    assert refused.status == 400 and "only change messages you wrote" in refused.json()["error"]
    edited = live.client.post("/playground/api/edit", {"as": "u-ana", "message_id": sent["id"], "text": "Exit slips, daily.",
                                                       "channel": "staffroom"})
    assert edited.status == 200
    store = live.container.store
    assert store.peer_shares_of([1])[0].text == "Exit slips, daily."
    [answer] = [m for m in live.channel("u-ben") if m["direction"] == "in"]
    assert answer["body"]["edited"] and answer["body"]["author"]["id"] == "u-ana"


def test_a_channel_that_no_cohort_uses_is_refused(live: Live, posted: dict[str, Any]) -> None:
    reply = live.client.post("/playground/api/send", {"as": "u-ana", "text": "hi", "channel": "nowhere"})
    assert reply.status == 400 and "no channel #nowhere" in reply.json()["error"]
    assert live.client.get("/playground/api/messages?as=u-ana&after=0&channel=Bad!").status == 400


def test_direct_messages_stay_out_of_the_channel(live: Live, posted: dict[str, Any]) -> None:
    live.say("u-ana", "Honestly, a hard morning.")
    assert not [m for m in live.channel("u-ben") if "hard morning" in m["body"]["text"]]
    assert [m for m in live.client.get("/playground/api/messages?as=u-ana&after=0").json()
            if m["body"]["text"] == "Honestly, a hard morning."]
