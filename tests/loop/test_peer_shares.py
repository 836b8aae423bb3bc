"""Peer shares (CONTRACT.md "Replies"): a cohort with a channel gets a weekly peer-share prompt
posted there; teachers' answers in its thread are public to that channel by design, stored apart
from private replies, never drafted on, never shown to a coach as a reply; private replies never
reach a channel."""

from __future__ import annotations

import itertools
from datetime import timedelta

from bot.core import cards
from bot.core.messages import Address, Inbound
from bot.core.outcome import Outcome
from conftest_loop import MONDAY_0745_NY, School
from fakes import Sent

WEDNESDAY = MONDAY_0745_NY + timedelta(days=2)
_events = itertools.count(1)


def channel_of(cohort: School) -> School:
    outcome = cohort.say("u-admin", "cohort channel fall7 #staffroom")
    assert not outcome.refused, outcome.notices
    return cohort


def posts(school: School) -> list[Sent]:
    return [s for s in school.chat.sent if s.to.conversation == "staffroom"]


def in_channel(school: School, user: str, text: str, *, thread: str | None, kind: str = "message",
               message_id: str | None = None) -> Outcome:
    """What a platform hands the core for a message in #staffroom."""
    n = next(_events)
    inbound = Inbound(kind=kind, sender=Address("playground", "demo", user=user, conversation="staffroom"),  # type: ignore[arg-type]
                      dedupe_key=f"channel-{n}", text=text, message_id=message_id or f"c{n}", in_thread_of=thread)
    return school.container.service.handle(inbound)


def shares(school: School) -> list:
    store = school.container.store
    fall7 = store.find_cohort(school.person("u-ana").workspace_id, "fall7")
    return store.peer_shares_of([p.id for p in store.peer_posts_of(fall7.id)])


def test_setting_a_channel_tells_the_admin_who_sees_what_and_is_audited(cohort: School) -> None:
    outcome = cohort.say("u-admin", "cohort channel fall7 #staffroom")
    assert "fall7 gets a peer-share prompt in #staffroom each week" in outcome.notices[0]
    assert "everyone in the channel sees those answers" in outcome.notices[0]
    ws = cohort.container.store.ensure_workspace("playground", "demo", at=cohort.clock.now())
    assert [e.action for e in cohort.container.store.audit_entries(ws.id)][-1] == "cohort channel"
    assert cohort.say("u-coach", "cohort channel fall7 #elsewhere").refused


def test_the_weekly_prompt_is_posted_in_the_channel_once_a_week(cohort: School) -> None:
    channel_of(cohort).tick(MONDAY_0745_NY)
    cohort.tick(WEDNESDAY)
    cohort.tick(MONDAY_0745_NY + timedelta(days=7))
    first, second = posts(cohort)
    assert first.to.user is None and first.message.buttons == ()
    assert "Everyone in this channel sees what you share" in first.message.text
    assert first.message.text != second.message.text
    prompt_ids = {p.prompt_id for p in cohort.container.store.peer_posts_of(1)}
    assert all(cohort.container.prompts.get(pid).kind == "peer-share" for pid in prompt_ids)


def test_an_answer_in_the_thread_is_kept_apart_and_never_drafted_on(cohort: School) -> None:
    channel_of(cohort).tick(MONDAY_0745_NY)
    [post] = posts(cohort)
    outcome = in_channel(cohort, "u-ana", "We start with a two-line warm-up on the board.", thread=post.ref.message_id)
    assert outcome.notices == ["Shared with the channel — thank you. Everyone there can see it; it isn't sent to your "
                               "coach as a private reply."]
    [share] = shares(cohort)
    assert share.text == "We start with a two-line warm-up on the board."
    store = cohort.container.store
    assert store.replies_of(cohort.person("u-ana").id) == []
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=5))
    assert not [s for s in cohort.chat.to("u-coach") if any(b.action_id == cards.APPROVE for b in s.message.buttons)]
    assert "Peer shares: 1 posted · 1 answer(s) from 1 teacher(s)" in cohort.say("u-admin", "report fall7").notices[0]


