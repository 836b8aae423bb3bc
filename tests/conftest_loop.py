"""A whole MicroCoach built by the composition root over a test database, with a recording chat
and a clock the test moves."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone

import pytest

from bot.clock import FixedClock
from bot.container import Container, build
from bot.core.messages import Action, Address, Inbound
from bot.core.outcome import Outcome
from bot.settings import load_settings
from fakes import RecordingChat

MONDAY_0745_NY = datetime(2026, 11, 30, 12, 45, tzinfo=timezone.utc)


@dataclass
class School:
    """Drives the bot as the people of a demo school would."""

    container: Container
    chat: RecordingChat
    clock: FixedClock
    _ids: itertools.count

    def say(self, user: str, text: str, *, kind: str = "message", thread: str | None = None, **extra: object) -> Outcome:
        n = next(self._ids)
        fields = {"message_id": f"in{n}", **extra}
        inbound = Inbound(kind=kind, sender=Address("playground", "demo", user=user), dedupe_key=f"e{n}", text=text,
                          in_thread_of=thread, **fields)  # type: ignore[arg-type]
        return self.container.service.handle(inbound)

    def click(self, user: str, action_id: str, value: str, **inputs: str) -> Outcome:
        n = next(self._ids)
        inbound = Inbound(kind="action", sender=Address("playground", "demo", user=user), dedupe_key=f"e{n}",
                          action=Action(action_id, value, tuple(sorted(inputs.items()))))
        return self.container.service.handle(inbound)

    def tick(self, at: datetime | None = None):  # noqa: ANN201
        if at is not None:
            self.clock.set(at)
        return asyncio.run(self.container.worker.tick(self.clock.now()))

    def person(self, user: str):  # noqa: ANN201
        return self.container.store.find_person_on("playground", user)


@pytest.fixture
def school(db_url: str) -> Iterator[School]:
    clock = FixedClock(datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc))
    chat = RecordingChat()
    settings = load_settings(DATABASE_URL=db_url, MICROCOACH_ADMINS="playground:u-admin")
    container = build(settings, clock=clock, chats={"playground": chat})
    store = container.store
    ws = store.ensure_workspace("playground", "demo", "Demo", at=clock.now())
    for user, name, tz in (("u-admin", "Dana", None), ("u-coach", "Coach Kim", "America/New_York"),
                           ("u-ana", "Ana Lopez", "America/New_York"), ("u-ben", "Ben Carter", "America/Chicago"),
                           ("u-other", "Otto Coach", "America/New_York")):
        store.ensure_person(ws.id, user, display_name=name, tz=tz, at=clock.now())
    yield School(container, chat, clock, itertools.count(1))
    container.close()


@pytest.fixture
def cohort(school: School) -> School:
    """A cohort with a coach, a Mon/Wed 07:45 cadence and two teachers."""
    for line in ("cohort create fall7 America/New_York", "cohort coach fall7 @u-coach",
                 "cadence set fall7 mon,wed 07:45", "cohort add fall7 @u-ana @u-ben"):
        outcome = school.say("u-admin", line)
        assert not outcome.refused, outcome.notices
    return school
