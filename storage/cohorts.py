"""Cohorts, their cadence and skip days, and enrolments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from sqlalchemy import func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from bot.core.errors import Conflict
from bot.core.model import Cohort, Enrollment, Person, SkipDay
from storage.base import StoreBase, to_value
from storage.rows import CadenceRow, CohortRow, EnrollmentRow, PersonRow, SkipDayRow


def _cohort(row: CohortRow, cadence: CadenceRow | None) -> Cohort:
    value = to_value(Cohort, row)
    if cadence is not None:
        value.days = cadence.days
        value.send_time = cadence.send_time
    return value


_COACHES = (select(EnrollmentRow.id, PersonRow)
            .outerjoin(CohortRow, CohortRow.id == EnrollmentRow.cohort_id)
            .outerjoin(PersonRow, PersonRow.id == func.coalesce(EnrollmentRow.coach_id, CohortRow.coach_id)))
"""Each enrolment's coach: its own, else its cohort's."""


class CohortStore(StoreBase):
    def create_cohort(self, workspace_id: int, name: str, tz: str, *, at: datetime) -> Cohort:
        with self.session() as s:
            values = {"workspace_id": workspace_id, "name": name, "key": name.lower(), "tz": tz, "created_at": at}
            if not self.insert_new(s, CohortRow.__table__, values):
                raise Conflict(f"cohort {name} exists")
            row = s.exec(select(CohortRow).where(CohortRow.workspace_id == workspace_id,
                                                 CohortRow.key == name.lower())).one()
            return _cohort(row, None)

    def get_cohort(self, cohort_id: int) -> Cohort | None:
        """The cohort with its cadence, in one query (every reply and card asks for it)."""
        with self.session() as s:
            found = s.exec(select(CohortRow, CadenceRow).outerjoin(CadenceRow, CadenceRow.cohort_id == CohortRow.id)
                           .where(CohortRow.id == cohort_id)).first()
            return _cohort(*found) if found is not None else None

    def find_cohort(self, workspace_id: int, name: str) -> Cohort | None:
        with self.session() as s:
            row = s.exec(
                select(CohortRow).where(CohortRow.workspace_id == workspace_id, CohortRow.key == name.lower())
            ).first()
            if row is None:
                return None
            cadence = s.exec(select(CadenceRow).where(CadenceRow.cohort_id == row.id)).first()
            return _cohort(row, cadence)

    def list_cohorts(self, workspace_id: int) -> list[Cohort]:
        with self.session() as s:
            rows = s.exec(
                select(CohortRow, CadenceRow)
                .join(CadenceRow, CadenceRow.cohort_id == CohortRow.id, isouter=True)
                .where(CohortRow.workspace_id == workspace_id)
                .order_by(CohortRow.key)
            )
            return [_cohort(c, k) for c, k in rows]

    def update_cohort(self, cohort_id: int, **values: object) -> None:
        with self.session() as s:
            row = s.get(CohortRow, cohort_id)
            if row is not None:
                self._set(row, values)

    def set_cadence(self, cohort_id: int, days: str, send_time: time, *, at: datetime) -> None:
        with self.session() as s:
            row = s.exec(select(CadenceRow).where(CadenceRow.cohort_id == cohort_id)).first()
            if row is None:
                s.add(CadenceRow(cohort_id=cohort_id, days=days, send_time=send_time, updated_at=at))
            else:
                row.days, row.send_time, row.updated_at = days, send_time, at

    def add_skip(
        self, cohort_id: int, start: date, end: date, reason: str, *, at: datetime, source: str = "manual"
    ) -> SkipDay:
        with self.session() as s:
            row = SkipDayRow(cohort_id=cohort_id, start=start, end=end, reason=reason, source=source, created_at=at)
            s.add(row)
            s.flush()
            return to_value(SkipDay, row)

    def skips_of(self, cohort_id: int) -> list[SkipDay]:
        with self.session() as s:
            rows = s.exec(select(SkipDayRow).where(SkipDayRow.cohort_id == cohort_id).order_by(SkipDayRow.start))
            return [to_value(SkipDay, r) for r in rows]

    def enroll(self, cohort_id: int, teacher_id: int, *, at: datetime) -> tuple[Enrollment, bool]:
        """Enrol a teacher (again); the flag says whether anything changed."""
        for _ in range(2):
            try:
                with self.session() as s:
                    row = s.exec(
                        select(EnrollmentRow).where(
                            EnrollmentRow.cohort_id == cohort_id, EnrollmentRow.teacher_id == teacher_id
                        )
                    ).first()
                    if row is not None:
                        changed = not row.active
                        row.active = True
                        return to_value(Enrollment, row), changed
                    row = EnrollmentRow(cohort_id=cohort_id, teacher_id=teacher_id, created_at=at)
                    s.add(row)
                    s.flush()
                    return to_value(Enrollment, row), True
            except IntegrityError:
                continue
        raise RuntimeError("enrolment could not be created")

    def get_enrollment(self, enrollment_id: int) -> Enrollment | None:
        with self.session() as s:
            return to_value(Enrollment, s.get(EnrollmentRow, enrollment_id))

    def find_enrollment(self, cohort_id: int, teacher_id: int) -> Enrollment | None:
        with self.session() as s:
            row = s.exec(
                select(EnrollmentRow).where(
                    EnrollmentRow.cohort_id == cohort_id, EnrollmentRow.teacher_id == teacher_id
                )
            ).first()
            return to_value(Enrollment, row)

    def enrollments_of_teacher(self, teacher_id: int, *, active_only: bool = True) -> list[Enrollment]:
        with self.session() as s:
            query = select(EnrollmentRow).where(EnrollmentRow.teacher_id == teacher_id)
            if active_only:
                query = query.where(EnrollmentRow.active == True)  # noqa: E712
            return [to_value(Enrollment, r) for r in s.exec(query.order_by(EnrollmentRow.created_at, EnrollmentRow.id))]

    def coach_of(self, teacher_id: int, enrollment_id: int | None = None) -> Person | None:
        """The coach of one enrolment (its own, else its cohort's), or, when there is no such
        enrolment, of the teacher's oldest active one: one query for the usual case."""
        with self.session() as s:
            found = s.exec(_COACHES.where(EnrollmentRow.id == enrollment_id)).first() if enrollment_id else None
            if found is None:
                oldest = (_COACHES.where(EnrollmentRow.teacher_id == teacher_id, EnrollmentRow.active == True)  # noqa: E712
                          .order_by(EnrollmentRow.created_at, EnrollmentRow.id).limit(1))
                found = s.exec(oldest).first()
            return to_value(Person, found[1]) if found is not None else None

    def coaches_of(self, enrollment_ids: Sequence[int]) -> dict[int, Person | None]:
        """The coach of each enrolment that exists (None for one with none), in one query."""
        if not enrollment_ids:
            return {}
        with self.session() as s:
            rows = s.exec(_COACHES.where(col(EnrollmentRow.id).in_(enrollment_ids)))
            return {enrollment_id: to_value(Person, coach) for enrollment_id, coach in rows}

    def enrollments(self, enrollment_ids: Sequence[int]) -> dict[int, Enrollment]:
        """Enrolments by id, in one query."""
        return self.by_ids(EnrollmentRow, Enrollment, enrollment_ids)

    def enrollments_of_cohort(self, cohort_id: int, *, active_only: bool = True) -> list[Enrollment]:
        with self.session() as s:
            query = select(EnrollmentRow).where(EnrollmentRow.cohort_id == cohort_id)
            if active_only:
                query = query.where(EnrollmentRow.active == True)  # noqa: E712
            return [to_value(Enrollment, r) for r in s.exec(query.order_by(EnrollmentRow.id))]

    def update_enrollment(self, enrollment_id: int, **values: object) -> None:
        with self.session() as s:
            row = s.get(EnrollmentRow, enrollment_id)
            if row is not None:
                self._set(row, values)

    def update_teacher_enrollments(self, teacher_id: int, **values: object) -> int:
        """Apply a teacher's own setting (focus, time, pause) to all of their enrolments."""
        with self.session() as s:
            rows = list(s.exec(select(EnrollmentRow).where(EnrollmentRow.teacher_id == teacher_id)))
            for row in rows:
                self._set(row, values)
            return len(rows)

    def enrollments_to_plan(self, through: date, limit: int) -> list[Enrollment]:
        """Active enrolments not yet planned through ``through`` (uses ix_enrollment_plan)."""
        with self.session() as s:
            rows = s.exec(
                select(EnrollmentRow)
                .where(
                    EnrollmentRow.active == True,  # noqa: E712
                    or_(EnrollmentRow.planned_through == None, EnrollmentRow.planned_through < through),  # noqa: E711
                )
                .order_by(EnrollmentRow.teacher_id, EnrollmentRow.created_at, EnrollmentRow.id)
                .limit(limit)
            )
            return [to_value(Enrollment, r) for r in rows]

    def set_planned_through(self, enrollment_ids: Sequence[int], through: date) -> None:
        if not enrollment_ids:
            return
        with self.session() as s:
            s.exec(  # type: ignore[call-overload]
                update(EnrollmentRow).where(col(EnrollmentRow.id).in_(enrollment_ids)).values(planned_through=through)
            )
