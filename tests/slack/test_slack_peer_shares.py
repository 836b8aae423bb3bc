"""Peer shares through Slack over real HTTP: ``/coach cohort channel`` names a channel, the weekly
peer-share prompt is posted there, and teachers' replies in its thread (``message.channels``
events) are kept apart from private replies: acknowledged privately, never drafted on. Private
follow-ups still go only to the teacher's DM."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import slack_payloads as p
from bot.adapters.slack.manifest import BOT_EVENTS, BOT_SCOPES
from fake_slack import FakeSlack
from slack_harness import wait_for
from slack_world import SlackWorld

MONDAY_0745_NY = datetime(2026, 11, 30, 12, 45, tzinfo=timezone.utc)
CHANNEL = "CSTAFF"


def in_channel(user: str, text: str, *, thread_ts: str | None, channel_type: str = "channel") -> dict[str, Any]:
    event = {"type": "message", "channel": CHANNEL, "user": user, "text": text, "channel_type": channel_type,
             "ts": f"1700009000.{p.next_id():06d}", "event_ts": "1700009000.000000"}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def posted(world: SlackWorld) -> dict[str, Any]:
    world.command("UADMIN", f"cohort channel fall7 <#{CHANNEL}|staffroom>")
    world.tick(MONDAY_0745_NY)
    [post] = world.fake.posted(CHANNEL)
    return post


def shares(world: SlackWorld) -> list:
    store = world.container.store
    fall7 = store.find_cohort(world.person("UANA").workspace_id, "fall7")
    return store.peer_shares_of([post.id for post in store.peer_posts_of(fall7.id)])


def test_the_weekly_peer_share_prompt_is_posted_in_the_cohorts_channel(world_on: SlackWorld) -> None:
    world_on.set_up_cohort()
    answer = world_on.answer("UADMIN", f"cohort channel fall7 <#{CHANNEL}|staffroom>")
    assert "#staffroom each week" in answer
    world_on.tick(MONDAY_0745_NY)
    [post] = world_on.fake.posted(CHANNEL)
    assert "This week's peer share" in post["text"] and post["thread_ts"] is None
    assert "Everyone in this channel sees what you share" in str(post["blocks"])
    assert not any(b["type"] == "actions" for b in post["blocks"])


def test_a_reply_in_its_thread_is_kept_apart_acknowledged_privately_and_never_drafted(
        world_on: SlackWorld, fake: FakeSlack) -> None:
    world = world_on
    world.set_up_cohort()
    post = posted(world)
    assert world.event(p.envelope(in_channel("UANA", "We open with a riddle &amp; a timer.", thread_ts=post["ts"])))\
        .status == 200
    [share] = shares(world)
    assert share.text == "We open with a riddle & a timer."
    ack = wait_for(lambda: [e for e in fake.ephemeral if e["user"] == "UANA" and e["channel"] == CHANNEL])[0]
    assert ack["thread_ts"] == post["ts"] and "Everyone there can see it" in ack["text"]
    assert world.container.store.replies_of(world.person("UANA").id) == []
    world.tick(MONDAY_0745_NY + timedelta(minutes=5))
    assert not [m for m in world.dms("UCOACH") if "replied" in m["text"]]


def test_top_level_channel_messages_never_reach_the_core(world: SlackWorld) -> None:
    world.set_up_cohort()
    posted(world)
    world.event(p.envelope(in_channel("UANA", "Who has the projector key?", thread_ts=None)))
    world.event(p.envelope(in_channel("UANA", "Lunch?", thread_ts="1699999999.000001", channel_type="group")))
    assert shares(world) == [] and world.container.store.replies_of(world.person("UANA").id) == []


def test_deleting_a_share_in_slack_withdraws_it(world: SlackWorld) -> None:
    world.set_up_cohort()
    post = posted(world)
    event = in_channel("UANA", "Exit slips daily.", thread_ts=post["ts"])
    world.event(p.envelope(event))
    deleted = {"type": "message", "subtype": "message_deleted", "channel": CHANNEL, "channel_type": "channel",
               "hidden": True, "ts": f"1700009500.{p.next_id():06d}", "deleted_ts": event["ts"],
               "previous_message": {"type": "message", "user": "UANA", "text": "Exit slips daily.", "ts": event["ts"],
                                    "thread_ts": post["ts"]}}
    world.event(p.envelope(deleted))
    [share] = shares(world)
    assert share.withdrawn and share.text == ""


def test_a_private_reply_gets_its_follow_up_in_the_dm_never_the_channel(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    posted(world)
    [prompt] = [m for m in world.dms("UANA") if (m.get("metadata") or {}).get("event_type") == "microcoach_delivery"]
    world.dm("UANA", "It was a rough morning, honestly.", thread_ts=prompt["ts"])
    world.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [m for m in world.dms("UCOACH") if "replied" in m["text"]]
    world.click("UCOACH", card, "Approve & send", channel="DUCOACH")
    world.settle()
    world.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert [m for m in world.dms("UANA") if "— Coach Kim" in m["text"]]
    assert len(fake.posted(CHANNEL)) == 1 and "rough morning" not in str(fake.posted(CHANNEL))


def test_the_manifest_asks_for_the_channel_history_it_reads() -> None:
    assert {"channels:history", "groups:history"} <= set(BOT_SCOPES)
    assert {"message.channels", "message.groups"} <= set(BOT_EVENTS)
