"""SQLModel rows: the only place table shapes live. The store translates them to core values."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

#: Delivery statuses that hold a teacher's one prompt of a local day.
LIVE_DELIVERY = "status IN ('planned', 'claimed', 'sent')"
#: Deliveries a worker may still claim: what the per-workspace claim reads.
UNSENT_DELIVERY = "status IN ('planned', 'claimed')"
#: Sent prompts not yet reminded: what the reminder query reads.
UNREMINDED = "status = 'sent' AND reminded_at IS NULL"
#: Peer-share posts that hold their cohort's week.
LIVE_POST = "status IN ('planned', 'sent')"


def _utc(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def _fk(target: str, ondelete: str, nullable: bool = True) -> Any:
    return Field(
        default=None,
        sa_column=Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable),
    )


class WorkspaceRow(SQLModel, table=True):
    __tablename__ = "workspace"
    __table_args__ = (UniqueConstraint("platform", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    external_id: str = Field(max_length=200)
    enterprise_id: str | None = Field(default=None, max_length=200)
    name: str = Field(default="", max_length=200)
    llm_enabled: bool | None = None
    active: bool = True
    inactive_reason: str | None = Field(default=None, max_length=200)
    created_at: datetime | None = _utc()


class PersonRow(SQLModel, table=True):
    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("workspace_id", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _fk("workspace.id", "CASCADE", nullable=False)
    external_id: str = Field(max_length=200)
    display_name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=320, index=True)
    tz: str | None = Field(default=None, max_length=64)
    status: str = Field(default="active", max_length=20)
    ai_opt_out: bool = False
    voice: str | None = Field(default=None, max_length=1000)
    created_at: datetime | None = _utc()


class RoleRow(SQLModel, table=True):
    __tablename__ = "role"
    __table_args__ = (UniqueConstraint("person_id", "role"),)

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _fk("person.id", "CASCADE", nullable=False)
    role: str = Field(max_length=20)
    granted_by: int | None = None
    granted_at: datetime | None = _utc()


class CohortRow(SQLModel, table=True):
    __tablename__ = "cohort"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _fk("workspace.id", "CASCADE", nullable=False)
    name: str = Field(max_length=64)
    key: str = Field(max_length=64)
    tz: str = Field(max_length=64)
    coach_id: int | None = _fk("person.id", "SET NULL")
    term_start: date | None = None
    term_end: date | None = None
    default_focus: str | None = Field(default=None, max_length=64)
    paused: bool = False
    paused_until: date | None = None
    channel: str | None = Field(default=None, max_length=200)
    created_at: datetime | None = _utc()


class CadenceRow(SQLModel, table=True):
    __tablename__ = "cadence"

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(
        sa_column=Column(Integer, ForeignKey("cohort.id", ondelete="CASCADE"), unique=True, nullable=False)
    )
    days: str = Field(max_length=20)
    send_time: time
    updated_at: datetime | None = _utc()


class EnrollmentRow(SQLModel, table=True):
    __tablename__ = "enrollment"
    __table_args__ = (
        UniqueConstraint("cohort_id", "teacher_id"),
        Index("ix_enrollment_teacher", "teacher_id"),
        Index("ix_enrollment_plan", "active", "planned_through"),
    )

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = _fk("cohort.id", "CASCADE", nullable=False)
    teacher_id: int = _fk("person.id", "CASCADE", nullable=False)
    coach_id: int | None = _fk("person.id", "SET NULL")
    focus: str | None = Field(default=None, max_length=64)
    goal: str | None = Field(default=None, max_length=500)
    own_time: time | None = None
    paused: bool = False
    paused_until: date | None = None
    active: bool = True
    planned_through: date | None = None
    pinned_prompt_id: str | None = Field(default=None, max_length=100)
    pinned_on: date | None = None
    created_at: datetime | None = _utc()


class SkipDayRow(SQLModel, table=True):
    __tablename__ = "skip_day"

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = _fk("cohort.id", "CASCADE", nullable=False)
    start: date
    end: date
    reason: str = Field(default="", max_length=200)
    source: str = Field(default="manual", max_length=20)
    created_at: datetime | None = _utc()


class DeliveryRow(SQLModel, table=True):
    """One prompt slot for one enrolment. Unique per enrolment and slot; at most one live row per
    teacher and local day. After a person is deleted the row stays, anonymous, for counts."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("enrollment_id", "slot_utc"),
        Index("ix_delivery_due", "status", "slot_utc"),
        Index("ix_delivery_lease", "status", "lease_until"),
        Index("ix_delivery_person_sent", "person_id", "sent_at"),
        Index("ix_delivery_message", "workspace_id", "message_id"),
        Index(
            "ix_delivery_workspace_due",
            "workspace_id",
            "status",
            "slot_utc",
            postgresql_where=text(UNSENT_DELIVERY),
            sqlite_where=text(UNSENT_DELIVERY),
        ),
        Index(
            "ix_delivery_remind",
            "sent_at",
            postgresql_where=text(UNREMINDED),
            sqlite_where=text(UNREMINDED),
        ),
        Index(
            "uq_delivery_person_day",
            "person_id",
            "local_date",
            unique=True,
            postgresql_where=text(LIVE_DELIVERY),
            sqlite_where=text(LIVE_DELIVERY),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    enrollment_id: int | None = _fk("enrollment.id", "SET NULL")
    person_id: int | None = _fk("person.id", "SET NULL")
    workspace_id: int = _fk("workspace.id", "CASCADE", nullable=False)
    cohort_id: int | None = _fk("cohort.id", "SET NULL")
    slot_utc: datetime = _utc(nullable=False)
    local_date: date
    prompt_id: str = Field(max_length=100)
    kind: str = Field(default="prompt", max_length=20)
    status: str = Field(default="planned", max_length=20)
    sent_ref: str | None = Field(default=None, sa_column=Column(Text))
    message_id: str | None = Field(default=None, max_length=200)
    attempts: int = 0
    claimed_by: str | None = Field(default=None, max_length=100)
    lease_until: datetime | None = _utc()
    next_attempt_at: datetime | None = _utc()
    sent_at: datetime | None = _utc()
    reason: str | None = Field(default=None, max_length=300)
    reminded_at: datetime | None = _utc()
    created_at: datetime | None = _utc()


class SendGateRow(SQLModel, table=True):
    """A workspace every worker leaves alone until ``open_at`` (a platform's Retry-After)."""

    __tablename__ = "send_gate"

    workspace_id: int = Field(
        sa_column=Column(Integer, ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True)
    )
    open_at: datetime = _utc(nullable=False)
    reason: str = Field(default="", max_length=200)


class DeliveryAttemptRow(SQLModel, table=True):
    __tablename__ = "delivery_attempt"
    __table_args__ = (Index("ix_delivery_attempt_delivery", "delivery_id"),)

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = _fk("delivery.id", "CASCADE", nullable=False)
    at: datetime = _utc(nullable=False)
    worker: str = Field(default="", max_length=100)
    outcome: str = Field(max_length=20)
    detail: str = Field(default="", max_length=300)


class ReplyRow(SQLModel, table=True):
    """What a teacher wrote: a reply to a prompt, a one-tap answer, a note, or a peer share."""

    __tablename__ = "reply"
    __table_args__ = (
        UniqueConstraint("workspace_id", "message_id"),
        Index("ix_reply_person_created", "person_id", "created_at"),
        Index("ix_reply_delivery", "delivery_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _fk("workspace.id", "CASCADE", nullable=False)
    person_id: int = _fk("person.id", "CASCADE", nullable=False)
    delivery_id: int | None = _fk("delivery.id", "SET NULL")
    kind: str = Field(default="reply", max_length=20)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    message_id: str | None = Field(default=None, max_length=200)
    withdrawn: bool = False
    needs_draft: bool = Field(default=False, index=True)
    draft_claim: str | None = Field(default=None, max_length=120)
    """Who is drafting this reply (a worker's claim token), until ``draft_lease_until``; a claim
    whose lease ran out is taken over."""
    draft_lease_until: datetime | None = _utc()
    urgent: bool = False
    concern: str | None = Field(default=None, max_length=40)
    created_at: datetime | None = _utc()
    updated_at: datetime | None = _utc()


class PeerPostRow(SQLModel, table=True):
    """A cohort's weekly peer-share prompt for its channel; sent through the outbox (``peer-post:<id>``).
    At most one live post per cohort and ISO week (``week`` is its Monday)."""

    __tablename__ = "peer_post"
    __table_args__ = (
        Index("ix_peer_post_message", "workspace_id", "message_id"),
        Index("uq_peer_post_week", "cohort_id", "week", unique=True,
              postgresql_where=text(LIVE_POST), sqlite_where=text(LIVE_POST)),
    )

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = _fk("cohort.id", "CASCADE", nullable=False)
    workspace_id: int = _fk("workspace.id", "CASCADE", nullable=False)
    week: date
    local_date: date
    slot_utc: datetime = _utc(nullable=False)
    prompt_id: str = Field(max_length=100)
    channel: str = Field(max_length=200)
    status: str = Field(default="planned", max_length=20)
    message_id: str | None = Field(default=None, max_length=200)
    sent_ref: str | None = Field(default=None, sa_column=Column(Text))
    created_at: datetime | None = _utc()


class PeerShareRow(SQLModel, table=True):
    """A teacher's answer in a peer-share thread. Public to that channel by design, so it lives
    apart from ``reply`` (private, for the coach) and is never drafted on."""

    __tablename__ = "peer_share"
    __table_args__ = (
        UniqueConstraint("workspace_id", "message_id"),
        Index("ix_peer_share_post", "post_id"),
        Index("ix_peer_share_person", "person_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    post_id: int = _fk("peer_post.id", "CASCADE", nullable=False)
    workspace_id: int = _fk("workspace.id", "CASCADE", nullable=False)
    person_id: int = _fk("person.id", "CASCADE", nullable=False)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    message_id: str | None = Field(default=None, max_length=200)
    withdrawn: bool = False
    created_at: datetime | None = _utc()
    updated_at: datetime | None = _utc()


class OwnPromptRow(SQLModel, table=True):
    """A prompt or micro-lesson a coach wrote in chat (``prompt add``), for their workspace; its
    prompt id is ``own-<id>``. Never edited, so every process may cache it."""

    __tablename__ = "own_prompt"
    __table_args__ = (Index("ix_own_prompt_workspace", "workspace_id"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _fk("workspace.id", "CASCADE", nullable=False)
    author_id: int | None = _fk("person.id", "SET NULL")
    kind: str = Field(max_length=20)
    focus: str = Field(max_length=64)
    level: str = Field(max_length=20)
    title: str = Field(default="", max_length=80)
    text: str = Field(sa_column=Column(Text, nullable=False))
    link: str | None = Field(default=None, max_length=500)
    rationale: str = Field(default="", max_length=500)
    created_at: datetime | None = _utc()


class DraftRow(SQLModel, table=True):
    __tablename__ = "draft"
    __table_args__ = (
        Index("ix_draft_status_expires", "status", "expires_at"),
        Index("ix_draft_coach_status", "coach_id", "status"),
        Index("ix_draft_reply", "reply_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reply_id: int = _fk("reply.id", "CASCADE", nullable=False)
    coach_id: int | None = _fk("person.id", "SET NULL")
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    source: str = Field(default="", max_length=100)
    status: str = Field(default="pending", max_length=20)
    decided_by: int | None = _fk("person.id", "SET NULL")
    decided_at: datetime | None = _utc()
    final_text: str | None = Field(default=None, sa_column=Column(Text))
    card_ref: str | None = Field(default=None, sa_column=Column(Text))
    useful: bool | None = None
    """The teacher's one-tap "Was this useful?" on the follow-up."""
    expires_at: datetime | None = _utc()
    created_at: datetime | None = _utc()
    updated_at: datetime | None = _utc()


class OutboxRow(SQLModel, table=True):
    """A message other than a prompt (coach card, follow-up, reminder, welcome, notice) waiting
    to be sent or updated by the worker. ``key`` makes enqueueing idempotent."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "not_before"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    workspace_id: int = _fk("workspace.id", "CASCADE", nullable=False)
    person_id: int | None = _fk("person.id", "CASCADE")
    kind: str = Field(max_length=30)
    payload: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    not_before: datetime = _utc(nullable=False)
    status: str = Field(default="pending", max_length=20)
    attempts: int = 0
    claimed_by: str | None = Field(default=None, max_length=100)
    lease_until: datetime | None = _utc()
    sent_ref: str | None = Field(default=None, sa_column=Column(Text))
    reason: str | None = Field(default=None, max_length=300)
    created_at: datetime | None = _utc()
    sent_at: datetime | None = _utc()


class InstallationRow(SQLModel, table=True):
    """A platform installation; ``data`` is sealed (it holds tokens)."""

    __tablename__ = "installation"
    __table_args__ = (UniqueConstraint("platform", "enterprise_id", "team_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=20)
    enterprise_id: str | None = Field(default=None, max_length=200)
    team_id: str | None = Field(default=None, max_length=200)
    user_id: str | None = Field(default=None, max_length=200)
    is_enterprise_install: bool = False
    data: str = Field(sa_column=Column(Text, nullable=False))
    installed_at: datetime | None = _utc()
    active: bool = True


class OAuthStateRow(SQLModel, table=True):
    __tablename__ = "oauth_state"

    state: str = Field(primary_key=True, max_length=200)
    expires_at: datetime = _utc(nullable=False)


class ConversationRefRow(SQLModel, table=True):
    """How to reach a person proactively (a Teams conversation reference, a Slack DM channel);
    ``data`` is sealed and opaque to everything but its adapter."""

    __tablename__ = "conversation_ref"

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), unique=True, nullable=False)
    )
    platform: str = Field(max_length=20)
    data: str = Field(sa_column=Column(Text, nullable=False))
    updated_at: datetime | None = _utc()


class SeenEventRow(SQLModel, table=True):
    """Platform event ids already handled, so retried deliveries change nothing."""

    __tablename__ = "seen_event"

    key: str = Field(primary_key=True, max_length=200)
    seen_at: datetime = _utc(nullable=False, index=True)


class InboxRow(SQLModel, table=True):
    """An inbound event recorded before the platform got its answer and removed once the core
    handled it: a row still here after a crash is handled by the next tick."""

    __tablename__ = "inbox"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200, unique=True)
    payload: dict = Field(sa_column=Column(JSON, nullable=False))
    received_at: datetime = _utc(nullable=False, index=True)


class RosterRow(SQLModel, table=True):
    """A cohort's student roster, uploaded by a coach or admin for the privacy guard; ``data`` is
    sealed (Fernet) and holds one name a line."""

    __tablename__ = "roster"

    id: int | None = Field(default=None, primary_key=True)
    cohort_id: int = Field(sa_column=Column(Integer, ForeignKey("cohort.id", ondelete="CASCADE"), nullable=False,
                                            unique=True))
    workspace_id: int = _fk("workspace.id", "CASCADE", nullable=False)
    data: str = Field(sa_column=Column(Text, nullable=False))
    names: int = 0
    stamp: str = Field(max_length=32)
    """New with every upload, so a process caching the opened names knows to open them again."""
    uploaded_by: int | None = _fk("person.id", "SET NULL")
    uploaded_at: datetime = _utc(nullable=False)


class PlaygroundMessageRow(SQLModel, table=True):
    """The playground's chat history: what each demo person sees, as rendered JSON."""

    __tablename__ = "playground_message"
    __table_args__ = (Index("ix_playground_person", "person_key", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    person_key: str = Field(max_length=200)
    thread: int | None = None
    direction: str = Field(default="in", max_length=10)
    body: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    delivery_key: str | None = Field(default=None, max_length=100, index=True)
    created_at: datetime = _utc(nullable=False)
    updated_at: datetime | None = _utc()


class LlmUsageRow(SQLModel, table=True):
    """Tokens and cost of the LLM drafter, per workspace, month (UTC, YYYY-MM) and model."""

    __tablename__ = "llm_usage"
    __table_args__ = (UniqueConstraint("workspace_id", "month", "model"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int = _fk("workspace.id", "CASCADE", nullable=False)
    month: str = Field(max_length=7)
    model: str = Field(max_length=200)
    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    updated_at: datetime | None = _utc()


class AuditRow(SQLModel, table=True):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_workspace_at", "workspace_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    workspace_id: int | None = _fk("workspace.id", "CASCADE")
    actor_id: int | None = _fk("person.id", "SET NULL")
    action: str = Field(max_length=60)
    target: str = Field(default="", max_length=300)
    at: datetime = _utc(nullable=False)
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
