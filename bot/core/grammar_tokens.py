"""The token-level readers of the command grammar: each turns one word (or the words left) into
a value, or raises :class:`BadArgs` with the message to say to the person as is.

:mod:`bot.core.grammar` reads whole commands with them; nothing else should need them.
"""

from __future__ import annotations

import re
from contextlib import suppress
from datetime import date, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.core.command_values import ChannelRef, CohortRef, PersonRef, Target, UserGroupRef
from bot.core.prompts import FOCUS_AREAS

GRAMMAR_WORDS = frozenset({"me", "all", "now", "import", "team"})
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class BadArgs(Exception):
    """Arguments that do not fit the command; the message is said to the person as is."""


_SLACK_USER = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]*))?>", re.IGNORECASE)
_SLACK_CHANNEL = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>", re.IGNORECASE)
_SLACK_GROUP = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|([^>]*))?>", re.IGNORECASE)
_SLACK_LINK = re.compile(r"<(?:mailto:)?([^|<>]+)(?:\|[^>]*)?>", re.IGNORECASE)
TEAMS_AT_PATTERN = re.compile(r"<at>(.*?)</at>", re.IGNORECASE)
_EMAIL = re.compile(r"[^@\s<>,]+@[^@\s<>,]+\.[^@\s<>,]+")
ID_PATTERN = re.compile(r"[A-Za-z0-9][\w:.+=/-]*")
NAME_PATTERN = re.compile(r"[A-Za-z0-9_-]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
TIME_PATTERN = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
PERSON_HINT = "a person, like @jane or jane@school.org"


class Args:
    """The words after a command phrase, read left to right."""

    def __init__(self, command: str, text: str, tokens: list[re.Match[str]]) -> None:
        self.command = command
        self._text = text
        self._tokens = tokens

    def peek(self) -> str | None:
        return self._tokens[0].group() if self._tokens else None

    def take(self, what: str) -> str:
        if not self._tokens:
            raise BadArgs(f"'{self.command}' needs {what}.")
        return self._tokens.pop(0).group()

    def optional(self) -> str | None:
        return self._tokens.pop(0).group() if self._tokens else None

    def rest(self) -> str:
        """Everything left, as written (spacing and case kept)."""
        if not self._tokens:
            return ""
        start = self._tokens[0].start()
        self._tokens = []
        return self._text[start:].strip()

    def end(self) -> None:
        if self._tokens:
            raise BadArgs(f"I wasn't expecting '{self.rest()}' after '{self.command}'.")


def read_cohort(token: str) -> CohortRef:
    if not NAME_PATTERN.fullmatch(token):
        raise BadArgs(
            f"'{token}' can't be a cohort name: use one word of letters, digits, - and _, "
            "like grade5-math."
        )
    if token.lower() in GRAMMAR_WORDS:
        raise BadArgs(f"'{token}' is a word I use in commands, so it can't name a cohort.")
    return CohortRef(token)


def read_target(token: str) -> Target:
    if match := _SLACK_USER.fullmatch(token):
        return PersonRef(match[1], "id", match[2] or "")
    if match := _SLACK_CHANNEL.fullmatch(token):
        return ChannelRef(match[1], match[2] or "")
    if match := _SLACK_GROUP.fullmatch(token):
        return UserGroupRef(match[1], match[2] or "")
    if match := TEAMS_AT_PATTERN.fullmatch(token):
        return PersonRef(match[1].strip(), "mention")
    link = _SLACK_LINK.fullmatch(token)
    bare = link[1] if link else token.removeprefix("@")
    if _EMAIL.fullmatch(bare):
        return PersonRef(bare, "email")
    if token.startswith("@") and len(token) > 1:
        return PersonRef(bare, "name")
    if ID_PATTERN.fullmatch(token):
        return PersonRef(token, "id")
    raise BadArgs(
        f"I couldn't tell who '{token}' is. Mention them (like @jane), or use their e-mail."
    )


def read_person(token: str) -> PersonRef:
    target = read_target(token)
    if not isinstance(target, PersonRef):
        raise BadArgs(f"'{token}' is a channel or group; here I need {PERSON_HINT}.")
    return target


def read_date(token: str) -> date:
    if not _DATE.fullmatch(token):
        raise BadArgs(f"I couldn't read '{token}' as a date. Use YYYY-MM-DD, like 2025-03-14.")
    try:
        return date.fromisoformat(token)
    except ValueError:
        raise BadArgs(f"{token} isn't a day on the calendar. Could there be a typo?") from None


def read_range(token: str, *, single_ok: bool) -> tuple[date, date]:
    first, dots, last = token.partition("..")
    if not dots:
        if single_ok:
            day = read_date(token)
            return day, day
        raise BadArgs(f"I need a date range here, like 2025-08-25..2026-06-12, not '{token}'.")
    if not first or not last:
        raise BadArgs(f"'{token}' needs a date on each side of '..', like 2025-03-10..2025-03-14.")
    start, end = read_date(first), read_date(last)
    if end < start:
        raise BadArgs(f"{token} ends before it starts. Put the earlier date first.")
    return start, end


def read_time(token: str) -> time:
    if match := TIME_PATTERN.fullmatch(token):
        return time(int(match[1]), int(match[2]))
    raise BadArgs(f"I couldn't read '{token}' as a time. Use HH:MM, like 07:45.")


def read_days(words: list[str]) -> tuple[int, ...]:
    """``weekdays``, ``daily``, or day names separated by commas (spaces tolerated)."""
    parts = [part for part in re.split(r"[,\s]+", " ".join(words).lower()) if part]
    if parts == ["weekdays"]:
        return (1, 2, 3, 4, 5)
    if parts == ["daily"]:
        return (1, 2, 3, 4, 5, 6, 7)
    days: list[int] = []
    for part in parts:
        if part not in DAY_NAMES:
            raise BadArgs(
                f"I couldn't read '{part}' as a day. Use mon, tue, wed, thu, fri, sat or sun "
                "(like mon,wed,fri), or weekdays or daily."
            )
        if (day := DAY_NAMES.index(part) + 1) in days:
            raise BadArgs(f"'{part}' is in the days twice. Name each day once.")
        days.append(day)
    return tuple(sorted(days))


def read_zone(token: str) -> str:
    """The zone's canonical key; case is forgiven because people type ``america/chicago``."""
    with suppress(ZoneInfoNotFoundError, ValueError, OSError):
        return ZoneInfo(token).key
    for key in available_timezones():
        if key.lower() == token.lower():
            return key
    raise BadArgs(f"I don't know the time zone '{token}'. Use an IANA name, like America/Chicago.")


def read_focus(words: str) -> str:
    wanted = "-".join(words.lower().split())
    matches = [area for area in FOCUS_AREAS if area == wanted] or [
        area for area in FOCUS_AREAS if area.startswith(wanted)
    ]
    if len(matches) == 1:
        return matches[0]
    choices = ", ".join(matches if matches else FOCUS_AREAS)
    raise BadArgs(f"I don't know the focus area '{words}'. You can choose: {choices}.")


def read_source(token: str) -> str:
    link = _SLACK_LINK.fullmatch(token)
    source = link[1] if link else token
    if "://" in source and not source.lower().startswith(("https://", "webcal://", "webcals://")):
        raise BadArgs(
            "I can only fetch calendars over https, like https://district.org/calendar.ics."
        )
    return source
