"""Reading the engine's results in the tests: prompts a teacher received, and their deliveries."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from bot.core.model import Delivery
from conftest_loop import School
from fakes import Sent


def prompts_to(school: School, user: str) -> list[Sent]:
    """The prompts (messages with a delivery key) a teacher received."""
    return [s for s in school.chat.to(user) if s.message.delivery_key]


def deliveries(school: School, user: str, status: str | None = None) -> list[Delivery]:
    store = school.container.store
    person = school.person(user)
    rows = store.deliveries_of([e.id for e in store.enrollments_of_teacher(person.id, active_only=False)])
    return [d for d in rows if status is None or d.status == status]


def the_delivery(school: School, user: str, local_date: date) -> Delivery:
    [row] = [d for d in deliveries(school, user) if d.local_date == local_date]
    return row


def planned_slots(school: School, user: str, tz: str) -> list[tuple[date, time]]:
    """A teacher's planned (not yet sent) slots as local dates and wall-clock times."""
    return [(d.local_date, d.slot_utc.astimezone(ZoneInfo(tz)).time()) for d in deliveries(school, user, "planned")]


def outcomes(school: School, delivery: Delivery) -> list[str]:
    return [outcome for _, outcome, _ in school.container.store.attempts_of(delivery.id)]


def local(tz: str, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(tz))
