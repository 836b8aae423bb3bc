"""Teams activities → the core's Inbound: who (user id in their tenant), what kind, the text with
its mentions, the zone from ``localTimezone``, and card clicks as actions."""

from __future__ import annotations

import pytest
from botbuilder.schema import Activity

from bot.adapters.teams.inbound import BadActivity, is_personal, mentions_of, tenant_of, to_action, to_inbound
from bot.core.messages import Action, Address
from teams_activities import BOT, TENANT, Tenant

TEACHER = "29:teacher-ana"
tenant = Tenant("https://smba.trafficmanager.net/amer/")


def activity(data: dict) -> Activity:
    return Activity().deserialize(data)


def test_a_personal_message_is_a_message_from_the_user_in_their_tenant() -> None:
    inbound = to_inbound(activity(tenant.message(TEACHER, "Ana Lopez", "  It went well  ")))
    assert (inbound.kind, inbound.text, inbound.display_name) == ("message", "It went well", "Ana Lopez")
    assert inbound.sender == Address("teams", TENANT, user=TEACHER)


def test_a_message_in_a_team_channel_is_a_strict_command() -> None:
    data = tenant.message(TEACHER, "Ana Lopez", "<at>MicroCoach</at> help")
    data["conversation"] = {"id": "19:general@thread.tacv2", "conversationType": "channel", "isGroup": True}
    assert to_inbound(activity(data)).kind == "command"


def test_the_dedupe_key_is_the_activity_id() -> None:
    data = tenant.message(TEACHER, "Ana Lopez", "hi")
    assert to_inbound(activity(data)).dedupe_key == f"message:{data['id']}"


def test_mentions_map_the_written_name_to_the_user_id_and_leave_out_the_bot() -> None:
    data = tenant.message(TEACHER, "Dana", "<at>MicroCoach</at> cohort coach fall7 <at>Kim Lee</at>",
                          mentions=(("Kim Lee", "29:kim"), ("MicroCoach", BOT["id"])))
    assert mentions_of(activity(data)) == (("Kim Lee", "29:kim"),)


@pytest.mark.parametrize(("zone", "expected"), [("America/Chicago", "America/Chicago"), ("Nowhere/Else", None),
                                                (None, None)])
def test_local_timezone_becomes_the_zone_when_it_is_a_real_one(zone: str | None, expected: str | None) -> None:
    assert to_inbound(activity(tenant.message(TEACHER, "Ana", "hi", zone=zone))).timezone == expected


def test_edits_of_one_message_get_distinct_dedupe_keys() -> None:
    first = to_inbound(activity(tenant.edit(TEACHER, "Ana", "m1", "first wording")))
    second = to_inbound(activity(tenant.edit(TEACHER, "Ana", "m1", "second wording")))
    assert (first.kind, first.message_id) == ("edit", "m1")
    assert first.dedupe_key != second.dedupe_key


def test_a_soft_delete_is_a_deletion_of_that_message() -> None:
    inbound = to_inbound(activity(tenant.delete(TEACHER, "Ana", "m1")))
    assert (inbound.kind, inbound.message_id) == ("delete", "m1")


def test_an_undelete_is_not_passed_on() -> None:
    data = tenant.edit(TEACHER, "Ana", "m1", "back")
    data["channelData"]["eventType"] = "undeleteMessage"
    assert to_inbound(activity(data)) is None


def test_a_click_carries_the_verb_value_and_inputs_and_the_cards_id() -> None:
    data = tenant.click(TEACHER, "Kim", "act-9", "draft.edit", "7", edited_text="New words")
    inbound = to_action(activity(data))
    assert inbound.kind == "action" and inbound.message_id == "act-9"
    assert inbound.action == Action("draft.edit", "7", (("edited_text", "New words"),))


@pytest.mark.parametrize("value", [None, {"action": "x"}, {"action": {"type": "Action.Submit", "verb": "v"}},
                                   {"action": {"type": "Action.Execute", "verb": ""}}])
def test_a_click_that_is_not_an_action_execute_is_refused(value: object) -> None:
    with pytest.raises(BadActivity):
        to_action(activity(tenant.invoke(TEACHER, "Ana", "adaptiveCard/action", value)))


def test_the_tenant_comes_from_channel_data_then_the_conversation_then_the_channel() -> None:
    data = tenant.message(TEACHER, "Ana", "hi")
    assert tenant_of(activity(data)) == TENANT
    del data["channelData"]
    assert tenant_of(activity(data)) == TENANT
    del data["conversation"]["tenantId"]
    assert tenant_of(activity(data)) == "msteams"


def test_the_emulator_chat_counts_as_personal() -> None:
    data = tenant.message(TEACHER, "Ana", "hi")
    data["conversation"] = {"id": "c1"}
    assert is_personal(activity(data))


def test_an_activity_without_a_sender_is_refused() -> None:
    data = tenant.message(TEACHER, "Ana", "hi")
    del data["from"]
    with pytest.raises(BadActivity):
        to_inbound(activity(data))
