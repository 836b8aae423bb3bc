"""Planner benchmark: what one worker tick costs as the number of enrolments grows.

Seeds two databases, one with ``--small`` and one with ``--enrollments`` enrolments over 20
workspaces (one cohort each, weekdays at 07:45 in US zones; every teacher with four weeks of
prompts sent and the next six days planned). Then, on each, through the composition root with a
fixed clock and a chat port that answers at once, it times ticks with:

- nothing due (the median of five; aim < 50 ms);
- ``--due`` enrolments due for planning as the day turns (one new day each; aim < 1 s at
  100,000, and within 1.5x of the same at 10,000);
- the same enrolments re-planned after a change (a whole week of slots each);
- ``--due`` prompts due to send at once.

    python benchmarks/planner.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

It prints figures; it is not a test (tests/scheduler/test_benchmarks.py runs it with tiny numbers).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import datetime, time as clock_time, timedelta, timezone
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_db import analyze, bulk_insert, fresh_database  # noqa: E402

from bot.clock import FixedClock  # noqa: E402
from bot.container import build  # noqa: E402
from bot.core.messages import Address, Outbound, SentRef  # noqa: E402
from bot.settings import load_settings  # noqa: E402
from prompts.library import YamlPromptLibrary  # noqa: E402
from prompts.selection import DM_KINDS  # noqa: E402
from scheduler.cadence import local_to_utc  # noqa: E402
from scheduler.planner import HORIZON  # noqa: E402
from storage.db import make_engine  # noqa: E402

NOW = datetime(2026, 11, 24, 18, 30, tzinfo=timezone.utc)
"""A Tuesday, from 10:30 (Los Angeles) to 13:30 (New York): inside every teacher's day, and
more than the grace period after their 07:45 slot."""
SEND_TIME = clock_time(7, 45)
REMINDED = NOW - timedelta(hours=1)
WORKSPACES = 20
ZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")


class InstantChat:
    """A platform that accepts every message at once, so the figures are the engine's own."""

    platform = "slack"
    can_find_sent = True

    async def send(self, to: Address, message: Outbound) -> SentRef:
        return SentRef(self.platform, message.delivery_key or "", message_id=message.delivery_key or "")

    async def update(self, ref: SentRef, message: Outbound) -> None:
        return None

    async def tell(self, to: Address, text: str) -> None:
        return None

    async def find_sent(self, to: Address, delivery_key: str) -> SentRef | None:
        return None


@dataclass
class Figures:
    enrollments: int
    idle_ms: float
    roll_s: float
    rolled: int
    replan_s: float
    replanned: int
    send_s: float
    sent: int


def seed(url: str, enrollments: int, history_weeks: int = 4) -> None:
    """Every teacher enrolled two months ago, with ``history_weeks`` of prompts sent and the
    next six days planned: the state a worker keeps them in, one day short of the horizon."""
    engine = make_engine(url, pool_size=1)
    prompt_ids = [item.id for item in YamlPromptLibrary.load().all() if item.kind in DM_KINDS]
    created = NOW - timedelta(days=60)
    bulk_insert(engine, "workspace", ("platform", "external_id", "name", "active", "created_at"),
                [("slack", f"T{w}", f"District {w}", True, created) for w in range(WORKSPACES)])
    bulk_insert(engine, "cohort", ("workspace_id", "name", "key", "tz", "paused", "created_at"),
                [(w + 1, f"c{w}", f"c{w}", ZONES[w % len(ZONES)], False, created) for w in range(WORKSPACES)])
    bulk_insert(engine, "cadence", ("cohort_id", "days", "send_time", "updated_at"),
                [(w + 1, "1,2,3,4,5", SEND_TIME, created) for w in range(WORKSPACES)])
    bulk_insert(engine, "person", ("workspace_id", "external_id", "display_name", "status", "ai_opt_out", "created_at"),
                ((n % WORKSPACES + 1, f"U{n}", f"Teacher {n}", "active", False, created) for n in range(enrollments)))
    bulk_insert(engine, "enrollment", ("cohort_id", "teacher_id", "paused", "active", "planned_through", "created_at"),
                ((n % WORKSPACES + 1, n + 1, False, True, (NOW + HORIZON).date(), created) for n in range(enrollments)))
    bulk_insert(engine, "delivery", ("enrollment_id", "person_id", "workspace_id", "cohort_id", "slot_utc",
                                     "local_date", "prompt_id", "kind", "status", "attempts", "sent_at", "reminded_at"),
                _deliveries(enrollments, history_weeks, prompt_ids))
    analyze(engine)
    engine.dispose()


