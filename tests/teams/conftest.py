"""Fixtures for the Teams adapter: the bot served on 127.0.0.1 in unauthenticated test mode,
a fake Bot Connector as every activity's ``serviceUrl``, over SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.clock import FixedClock
from bot.settings import load_settings

from fake_connector import FakeConnector
from teams_activities import Tenant
from teams_harness import Loop, TeamsBotServer, TeamsWorld
from teams_people import ADMIN, START


@pytest.fixture
def loop() -> Iterator[Loop]:
    running = Loop()
    yield running
    running.close()


def _world(url: str, loop: Loop) -> Iterator[TeamsWorld]:
    connector = FakeConnector()
    connector_runner, connector_url = loop.serve(connector.app())
    settings = load_settings(DATABASE_URL=url, TEAMS_ALLOW_UNAUTHENTICATED="1", MICROCOACH_ADMINS=f"teams:{ADMIN}",
                             MicrosoftAppId="", MicrosoftAppPassword="")
    clock = FixedClock(START)
    bot = TeamsBotServer(loop, settings, clock)
    world = TeamsWorld(loop, connector, connector_url, settings, clock, bot, Tenant(connector_url + "/"))
    yield world
    world.bot.stop()
    loop.run(connector_runner.cleanup())
    assert connector.problems == [], "requests to the Bot Connector that do not fit ConnectorAPI.json"


@pytest.fixture
def world(db_url: str, loop: Loop) -> Iterator[TeamsWorld]:
    """Over SQLite and PostgreSQL: for what the database keeps."""
    yield from _world(db_url, loop)


@pytest.fixture
def edge(sqlite_url: str, loop: Loop) -> Iterator[TeamsWorld]:
    """Over SQLite only: for what the HTTP edge decides before the database matters."""
    yield from _world(sqlite_url, loop)
