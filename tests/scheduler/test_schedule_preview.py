"""`microcoach schedule preview <cohort> [--days 7]`: what will be sent, to whom, at what local
and UTC time, and what is skipped and why; it changes nothing."""

from __future__ import annotations

import argparse
from datetime import date, time

import pytest

from bot.schedule_preview import cmd_schedule_preview, render
from conftest_loop import School
from engine_support import deliveries
from scheduler.preview import PreviewLine, preview

MON, WED = date(2026, 11, 23), date(2026, 11, 25)


def lines_of(school: School, days: int = 7) -> list[PreviewLine]:
    c = school.container
    fall7 = c.store.find_cohort(school.person("u-ana").workspace_id, "fall7")
    return preview(c.store, c.worker.planner.selector, fall7, c.clock.now(), days)


def summary(lines: list[PreviewLine]) -> list[tuple[date, str, str]]:
    return [(line.local_date, line.teacher, line.what) for line in lines]


def test_the_preview_lists_each_teachers_cadence_days_with_what_happens(cohort: School) -> None:
    cohort.tick()
    assert summary(lines_of(cohort)) == [
        (MON, "Ana Lopez", "passed"), (MON, "Ben Carter", "sent"),
        (WED, "Ana Lopez", "send"), (WED, "Ben Carter", "send"),
    ]


def test_each_send_shows_the_prompt_and_its_local_and_utc_time(cohort: School) -> None:
    cohort.tick()
    ana, ben = [line for line in lines_of(cohort) if line.local_date == WED]
    planned = {d.local_date: d for d in deliveries(cohort, "u-ana")}[WED]
    prompt = cohort.container.prompts.get(planned.prompt_id)
    assert ana.detail == f"“{prompt.title}” ({prompt.id})"
    assert (ana.local_time, ana.tz, ana.utc.time()) == (time(7, 45), "America/New_York", time(12, 45))
    assert (ben.local_time, ben.tz, ben.utc.time()) == (time(7, 45), "America/Chicago", time(13, 45))


def test_skipped_days_say_why(cohort: School) -> None:
    cohort.say("u-admin", "skip fall7 2026-11-25 Thanksgiving break")
    cohort.say("u-ben", "pause me until 2026-11-24")
    skipped = {(line.local_date, line.teacher): line.detail for line in lines_of(cohort) if line.what == "skip"}
    assert skipped == {(WED, "Ana Lopez"): "skip day: Thanksgiving break", (WED, "Ben Carter"): "skip day: Thanksgiving break",
                       (MON, "Ben Carter"): "paused until 2026-11-24"}


def test_a_teacher_whose_other_cohort_comes_first_is_shown_skipped(cohort: School) -> None:
    for line in ("cohort create older America/New_York", "cadence set older wed 07:00"):
        cohort.say("u-admin", line)
    store = cohort.container.store
    older = store.find_cohort(cohort.person("u-ana").workspace_id, "older")
    store.enroll(older.id, cohort.person("u-ben").id, at=cohort.clock.now().replace(year=2025))
    [wednesday] = [line for line in lines_of(cohort) if (line.local_date, line.teacher) == (WED, "Ben Carter")]
    assert (wednesday.what, wednesday.detail) == ("skip", "one prompt a day: older comes first")


def test_the_preview_changes_nothing(cohort: School) -> None:
    before = deliveries(cohort, "u-ana")
    lines_of(cohort, days=14)
    assert deliveries(cohort, "u-ana") == before == []


def test_the_rendered_preview_reads_as_a_table(cohort: School) -> None:
    cohort.tick()
    c = cohort.container
    fall7 = c.store.find_cohort(cohort.person("u-ana").workspace_id, "fall7")
    text = render(fall7, "playground:demo", lines_of(cohort), c.clock.now(), 7)
    assert text.splitlines()[0] == ("fall7 in playground:demo — America/New_York, Mon, Wed at 07:45; "
                                    "the next 7 day(s) from 2026-11-23 15:00 UTC")
    assert "Wed 2026-11-25  Ben Carter  07:45 America/Chicago = 13:45 UTC  send: “" in text
    assert text.splitlines()[-1] == "2 to send, 0 skipped."


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_command_previews_a_cohort_by_name(cohort: School, capsys: pytest.CaptureFixture[str]) -> None:
    cohort.say("u-admin", "cadence set fall7 daily 07:45")
    code = cmd_schedule_preview(argparse.Namespace(cohort="FALL7", days=3), cohort.container.settings)
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("fall7 in playground:demo — America/New_York, Mon, Tue, Wed, Thu, Fri, Sat, Sun at 07:45")
    assert "Ana Lopez" in out and "Ben Carter" in out


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_an_unknown_cohort_is_named_back(school: School, capsys: pytest.CaptureFixture[str]) -> None:
    assert cmd_schedule_preview(argparse.Namespace(cohort="nope", days=7), school.container.settings) == 1
    assert capsys.readouterr().err == "There's no cohort called nope.\n"
