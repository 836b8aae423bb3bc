"""`microcoach worker` runs the clock's work in its own process: a due prompt goes out, and
`microcoach tick --at` does one pass as of an instant."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from storage.db import make_engine
from storage.migrate import upgrade
from storage.playground import PlaygroundStore
from storage.sql_store import SqlStore
from support import teacher_with_a_due_prompt


def _env(db: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "OPENAI_", "MICROCOACH_", "DATABASE_URL"))}
    env.update(DATABASE_URL=db, MICROCOACH_TICK_SECONDS="0.5", MICROCOACH_QUIET_WINDOW="00:00-23:59")
    return env


def _school_with_a_due_prompt(path: Path, slot: datetime) -> str:
    url = f"sqlite:///{path}"
    upgrade(url)
    engine = make_engine(url)
    teacher_with_a_due_prompt(SqlStore(engine), slot)
    engine.dispose()
    return url


def _prompts_seen(url: str) -> int:
    engine = make_engine(url)
    messages = PlaygroundStore(engine).messages_for("demo:u-ana")
    engine.dispose()
    return sum(1 for m in messages if "Count to five" in str(m["body"]))


def test_worker_sends_a_due_prompt(tmp_path: Path) -> None:
    slot = datetime.now(timezone.utc).replace(microsecond=0)
    url = _school_with_a_due_prompt(tmp_path / "w.db", slot)
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "worker"], cwd=tmp_path, env=_env(url),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _prompts_seen(url) == 0:
            time.sleep(0.2)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    assert _prompts_seen(url) == 1
    assert process.returncode == 0


def test_tick_at_an_instant_sends_what_is_due_then(tmp_path: Path) -> None:
    slot = datetime(2027, 1, 11, 12, 45, tzinfo=timezone.utc)
    url = _school_with_a_due_prompt(tmp_path / "t.db", slot)
    early = subprocess.run([sys.executable, "-m", "bot.cli", "tick", "--at", "2027-01-11T12:44:59Z"], cwd=tmp_path,
                           env=_env(url), capture_output=True, text=True, timeout=60)
    assert early.returncode == 0 and _prompts_seen(url) == 0
    on_time = subprocess.run([sys.executable, "-m", "bot.cli", "tick", "--at", "2027-01-11T07:45:00-05:00"],
                             cwd=tmp_path, env=_env(url), capture_output=True, text=True, timeout=60)
    assert on_time.returncode == 0, on_time.stderr
    assert "sent 1" in on_time.stdout and _prompts_seen(url) == 1
