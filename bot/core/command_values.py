"""The values the command grammar produces: one frozen dataclass per command, the references
they carry, and :class:`ParseError` for text that is not a command.

Cohort names keep the form the person typed (``CohortRef.name``, for messages) and compare by
``CohortRef.key`` (lowercase), so ``Grade5`` and ``grade5`` are one cohort.

People are classified by the parser and resolved elsewhere. A :class:`PersonRef`'s ``kind`` says
how to look it up: ``id`` is a platform user id (Slack ``<@U123>``, Teams ``29:1abc…``,
playground ``u-coach``); ``mention`` is the text of a Teams ``<at>Jane Doe</at>``, matched
against the message's mention entities; ``email`` is an e-mail address or UPN; ``name`` is a
typed ``@Name``, a display name or handle.

``forget me`` only asks; ``forget me confirm`` is the confirmation that deletes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import ClassVar, Literal

PersonKind = Literal["id", "mention", "email", "name"]


@dataclass(frozen=True)
class PersonRef:
    raw: str
    kind: PersonKind
    label: str = ""
    """What the platform showed for the person (Slack's ``|name``); for messages only."""


@dataclass(frozen=True)
class ChannelRef:
    id: str
    label: str = ""


@dataclass(frozen=True)
class UserGroupRef:
    id: str
    label: str = ""


@dataclass(frozen=True)
class TeamRef:
    name: str


Target = PersonRef | ChannelRef | UserGroupRef | TeamRef


@dataclass(frozen=True)
class CohortRef:
    name: str

    @property
    def key(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Me:
    """The person who sent the command."""


@dataclass(frozen=True)
class Help:
    name: ClassVar[str] = "help"


@dataclass(frozen=True)
class CohortCreate:
    name: ClassVar[str] = "cohort create"
    cohort: CohortRef
    tz: str | None = None


@dataclass(frozen=True)
class CohortList:
    name: ClassVar[str] = "cohort list"


@dataclass(frozen=True)
class CohortTerm:
    name: ClassVar[str] = "cohort term"
    cohort: CohortRef
    start: date
    end: date


@dataclass(frozen=True)
class CohortCoach:
    name: ClassVar[str] = "cohort coach"
    cohort: CohortRef
    coach: PersonRef


@dataclass(frozen=True)
class CoachAssign:
    name: ClassVar[str] = "coach assign"
    teacher: PersonRef
    coach: PersonRef


@dataclass(frozen=True)
class CohortAdd:
    name: ClassVar[str] = "cohort add"
    cohort: CohortRef
    targets: tuple[Target, ...]


@dataclass(frozen=True)
class CohortRemove:
    name: ClassVar[str] = "cohort remove"
    cohort: CohortRef
    teachers: tuple[PersonRef, ...]


@dataclass(frozen=True)
class CadenceSet:
    name: ClassVar[str] = "cadence set"
    cohort: CohortRef
    days: tuple[int, ...]
    """ISO weekday numbers, Monday = 1, ascending."""
    at: time


@dataclass(frozen=True)
class CadenceShow:
    name: ClassVar[str] = "cadence show"
    cohort: CohortRef


@dataclass(frozen=True)
class Skip:
    name: ClassVar[str] = "skip"
    cohort: CohortRef
    start: date
    end: date
    reason: str = ""


@dataclass(frozen=True)
class SkipImport:
    name: ClassVar[str] = "skip import"
    cohort: CohortRef
    source: str
    """An https URL or the name of an uploaded file."""


@dataclass(frozen=True)
class RosterUpload:
    name: ClassVar[str] = "roster upload"
    cohort: CohortRef
    source: str
    """An https URL or a file path: a CSV with a header naming its name columns, or one name a line."""


@dataclass(frozen=True)
class RosterClear:
    name: ClassVar[str] = "roster clear"
    cohort: CohortRef


@dataclass(frozen=True)
class Pause:
    name: ClassVar[str] = "pause"
    target: CohortRef | PersonRef | Me
    until: date | None = None
    """Paused through this local date inclusive; ``None`` until resumed."""


@dataclass(frozen=True)
class Resume:
    name: ClassVar[str] = "resume"
    target: CohortRef | PersonRef | Me


@dataclass(frozen=True)
class SendNow:
    name: ClassVar[str] = "send now"
    cohort: CohortRef


@dataclass(frozen=True)
class TestSend:
    name: ClassVar[str] = "test-send"
    __test__: ClassVar[bool] = False  # not a pytest test class, despite its name
    prompt_id: str


@dataclass(frozen=True)
class Report:
    name: ClassVar[str] = "report"
    cohort: CohortRef


@dataclass(frozen=True)
class Focus:
    name: ClassVar[str] = "focus"
    area: str
    """One of :data:`bot.core.prompts.FOCUS_AREAS`."""


@dataclass(frozen=True)
class Time:
    name: ClassVar[str] = "time"
    at: time | None
    """``None`` means back to the cohort's time (``time default``)."""


@dataclass(frozen=True)
class Stop:
    name: ClassVar[str] = "stop"


@dataclass(frozen=True)
class Start:
    name: ClassVar[str] = "start"


@dataclass(frozen=True)
class Ai:
    name: ClassVar[str] = "ai"
    on: bool


@dataclass(frozen=True)
class ForgetMe:
    name: ClassVar[str] = "forget me"
    confirmed: bool = False


@dataclass(frozen=True)
class MyData:
    name: ClassVar[str] = "my data"


@dataclass(frozen=True)
class Voice:
    name: ClassVar[str] = "voice"
    text: str


@dataclass(frozen=True)
class Triage:
    name: ClassVar[str] = "triage"


@dataclass(frozen=True)
class Llm:
    name: ClassVar[str] = "llm"
    on: bool


@dataclass(frozen=True)
class AdminAdd:
    name: ClassVar[str] = "admin add"
    person: PersonRef


@dataclass(frozen=True)
class CohortChannel:
    name: ClassVar[str] = "cohort channel"
    cohort: CohortRef
    channel: ChannelRef | TeamRef | None
    """Where the weekly peer-share prompt goes; ``None`` (``off``) stops it."""


@dataclass(frozen=True)
class PromptAdd:
    name: ClassVar[str] = "prompt add"
    focus: str
    kind: str
    level: str
    text: str
    """As the coach wrote it, with Slack's link and entity markup undone."""


@dataclass(frozen=True)
class PromptNext:
    name: ClassVar[str] = "prompt next"
    cohort: CohortRef
    prompt_id: str


Command = (
    Help | CohortCreate | CohortList | CohortTerm | CohortCoach | CoachAssign | CohortAdd
    | CohortRemove | CadenceSet | CadenceShow | Skip | SkipImport | Pause | Resume | SendNow
    | TestSend | Report | Focus | Time | Stop | Start | Ai | ForgetMe | MyData | Voice | Triage
    | Llm | AdminAdd | CohortChannel | PromptAdd | PromptNext | RosterUpload | RosterClear
)


@dataclass(frozen=True)
class ParseError:
    message: str
    usage: str | None = None
    """The usage of the command the text came closest to; ``None`` when it names none."""

    @property
    def is_command_like(self) -> bool:
        return self.usage is not None
