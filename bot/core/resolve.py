"""Turning the people named in a command into stored people (pure lookups in the store)."""

from __future__ import annotations

from bot.core.grammar import PersonRef
from bot.core.messages import Inbound
from bot.core.model import Person
from bot.core.store import Store


def resolve_person(store: Store, workspace_id: int, ref: PersonRef, inbound: Inbound) -> Person | None:
    """An id, an e-mail or UPN, an @name or a platform mention; ``None`` when it is not one
    unambiguous, known person."""
    if ref.kind == "id":
        return store.find_person(workspace_id, ref.raw)
    if ref.kind == "email":
        found = store.find_people(workspace_id, email=ref.raw)
    else:
        mentioned = dict(inbound.mentions).get(ref.raw) or dict(inbound.mentions).get(f"@{ref.raw}")
        if mentioned:
            return store.find_person(workspace_id, mentioned)
        found = store.find_people(workspace_id, name=ref.raw.lstrip("@"))
        if not found:
            found = [p for p in [store.find_person(workspace_id, ref.raw.lstrip("@"))] if p is not None]
    return found[0] if len(found) == 1 else None


def label(ref: PersonRef) -> str:
    return ref.label or ref.raw
