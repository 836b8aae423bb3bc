"""On PostgreSQL, `serve` (no embedded scheduler) and `worker` run apart, and the worker ticks
rarely: a teacher's reply still gets its coach's card within seconds, because `serve` announces
each handled event and the worker starts on it at once."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from storage.db import make_engine
from storage.playground import PlaygroundStore
from storage.sql_store import SqlStore
from support import teacher_with_a_due_prompt

TICK_SECONDS = 600
"""Far longer than the test: only a wake-up can make the card come in time."""


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "Microsoft", "OPENAI_", "MICROCOACH_", "DATABASE_URL", "TEAMS_"))}
    env.update(DATABASE_URL=url, MICROCOACH_TICK_SECONDS=str(TICK_SECONDS), MICROCOACH_QUIET_WINDOW="00:00-23:59",
               MICROCOACH_SCHEDULER="auto")
    return env


@pytest.fixture
def school(pg_url: str, pg_engine: Engine) -> str:
    """A teacher with a prompt due now, and her coach, in an emptied PostgreSQL database."""
    with pg_engine.begin() as conn:
        conn.execute(text("TRUNCATE workspace, playground_message RESTART IDENTITY CASCADE"))
    store = SqlStore(pg_engine)
    slot = datetime.now(timezone.utc).replace(microsecond=0)
    teacher = teacher_with_a_due_prompt(store, slot)
    coach = store.ensure_person(teacher.workspace_id, "u-kim", display_name="Kim", tz="UTC", at=slot)
    store.update_cohort(store.find_cohort(teacher.workspace_id, "c1").id, coach_id=coach.id)
    return pg_url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _until(check, within: float) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return False


def _messages(url: str, person: str) -> list[dict]:
    engine = make_engine(url, pool_size=1)
    try:
        return PlaygroundStore(engine).messages_for(f"demo:{person}")
    finally:
        engine.dispose()


def _post(port: int, path: str, body: dict) -> None:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json", "Origin": f"http://127.0.0.1:{port}"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


def test_a_reply_reaches_its_coach_long_before_the_workers_next_tick(school: str, tmp_path: Path) -> None:
    port = _free_port()
    serve = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=tmp_path,
                             env=_env(school), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([sys.executable, "-m", "bot.cli", "worker"], cwd=tmp_path, env=_env(school),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        assert _until(lambda: any("Count to five" in str(m["body"]) for m in _messages(school, "u-ana")), 30), \
            "the worker's first tick sends the due prompt"
        assert _until(lambda: _healthy(port), 30)
        replied = time.monotonic()
        _post(port, "/playground/api/send", {"as": "u-ana", "text": "I waited five seconds and Jo answered."})
        assert _until(lambda: any("Approve" in str(m["body"]) for m in _messages(school, "u-kim")), 20), \
            "the coach's card comes at once, not at the next tick"
        assert time.monotonic() - replied < 20 < TICK_SECONDS
    finally:
        for process in (serve, worker):
            process.terminate()
        serve.wait(timeout=10)
        worker.wait(timeout=10)
    assert worker.returncode == 0, worker.stderr.read() if worker.stderr else ""


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
            return answer.status == 200
    except OSError:
        return False
