"""Peer shares: each cohort with a channel gets one peer-share prompt a week, posted there on
the first cadence day of the week that is not skipped, at the cohort's time in the cohort's
zone. Planning is idempotent (one live post per cohort and week); the outbox sends it."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.core.model import Cohort, SkipDay
from bot.core.store import Store
from scheduler.cadence import SkipRange, TeacherSchedule, parse_days, slots_between
from scheduler.selector import LibrarySelector


def cohort_schedule(cohort: Cohort, skips: list[SkipDay]) -> TeacherSchedule | None:
    """The cohort's own cadence (its zone and time, its term, skip days and pause); None while it
    has no cadence."""
    days = parse_days(cohort.days)
    if not days or cohort.send_time is None:
        return None
    return TeacherSchedule(
        tz=cohort.tz, days=days, send_time=cohort.send_time, term_start=cohort.term_start, term_end=cohort.term_end,
        skips=tuple(SkipRange(s.start, s.end, s.reason) for s in skips), cohort_paused=cohort.paused,
        cohort_paused_until=cohort.paused_until,
    )


def week_of(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def plan_channel_posts(store: Store, selector: LibrarySelector, start: datetime, end: datetime, now: datetime) -> int:
    """Plan the weekly posts due in ``[start, end)`` that no live post covers yet; returns how many."""
    added = 0
    for cohort in store.cohorts_with_channel():
        schedule = cohort_schedule(cohort, store.skips_of(cohort.id))
        if schedule is None or not cohort.channel:
            continue
        posts = store.peer_posts_of(cohort.id)
        weeks = {post.week for post in posts if post.status != "cancelled"}
        for slot in slots_between(schedule, start, end):
            week = week_of(slot.local_date)
            if week in weeks:
                continue
            choice = selector.choose_share(cohort, posts, slot.local_date)
            if choice.prompt is None:
                continue
            post = store.plan_peer_post(
                {"cohort_id": cohort.id, "workspace_id": cohort.workspace_id, "week": week,
                 "local_date": slot.local_date, "slot_utc": slot.slot_utc, "prompt_id": choice.prompt.id,
                 "channel": cohort.channel},
                at=now,
            )
            if post is not None:
                posts.append(post)
                weeks.add(week)
                added += 1
    return added

