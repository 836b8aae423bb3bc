"""Workspaces, people and roles."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from bot.core.model import Person, PersonStatus, Sender, Workspace
from storage.base import StoreBase, to_value
from storage.rows import PersonRow, RoleRow, WorkspaceRow


class PeopleStore(StoreBase):
    def ensure_workspace(self, platform: str, external_id: str, name: str = "", *, at: datetime) -> Workspace:
        for _ in range(2):
            try:
                with self.session() as s:
                    row = s.exec(
                        select(WorkspaceRow).where(
                            WorkspaceRow.platform == platform, WorkspaceRow.external_id == external_id
                        )
                    ).first()
                    if row is None:
                        row = WorkspaceRow(platform=platform, external_id=external_id, name=name, created_at=at)
                        s.add(row)
                    elif name and row.name != name:
                        row.name = name
                    s.flush()
                    return to_value(Workspace, row)
            except IntegrityError:
                continue  # created concurrently; read it back
        raise RuntimeError("workspace could not be created")

    def any_workspace(self) -> bool:
        with self.session() as s:
            return s.exec(select(WorkspaceRow.id).limit(1)).first() is not None

    def get_workspace(self, workspace_id: int) -> Workspace | None:
        with self.session() as s:
            return to_value(Workspace, s.get(WorkspaceRow, workspace_id))

    def update_workspace(self, workspace_id: int, **values: object) -> None:
        with self.session() as s:
            row = s.get(WorkspaceRow, workspace_id)
            if row is not None:
                self._set(row, values)

    def sender(self, platform: str, workspace_external_id: str, external_id: str) -> Sender | None:
        """A person already known in a known workspace, with their roles: one query, as every
        inbound event asks it. None when either is new."""
        with self.session() as s:
            rows = s.exec(
                select(WorkspaceRow, PersonRow, RoleRow.role)
                .join(PersonRow, PersonRow.workspace_id == WorkspaceRow.id)
                .outerjoin(RoleRow, RoleRow.person_id == PersonRow.id)
                .where(WorkspaceRow.platform == platform, WorkspaceRow.external_id == workspace_external_id,
                       PersonRow.external_id == external_id)
            ).all()
            if not rows:
                return None
            workspace, person, _ = rows[0]
            return Sender(to_value(Workspace, workspace), to_value(Person, person),
                          frozenset(role for _, _, role in rows if role is not None))

    def ensure_person(
        self,
        workspace_id: int,
        external_id: str,
        *,
        at: datetime,
        display_name: str | None = None,
        email: str | None = None,
        tz: str | None = None,
    ) -> Person:
        """Find or create a person, updating what the platform just told us about them."""
        for _ in range(2):
            try:
                with self.session() as s:
                    row = s.exec(
                        select(PersonRow).where(
                            PersonRow.workspace_id == workspace_id, PersonRow.external_id == external_id
                        )
                    ).first()
                    if row is None:
                        row = PersonRow(workspace_id=workspace_id, external_id=external_id, created_at=at)
                        s.add(row)
                    if display_name:
                        row.display_name = display_name
                    if email:
                        row.email = email.lower()
                    if tz:
                        row.tz = tz
                    s.flush()
                    return to_value(Person, row)
            except IntegrityError:
                continue
        raise RuntimeError("person could not be created")

    def get_person(self, person_id: int) -> Person | None:
        with self.session() as s:
            return to_value(Person, s.get(PersonRow, person_id))

    def find_person(self, workspace_id: int, external_id: str) -> Person | None:
        with self.session() as s:
            row = s.exec(
                select(PersonRow).where(
                    PersonRow.workspace_id == workspace_id, PersonRow.external_id == external_id
                )
            ).first()
            return to_value(Person, row)

    def find_person_on(self, platform: str, external_id: str) -> Person | None:
        """A person by platform user id, whichever workspace they are in."""
        with self.session() as s:
            row = s.exec(
                select(PersonRow)
                .join(WorkspaceRow, WorkspaceRow.id == PersonRow.workspace_id)
                .where(WorkspaceRow.platform == platform, PersonRow.external_id == external_id)
                .order_by(PersonRow.id)
            ).first()
            return to_value(Person, row)

    def find_people(self, workspace_id: int, *, email: str | None = None, name: str | None = None) -> list[Person]:
        """People whose e-mail (exactly) or display name (case-insensitively) matches."""
        with self.session() as s:
            query = select(PersonRow).where(PersonRow.workspace_id == workspace_id)
            if email is not None:
                query = query.where(PersonRow.email == email.lower())
            if name is not None:
                query = query.where(func.lower(PersonRow.display_name) == name.lower())
            return [to_value(Person, r) for r in s.exec(query.order_by(PersonRow.id))]

    def update_person(self, person_id: int, **values: object) -> None:
        with self.session() as s:
            row = s.get(PersonRow, person_id)
            if row is not None:
                self._set(row, values)

    def set_person_status(self, person_id: int, status: PersonStatus) -> None:
        self.update_person(person_id, status=str(status))

    def roles_of(self, person_id: int) -> frozenset[str]:
        with self.session() as s:
            return frozenset(s.exec(select(RoleRow.role).where(RoleRow.person_id == person_id)))

    def grant_role(self, person_id: int, role: str, *, by: int | None, at: datetime) -> bool:
        """Give a role; False when the person had it already."""
        try:
            with self.session() as s:
                exists = s.exec(
                    select(RoleRow).where(RoleRow.person_id == person_id, RoleRow.role == role)
                ).first()
                if exists:
                    return False
                s.add(RoleRow(person_id=person_id, role=role, granted_by=by, granted_at=at))
                return True
        except IntegrityError:
            return False

    def people_with_role(self, workspace_id: int, role: str) -> list[Person]:
        with self.session() as s:
            rows = s.exec(
                select(PersonRow)
                .join(RoleRow, RoleRow.person_id == PersonRow.id)
                .where(PersonRow.workspace_id == workspace_id, RoleRow.role == role)
                .order_by(PersonRow.id)
            )
            return [to_value(Person, r) for r in rows]
