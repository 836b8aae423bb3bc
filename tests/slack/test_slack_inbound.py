"""Slack payloads → Inbound: pure translations, no I/O."""

from __future__ import annotations

import pytest

from bot.adapters.slack.inbound import (
    Profile,
    from_message_event,
    mentioned_users,
    named_groups,
    plain_text,
    view_inputs,
)
import slack_payloads as p


@pytest.mark.parametrize(("slack", "plain"), [
    ("5 &lt; 7 &amp;&amp; 9 &gt; 2", "5 < 7 && 9 > 2"),
    ("see <https://example.org/a?b=1&amp;c=2|the article>", "see the article (https://example.org/a?b=1&c=2)"),
    ("<https://example.org>", "https://example.org"),
    ("thanks <@U123|ana> and <@U456>", "thanks @ana and @U456"),
    ("in <#C9|grade-5>", "in #grade-5"),
    ("&amp;copy; stays as typed", "&copy; stays as typed"),
])
def test_plain_text_is_what_the_person_saw(slack: str, plain: str) -> None:
    assert plain_text(slack) == plain


def test_a_thread_reply_names_the_prompt_it_answers() -> None:
    inbound = from_message_event(p.dm("UANA", "yes", ts="2.0", thread_ts="1.0"), "T1", "Ev1", Profile(tz="America/Chicago"))
    assert (inbound.kind, inbound.message_id, inbound.in_thread_of, inbound.timezone) == ("message", "2.0", "1.0",
                                                                                         "America/Chicago")


def test_a_thread_parent_is_not_in_a_thread_of_itself() -> None:
    inbound = from_message_event(p.dm("UANA", "root", ts="1.0", thread_ts="1.0"), "T1", "Ev1", None)
    assert inbound.in_thread_of is None


def test_an_edit_and_a_deletion_name_the_original_message() -> None:
    edit = from_message_event(p.dm_edited("UANA", "1.0", "new words"), "T1", "Ev2", None)
    gone = from_message_event(p.dm_deleted("UANA", "1.0"), "T1", "Ev3", None)
    assert (edit.kind, edit.message_id, edit.text, edit.sender.user) == ("edit", "1.0", "new words", "UANA")
    assert (gone.kind, gone.message_id, gone.sender.user) == ("delete", "1.0", "UANA")


@pytest.mark.parametrize("event", [
    p.bot_echo("UANA", "a prompt"),
    {**p.dm("UANA", "x"), "subtype": "channel_join"},
    {**p.dm("UANA", "x"), "channel_type": "channel"},
    {**p.dm_edited("UANA", "1.0", "x"), "message": {"bot_id": "B1", "text": "x", "ts": "1.0"}},
])
def test_what_the_core_should_not_see_is_dropped(event: dict) -> None:
    assert from_message_event(event, "T1", "Ev4", None) is None


def test_people_and_groups_named_in_a_command() -> None:
    text = "cohort add fall7 <@UANA|ana> <#C5|grade-5> <!subteam^S9|team> <@UANA>"
    assert mentioned_users(text) == ("UANA",)
    assert named_groups(text) == (("channel", "C5"), ("usergroup", "S9"))


def test_a_modals_fields_are_read_by_input_id() -> None:
    submitted = p.view_submission("UANA", {"private_metadata": ""}, {"reflection": "It went well."})
    assert view_inputs(submitted["view"]) == (("reflection", "It went well."),)
