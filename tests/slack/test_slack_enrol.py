"""Enrolment from a CSV of e-mail addresses, resolved with users.lookupByEmail."""

from __future__ import annotations

from bot.adapters.slack.enrol import enrol_emails, read_emails
from fake_slack import FakeSlack
from slack_world import SlackWorld

ROSTER = """name,email
Ana Lopez,ana@school.org
Ben Carter,BEN@school.org
Nobody Here,nobody@school.org
Ana again,ana@school.org
"""


def test_the_first_address_of_each_row_is_read_once() -> None:
    assert read_emails(ROSTER) == ["ana@school.org", "ben@school.org", "nobody@school.org"]


def test_people_slack_knows_are_enrolled_and_the_rest_listed_back(world: SlackWorld, fake: FakeSlack) -> None:
    world.answer("UADMIN", "cohort create fall7")
    report = world.loop.run(enrol_emails(world.adapter, "T1", "fall7", "UADMIN", read_emails(ROSTER)))
    assert report.found == [("ana@school.org", "UANA"), ("ben@school.org", "UBEN")]
    assert report.unknown == ["nobody@school.org"]
    assert "Ana Lopez" in report.answer[0] and "Ben Carter" in report.answer[0]
    assert world.person("UBEN").tz == "America/Chicago"


def test_only_an_admin_may_enrol(world: SlackWorld) -> None:
    world.answer("UADMIN", "cohort create fall7")
    report = world.loop.run(enrol_emails(world.adapter, "T1", "fall7", "UANA", ["ben@school.org"]))
    workspace = world.container.store.ensure_workspace("slack", "T1", at=world.clock.now())
    cohort = world.container.store.find_cohort(workspace.id, "fall7")
    assert report.answer and not world.container.store.enrollments_of_cohort(cohort.id)
