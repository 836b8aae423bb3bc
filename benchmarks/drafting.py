"""Drafting under load: 200 teachers reply at the same moment, and a fake OpenAI-compatible model
takes 2 s per draft. Prints reply-to-card p50/p95 (a reply's arrival to its coach's card being
sent), and acknowledgement p50/p99 of the burst and of a steady trickle of notes, first with no
drafting going on, then while the burst is being drafted: all in one run.

It drives what ``serve`` with the embedded scheduler does: each reply goes through
:class:`bot.intake.Intake`, which answers the reply and then starts drafting and the
outbox at once; the worker sends each card as soon as its draft is stored. Everything is local:
SQLite in a temporary folder, the fake model on 127.0.0.1 in a process of its own (as a model
server would be, so its work does not compete with the bot's for one interpreter).

    python benchmarks/drafting.py [--replies 200] [--model-seconds 2] [--concurrency 16]

The model bounds what any design can reach: ``replies / concurrency`` rounds of
``model-seconds`` each, so the k-th card cannot come before ``ceil(k / concurrency) *
model-seconds`` (with 200 replies, the p95 card is the 190th: 24 s at 16 in flight, 4 s at 100).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import multiprocessing
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "drafting")]

from aiohttp import web  # noqa: E402

from bot.clock import FixedClock  # noqa: E402
from bot.container import Container, build  # noqa: E402
from bot.core import cards  # noqa: E402
from bot.core.messages import Address, Inbound, Outbound, SentRef  # noqa: E402
from bot.drafting.names import NameBook  # noqa: E402
from bot.drafting.openai_drafter import OpenAIDrafter  # noqa: E402
from bot.intake import Intake  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from fake_openai import answer, fake_openai, slow  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

MONDAY_0745_NY = datetime(2026, 11, 30, 12, 45, tzinfo=timezone.utc)
DRAFT = "Hi [TEACHER]! Those three hands going up after the pause are worth noticing. What made the difference?"


@dataclass
class TimedChat:
    """A chat port that notes when each coach's card is sent."""

    platform: str = "playground"
    can_find_sent: bool = False
    cards: list[tuple[float, int]] = field(default_factory=list)
    count: int = 0

    async def send(self, to: Address, message: Outbound) -> SentRef:
        self.count += 1
        approve = [b for b in message.buttons if b.action_id == cards.APPROVE]
        if approve:
            self.cards.append((time.perf_counter(), int(approve[0].value)))
        return SentRef(self.platform, f"m{self.count}", message_id=f"m{self.count}")

    async def update(self, ref: SentRef, message: Outbound) -> None:
        return None

    async def tell(self, to: Address, text: str) -> None:
        return None

    async def find_sent(self, to: Address, delivery_key: str) -> SentRef | None:
        return None


def seed(container: Container, teachers: int) -> list[str]:
    store, at = container.store, container.clock.now()
    ws = store.ensure_workspace("playground", "demo", "Demo", at=at)
    users = [f"u-t{i}" for i in range(teachers)]
    people = [("u-admin", "Dana"), ("u-coach", "Coach Kim"), ("u-probe", "Pat Probe")] + [(u, f"Teacher {u}") for u in users]
    for user, name in people:
        store.ensure_person(ws.id, user, display_name=name, tz="America/New_York", at=at)
    for line in ("cohort create fall7 America/New_York", "cohort coach fall7 @u-coach", "cadence set fall7 mon,wed 07:45",
                 "cohort add fall7 " + " ".join(f"@{u}" for u in users), "cohort create probe America/New_York",
                 "cohort add probe @u-probe"):
        container.service.handle(Inbound(kind="command", sender=Address("playground", "demo", user="u-admin"),
                                         dedupe_key=line, text=line))
    return users


def message(user: str, key: str, text: str) -> Inbound:
    return Inbound(kind="message", sender=Address("playground", "demo", user=user), dedupe_key=key, text=text,
                   message_id=key)


async def timed(handle, inbound: Inbound) -> float:  # noqa: ANN001
    started = time.perf_counter()
    await handle(inbound)
    return time.perf_counter() - started


async def probes(handle, until: asyncio.Event, tag: str, every: float = 0.05, most: int = 400) -> list[float]:  # noqa: ANN001
    """One teacher's note every ``every`` seconds until ``until`` is set: acknowledgement times."""
    tasks = []
    for n in range(most):
        if until.is_set():
            break
        tasks.append(asyncio.create_task(timed(handle, message("u-probe", f"{tag}{n}", "A note for my coach."))))
        await asyncio.sleep(every)
    return list(await asyncio.gather(*tasks))


