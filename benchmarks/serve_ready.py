"""How long `microcoach serve` takes to answer /healthz from a fresh SQLite database, and its memory
at rest (RSS after it has been idle, with the embedded scheduler ticking). Prints the median of N runs.

    python benchmarks/serve_ready.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def one_run(idle_seconds: float) -> tuple[float, float]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "OPENAI_", "MICROCOACH_", "DATABASE_URL"))}
    with tempfile.TemporaryDirectory() as cwd:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=cwd, env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.02)
            ready = time.perf_counter() - started
            time.sleep(idle_seconds)
            return ready, rss_mb(process.pid)
        finally:
            process.terminate()
            process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--idle", type=float, default=5.0)
    args = parser.parse_args()
    results = [one_run(args.idle) for _ in range(args.runs)]
    ready = [r for r, _ in results]
    rss = [m for _, m in results]
    print(f"serve time to ready (fresh SQLite, {args.runs} runs): median {statistics.median(ready):.2f} s, "
          f"max {max(ready):.2f} s (aim < 3 s)")
    print(f"serve memory at rest after {args.idle:.0f} s idle: median {statistics.median(rss):.0f} MB RSS, "
          f"max {max(rss):.0f} MB (aim < 150 MB)")


if __name__ == "__main__":
    main()
