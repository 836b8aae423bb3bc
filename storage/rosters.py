"""Cohorts' student rosters for the privacy guard. ``data`` arrives sealed (Fernet, by the core's
roster port) and leaves sealed: this module never sees a name."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import select

from storage.base import StoreBase
from storage.rows import RosterRow


class RosterStore(StoreBase):
    def set_roster(self, cohort_id: int, workspace_id: int, data: str, names: int, *, by: int | None,
                   at: datetime) -> bool:
        """Store a cohort's roster in place of any before it; True when it replaced one."""
        with self.session() as s:
            row = s.exec(select(RosterRow).where(RosterRow.cohort_id == cohort_id).with_for_update()).first()
            replaced = row is not None
            if row is None:
                row = RosterRow(cohort_id=cohort_id, workspace_id=workspace_id, data=data, stamp="", uploaded_at=at)
                s.add(row)
            row.data, row.names, row.uploaded_by, row.uploaded_at = data, names, by, at
            row.stamp = uuid.uuid4().hex
            return replaced

    def clear_roster(self, cohort_id: int) -> bool:
        with self.session() as s:
            result = s.exec(delete(RosterRow).where(RosterRow.cohort_id == cohort_id))  # type: ignore[call-overload]
            return (result.rowcount or 0) > 0

    def roster_stamps(self) -> list[str]:
        """A stamp per roster, new with each upload: what changes when any roster does."""
        with self.session() as s:
            return list(s.exec(select(RosterRow.stamp).order_by(RosterRow.cohort_id)))

    def roster_data(self) -> list[str]:
        """Every roster, sealed."""
        with self.session() as s:
            return list(s.exec(select(RosterRow.data).order_by(RosterRow.cohort_id)))