def floor(args: argparse.Namespace, replies: int) -> float:
    """The earliest the p95 card can come: the rounds of model calls before it, at most."""
    return math.ceil(math.ceil(0.95 * replies) / args.concurrency) * args.model_seconds


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def spread(values: list[float]) -> str:
    return f"p50 {percentile(values, 50) * 1000:.0f} ms, p99 {percentile(values, 99) * 1000:.0f} ms (n={len(values)})"


def _serve_model(seconds: float, pipe: Connection, requests: Synchronized) -> None:
    """The fake model's process: answers every request after ``seconds``, counting them."""
    with fake_openai() as fake:
        answered = slow(seconds, answer(DRAFT))

        async def counted(body: dict) -> web.StreamResponse:
            with requests.get_lock():
                requests.value += 1
            return await answered(body)

        fake.default = counted
        pipe.send(fake.url)
        pipe.recv()


@contextmanager
def model_process(seconds: float) -> Iterator[tuple[str, Synchronized]]:
    """The fake model's URL and its request count, while its process runs."""
    pipe, theirs = multiprocessing.Pipe()
    requests = multiprocessing.Value("i", 0)
    process = multiprocessing.Process(target=_serve_model, args=(seconds, theirs, requests), daemon=True)
    process.start()
    try:
        yield pipe.recv(), requests
    finally:
        pipe.send("stop")
        process.join(5)


async def run(args: argparse.Namespace, container: Container, chat: TimedChat, requests: Synchronized) -> None:
    users = seed(container, args.replies)
    await container.worker.tick(MONDAY_0745_NY)
    container.clock.set(MONDAY_0745_NY + timedelta(minutes=5))
    handle = Intake(container.service, container.worker.after_inbound)

    idle = asyncio.Event()
    asyncio.get_running_loop().call_later(2.0, idle.set)
    quiet = await probes(handle, idle, "quiet")

    done = asyncio.Event()
    busy = asyncio.create_task(probes(handle, done, "busy"))
    arrived = {u: time.perf_counter() for u in users}
    started = time.perf_counter()
    burst = await asyncio.gather(*(timed(handle, message(u, f"wed:{u}", "I waited five seconds and three quiet kids "
                                                                      "in the back raised their hands.")) for u in users))
    deadline = started + args.model_seconds * len(users) + 30
    while len(chat.cards) < len(users) and time.perf_counter() < deadline:
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    done.set()
    loaded = await busy

    store = container.store
    latencies, by_model = [], 0
    for sent_at, draft_id in chat.cards:
        draft = store.get_draft(draft_id)
        reply = store.get_reply(draft.reply_id) if draft else None
        teacher = store.get_person(reply.person_id) if reply else None
        if draft is not None and teacher is not None:
            latencies.append(sent_at - arrived[teacher.external_id])
            by_model += draft.source.startswith("llm:")
    print(f"{len(users)} replies at once; fake model {args.model_seconds:g} s per draft; "
          f"{args.concurrency} model calls in flight (the floor for the p95 card: {floor(args, len(users)):.0f} s)")
    print(f"  reply-to-card: p50 {percentile(latencies, 50):.2f} s, p95 {percentile(latencies, 95):.2f} s, "
          f"max {max(latencies):.2f} s ({len(latencies)} cards, {by_model} by the model, all within {elapsed:.1f} s)")
    print(f"  ack of the {len(users)} replies arriving together: {spread(burst)}")
    print(f"  ack of a note every 50 ms, no drafting load:   {spread(quiet)}")
    print(f"  ack of a note every 50 ms, with drafting load: {spread(loaded)}")
    print(f"  model requests: {requests.value}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--model-seconds", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, model_process(args.model_seconds) as (model_url, requests):
        url = f"sqlite:///{folder}/bench.db"
        upgrade(url)
        settings = load_settings(DATABASE_URL=url, OPENAI_BASE_URL=model_url, MICROCOACH_ADMINS="playground:u-admin",
                                 MICROCOACH_LLM_CONCURRENCY=str(args.concurrency))
        clock = FixedClock(MONDAY_0745_NY)
        llm = OpenAIDrafter.from_settings(settings, clock=clock, book=NameBook.from_faker(), timeout=args.model_seconds * 5)
        chat = TimedChat()
        container = build(settings, clock=clock, chats={"playground": chat}, llm=llm)
        try:
            asyncio.run(run(args, container, chat, requests))
        finally:
            container.close()


if __name__ == "__main__":
    main()
