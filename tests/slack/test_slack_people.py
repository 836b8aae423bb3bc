"""People in Slack: zones and names from users.info (cached), ``user_change`` re-planning, and
channels and user groups expanded into their members for ``cohort add``."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fake_slack import FakeSlack
from slack_world import SlackWorld
import slack_payloads as p


def planned_slots(world: SlackWorld, user: str) -> list:
    person = world.person(user)
    enrollments = world.container.store.enrollments_of_teacher(person.id)
    deliveries = world.container.store.deliveries_of([e.id for e in enrollments])
    return sorted(d.slot_utc for d in deliveries if d.status == "planned")


def test_users_info_is_asked_once_per_person(world: SlackWorld, fake: FakeSlack) -> None:
    world.answer("UBEN", "help")
    world.answer("UBEN", "help")
    assert len([c for c in fake.called("users.info") if c.params.get("user") == "UBEN"]) == 1


def test_a_new_zone_in_user_change_re_plans_the_teachers_slots(world: SlackWorld, fake: FakeSlack) -> None:
    wednesday_0745_new_york = datetime(2026, 11, 25, 12, 45, tzinfo=timezone.utc)
    world.set_up_cohort()
    world.tick()
    assert wednesday_0745_new_york in planned_slots(world, "UANA")
    fake.add_user("UANA", "Ana Lopez", tz="America/Los_Angeles")
    reply = world.client.event(p.envelope({"type": "user_change", "user": fake.users["UANA"]}))
    assert reply.status == 200
    assert world.person("UANA").tz == "America/Los_Angeles"
    world.tick()
    after = planned_slots(world, "UANA")
    assert wednesday_0745_new_york + timedelta(hours=3) in after and wednesday_0745_new_york not in after


def test_user_change_for_someone_unknown_stores_nothing(world: SlackWorld, fake: FakeSlack) -> None:
    fake.add_user("UNEW", "New Person")
    world.client.event(p.envelope({"type": "user_change", "user": fake.users["UNEW"]}))
    assert world.person("UNEW") is None


def test_cohort_add_a_channel_enrols_its_people_but_not_bots(world: SlackWorld, fake: FakeSlack) -> None:
    fake.add_user("UROBOT", "Some Bot")
    fake.users["UROBOT"]["is_bot"] = True
    fake.channel_members["C5"] = ["UANA", "UBEN", "UBOT", "UROBOT"]
    world.answer("UADMIN", "cohort create fall7")
    text = world.answer("UADMIN", "cohort add fall7 <#C5|grade-5>")
    assert "Ana Lopez" in text and "Ben Carter" in text
    assert world.person("UROBOT") is None and world.person("UBOT") is None


def test_cohort_add_a_user_group_enrols_its_members(world: SlackWorld, fake: FakeSlack) -> None:
    fake.usergroups["S9"] = ["UANA"]
    world.answer("UADMIN", "cohort create fall7")
    fake.add_user("UANA", "Ana Lopez", tz="America/Denver")
    text = world.answer("UADMIN", "cohort add fall7 <!subteam^S9|grade5-team>")
    assert "Ana Lopez" in text
    world.settle()
    assert world.person("UANA").tz == "America/Denver"


def test_a_channel_the_bot_cannot_read_is_listed_back(world: SlackWorld) -> None:
    world.answer("UADMIN", "cohort create fall7")
    text = world.answer("UADMIN", "cohort add fall7 <#CSECRET|private>")
    assert "private" in text or "CSECRET" in text


def test_a_big_channel_is_answered_in_time_and_zones_follow_after(world: SlackWorld, fake: FakeSlack) -> None:
    fake.channel_members["C5"] = ["UANA", "UBEN"]
    world.answer("UADMIN", "cohort create fall7")
    world.adapter.listeners.people.inline_budget = 0.05
    fake.slow["users.info"] = 0.5
    reply = world.command("UADMIN", "cohort add fall7 <#C5|grade-5>")
    assert reply.status == 200 and "Added to fall7" in reply.json()["text"]
    world.settle()
    assert world.person("UBEN").tz == "America/Chicago" and world.person("UBEN").display_name == "Ben Carter"
