"""Fan-out benchmark: how close the dispatchers get to a platform's rate limit, and at what cost.

``--teachers`` prompts fall due at once over ``--workspaces`` workspaces. ``--workers`` worker
processes (the project's worker, built by the composition root, as in the tests) send them
through a test platform on 127.0.0.1 that allows ``--rate`` sends a second per workspace with
bursts of ``--burst`` and answers 429 with Retry-After beyond that. It prints the sends per second
achieved as a fraction of the ceiling (rate x workspaces; aim >= 0.9), how many prompts were lost
or duplicated (aim 0), and the dispatcher processes' CPU time per delivery.

    python benchmarks/fanout.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test

It prints figures; it is not a test (tests/scheduler/test_benchmarks.py runs it with tiny numbers).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "tests" / "scheduler")]

from bench_db import fresh_database  # noqa: E402
from due_seed import seed_due  # noqa: E402
from platform_server import Behaviour, running_platform  # noqa: E402
from sqlalchemy import text  # noqa: E402
from worker_pool import WorkerPool, wait_until  # noqa: E402

from storage.db import make_engine  # noqa: E402


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a running process so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _sent(url: str) -> int:
    engine = make_engine(url, pool_size=1)
    with engine.connect() as conn:
        count = conn.execute(text("SELECT count(*) FROM delivery WHERE status = 'sent'")).scalar_one()
    engine.dispose()
    return count


def run(args: argparse.Namespace, url: str) -> dict[str, float]:
    ceiling = args.rate * args.workspaces
    behaviour = Behaviour(rate=args.rate, burst=args.burst, latency=args.latency)
    with running_platform(behaviour) as (base, server, _), tempfile.TemporaryDirectory() as logs:
        pool = WorkerPool(url, base, lease_seconds=args.lease, tick_seconds=1.0, logs=Path(logs))
        try:
            workers = pool.start(args.workers)
            idle_cpu = sum(_cpu_seconds(p.pid) for p in workers)
            seeded = seed_due(url, workspaces=args.workspaces, teachers=args.teachers,
                              slot=datetime.now(timezone.utc) - timedelta(seconds=1))
            finished = wait_until(lambda: _sent(url) >= args.teachers, timeout=args.teachers / ceiling * 3 + 60,
                                  every=0.5)
        finally:
            pool.stop()
        requests = list(server.state.requests)
        copies = server.state.copies()
    accepted = [r for r in requests if r.status == 200]
    span = max(r.ended for r in accepted) - min(r.started for r in requests) if accepted else float("inf")
    statuses = Counter(r.status for r in requests)
    return {
        "finished": float(finished),
        "achieved": len(accepted) / span,
        "ceiling": ceiling,
        "seconds": span,
        "lost": sum(1 for key in seeded.keys if copies.get(key, 0) == 0),
        "duplicated": sum(1 for key in seeded.keys if copies.get(key, 0) > 1),
        "rate_limited": statuses[429],
        "requests": len(requests),
        "cpu_ms": (pool.cpu_seconds - idle_cpu) * 1000 / args.teachers,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL", "sqlite"),
                        help="a PostgreSQL server to create a throwaway database on, or 'sqlite'")
    parser.add_argument("--teachers", type=int, default=10_000)
    parser.add_argument("--workspaces", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rate", type=float, default=5.0, help="sends per second per workspace")
    parser.add_argument("--burst", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.02, help="seconds the platform takes per send")
    parser.add_argument("--lease", type=float, default=10.0, help="MICROCOACH_LEASE_SECONDS for the workers")
    args = parser.parse_args(argv)
    with fresh_database(args.database_url) as url:
        figures = run(args, url)
    dialect = "sqlite" if args.database_url.startswith("sqlite") else "postgresql"
    print(f"fanout benchmark on {dialect}, {os.cpu_count()} CPUs: {args.teachers:,} teachers, {args.workspaces} "
          f"workspaces, {args.workers} workers, {args.rate:g}/s per workspace with bursts of {args.burst}")
    print(f"  achieved {figures['achieved']:.1f} sends/s of a {figures['ceiling']:g}/s ceiling: "
          f"{figures['achieved'] / figures['ceiling']:.2f} (aim >= 0.9), in {figures['seconds']:.1f} s")
    print(f"  lost {figures['lost']:.0f}, duplicated {figures['duplicated']:.0f} (aim 0 and 0)")
    print(f"  {figures['requests']:,.0f} requests, {figures['rate_limited']:,.0f} answered 429")
    print(f"  dispatcher CPU {figures['cpu_ms']:.2f} ms per delivery")
    return 0 if figures["finished"] else 1


if __name__ == "__main__":
    sys.exit(main())
