"""``microcoach teams package --app-id … --host …``: the Teams app package an admin uploads.

A zip of ``manifest.json`` (schema 1.29, the bot and its command lists) and the two icons Teams
requires: a 192×192 full-colour PNG and a 32×32 white-on-transparent outline PNG, drawn here
with nothing but ``zlib`` and ``struct``.
"""

from __future__ import annotations

import json
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.core.command_help import COMMAND_HELP

MANIFEST_VERSION = "1.29"
SCHEMA_URL = f"https://developer.microsoft.com/json-schemas/teams/v{MANIFEST_VERSION}/MicrosoftTeams.schema.json"
ACCENT = (0x2E, 0x7D, 0x6B)
WHITE = (0xFF, 0xFF, 0xFF)
PERSONAL_COMMANDS = ("help", "focus", "time", "pause", "resume", "stop", "start", "ai", "my data", "forget me",
                     "triage", "report")
TEAM_COMMANDS = ("cohort create", "cohort add", "cohort coach", "cohort list", "cadence set", "cadence show",
                 "coach assign", "send now", "report", "skip", "admin add", "help")
_HOST = re.compile(r"^[A-Za-z0-9.-]+(:\d+)?$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
Pixel = Callable[[int, int], tuple[int, int, int, int]]


class PackageError(ValueError):
    """An argument the package cannot be built from; the message says which and why."""


def manifest(app_id: str, host: str, *, version: str = "1.0.0") -> dict[str, Any]:
    if not _GUID.match(app_id):
        raise PackageError("--app-id must be the bot's Microsoft App ID, a GUID like 00000000-0000-0000-0000-000000000000")
    host = host.removeprefix("https://").removeprefix("http://").rstrip("/")
    if not _HOST.match(host):
        raise PackageError(f"--host must be the domain the bot is served on, like coach.example.org (not {host!r})")
    site = f"https://{host}/"
    return {
        "$schema": SCHEMA_URL,
        "manifestVersion": MANIFEST_VERSION,
        "version": version,
        "id": app_id,
        "developer": {"name": "MicroCoach", "websiteUrl": site, "privacyUrl": site, "termsOfUseUrl": site},
        "name": {"short": "MicroCoach", "full": "MicroCoach — micro-coaching for teachers"},
        "description": {
            "short": "Two-minute reflection prompts, and follow-ups your coach approves.",
            "full": ("MicroCoach sends teachers a short reflection prompt or tip in their own time zone. Reply in "
                     "the chat; your instructional coach reads it and approves a follow-up before it reaches you. "
                     "Admins set up cohorts and cadences by message."),
        },
        "icons": {"color": "color.png", "outline": "outline.png"},
        "accentColor": "#%02X%02X%02X" % ACCENT,
        "bots": [{
            "botId": app_id,
            "scopes": ["personal", "team"],
            "supportsFiles": False,
            "isNotificationOnly": False,
            "commandLists": [_commands("personal", PERSONAL_COMMANDS), _commands("team", TEAM_COMMANDS)],
        }],
        "permissions": ["identity", "messageTeamMembers"],
        "validDomains": [host],
        "defaultInstallScope": "personal",
    }


def run_package(app_id: str, host: str, out: Path) -> int:
    """``microcoach teams package``: write the zip and say where, or say what is wrong."""
    try:
        target = write_package(out, app_id, host)
    except PackageError as exc:
        print(f"microcoach teams package: {exc}", file=sys.stderr)
        return 2
    print(f"Wrote {target}. Upload it in Teams (Apps → Manage your apps → Upload an app), or give it to "
          "your Teams admin to publish and add to a setup policy so every teacher has MicroCoach.")
    return 0


def write_package(path: Path, app_id: str, host: str) -> Path:
    """Write the zip to ``path`` (a directory gets ``microcoach-teams.zip``)."""
    data = json.dumps(manifest(app_id, host), indent=2, ensure_ascii=False)
    target = path / "microcoach-teams.zip" if path.is_dir() else path
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", data)
        archive.writestr("color.png", color_icon())
        archive.writestr("outline.png", outline_icon())
    return target


def color_icon() -> bytes:
    """192×192: a white speech bubble on the accent colour."""
    return png(192, 192, lambda x, y: (*WHITE, 255) if _bubble(x / 192, y / 192) else (*ACCENT, 255))


def outline_icon() -> bytes:
    """32×32: the bubble's white outline on transparency, as Teams asks."""
    def pixel(x: int, y: int) -> tuple[int, int, int, int]:
        inside = _bubble((x + 0.5) / 32, (y + 0.5) / 32)
        edge = inside and not all(_bubble((x + 0.5 + dx) / 32, (y + 0.5 + dy) / 32)
                                  for dx in (-2, 2) for dy in (-2, 2))
        return (*WHITE, 255) if edge else (0, 0, 0, 0)

    return png(32, 32, pixel)


def png(width: int, height: int, pixel: Pixel) -> bytes:
    """An RGBA PNG (8 bits per channel, no filtering) of ``pixel(x, y)``."""
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, 9)) + _chunk(b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _bubble(u: float, v: float) -> bool:
    """A rounded speech bubble with a tail, in unit coordinates."""
    dx, dy = max(abs(u - 0.5) - 0.22, 0.0), max(abs(v - 0.44) - 0.12, 0.0)
    body = dx * dx + dy * dy <= 0.1 * 0.1
    tail = 0.30 <= u <= 0.42 and 0.64 <= v <= 0.80 and (u - 0.30) <= (0.80 - v) * 0.75
    return body or tail


def _commands(scope: str, names: tuple[str, ...]) -> dict[str, Any]:
    lines = {line.name: line for line in COMMAND_HELP}
    return {"scopes": [scope], "commands": [{"title": n, "description": f"{lines[n].summary}: {lines[n].usage}"}
                                            for n in names]}
