"""The core stays platform-neutral: walking the imports of every module in bot/core finds no
platform SDK or infrastructure library, and no adapter."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "bot" / "core"
FORBIDDEN = (
    "slack_bolt", "slack_sdk", "botbuilder", "botframework", "sqlmodel", "sqlalchemy", "openai",
    "apscheduler", "aiohttp", "storage", "scheduler", "bot.adapters", "bot.drafting", "bot.container",
)


def imported_modules(source: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def forbidden_in(source: str) -> list[str]:
    return sorted(m for m in imported_modules(source) if any(m == f or m.startswith(f + ".") for f in FORBIDDEN))


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")), ids=lambda p: p.name)
def test_core_module_imports_nothing_platform_specific(path: Path) -> None:
    assert forbidden_in(path.read_text()) == []


def test_the_walk_catches_a_forbidden_import() -> None:
    assert forbidden_in("import sqlmodel\nfrom slack_sdk.models import blocks\nfrom bot.core import x\n") == [
        "slack_sdk.models", "sqlmodel",
    ]


def test_the_walk_sees_imports_inside_functions() -> None:
    assert forbidden_in("def f():\n    import openai\n") == ["openai"]
