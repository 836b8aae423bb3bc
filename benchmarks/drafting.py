"""Drafting under load: 200 teachers reply at the same moment, and a fake OpenAI-compatible model
takes 2 s per draft. Prints reply-to-card p50/p95 (a reply's arrival to its coach's card being
sent), and acknowledgement p50/p99 of the burst and of a steady trickle of notes, first with no
drafting going on, then while the burst is being drafted: all in one run.

It drives what the deployment does, with the fake model on 127.0.0.1 in a process of its own (as
a model server would be, so its work does not compete with the bot's for one interpreter):

- on SQLite (the default), ``serve`` with the embedded scheduler: each reply goes through
  :class:`bot.intake.Intake`, which answers the reply and then starts drafting and the outbox at
  once, all in this one process;
- on PostgreSQL (``--database postgresql://…``, a fresh database beside the one named),
  ``serve`` and ``worker`` apart, as the Procfile runs them: this process answers the replies and
  announces each one, and a worker process of its own (:func:`bot.serve.work`, ticking only every
  10 minutes) drafts and sends the cards the moment it is woken.

    python benchmarks/drafting.py [--replies 200] [--model-seconds 2] [--concurrency 16] [--database sqlite]

The model bounds what any design can reach: ``replies / concurrency`` rounds of
``model-seconds`` each, so the k-th card cannot come before ``ceil(k / concurrency) *
model-seconds`` (with 200 replies, the p95 card is the 190th: 24 s at 16 in flight, 4 s at 100).
It also prints when the model's requests arrived, so the time before the model, in it and after
it can be told apart.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import math
import multiprocessing
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "drafting"), str(ROOT / "benchmarks")]

from aiohttp import web  # noqa: E402
from bench_db import fresh_database  # noqa: E402

from bot.clock import FixedClock  # noqa: E402
from bot.container import Container, build  # noqa: E402
from bot.core import cards  # noqa: E402
from bot.core.messages import Address, Inbound, Outbound, SentRef  # noqa: E402
from bot.drafting.names import NameBook  # noqa: E402
from bot.drafting.openai_drafter import OpenAIDrafter  # noqa: E402
from bot.intake import Intake  # noqa: E402
from bot.serve import announcing, work  # noqa: E402
from bot.settings import Settings, load_settings  # noqa: E402
from fake_openai import answer, fake_openai, slow  # noqa: E402

MONDAY_0745_NY = datetime(2026, 11, 30, 12, 45, tzinfo=timezone.utc)
REPLIES_AT = MONDAY_0745_NY + timedelta(minutes=5)
DRAFT = "Hi [TEACHER]! Those three hands going up after the pause are worth noticing. What made the difference?"
MODEL_REQUESTS_KEPT = 4096


@dataclass
class TimedChat:
    """A chat port that notes when (wall-clock seconds) each coach's card is sent."""

    platform: str = "playground"
    can_find_sent: bool = False
    cards: list[tuple[float, int]] = field(default_factory=list)
    count: int = 0
    sent_cards: Synchronized | None = None
    """Shared with the benchmark when the cards are sent from another process."""

    async def send(self, to: Address, message: Outbound) -> SentRef:
        self.count += 1
        approve = [b for b in message.buttons if b.action_id == cards.APPROVE]
        if approve:
            self.cards.append((time.time(), int(approve[0].value)))
            if self.sent_cards is not None:
                with self.sent_cards.get_lock():
                    self.sent_cards.value += 1
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


def _serve_model(seconds: float, pipe: Connection, requests: Synchronized, arrivals: Synchronized) -> None:
    """The fake model's process: answers every request after ``seconds``, counting them and
    noting when (wall-clock seconds) each arrived."""
    with fake_openai() as fake:
        answered = slow(seconds, answer(DRAFT))

        async def counted(body: dict) -> web.StreamResponse:
            with requests.get_lock():
                arrivals[requests.value % MODEL_REQUESTS_KEPT] = time.time()
                requests.value += 1
            return await answered(body)

        fake.default = counted
        pipe.send(fake.url)
        pipe.recv()


