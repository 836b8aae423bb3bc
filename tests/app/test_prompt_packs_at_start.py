"""Packs in ``MICROCOACH_PROMPTS_DIR`` are loaded at start and must pass ``prompts lint`` (schema,
duplicate ids, lengths, link rules); a pack that does not stops the program with a message
naming the variable, and ``prompts lint`` itself still lists every finding."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.container import build
from bot.settings import SettingsError, load_settings


def write_pack(folder: Path, **overrides: object) -> Path:
    item = {
        "id": "district-exit-ticket-01", "kind": "try-this", "focus": "formative-assessment", "level": "introductory",
        "title": "Our district's exit ticket",
        "text": "Before the bell, hand out our district's three-box exit ticket and sort the slips into two piles.",
        "follow_up_questions": ["What did the piles tell you?", "Who surprised you?"],
        "follow_up_material": "Sorting into two piles is enough to plan tomorrow's first five minutes.",
        "rationale": "Uses the form every school in the district already prints.",
        **overrides,
    }
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "district.yaml").write_text(yaml.safe_dump({"pack": {"name": "District", "description": "Ours."},
                                                          "items": [item]}), encoding="utf-8")
    return folder


def test_a_pack_in_the_directory_joins_the_library(tmp_path: Path, sqlite_url: str) -> None:
    folder = write_pack(tmp_path / "packs")
    container = build(load_settings(DATABASE_URL=sqlite_url, MICROCOACH_PROMPTS_DIR=str(folder)))
    try:
        item = container.prompts.get("district-exit-ticket-01")
        assert item is not None and item.focus == "formative-assessment"
        assert item in container.prompts.all()
    finally:
        container.close()


@pytest.mark.parametrize(
    ("overrides", "finding"),
    [({"link": "https://district.example.org/exit-ticket.pdf"}, "not on an allow-listed domain"),
     ({"id": "fb-strength-and-step-01"}, "duplicate id"),
     ({"text": "x" * 601}, "text")],
    ids=["unlisted-domain", "duplicate-id", "too-long"],
)
def test_a_pack_that_fails_lint_stops_the_start_naming_the_variable(
        tmp_path: Path, sqlite_url: str, overrides: dict, finding: str) -> None:
    folder = write_pack(tmp_path / "packs", **overrides)
    with pytest.raises(SettingsError) as raised:
        build(load_settings(DATABASE_URL=sqlite_url, MICROCOACH_PROMPTS_DIR=str(folder)))
    assert str(raised.value).startswith("MICROCOACH_PROMPTS_DIR") and finding in str(raised.value)


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "OPENAI_", "MICROCOACH_", "DATABASE_URL"))}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=60)


def test_the_command_line_says_why_and_lint_lists_the_finding(tmp_path: Path) -> None:
    folder = write_pack(tmp_path / "packs", link="https://district.example.org/exit-ticket.pdf")
    ticked = run(["tick"], tmp_path, MICROCOACH_PROMPTS_DIR=str(folder))
    assert ticked.returncode == 78
    assert "configuration error: MICROCOACH_PROMPTS_DIR" in ticked.stderr and "Traceback" not in ticked.stderr
    linted = run(["prompts", "lint"], tmp_path, MICROCOACH_PROMPTS_DIR=str(folder))
    assert linted.returncode == 1 and "district-exit-ticket-01" in linted.stdout
