"""With OPENAI_BASE_URL set, the composition root drafts with the model: the whole loop runs
through the playground's core with the real openai client against a local fake server, and the
card says the AI wrote the draft."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from bot.clock import FixedClock
from bot.container import build
from bot.core import cards
from bot.settings import load_settings
from conftest_loop import MONDAY_0745_NY, School
from fake_openai import answer, fake_openai
from fakes import RecordingChat


def test_a_configured_model_drafts_and_the_coach_approves(sqlite_url: str) -> None:
    with fake_openai() as fake:
        fake.default = answer("Thank you for noticing that. What will you try with the next question?")
        clock = FixedClock(datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc))
        chat = RecordingChat()
        settings = load_settings(DATABASE_URL=sqlite_url, OPENAI_BASE_URL=fake.url, MICROCOACH_LLM_MODEL="tiny",
                                 MICROCOACH_ADMINS="playground:u-admin")
        container = build(settings, clock=clock, chats={"playground": chat})
        school = School(container, chat, clock, itertools.count(1))
        ws = container.store.ensure_workspace("playground", "demo", "Maple Grove", at=clock.now())
        for user, name in (("u-admin", "Dana"), ("u-coach", "Coach Kim"), ("u-ana", "Ana Lopez")):
            container.store.ensure_person(ws.id, user, display_name=name, tz="America/New_York", at=clock.now())
        for line in ("cohort create fall7 America/New_York", "cohort coach fall7 @u-coach",
                     "cadence set fall7 mon 07:45", "cohort add fall7 @u-ana"):
            assert not school.say("u-admin", line).refused
        school.tick(MONDAY_0745_NY)
        ack = school.say("u-ana", "Two quiet students in Maple Grove's back row answered after I waited.")
        assert "An AI helps draft" in ack.notices[0]
        school.tick(MONDAY_0745_NY + timedelta(minutes=1))
        [card] = [s for s in chat.to("u-coach") if any(b.action_id == cards.APPROVE for b in s.message.buttons)]
        assert any("Drafted by AI (tiny)" in value for section in card.message.sections for _, value in section.facts)
        assert fake.requests and not any("Maple Grove" in text or "Ana" in text for text in fake.contents())
        school.click("u-coach", cards.APPROVE, card.message.buttons[0].value)
        school.tick(MONDAY_0745_NY + timedelta(minutes=2))
        assert any("What will you try" in s.message.text for s in chat.to("u-ana"))
        assert container.store.llm_cost_of_month(ws.id, "2026-11") > 0
        container.close()
