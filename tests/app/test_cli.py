"""The console script: every contract command is registered, and the ones that work today work
from a fresh directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from support import skip_or_fail

COMMANDS = [["serve"], ["worker"], ["tick"], ["db", "upgrade"], ["secret-key"], ["data", "export"],
            ["data", "delete"], ["schedule", "preview"]]


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "OPENAI_", "MICROCOACH_", "DATABASE_URL"))}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_contract_command_has_help(command: list[str], tmp_path: Path) -> None:
    result = run([*command, "--help"], tmp_path)
    assert result.returncode == 0 and "usage: microcoach" in result.stdout


def test_db_upgrade_creates_the_sqlite_database_in_the_working_directory(tmp_path: Path) -> None:
    result = run(["db", "upgrade"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "microcoach.db").exists()


def test_db_upgrade_on_postgresql(tmp_path: Path, pg_url: str | None) -> None:
    if pg_url is None:
        skip_or_fail("TEST_DATABASE_URL is not set")
    result = run(["db", "upgrade"], tmp_path, DATABASE_URL=pg_url)
    assert result.returncode == 0, result.stderr


def test_secret_key_prints_a_fernet_key(tmp_path: Path) -> None:
    key = run(["secret-key"], tmp_path).stdout.strip()
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"


def test_a_bad_setting_stops_the_program_naming_the_variable(tmp_path: Path) -> None:
    result = run(["db", "upgrade"], tmp_path, MICROCOACH_QUIET_WINDOW="late")
    assert result.returncode != 0
    assert "MICROCOACH_QUIET_WINDOW" in result.stderr
    assert not (tmp_path / "microcoach.db").exists()


def test_tick_refuses_an_instant_without_an_offset(tmp_path: Path) -> None:
    result = run(["tick", "--at", "2027-01-11T07:45"], tmp_path)
    assert result.returncode == 2 and "offset" in result.stderr


def test_data_export_of_an_unknown_person_says_so(tmp_path: Path) -> None:
    run(["db", "upgrade"], tmp_path)
    result = run(["data", "export", "--platform", "slack", "--user", "U404"], tmp_path)
    assert result.returncode == 1 and "U404" in result.stderr


def test_data_export_and_delete_of_a_person(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from storage.db import make_engine
    from storage.sql_store import SqlStore

    run(["db", "upgrade"], tmp_path)
    engine = make_engine(f"sqlite:///{tmp_path / 'microcoach.db'}")
    store = SqlStore(engine)
    now = datetime(2026, 11, 23, tzinfo=timezone.utc)
    ws = store.ensure_workspace("slack", "T1", at=now)
    person = store.ensure_person(ws.id, "U7", display_name="Ana", at=now)
    store.add_reply(workspace_id=ws.id, person_id=person.id, delivery_id=None, kind="note", text="my words",
                    message_id="m1", at=now)
    engine.dispose()
    exported = run(["data", "export", "--platform", "slack", "--user", "U7"], tmp_path)
    assert json.loads(exported.stdout)["replies"][0]["text"] == "my words"
    deleted = run(["data", "delete", "--platform", "slack", "--user", "U7"], tmp_path)
    assert deleted.returncode == 0
    assert run(["data", "export", "--platform", "slack", "--user", "U7"], tmp_path).returncode == 1
