"""The App Home tab: what a teacher and a coach see, and its buttons running their own commands."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from bot.adapters.slack.home import HomeFacts, home_view, weeks_in_a_row
from fake_slack import FakeSlack
from slack_world import SlackWorld
import slack_payloads as p

MONDAY_0745_NY = datetime(2026, 11, 30, 12, 45, tzinfo=timezone.utc)


def published(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    return [v["view"] for v in fake.views if v["method"] == "views.publish" and v["user_id"] == user]


def open_home(world: SlackWorld, user: str) -> dict[str, Any]:
    world.client.event(p.envelope({"type": "app_home_opened", "user": user, "channel": f"D{user}", "tab": "home"}))
    world.settle()
    return published(world.fake, user)[-1]


def test_a_teachers_home_shows_focus_next_prompt_and_streak(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    world.tick()
    home = str(open_home(world, "UANA"))
    assert "Your focus" in home and "Next prompt" in home and "Wed Nov 25 at 07:45" in home
    assert "Pause my prompts" in home


def test_pause_on_home_pauses_and_the_tab_says_so(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    home = open_home(world, "UANA")
    [pause] = [e for b in home["blocks"] if b["type"] == "actions" for e in b["elements"] if e["value"] == "pause me"]
    payload = p.block_action("UANA", pause["action_id"], pause["value"], channel="", ts="", response_url="")
    payload["container"] = {"type": "view", "view_id": "V1"}
    assert world.client.interaction(payload).status == 200
    world.settle()
    after = str(published(fake, "UANA")[-1])
    assert "Resume my prompts" in after
    assert all(e.paused for e in world.container.store.enrollments_of_teacher(world.person("UANA").id))


def test_the_home_tab_is_refreshed_after_a_reply(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    world.tick(MONDAY_0745_NY)
    world.dm("UANA", "The think time helped.")
    world.settle()
    assert "1 week in a row" in str(published(fake, "UANA")[-1])


def test_a_coachs_home_counts_the_drafts_waiting(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    world.tick(MONDAY_0745_NY)
    world.dm("UANA", "We tried it in second period.")
    world.tick(MONDAY_0745_NY + timedelta(minutes=1))
    assert "Drafts waiting for you:* 1" in str(open_home(world, "UCOACH"))


def test_someone_not_enrolled_is_told_how_they_will_be() -> None:
    assert "not in a coaching cohort yet" in str(home_view(HomeFacts()))


def test_a_streak_counts_weeks_in_a_row_up_to_last_week() -> None:
    monday = date(2026, 11, 30)
    assert weeks_in_a_row({monday - timedelta(days=7), monday - timedelta(days=14)}, monday) == 2
    assert weeks_in_a_row({monday, monday - timedelta(days=14)}, monday) == 1
    assert weeks_in_a_row(set(), monday) == 0


def test_a_burst_of_replies_refreshes_the_home_tab_once(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    world.adapter.listeners.home.refresh_delay = 0.3
    for text in ("First thought.", "Second thought.", "Third thought."):
        world.dm("UANA", text, settle=False)
    world.settle()
    assert len(published(fake, "UANA")) == 1
