"""The domain as plain dataclasses. Storage translates its rows into these at its edge."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum


class PersonStatus(StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"
    UNREACHABLE = "unreachable"
    DELETED = "deleted"


class Role(StrEnum):
    ADMIN = "admin"
    COACH = "coach"


class DeliveryStatus(StrEnum):
    PLANNED = "planned"
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    MISSED = "missed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


class DraftStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    EDITED = "edited"
    REJECTED = "rejected"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"
    URGENT = "urgent"
    """Withdrawn because an edit made its reply urgent: the coach answers that personally."""


class ReplyKind(StrEnum):
    REPLY = "reply"
    NOTE = "note"
    QUICK = "quick"
    PEER = "peer"
    CHECK_BACK = "check-back"
    """A teacher's one-tap answer to a goal check-back: keep the focus, or change it."""


@dataclass
class Workspace:
    id: int
    platform: str
    external_id: str
    name: str = ""
    llm_enabled: bool | None = None
    active: bool = True
    inactive_reason: str | None = None


@dataclass
class Person:
    id: int
    workspace_id: int
    external_id: str
    display_name: str = ""
    email: str | None = None
    tz: str | None = None
    status: PersonStatus = PersonStatus.ACTIVE
    ai_opt_out: bool = False
    voice: str | None = None
    """A coach's notes on their own voice, for drafters."""


@dataclass(frozen=True)
class Sender:
    """Who sent an inbound event, as the store knows them: their workspace, and the roles they
    were granted."""

    workspace: Workspace
    person: Person
    roles: frozenset[str]


@dataclass
class Cohort:
    id: int
    workspace_id: int
    name: str
    tz: str
    coach_id: int | None = None
    term_start: date | None = None
    term_end: date | None = None
    days: str = ""
    """Cadence weekdays as ISO numbers, e.g. ``"1,3"`` for Mon/Wed; empty when unset."""
    send_time: time | None = None
    default_focus: str | None = None
    paused_until: date | None = None
    paused: bool = False
    channel: str | None = None


@dataclass
class Enrollment:
    id: int
    cohort_id: int
    teacher_id: int
    coach_id: int | None = None
    """An assigned coach; ``None`` means the cohort's coach."""
    focus: str | None = None
    goal: str | None = None
    own_time: time | None = None
    paused: bool = False
    paused_until: date | None = None
    """Paused through this local date inclusive; prompts resume the day after."""
    active: bool = True
    created_at: datetime | None = None
    pinned_prompt_id: str | None = None
    """A prompt a coach chose to send next (``prompt next``); spent once one of its slots holds
    it on or after ``pinned_on``."""
    pinned_on: date | None = None


@dataclass
class SkipDay:
    id: int
    cohort_id: int
    start: date
    end: date
    reason: str = ""


@dataclass
class Delivery:
    id: int
    enrollment_id: int | None
    workspace_id: int
    slot_utc: datetime
    local_date: date
    prompt_id: str
    person_id: int | None = None
    cohort_id: int | None = None
    kind: str = "prompt"
    status: DeliveryStatus = DeliveryStatus.PLANNED
    sent_ref: str | None = None
    message_id: str | None = None
    attempts: int = 0
    claimed_by: str | None = None
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    reason: str | None = None
    reminded_at: datetime | None = None


@dataclass(frozen=True)
class ReminderCandidate:
    """A sent prompt with no reply and no reminder yet, with what the reminder rule needs."""

    delivery: Delivery
    tz: str | None
    """The teacher's zone, else the cohort's."""
    paused_until: date | None
    """The later of the enrolment's and the cohort's pause end, if either is set."""


@dataclass
class Reply:
    id: int
    person_id: int
    delivery_id: int | None
    text: str
    kind: ReplyKind = ReplyKind.REPLY
    message_id: str | None = None
    withdrawn: bool = False
    urgent: bool = False
    concern: str | None = None
    """The safeguarding category that made this reply urgent."""
    needs_draft: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class PeerPost:
    """A cohort's weekly peer-share prompt, posted in the cohort's channel (never by DM)."""

    id: int
    cohort_id: int
    workspace_id: int
    week: date
    """The Monday of the ISO week it belongs to: one live post a cohort a week."""
    local_date: date
    slot_utc: datetime
    prompt_id: str
    channel: str
    status: str = "planned"
    message_id: str | None = None
    sent_ref: str | None = None


@dataclass
class PeerShare:
    """A teacher's answer in a peer-share thread: public to that channel by design, kept apart
    from private replies and never drafted on."""

    id: int
    post_id: int
    workspace_id: int
    person_id: int
    text: str
    message_id: str | None = None
    withdrawn: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class Draft:
    id: int
    reply_id: int
    text: str
    source: str
    status: DraftStatus = DraftStatus.PENDING
    coach_id: int | None = None
    decided_by: int | None = None
    decided_at: datetime | None = None
    final_text: str | None = None
    card_ref: str | None = None
    useful: bool | None = None
    created_at: datetime | None = None


@dataclass
class AuditEntry:
    actor_id: int | None
    action: str
    target: str
    at: datetime
    details: dict = field(default_factory=dict)


@dataclass
class OutboxItem:
    """A message other than a prompt, queued for the worker: a coach's card, a follow-up, a
    reminder, a welcome, a notice. ``payload`` says what to render."""

    id: int
    key: str
    workspace_id: int
    person_id: int | None
    kind: str
    payload: dict
    not_before: datetime
    attempts: int
    status: str = "pending"
    sent_ref: str | None = None
