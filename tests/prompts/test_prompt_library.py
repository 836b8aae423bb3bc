"""Loading the library: built-in packs plus extra directories, with errors that say where."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.core.ports import PromptLibrary
from prompts.library import RUNTIME_SOURCE, PromptPackError, YamlPromptLibrary

ItemFactory = Callable[..., dict[str, Any]]
PackWriter = Callable[..., Path]


@pytest.fixture(scope="module")
def builtin() -> YamlPromptLibrary:
    return YamlPromptLibrary.load()


def test_library_satisfies_the_prompt_library_port(builtin: YamlPromptLibrary) -> None:
    port: PromptLibrary = builtin
    first = port.all()[0]
    assert port.get(first.id) == first


def test_get_returns_none_for_an_unknown_id(builtin: YamlPromptLibrary) -> None:
    assert builtin.get("no-such-prompt") is None


def test_extra_directory_items_are_added_to_the_built_ins(
    builtin: YamlPromptLibrary, pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    path = write_pack([pack_item(id="zz-extra-01")])

    library = YamlPromptLibrary.load([path.parent])

    assert len(library.all()) == len(builtin.all()) + 1
    assert library.get("zz-extra-01") is not None
    assert library.source_of("zz-extra-01") == str(path)


def test_packs_in_subfolders_and_yml_files_are_read(
    tmp_path: Path, pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    write_pack([pack_item(id="zz-nested-01")], directory=tmp_path / "extra" / "grade-5")
    write_pack([pack_item(id="zz-short-suffix-01")], name="more.yml")

    library = YamlPromptLibrary.load([tmp_path / "extra"])

    assert library.get("zz-nested-01") is not None
    assert library.get("zz-short-suffix-01") is not None


def test_the_same_directory_given_twice_is_read_once(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    folder = write_pack([pack_item(id="zz-once-01")]).parent

    library = YamlPromptLibrary.load([folder, folder])

    assert [item.id for item in library.all()].count("zz-once-01") == 1


def test_duplicate_id_across_extra_dirs_names_both_files(
    tmp_path: Path, pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    first = write_pack([pack_item(id="zz-twin-01")], directory=tmp_path / "a")
    second = write_pack([pack_item(id="zz-twin-01")], directory=tmp_path / "b")

    with pytest.raises(PromptPackError) as raised:
        YamlPromptLibrary.load([tmp_path / "a", tmp_path / "b"])

    assert str(first) in str(raised.value)
    assert str(second) in str(raised.value)
    assert raised.value.item_id == "zz-twin-01"


def test_extra_item_reusing_a_built_in_id_is_an_error_not_an_override(
    builtin: YamlPromptLibrary, pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    taken = builtin.all()[0].id
    path = write_pack([pack_item(id=taken)])

    with pytest.raises(PromptPackError, match="duplicate id") as raised:
        YamlPromptLibrary.load([path.parent])

    assert str(path) in str(raised.value)
    assert str(builtin.source_of(taken)) in str(raised.value)


def test_invalid_item_error_names_the_file_and_the_item(
    pack_item: ItemFactory, write_pack: PackWriter
) -> None:
    path = write_pack([pack_item(id="zz-broken-01", kind="lecture")])

    with pytest.raises(PromptPackError, match="kind") as raised:
        YamlPromptLibrary.load([path.parent])

    assert raised.value.file == path
    assert raised.value.item_id == "zz-broken-01"
    assert f"{path}, item zz-broken-01" in str(raised.value)


def test_a_repeated_yaml_key_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "twice.yaml").write_text(
        "pack: {name: a, description: b}\nitems: []\nitems: []\n", encoding="utf-8"
    )

    with pytest.raises(PromptPackError, match="'items' appears twice"):
        YamlPromptLibrary.load([tmp_path])


def test_a_file_that_is_not_a_pack_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "list.yaml").write_text("- just\n- a list\n", encoding="utf-8")

    with pytest.raises(PromptPackError, match="pack file is a mapping"):
        YamlPromptLibrary.load([tmp_path])


def test_a_missing_extra_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PromptPackError, match="not found"):
        YamlPromptLibrary.load([tmp_path / "nowhere"])


def test_with_items_returns_a_new_library_and_leaves_the_original_alone(
    builtin: YamlPromptLibrary,
) -> None:
    own = replace(builtin.all()[0], id="coach-own-01", text="My own prompt for my teachers.")

    grown = builtin.with_items([own])

    assert grown.get("coach-own-01") == own
    assert grown.source_of("coach-own-01") == RUNTIME_SOURCE
    assert builtin.get("coach-own-01") is None
    assert len(grown.all()) == len(builtin.all()) + 1


def test_with_items_refuses_an_id_already_in_the_library(builtin: YamlPromptLibrary) -> None:
    with pytest.raises(PromptPackError, match="duplicate id"):
        builtin.with_items([builtin.all()[0]])


def test_with_items_checks_items_against_the_pack_schema(builtin: YamlPromptLibrary) -> None:
    too_long = replace(builtin.all()[0], id="coach-long-01", text="x" * 601)

    with pytest.raises(PromptPackError, match="text") as raised:
        builtin.with_items([too_long])

    assert raised.value.item_id == "coach-long-01"
