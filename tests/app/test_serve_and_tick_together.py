"""On SQLite, `serve`'s in-process scheduler and a `tick` run at the same time still send each
prompt once: claims are atomic conditional updates."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlmodel import Session, select

from storage.db import make_engine
from storage.migrate import upgrade
from storage.rows import PlaygroundMessageRow
from storage.sql_store import SqlStore

TEACHERS = 300


def _env(url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "OPENAI_", "MICROCOACH_", "DATABASE_URL", "TEAMS_"))}
    env.update(DATABASE_URL=url, MICROCOACH_SCHEDULER="on", MICROCOACH_TICK_SECONDS="0.2",
               MICROCOACH_QUIET_WINDOW="00:00-23:59")
    return env


def _seed(url: str, slot: datetime) -> None:
    upgrade(url)
    engine = make_engine(url)
    store = SqlStore(engine)
    ws = store.ensure_workspace("playground", "demo", "Demo", at=slot)
    cohort = store.create_cohort(ws.id, "big", "UTC", at=slot - timedelta(days=1))
    rows = []
    for n in range(TEACHERS):
        teacher = store.ensure_person(ws.id, f"u-{n}", display_name=f"T{n}", tz="UTC", at=slot)
        enrollment, _ = store.enroll(cohort.id, teacher.id, at=slot - timedelta(days=1))
        rows.append({"enrollment_id": enrollment.id, "person_id": teacher.id, "workspace_id": ws.id,
                     "cohort_id": cohort.id, "slot_utc": slot, "local_date": slot.date(), "prompt_id": "qt-wait-time-01",
                     "kind": "prompt", "status": "planned", "attempts": 0, "created_at": slot})
    store.plan_deliveries(rows)
    engine.dispose()


def _sent_keys(url: str) -> Counter[str]:
    """Every prompt the playground received, by delivery key (what a teacher would see twice)."""
    engine = make_engine(url)
    with Session(engine) as session:
        keys = Counter(session.exec(select(PlaygroundMessageRow.delivery_key).where(
            PlaygroundMessageRow.delivery_key != None)))  # noqa: E711
    engine.dispose()
    return keys


def test_serve_and_a_concurrent_tick_send_each_prompt_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'both.db'}"
    slot = datetime.now(timezone.utc).replace(microsecond=0)
    _seed(url, slot)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    serve = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=tmp_path,
                             env=_env(url), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        ticks = [subprocess.Popen([sys.executable, "-m", "bot.cli", "tick"], cwd=tmp_path, env=_env(url),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        for tick in ticks:
            assert tick.wait(timeout=120) == 0, tick.stderr.read() if tick.stderr else ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(_sent_keys(url)) < TEACHERS:
            time.sleep(0.3)
    finally:
        serve.terminate()
        serve.wait(timeout=10)
    keys = _sent_keys(url)
    assert len(keys) == TEACHERS
    assert max(keys.values()) == 1
