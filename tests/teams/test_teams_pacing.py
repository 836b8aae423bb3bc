"""Pacing to Teams' limits: sliding windows that make a call wait until it fits, per tenant and
per conversation, so a burst goes out at the pace Teams accepts instead of meeting 429s."""

from __future__ import annotations

import asyncio
import time

from bot.adapters.teams.pacing import CONVERSATION_LIMITS, TENANT_LIMITS, Pacer, Window


def test_a_window_has_room_until_its_limit() -> None:
    window = Window(2, 1.0)
    for now in (0.0, 0.1):
        assert window.wait_for(now) == 0
        window.take(now)
    assert window.wait_for(0.5) == 0.5


def test_a_window_frees_room_as_events_age_out() -> None:
    window = Window(1, 1.0)
    window.take(0.0)
    assert window.wait_for(1.0) == 0


def test_teams_published_limits_are_the_defaults() -> None:
    assert TENANT_LIMITS == ((30, 1.0),)
    assert CONVERSATION_LIMITS == ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))


def paced(pacer: Pacer, calls: list[tuple[str, str | None]]) -> list[float]:
    async def run() -> list[float]:
        started = time.monotonic()
        stamps: list[float] = []

        async def one(tenant: str, conversation: str | None) -> None:
            await pacer.wait(tenant, conversation)
            stamps.append(time.monotonic() - started)

        await asyncio.gather(*(one(t, c) for t, c in calls))
        return sorted(stamps)

    return asyncio.run(run())


def test_a_burst_in_one_tenant_is_spread_over_windows() -> None:
    pacer = Pacer(margin=1.0, tenant_limits=((3, 0.1),), conversation_limits=())
    stamps = paced(pacer, [("t1", f"c{n}") for n in range(7)])
    assert stamps[2] < 0.05 and 0.1 <= stamps[3] < 0.15 and stamps[6] >= 0.2
    assert all(later - earlier >= 0.099 for earlier, later in zip(stamps, stamps[3:]))


def test_tenants_are_paced_apart() -> None:
    pacer = Pacer(margin=1.0, tenant_limits=((2, 0.2),), conversation_limits=())
    assert max(paced(pacer, [("t1", None), ("t1", None), ("t2", None), ("t2", None)])) < 0.05


def test_one_busy_conversation_waits_without_holding_up_the_others() -> None:
    pacer = Pacer(margin=1.0, tenant_limits=((100, 1.0),), conversation_limits=((1, 0.2),))
    stamps = paced(pacer, [("t1", "busy"), ("t1", "busy"), ("t1", "a"), ("t1", "b")])
    assert stamps[:3] == sorted(stamps[:3]) and stamps[2] < 0.05 and stamps[3] >= 0.2


def test_the_margin_widens_every_window() -> None:
    pacer = Pacer(margin=1.5, tenant_limits=((1, 0.1),), conversation_limits=())
    assert paced(pacer, [("t1", None), ("t1", None)])[1] >= 0.15


def test_a_hold_after_a_429_stops_the_tenant_for_that_long() -> None:
    pacer = Pacer(margin=1.0, tenant_limits=((100, 1.0),), conversation_limits=())
    pacer.hold("t1", 0.15)
    stamps = paced(pacer, [("t1", None), ("t2", None)])
    assert stamps[0] < 0.05 and stamps[1] >= 0.15
