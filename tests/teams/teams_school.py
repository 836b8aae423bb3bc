"""The school every loop test starts from: the app in the Grade 5 team, an admin and a coach
who have it, two teachers on the roster, and a cohort the admin set up by message."""

from __future__ import annotations

from datetime import datetime, timezone

from teams_people import ADMIN, ANA, BEN, COACH
from fake_connector import Request
from teams_activities import member
from teams_harness import TeamsWorld

MONDAY_0745_NY = datetime(2026, 11, 30, 12, 45, tzinfo=timezone.utc)
TEAM = "19:grade5@thread.tacv2"


def set_up_school(world: TeamsWorld) -> TeamsWorld:
    """Installed in the Grade 5 team; Dana (admin) and Coach Kim have the app; Ana and Ben are
    on the team's roster. Dana sets up a cohort by message."""
    tenant, bot = world.tenant, world.bot
    world.connector.rosters[TEAM] = [member(ANA, "Ana Lopez", "ana@maple.org"), member(BEN, "Ben Carter", "ben@maple.org"),
                                     member(COACH, "Kim Lee", "kim@maple.org")]
    assert bot.post(tenant.team_install(TEAM, "Grade 5", ADMIN, "Dana")).status == 200
    for user, name in ((ADMIN, "Dana"), (COACH, "Kim Lee")):
        assert bot.post(tenant.personal_install(user, name)).status == 200
    for line in ("cohort create fall7 America/New_York", "cohort coach fall7 <at>Kim Lee</at>",
                 "cadence set fall7 mon,wed 07:45"):
        assert bot.post(tenant.message(ADMIN, "Dana", line, mentions=(("Kim Lee", COACH),))).status == 200
    assert "Kim Lee" in said_to(world, ADMIN)[1]
    return world


def said_to(world: TeamsWorld, user: str) -> list[str]:
    """What was posted in someone's 1:1 chat, as they read it."""
    return [r.text for r in world.connector.posts(f"a:chat-{user}")]


def cards_with(world: TeamsWorld, user: str, verb: str) -> list[Request]:
    """The cards posted in someone's chat that offer ``verb``."""
    return [r for r in world.connector.posts(f"a:chat-{user}")
            if r.cards and verb in [a["verb"] for a in r.cards[0].get("actions", ())]]