@dataclass
class Model:
    url: str
    requests: Synchronized
    arrivals: Synchronized

    def arrived(self) -> list[float]:
        return sorted(self.arrivals[i] for i in range(min(self.requests.value, MODEL_REQUESTS_KEPT)))


@contextmanager
def model_process(seconds: float) -> Iterator[Model]:
    """The fake model, while its process runs."""
    pipe, theirs = multiprocessing.Pipe()
    requests, arrivals = multiprocessing.Value("i", 0), multiprocessing.Array("d", MODEL_REQUESTS_KEPT)
    process = multiprocessing.Process(target=_serve_model, args=(seconds, theirs, requests, arrivals), daemon=True)
    process.start()
    try:
        yield Model(pipe.recv(), requests, arrivals)
    finally:
        pipe.send("stop")
        process.join(5)


def bench_settings(url: str, model_url: str, concurrency: int) -> Settings:
    return load_settings(DATABASE_URL=url, OPENAI_BASE_URL=model_url, MICROCOACH_ADMINS="playground:u-admin",
                         MICROCOACH_LLM_CONCURRENCY=str(concurrency), MICROCOACH_TICK_SECONDS="600")


def bench_container(settings: Settings, clock: FixedClock, chat: TimedChat, model_seconds: float,
                    worker_id: str) -> Container:
    """Built as ``serve`` and ``worker`` build theirs, what was built then frozen out of the
    garbage collector's reach as they do."""
    llm = OpenAIDrafter.from_settings(settings, clock=clock, book=NameBook.from_faker(), timeout=model_seconds * 5 + 5)
    container = build(settings, clock=clock, chats={"playground": chat}, llm=llm, worker_id=worker_id)
    gc.freeze()
    return container


def _worker_apart(url: str, model_url: str, concurrency: int, model_seconds: float, pipe: Connection,
                  sent_cards: Synchronized) -> None:
    """The worker process of the PostgreSQL run: what ``microcoach worker`` does, with the timed
    chat. Sends back the cards it sent once told to stop."""
    chat = TimedChat(sent_cards=sent_cards)
    container = bench_container(bench_settings(url, model_url, concurrency), FixedClock(REPLIES_AT), chat,
                                model_seconds, "bench-worker")

    async def main() -> None:
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        loop.add_reader(pipe.fileno(), stop.set)
        loop.call_later(1.0, pipe.send, "ready")
        await work(container, stop.wait())

    try:
        asyncio.run(main())
    finally:
        container.close()
    pipe.recv()
    pipe.send(chat.cards)


@contextmanager
def worker_apart(url: str, args: argparse.Namespace, model_url: str) -> Iterator[tuple[Connection, Synchronized]]:
    pipe, theirs = multiprocessing.Pipe()
    sent_cards = multiprocessing.Value("i", 0)
    process = multiprocessing.Process(target=_worker_apart, daemon=True,
                                      args=(url, model_url, args.concurrency, args.model_seconds, theirs, sent_cards))
    process.start()
    try:
        if pipe.recv() != "ready":
            raise RuntimeError("the worker process did not start")
        yield pipe, sent_cards
    finally:
        process.join(30)
        if process.is_alive():
            process.kill()


async def run(args: argparse.Namespace, container: Container, handle: Intake, model: Model,
              cards_sent: callable) -> list[tuple[float, int]]:  # noqa: ANN001
    """The burst and the probes; returns the cards sent (when, which draft) once all are in."""
    idle = asyncio.Event()
    asyncio.get_running_loop().call_later(2.0, idle.set)
    quiet = await probes(handle, idle, "quiet")

    done = asyncio.Event()
    busy = asyncio.create_task(probes(handle, done, "busy"))
    users = [f"u-t{i}" for i in range(args.replies)]
    arrived = {u: time.time() for u in users}
    started = time.time()
    burst = await asyncio.gather(*(timed(handle, message(u, f"wed:{u}", "I waited five seconds and three quiet kids "
                                                                      "in the back raised their hands.")) for u in users))
    deadline = started + args.model_seconds * len(users) + 30
    while cards_sent() < len(users) and time.time() < deadline:
        await asyncio.sleep(0.05)
    elapsed = time.time() - started
    done.set()
    loaded = await busy
    return [("burst", burst), ("quiet", quiet), ("loaded", loaded), ("arrived", arrived), ("started", started),
            ("elapsed", elapsed)]


