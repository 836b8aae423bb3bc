"""`skip import` end to end: a district calendar (a file, and an https link served locally) becomes
skip days, and no prompt goes out on them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from conftest_loop import MONDAY_0745_NY, School

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ics"
DAY_OFF = b"""BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//MicroCoach tests//EN
BEGIN:VEVENT
UID:pd-day@district.example
DTSTAMP:20261101T000000Z
DTSTART;VALUE=DATE:20261130
DTEND;VALUE=DATE:20261201
SUMMARY:PD day - no students
END:VEVENT
END:VCALENDAR
"""


def test_importing_a_calendar_file_skips_its_days(cohort: School, tmp_path: Path) -> None:
    cohort.tick(MONDAY_0745_NY - timedelta(hours=2))  # plans Monday's slots first
    calendar = tmp_path / "district.ics"
    calendar.write_bytes(DAY_OFF)
    outcome = cohort.say("u-admin", f"skip import fall7 {calendar}")
    assert not outcome.refused, outcome.notices
    assert "Nov 30 PD day - no students" in outcome.notices[0]
    assert cohort.tick(MONDAY_0745_NY).sent == 0
    assert cohort.tick(MONDAY_0745_NY + timedelta(days=2)).sent == 1


def test_a_file_that_is_not_a_calendar_is_refused_and_changes_nothing(cohort: School, tmp_path: Path) -> None:
    bad = tmp_path / "notes.ics"
    bad.write_text("just some notes")
    outcome = cohort.say("u-admin", f"skip import fall7 {bad}")
    assert outcome.refused and "iCalendar" in outcome.notices[0]
    cohort_row = cohort.container.store.find_cohort(cohort.person("u-admin").workspace_id, "fall7")
    assert cohort.container.store.skips_of(cohort_row.id) == []


def test_an_http_link_is_refused(cohort: School) -> None:
    outcome = cohort.say("u-admin", "skip import fall7 http://district.example/cal.ics", kind="command")
    assert outcome.refused and "https" in outcome.notices[0]


def test_only_admins_import_calendars(cohort: School, tmp_path: Path) -> None:
    calendar = tmp_path / "district.ics"
    calendar.write_bytes(DAY_OFF)
    outcome = cohort.say("u-coach", f"skip import fall7 {calendar}", kind="command")
    assert outcome.refused and "Only admins" in outcome.notices[0]
