"""``microcoach slack enrol --csv FILE --cohort NAME --as USER``: enrol teachers from a list of
e-mail addresses. Each address is resolved with users.lookupByEmail; the people found are added
with the core's own ``cohort add``, run as the admin named by ``--as`` (so permissions, welcomes
and the audit log are the usual ones). Addresses Slack does not know are listed back."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from dataclasses import dataclass, field
from pathlib import Path


from bot.adapters.slack.adapter import SlackAdapter, build_slack
from bot.adapters.slack.chat import PLATFORM
from bot.adapters.slack.errors import TRANSPORT_ERRORS
from bot.container import build
from bot.core.messages import Address, Inbound
from bot.intake import Intake
from bot.settings import Settings

LOOKUP_CONCURRENCY = 4


@dataclass
class EnrolReport:
    found: list[tuple[str, str]] = field(default_factory=list)
    """(e-mail, Slack user id)"""
    unknown: list[str] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)
    """What the core said about the enrolment."""


def read_emails(text: str) -> list[str]:
    """The first e-mail-looking cell of each CSV row, lower-cased, once each (headers skipped)."""
    emails = []
    for row in csv.reader(io.StringIO(text)):
        cell = next((c.strip() for c in row if "@" in c and " " not in c.strip()), None)
        if cell:
            emails.append(cell.lower())
    return list(dict.fromkeys(emails))


async def enrol_emails(adapter: SlackAdapter, team: str, cohort: str, acting_user: str, emails: list[str]) -> EnrolReport:
    report = EnrolReport()
    token = await adapter.chat.token_for(team)
    limit = asyncio.Semaphore(LOOKUP_CONCURRENCY)

    async def lookup(email: str) -> tuple[str, str | None]:
        async with limit:
            try:
                found = await adapter.chat.client.users_lookupByEmail(token=token, email=email)
            except TRANSPORT_ERRORS:
                return email, None
            return email, str((found.get("user") or {}).get("id") or "") or None

    for email, user in await asyncio.gather(*(lookup(e) for e in emails)):
        if user:
            report.found.append((email, user))
        else:
            report.unknown.append(email)
    if report.found:
        people = adapter.listeners.people
        users = tuple(user for _, user in report.found)
        await people.register(team, users)
        profile = await people.profile(team, acting_user)
        command = f"cohort add {cohort} " + " ".join(f"<@{user}>" for user in users)
        outcome = await adapter.listeners.handle(Inbound(
            kind="command", sender=Address(PLATFORM, team, user=acting_user), dedupe_key=f"csv:{uuid.uuid4().hex}",
            text=command, platform_admin=bool(profile and profile.admin)))
        report.answer = outcome.notices
    return report


def run_enrol(settings: Settings, csv_path: Path, cohort: str, acting_user: str, team: str | None) -> int:
    """The CLI command: prints what happened; exit 1 when nobody could be enrolled."""
    if team is None and settings.slack_client_id:
        print("With many workspaces (SLACK_CLIENT_ID), say which one: --team T0123")
        return 2
    container = build(settings)

    async def main() -> EnrolReport:
        adapter = build_slack(container, Intake(container.service, None))
        workspace = team or str((await adapter.chat.client.auth_test())["team_id"])
        try:
            return await enrol_emails(adapter, workspace, cohort, acting_user, read_emails(csv_path.read_text()))
        finally:
            await adapter.stop()

    try:
        report = asyncio.run(main())
    finally:
        container.close()
    for line in report.answer:
        print(line)
    if report.unknown:
        print("Slack has no one with these addresses: " + ", ".join(report.unknown))
    return 0 if report.found else 1