def report(args: argparse.Namespace, container: Container, cards_sent: list[tuple[float, int]], measured: list,
           model: Model, where: str) -> None:
    facts = dict(measured)
    arrived, started = facts["arrived"], facts["started"]
    store = container.store
    latencies, by_model = [], 0
    for sent_at, draft_id in cards_sent:
        draft = store.get_draft(draft_id)
        reply = store.get_reply(draft.reply_id) if draft else None
        teacher = store.get_person(reply.person_id) if reply else None
        if draft is not None and teacher is not None and teacher.external_id in arrived:
            latencies.append(sent_at - arrived[teacher.external_id])
            by_model += draft.source.startswith("llm:")
    calls = [t - started for t in model.arrived() if t >= started]
    print(f"{args.replies} replies at once; {where}; fake model {args.model_seconds:g} s per draft; "
          f"{args.concurrency} model calls in flight (the floor for the p95 card: {floor(args, args.replies):.0f} s)")
    print(f"  reply-to-card: p50 {percentile(latencies, 50):.2f} s, p95 {percentile(latencies, 95):.2f} s, "
          f"max {max(latencies):.2f} s ({len(latencies)} cards, {by_model} by the model, all within {facts['elapsed']:.1f} s)")
    if calls:
        print(f"  the model's requests arrived after the burst began: first {calls[0]:.2f} s, "
              f"p50 {percentile(calls, 50):.2f} s, p95 {percentile(calls, 95):.2f} s")
    print(f"  ack of the {args.replies} replies arriving together: {spread(facts['burst'])}")
    print(f"  ack of a note every 50 ms, no drafting load:   {spread(facts['quiet'])}")
    print(f"  ack of a note every 50 ms, with drafting load: {spread(facts['loaded'])}")
    print(f"  model requests: {model.requests.value}")


def together(args: argparse.Namespace, url: str, model: Model) -> None:
    """``serve`` with the embedded scheduler: one process answers, drafts and sends."""
    chat = TimedChat()
    clock = FixedClock(MONDAY_0745_NY)
    container = bench_container(bench_settings(url, model.url, args.concurrency), clock, chat, args.model_seconds,
                                "bench")
    try:
        async def go() -> list:
            seed(container, args.replies)
            await container.worker.tick(MONDAY_0745_NY)
            clock.set(REPLIES_AT)
            return await run(args, container, Intake(container.service, container.worker.after_inbound), model,
                             lambda: len(chat.cards))
        measured = asyncio.run(go())
        report(args, container, chat.cards, measured, model, "serve with the embedded scheduler, SQLite")
    finally:
        container.close()


def apart(args: argparse.Namespace, url: str, model: Model) -> None:
    """``serve`` and ``worker`` apart on PostgreSQL: this process answers and announces; the
    worker process drafts and sends."""
    clock = FixedClock(MONDAY_0745_NY)
    container = bench_container(bench_settings(url, model.url, args.concurrency), clock, TimedChat(),
                                args.model_seconds, "bench-serve")
    try:
        async def prepare() -> None:
            seed(container, args.replies)
            await container.worker.tick(MONDAY_0745_NY)
        asyncio.run(prepare())
        clock.set(REPLIES_AT)
        with worker_apart(url, args, model.url) as (pipe, sent_cards):
            handle = Intake(container.service, announcing(container.wakeups))
            measured = asyncio.run(run(args, container, handle, model, lambda: sent_cards.value))
            pipe.send("stop")
            pipe.send("cards?")
            cards_sent = pipe.recv()
        report(args, container, cards_sent, measured, model, "serve and a worker apart, PostgreSQL")
    finally:
        container.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--replies", type=int, default=200)
    parser.add_argument("--model-seconds", type=float, default=2.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--database", default="sqlite",
                        help="sqlite (serve with the embedded scheduler), or a PostgreSQL URL (serve and a worker apart)")
    args = parser.parse_args()
    with model_process(args.model_seconds) as model, fresh_database(args.database) as url:
        (together if url.startswith("sqlite") else apart)(args, url, model)


if __name__ == "__main__":
    main()
