"""Reading pack files: YAML in, validated items and named problems out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from prompts.schema import PackHeader, PromptItemModel

PACK_SUFFIXES = (".yaml", ".yml")
_NOT_A_PACK = "a pack file is a mapping with `pack: {name, description}` and `items: [...]`"


class PromptPackError(Exception):
    """A pack that cannot be loaded; the message names the file and, when known, the item."""

    def __init__(self, message: str, *, file: Path | None = None, item_id: str | None = None):
        where = [str(file)] if file else []
        where += [f"item {item_id}"] if item_id else []
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
        self.file = file
        self.item_id = item_id
        self.detail = message


@dataclass(frozen=True)
class Problem:
    item_id: str | None
    message: str


@dataclass(frozen=True)
class ParsedPack:
    """What one file held: the items that passed the schema, and what was wrong with the rest."""

    path: Path
    items: tuple[PromptItemModel, ...]
    problems: tuple[Problem, ...]

    def raise_first_problem(self) -> None:
        if self.problems:
            first = self.problems[0]
            raise PromptPackError(first.message, file=self.path, item_id=first.item_id)


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """A safe loader (libyaml's when present: packs are read at every start) that refuses a
    repeated key, which PyYAML would otherwise resolve silently in favour of the last one."""


def _construct_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[object, object]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def describe(error: ValidationError) -> str:
    """A pydantic error as one readable line per field, without the docs URL."""
    lines = []
    for detail in error.errors():
        where = ".".join(str(part) for part in detail["loc"])
        lines.append(f"{where}: {detail['msg']}" if where else detail["msg"])
    return "; ".join(lines)


def _item_label(raw: object, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return raw["id"]
    return f"#{index + 1}"


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or str(error)
    where = f" at line {mark.line + 1}" if mark else ""
    return f"not valid YAML{where}: {problem}"


def parse_pack_text(text: str, path: Path) -> ParsedPack:
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.YAMLError as error:
        return ParsedPack(path, (), (Problem(None, _yaml_problem(error)),))
    if not isinstance(data, dict):
        return ParsedPack(path, (), (Problem(None, _NOT_A_PACK),))
    try:
        header = PackHeader.model_validate(data)
    except ValidationError as error:
        return ParsedPack(path, (), (Problem(None, describe(error)),))
    items: list[PromptItemModel] = []
    problems: list[Problem] = []
    for index, raw in enumerate(header.items):
        if not isinstance(raw, dict):
            problems.append(Problem(_item_label(raw, index), "an item is a mapping of fields"))
            continue
        try:
            items.append(PromptItemModel.model_validate(raw))
        except ValidationError as error:
            problems.append(Problem(_item_label(raw, index), describe(error)))
    return ParsedPack(path, tuple(items), tuple(problems))


def parse_pack(path: Path) -> ParsedPack:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return ParsedPack(path, (), (Problem(None, f"cannot read: {error}"),))
    return parse_pack_text(text, path)


def pack_files(dirs: Sequence[Path]) -> list[Path]:
    """Every pack file under ``dirs`` (recursively), each file once, in a stable order."""
    seen: set[Path] = set()
    files: list[Path] = []
    for directory in dirs:
        if not directory.is_dir():
            raise PromptPackError("prompt pack directory not found", file=directory)
        for path in sorted(directory.rglob("*")):
            if path.suffix in PACK_SUFFIXES and path.is_file() and path.resolve() not in seen:
                seen.add(path.resolve())
                files.append(path)
    return files

