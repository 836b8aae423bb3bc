"""Peer shares end to end in a real browser: an admin gives a cohort a channel, `microcoach tick
--at` posts the weekly peer-share prompt there, a teacher answers in its thread from the
playground's channel view, and a colleague sees the answer (but not the note meant for its
author)."""

from __future__ import annotations

from datetime import datetime

from test_playground_loop import be, cli, expect_text, next_monday_0745, page, server, type_message  # noqa: F401


def test_a_teacher_answers_the_weekly_share_in_the_channel_and_a_colleague_sees_it(page, server) -> None:  # noqa: ANN001, F811
    _, cwd = server
    slot = next_monday_0745(datetime.now().astimezone())

    be(page, "u-admin")
    for line, answer in (("cohort create fall7 America/New_York", "Created cohort fall7"),
                         ("cohort coach fall7 @u-coach", "Coach Kim now coaches fall7"),
                         ("cadence set fall7 mon,wed 07:45", "prompts on Mon, Wed at 07:45"),
                         ("cohort add fall7 @u-ana @u-ben", "Added to fall7"),
                         ("cohort channel fall7 #staffroom", "fall7 gets a peer-share prompt in #staffroom")):
        type_message(page, line)
        expect_text(page, answer)

    cli(cwd, "tick", "--at", slot.isoformat())

    be(page, "u-ana")
    page.get_by_test_id("where-picker").select_option("staffroom")
    expect_text(page, "This week's peer share")
    page.get_by_test_id("open-thread-reply").first.click()
    page.get_by_test_id("thread-reply-text").first.fill("We start with a riddle on the board.")
    page.get_by_test_id("thread-reply-send").first.click()
    expect_text(page, "Everyone there can see it")

    be(page, "u-ben")
    expect_text(page, "We start with a riddle on the board.")
    expect_text(page, "Ana Lopez")
    assert page.get_by_test_id("conversation").get_by_text("Everyone there can see it").count() == 0
