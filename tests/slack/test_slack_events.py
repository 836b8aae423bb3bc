"""``POST /slack/events`` over real HTTP in single-workspace mode: signed slash commands, DM
events, edits and deletions, the bot's own echoes, retries, and what the person sees."""

from __future__ import annotations

from fake_slack import FakeSlack
from slack_harness import wait_for
from slack_world import SlackWorld
import slack_payloads as p


def test_a_slash_command_runs_in_the_core_and_answers_ephemerally(world: SlackWorld) -> None:
    reply = world.command("UADMIN", "cohort create fall7 America/New_York")
    assert reply.status == 200
    body = reply.json()
    assert body["response_type"] == "ephemeral" and "fall7" in body["text"]
    workspace = world.container.store.ensure_workspace("slack", "T1", at=world.clock.now())
    assert world.container.store.find_cohort(workspace.id, "fall7") is not None


def test_a_command_the_grammar_cannot_read_says_how_to_write_it(world: SlackWorld) -> None:
    text = world.answer("UADMIN", "cadence set")
    assert "Usage" in text


def test_the_senders_name_and_zone_come_from_users_info(world: SlackWorld) -> None:
    world.answer("UBEN", "help")
    ben = world.person("UBEN")
    assert (ben.display_name, ben.tz) == ("Ben Carter", "America/Chicago")


def test_a_workspace_admin_in_slack_is_an_admin_here(world: SlackWorld, fake: FakeSlack) -> None:
    fake.add_user("UOWNER", "Olive Owner", is_admin=True)
    assert "fall7" in world.answer("UOWNER", "cohort create fall7")


def test_people_mentioned_in_a_command_are_made_known_with_their_profiles(world: SlackWorld) -> None:
    world.answer("UADMIN", "cohort create fall7")
    text = world.answer("UADMIN", "cohort add fall7 <@UANA|ana> <@UBEN>")
    assert "Ana Lopez" in text and "Ben Carter" in text
    assert world.person("UBEN").tz == "America/Chicago"


def test_someone_slack_does_not_know_is_listed_back(world: SlackWorld) -> None:
    world.answer("UADMIN", "cohort create fall7")
    text = world.answer("UADMIN", "cohort add fall7 <@UNOBODY>")
    assert "UNOBODY" in text and world.person("UNOBODY") is None


def test_a_dm_with_no_open_prompt_is_kept_as_a_note_and_acknowledged_ephemerally(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    reply = world.dm("UANA", "Can we talk about 4th period?")
    assert reply.status == 200
    note = wait_for(lambda: fake.ephemeral)[0]
    assert note["user"] == "UANA" and note["channel"] == "DUANA" and "note" in note["text"]


def test_a_retried_event_changes_nothing_the_second_time(world: SlackWorld, fake: FakeSlack) -> None:
    world.set_up_cohort()
    first = world.dm("UANA", "A thought about today.", event_id="EvSAME")
    again = world.client.event(p.envelope(p.dm("UANA", "A thought about today."), event_id="EvSAME"),
                               **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert first.status == again.status == 200
    world.settle()
    assert len(fake.ephemeral) == 1
    assert len(world.container.store.replies_of(world.person("UANA").id)) == 1


def test_the_bots_own_echo_is_ignored(world: SlackWorld) -> None:
    reply = world.client.event(p.envelope(p.bot_echo("UANA", "Today's two-minute prompt")))
    assert reply.status == 200
    assert world.person("UANA") is None


def test_channel_messages_are_not_replies(world: SlackWorld) -> None:
    event = {**p.dm("UANA", "hello channel"), "channel": "C1", "channel_type": "channel"}
    assert world.client.event(p.envelope(event)).status == 200
    assert world.person("UANA") is None


def test_an_event_nobody_listens_for_is_acknowledged(world: SlackWorld) -> None:
    reply = world.client.event(p.envelope({"type": "reaction_added", "user": "UANA", "reaction": "tada"}))
    assert reply.status == 200


def test_url_verification_echoes_the_challenge(world: SlackWorld) -> None:
    reply = world.client.event({"token": "legacy", "challenge": "abc123", "type": "url_verification"})
    assert reply.status == 200 and "abc123" in reply.text


def test_editing_a_note_updates_it_and_deleting_withdraws_it(world: SlackWorld) -> None:
    world.set_up_cohort()
    world.dm("UANA", "First version", ts="1700009000.000001")
    world.event(p.envelope(p.dm_edited("UANA", "1700009000.000001", "Second version")))
    [reply] = world.container.store.replies_of(world.person("UANA").id)
    assert reply.text == "Second version"
    world.event(p.envelope(p.dm_deleted("UANA", "1700009000.000001")))
    [reply] = world.container.store.replies_of(world.person("UANA").id)
    assert reply.withdrawn and reply.text == ""


def test_after_an_uninstall_a_request_from_the_reinstalled_app_reactivates_the_workspace(world: SlackWorld) -> None:
    world.answer("UADMIN", "help")
    assert world.client.event(p.envelope({"type": "app_uninstalled"})).status == 200
    store = world.container.store
    assert not store.ensure_workspace("slack", "T1", at=world.clock.now()).active
    world.answer("UADMIN", "help")
    assert store.ensure_workspace("slack", "T1", at=world.clock.now()).active
