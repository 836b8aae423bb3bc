"""Due prompts in bulk, written straight into the tables, for the multi-process tests and the
benchmarks: workspaces, active teachers enrolled in a cohort with no cadence of its own (so the
planner adds nothing), and one planned delivery each at ``slot``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlmodel import SQLModel

from prompts.library import YamlPromptLibrary
from prompts.selection import DM_KINDS
from storage.db import make_engine
from storage.rows import CohortRow, DeliveryRow, EnrollmentRow, PersonRow, WorkspaceRow


@dataclass(frozen=True)
class Seeded:
    workspaces: list[str]
    """External ids, as the platform sees them."""
    keys: list[str]
    """Every delivery's key (``delivery:<id>``), as the platform sees it."""


def midday_zone(at: datetime) -> str:
    """A fixed-offset zone where ``at`` falls around midday, well inside the quiet window."""
    offset = (12 - at.astimezone(timezone.utc).hour + 12) % 24 - 12
    return "Etc/GMT" + (f"+{-offset}" if offset < 0 else f"-{offset}" if offset else "")


def _insert(conn, model: type[SQLModel], rows: list[SQLModel]) -> list[int]:  # noqa: ANN001
    table = model.__table__  # type: ignore[attr-defined]
    values = [row.model_dump(exclude={"id"}) for row in rows]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(conn.execute(statement, values).scalars())


def seed_due(url: str, *, workspaces: int, teachers: int, slot: datetime, platform: str = "slack") -> Seeded:
    """``teachers`` due prompts at ``slot``, spread evenly over ``workspaces``."""
    tz = midday_zone(slot)
    local_date = slot.astimezone(ZoneInfo(tz)).date()
    prompt_ids = [item.id for item in YamlPromptLibrary.load().all() if item.kind in DM_KINDS]
    since = slot - timedelta(days=1)
    engine = make_engine(url, pool_size=1)
    with engine.begin() as conn:
        external = [f"W{w}" for w in range(workspaces)]
        ws_ids = _insert(conn, WorkspaceRow, [WorkspaceRow(platform=platform, external_id=e, name=e, created_at=since)
                                              for e in external])
        cohort_ids = _insert(conn, CohortRow, [CohortRow(workspace_id=w, name="all", key="all", tz=tz, created_at=since)
                                               for w in ws_ids])
        people = [(ws_ids[n % workspaces], cohort_ids[n % workspaces]) for n in range(teachers)]
        person_ids = _insert(conn, PersonRow, [PersonRow(workspace_id=w, external_id=f"U{n}", display_name=f"Teacher {n}",
                                                         tz=tz, created_at=since) for n, (w, _) in enumerate(people)])
        enrollment_ids = _insert(conn, EnrollmentRow, [
            EnrollmentRow(cohort_id=c, teacher_id=p, planned_through=local_date + timedelta(days=365), created_at=since)
            for p, (_, c) in zip(person_ids, people)
        ])
        delivery_ids = _insert(conn, DeliveryRow, [
            DeliveryRow(enrollment_id=e, person_id=p, workspace_id=w, cohort_id=c, slot_utc=slot, local_date=local_date,
                        prompt_id=prompt_ids[n % len(prompt_ids)], created_at=since)
            for n, (e, p, (w, c)) in enumerate(zip(enrollment_ids, person_ids, people))
        ])
    engine.dispose()
    return Seeded(external, [f"delivery:{d}" for d in delivery_ids])