def _deliveries(enrollments: int, history_weeks: int, prompt_ids: list[str]):  # noqa: ANN202
    """Weekday prompts at 07:45 local: sent (and reminded, so no reminder is due) before now,
    planned after."""
    today = NOW.date()
    for n in range(enrollments):
        ws = n % WORKSPACES + 1
        tz = ZONES[(ws - 1) % len(ZONES)]
        for offset in range(-7 * history_weeks, 7):
            day = today + timedelta(days=offset)
            if day.isoweekday() > 5:
                continue
            slot = local_to_utc(day, SEND_TIME, tz)
            sent = slot < NOW
            yield (n + 1, n + 1, ws, ws, slot, day, prompt_ids[(n + offset) % len(prompt_ids)], "prompt",
                   "sent" if sent else "planned", int(sent), slot if sent else None, REMINDED if sent else None)


def _update(url: str, statement: str, **values: object) -> None:
    engine = make_engine(url, pool_size=1)
    with engine.begin() as conn:
        conn.execute(text(statement), values)
    engine.dispose()


def _roll_the_horizon(url: str, count: int) -> None:
    """``count`` enrolments one day short of the horizon, as every one is when the day turns."""
    _update(url, "UPDATE enrollment SET planned_through = :day WHERE id <= :n",
            day=(NOW + HORIZON).date() - timedelta(days=1), n=count)


def _replan(url: str, count: int) -> None:
    """``count`` enrolments re-planned (their cohort's cadence changed): nothing ahead any more."""
    _update(url, "DELETE FROM delivery WHERE enrollment_id <= :n AND status IN ('planned', 'skipped') "
                 "AND slot_utc > :now", n=count, now=NOW.replace(tzinfo=None))
    _update(url, "UPDATE enrollment SET planned_through = NULL WHERE id <= :n", n=count)


def _make_due_to_send(url: str, count: int) -> None:
    """``count`` planned prompts (of different teachers) come due now."""
    _update(url, "UPDATE delivery SET slot_utc = :slot WHERE id IN (SELECT min(id) FROM delivery "
                 "WHERE status = 'planned' AND slot_utc > :slot GROUP BY enrollment_id ORDER BY min(id) LIMIT :n)",
            slot=(NOW - timedelta(minutes=1)).replace(tzinfo=None), n=count)


def measure(url: str, enrollments: int, due: int) -> Figures:
    seed(url, enrollments)
    settings = load_settings(DATABASE_URL=url)
    container = build(settings, clock=FixedClock(NOW), chats={"slack": InstantChat()})
    loop = asyncio.new_event_loop()

    def tick():  # noqa: ANN202
        started = time.perf_counter()
        report = loop.run_until_complete(container.worker.tick(NOW))
        return time.perf_counter() - started, report

    try:
        tick()
        idle = [tick()[0] for _ in range(5)]
        _roll_the_horizon(url, due)
        roll_s, rolled = tick()
        _replan(url, due)
        replan_s, replanned = tick()
        _make_due_to_send(url, due)
        send_s, sent = tick()
    finally:
        loop.close()
        container.close()
    return Figures(enrollments, statistics.median(idle) * 1000, roll_s, rolled.planned, replan_s, replanned.planned,
                   send_s, sent.sent)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", "sqlite"),
                        help="a PostgreSQL server to create throwaway databases on, or 'sqlite'")
    parser.add_argument("--enrollments", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--due", type=int, default=1_000)
    args = parser.parse_args(argv)
    results = []
    for size in (args.small, args.enrollments):
        with fresh_database(args.database_url) as url:
            results.append(measure(url, size, args.due))
    small, large = results
    dialect = "sqlite" if args.database_url.startswith("sqlite") else "postgresql"
    print(f"planner benchmark on {dialect}, {os.cpu_count()} CPUs, {WORKSPACES} workspaces, weekdays at 07:45")
    for r in results:
        print(f"  {r.enrollments:>7,} enrolments: tick with nothing due {r.idle_ms:6.1f} ms (aim < 50 ms)")
        print(f"  {'':>7}             tick with {args.due:,} due as the day turns  {r.roll_s:6.3f} s "
              f"({r.rolled:,} slots; aim < 1 s)")
        print(f"  {'':>7}             tick with {args.due:,} re-planned (a week each) {r.replan_s:6.3f} s "
              f"({r.replanned:,} slots)")
        print(f"  {'':>7}             tick sending {r.sent:,} due prompts      {r.send_s:6.3f} s")
    print(f"  the same {args.due:,} due among {large.enrollments:,} vs {small.enrollments:,} enrolments: "
          f"{large.roll_s / small.roll_s:.2f}x as the day turns, {large.replan_s / small.replan_s:.2f}x re-planned "
          "(aim within 1.5x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
