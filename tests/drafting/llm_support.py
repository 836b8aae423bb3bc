"""Shared values for the drafting tests (fixtures live in this folder's conftest)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import yaml

FIXTURES = Path(__file__).parent.parent / "fixtures" / "replies"
TIMEOUT = 0.4
"""The client's timeout in these tests, in seconds."""
COOL_DOWN = timedelta(minutes=2)


def load_fixture(name: str) -> dict:
    return yaml.safe_load((FIXTURES / name).read_text("utf-8"))
