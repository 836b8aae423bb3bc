"""Fixtures for the Slack adapter: a loop thread, the fake Web API, and a chat port over it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.chat import SlackChat
from fake_slack import FakeSlack, Team
from slack_harness import LoopThread
from slack_world import SlackWorld, school_people, slack_world

BOT_TOKEN = "xoxb-test-token"


@pytest.fixture
def loop_thread() -> Iterator[LoopThread]:
    thread = LoopThread()
    yield thread
    thread.close()


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """The fake's state; a test that leaves a call the spec would refuse fails."""
    slack = FakeSlack()
    slack.add_team(BOT_TOKEN, Team("T1"))
    yield slack
    assert not slack.violations, slack.violations


@pytest.fixture
def fake_url(loop_thread: LoopThread, fake: FakeSlack) -> str:
    return loop_thread.serve(fake.app())


@pytest.fixture
def chat(fake_url: str) -> SlackChat:
    async def token_for(team: str) -> str | None:
        return BOT_TOKEN if team == "T1" else None

    return SlackChat(AsyncWebClient(base_url=f"{fake_url}/api/"), token_for)


@pytest.fixture
def world(loop_thread: LoopThread, fake: FakeSlack, fake_url: str, sqlite_url: str) -> Iterator[SlackWorld]:
    """Single-workspace mode on SQLite (the route tests)."""
    school_people(fake)
    built = slack_world(loop_thread, fake, fake_url, sqlite_url)
    yield built
    built.settle()
    built.container.close()


@pytest.fixture
def world_on(loop_thread: LoopThread, fake: FakeSlack, fake_url: str, db_url: str) -> Iterator[SlackWorld]:
    """Single-workspace mode on SQLite and on PostgreSQL (the whole-loop tests)."""
    school_people(fake)
    built = slack_world(loop_thread, fake, fake_url, db_url)
    yield built
    built.settle()
    built.container.close()
