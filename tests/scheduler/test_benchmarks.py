"""The benchmarks still run: each with tiny numbers, on SQLite, printing its figures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(script: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROCOACH_", "DATABASE_URL"))}
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--database-url", "sqlite", *args],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_the_planner_benchmark_runs_and_prints_its_figures() -> None:
    out = _run("planner.py", "--enrollments", "80", "--small", "40", "--due", "10")
    assert "tick with nothing due" in out and "10 slots" in out
    assert "tick sending 10 due prompts" in out and "the same 10 due among 80 vs 40 enrolments" in out


def test_the_fanout_benchmark_runs_and_loses_nothing() -> None:
    out = _run("fanout.py", "--teachers", "30", "--workspaces", "3", "--workers", "1", "--rate", "20")
    assert "lost 0, duplicated 0" in out
    assert "sends/s of a 60/s ceiling" in out and "ms per delivery" in out