def test_the_same_message_delivered_twice_is_kept_once(cohort: School) -> None:
    channel_of(cohort).tick(MONDAY_0745_NY)
    [post] = posts(cohort)
    in_channel(cohort, "u-ana", "Exit slips, every day.", thread=post.ref.message_id, message_id="m-1")
    in_channel(cohort, "u-ana", "Exit slips, every day.", thread=post.ref.message_id, message_id="m-1")
    assert len(shares(cohort)) == 1


def test_edits_and_deletions_follow_the_share(cohort: School) -> None:
    channel_of(cohort).tick(MONDAY_0745_NY)
    [post] = posts(cohort)
    in_channel(cohort, "u-ana", "Exit slips.", thread=post.ref.message_id, message_id="m-1")
    in_channel(cohort, "u-ana", "Exit slips, daily.", thread=None, kind="edit", message_id="m-1")
    assert shares(cohort)[0].text == "Exit slips, daily."
    in_channel(cohort, "u-ben", "", thread=None, kind="delete", message_id="m-1")
    assert not shares(cohort)[0].withdrawn
    in_channel(cohort, "u-ana", "", thread=None, kind="delete", message_id="m-1")
    [share] = shares(cohort)
    assert share.withdrawn and share.text == ""


def test_other_talk_in_a_channel_is_not_kept_and_never_becomes_a_private_reply(cohort: School) -> None:
    channel_of(cohort).tick(MONDAY_0745_NY)
    [post] = posts(cohort)
    assert in_channel(cohort, "u-ana", "Anyone have spare glue sticks?", thread=None).notices == []
    assert in_channel(cohort, "u-ana", "Lunch at noon?", thread="some-other-thread").notices == []
    assert in_channel(cohort, "u-coach", "Love these!", thread=post.ref.message_id).notices == []
    assert shares(cohort) == []
    assert cohort.container.store.replies_of(cohort.person("u-ana").id) == []


def test_a_private_reply_and_its_follow_up_never_reach_the_channel(cohort: School) -> None:
    channel_of(cohort).tick(MONDAY_0745_NY)
    cohort.say("u-ana", "Honestly my opening was chaotic today.")
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [s for s in cohort.chat.to("u-coach") if any(b.action_id == cards.APPROVE for b in s.message.buttons)]
    cohort.click("u-coach", cards.APPROVE, card.message.buttons[0].value)
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert [s for s in cohort.chat.to("u-ana") if "— Coach Kim" in s.message.text]
    assert all(s.to.conversation is None for s in cohort.chat.sent if s not in posts(cohort))
    assert len(posts(cohort)) == 1 and "chaotic" not in posts(cohort)[0].message.text


def test_a_share_that_matches_the_safeguarding_rules_alerts_the_coach(cohort: School) -> None:
    channel_of(cohort).tick(MONDAY_0745_NY)
    [post] = posts(cohort)
    outcome = in_channel(cohort, "u-ana", "One of my students told me he wants to kill himself.", thread=post.ref.message_id)
    assert "Your coach has been alerted right away" in outcome.notices[0]
    cohort.tick(MONDAY_0745_NY + timedelta(minutes=1))
    assert [s for s in cohort.chat.to("u-coach") if "posted this in a peer-share thread" in s.message.text]


def test_a_cohort_change_re_plans_next_weeks_post_and_off_stops_them(cohort: School) -> None:
    channel_of(cohort).tick(MONDAY_0745_NY)
    cohort.say("u-admin", "skip fall7 2026-12-07 staff day")
    cohort.tick(MONDAY_0745_NY + timedelta(days=7))
    cohort.tick(WEDNESDAY + timedelta(days=7))
    store = cohort.container.store
    live = [p.local_date.isoformat() for p in store.peer_posts_of(1) if p.status != "cancelled"]
    assert live[:2] == ["2026-11-30", "2026-12-09"]
    assert len(posts(cohort)) == 2
    assert "no longer posts" in cohort.say("u-admin", "cohort channel fall7 off").notices[0]
    cohort.tick(MONDAY_0745_NY + timedelta(days=14))
    assert len(posts(cohort)) == 2
