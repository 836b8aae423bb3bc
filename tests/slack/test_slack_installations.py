"""Bolt's installation and OAuth-state stores over our database (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from slack_sdk.oauth.installation_store import Installation

from bot.adapters.slack.installations import SqlInstallationStore, SqlOAuthStateStore
from bot.clock import FixedClock
from storage.crypto import Sealer
from storage.db import make_engine
from storage.slack_store import SlackInstallations

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)


@pytest.fixture
def records(sqlite_url: str) -> Iterator[SlackInstallations]:
    engine = make_engine(sqlite_url)
    yield SlackInstallations(engine, Sealer(Sealer.new_key()))
    engine.dispose()


@pytest.fixture
def records_on(db_url: str) -> Iterator[SlackInstallations]:
    """The same, on SQLite and on PostgreSQL."""
    engine = make_engine(db_url)
    yield SlackInstallations(engine, Sealer(Sealer.new_key()))
    engine.dispose()


def installation(team: str | None = "T1", user: str = "UINSTALL", token: str = "xoxb-1",
                 enterprise: str | None = None) -> Installation:
    return Installation(app_id="A1", enterprise_id=enterprise, team_id=team, user_id=user, bot_token=token,
                        bot_id="B1", bot_user_id="UBOT", bot_scopes="chat:write,commands",
                        is_enterprise_install=team is None)


def test_an_installation_round_trips_and_finds_its_bot(records_on: SlackInstallations) -> None:
    store = SqlInstallationStore(records_on, FixedClock(NOW))
    asyncio.run(store.async_save(installation()))
    found = asyncio.run(store.async_find_installation(enterprise_id=None, team_id="T1"))
    bot = asyncio.run(store.async_find_bot(enterprise_id=None, team_id="T1"))
    assert found.bot_token == "xoxb-1" and found.user_id == "UINSTALL"
    assert bot.bot_token == "xoxb-1" and bot.bot_scopes == ["chat:write", "commands"]
    assert asyncio.run(store.bot_token_for_team("T1")) == "xoxb-1"


def test_a_second_install_replaces_the_workspaces_token(records: SlackInstallations) -> None:
    store = SqlInstallationStore(records, FixedClock(NOW))
    asyncio.run(store.async_save(installation(token="xoxb-old")))
    asyncio.run(store.async_save(installation(user="UOTHER", token="xoxb-new")))
    assert asyncio.run(store.bot_token_for_team("T1")) == "xoxb-new"


def test_delete_all_forgets_the_workspace(records_on: SlackInstallations) -> None:
    store = SqlInstallationStore(records_on, FixedClock(NOW))
    asyncio.run(store.async_save(installation()))
    asyncio.run(store.async_delete_all(enterprise_id=None, team_id="T1"))
    assert asyncio.run(store.async_find_installation(enterprise_id=None, team_id="T1")) is None
    assert asyncio.run(store.bot_token_for_team("T1")) is None


def test_an_org_wide_install_is_found_by_its_enterprise(records: SlackInstallations) -> None:
    store = SqlInstallationStore(records, FixedClock(NOW))
    asyncio.run(store.async_save(installation(team=None, enterprise="E1", token="xoxb-org")))
    found = asyncio.run(store.async_find_bot(enterprise_id="E1", team_id="T7", is_enterprise_install=True))
    assert found.bot_token == "xoxb-org"


def test_a_state_is_consumed_once_and_not_after_it_expires(records: SlackInstallations) -> None:
    clock = FixedClock(NOW)
    states = SqlOAuthStateStore(records, clock, expiration=timedelta(minutes=10))
    fresh, stale = asyncio.run(states.async_issue()), asyncio.run(states.async_issue())
    assert asyncio.run(states.async_consume(fresh)) is True
    assert asyncio.run(states.async_consume(fresh)) is False
    clock.advance(timedelta(minutes=11))
    assert asyncio.run(states.async_consume(stale)) is False
    assert asyncio.run(states.async_consume("never-issued")) is False
