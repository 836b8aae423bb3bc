"""The official Teams specifications as test oracles: every card against the Adaptive Card 1.5
schema (Teams' root ``msteams`` extension set aside), every connector request against the Bot
Connector's Swagger (path exists for some verb, required parameters present, bodies of the
declared definition)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft6Validator
from support import SPECS as SHARED_SPECS

SPECS = SHARED_SPECS / "teams"


@cache
def _card_validator() -> Draft6Validator:
    return Draft6Validator(json.loads((SPECS / "adaptive-card-1.5.json").read_text()))


def card_problems(card: dict[str, Any]) -> list[str]:
    """Why ``card`` is not a valid Adaptive Card 1.5 (empty when it is)."""
    checked = {key: value for key, value in card.items() if key != "msteams"}
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _card_validator().iter_errors(checked)]


@dataclass(frozen=True)
class _Operation:
    method: str
    template: str
    pattern: re.Pattern[str]
    parameters: tuple[dict[str, Any], ...]


@cache
def _connector() -> tuple[dict[str, Any], tuple[_Operation, ...]]:
    spec = json.loads((SPECS / "ConnectorAPI.json").read_text())
    operations = []
    for template, item in spec["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$")
        for method, operation in item.items():
            if method != "parameters":
                operations.append(_Operation(method.upper(), template, pattern, tuple(operation.get("parameters", ()))))
    return spec, tuple(operations)


def connector_problems(method: str, path: str, query: dict[str, str], body: Any) -> list[str]:
    """Why a request to the Bot Connector would not fit ConnectorAPI.json (empty when it does).
    ``path`` is percent-encoded as sent; any verb on a known path counts as the path existing."""
    spec, operations = _connector()
    on_path = [op for op in operations if op.pattern.match(path)]
    if not on_path:
        return [f"no path in the spec matches {path}"]
    exact = [op for op in on_path if op.method == method]
    if not exact:
        return []
    problems = []
    for parameter in exact[0].parameters:
        name, where = parameter["name"], parameter["in"]
        if where == "query" and parameter.get("required") and name not in query:
            problems.append(f"{method} {exact[0].template}: missing query parameter {name}")
        if where == "body":
            if body is None:
                if parameter.get("required"):
                    problems.append(f"{method} {exact[0].template}: missing body {name}")
                continue
            schema = {**parameter["schema"], "definitions": spec["definitions"]}
            problems += [f"{method} {exact[0].template} body: {e.message}" for e in Draft4Validator(schema).iter_errors(body)]
    return problems
