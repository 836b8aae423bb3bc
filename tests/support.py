"""Helpers the tests share (fixtures live in conftest.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> None:
    """Skip on a developer's machine without the service; fail under CI, where it must run."""
    if IN_CI:
        pytest.fail(f"{reason} (required under CI=true)")
    pytest.skip(reason)

SPECS = Path(__file__).resolve().parents[2] / "shared" / "specs"
"""The official platform specs in ``../shared/specs`` beside the repository (as on CI)."""
