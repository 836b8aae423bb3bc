"""``microcoach teams package``: a zip Teams accepts — a manifest valid against the official
v1.29 schema, with the bot's commands, and the two icons at the sizes Teams asks for."""

from __future__ import annotations

import json
import struct
import zipfile
import zlib
from functools import cache
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from bot.adapters.teams.package import PackageError, color_icon, manifest, outline_icon, run_package, write_package
from bot.core import grammar
from support import SPECS as SHARED_SPECS

APP_ID = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
SCHEMA = SHARED_SPECS / "teams" / "MicrosoftTeams.schema.json"


@cache
def validator() -> Draft4Validator:
    return Draft4Validator(json.loads(SCHEMA.read_text()))


def decode_png(data: bytes) -> tuple[int, int, list[list[tuple[int, ...]]]]:
    """Width, height and RGBA rows of an unfiltered 8-bit RGBA PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind, body = data[position + 4:position + 8], data[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF
        chunks[kind] = chunks.get(kind, b"") + body
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 6)
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + 4 * width
    rows = [[tuple(raw[y * stride + 1 + 4 * x:y * stride + 5 + 4 * x]) for x in range(width)] for y in range(height)]
    return width, height, rows


def test_the_manifest_validates_against_the_teams_schema() -> None:
    errors = [e.message for e in validator().iter_errors(manifest(APP_ID, "coach.example.org"))]
    assert errors == []


def test_the_schema_check_catches_a_broken_manifest() -> None:
    broken = manifest(APP_ID, "coach.example.org")
    del broken["icons"]["outline"]
    assert list(validator().iter_errors(broken)) != []


def test_the_bot_is_the_app_id_in_personal_and_team_scope() -> None:
    [bot] = manifest(APP_ID, "coach.example.org")["bots"]
    assert bot["botId"] == APP_ID and bot["scopes"] == ["personal", "team"]


def test_every_listed_command_is_one_the_bot_understands() -> None:
    lists = manifest(APP_ID, "coach.example.org")["bots"][0]["commandLists"]
    titles = [command["title"] for entry in lists for command in entry["commands"]]
    assert "help" in titles and "cohort add" in titles
    for title in titles:
        parsed = grammar.parse(title)
        assert not isinstance(parsed, grammar.ParseError) or parsed.is_command_like, title


@pytest.mark.parametrize("host", ["https://coach.example.org/", "coach.example.org"])
def test_the_host_becomes_the_valid_domain(host: str) -> None:
    assert manifest(APP_ID, host)["validDomains"] == ["coach.example.org"]


@pytest.mark.parametrize(("app_id", "host"), [("not-a-guid", "coach.example.org"), (APP_ID, "coach example"),
                                              (APP_ID, "")])
def test_bad_arguments_are_refused_with_a_reason(app_id: str, host: str) -> None:
    with pytest.raises(PackageError):
        manifest(app_id, host)


def test_the_colour_icon_is_192_square_and_opaque() -> None:
    width, height, rows = decode_png(color_icon())
    assert (width, height) == (192, 192)
    assert all(pixel[3] == 255 for row in rows for pixel in row)
    assert len({pixel for row in rows for pixel in row}) == 2


def test_the_outline_icon_is_32_square_white_on_transparent() -> None:
    width, height, rows = decode_png(outline_icon())
    assert (width, height) == (32, 32)
    pixels = {pixel for row in rows for pixel in row}
    assert pixels == {(0, 0, 0, 0), (255, 255, 255, 255)}


def test_the_package_zips_the_manifest_and_both_icons(tmp_path: Path) -> None:
    path = write_package(tmp_path, APP_ID, "coach.example.org")
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        data = json.loads(archive.read("manifest.json"))
        assert (data["icons"]["color"], data["icons"]["outline"]) == ("color.png", "outline.png")
        assert decode_png(archive.read("outline.png"))[:2] == (32, 32)


def test_the_command_writes_the_zip_and_says_where(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_package(APP_ID, "coach.example.org", tmp_path / "app.zip") == 0
    assert (tmp_path / "app.zip").exists() and str(tmp_path / "app.zip") in capsys.readouterr().out


def test_the_command_refuses_a_bad_app_id_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_package("nope", "coach.example.org", tmp_path / "app.zip") == 2
    assert not (tmp_path / "app.zip").exists() and "--app-id" in capsys.readouterr().err
