"""Bad input at ``POST /slack/events``: unsigned, forged and stale requests are 401 and change
nothing; signed bodies that are not Slack payloads are 400, never 500; an outage is 503."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from bot.adapters.slack.guard import body_problem, signature_ok
from fake_slack import FakeSlack
from slack_harness import SIGNING_SECRET, LoopThread, sign
from slack_world import SlackWorld, slack_world
import slack_payloads as p

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"


def dm_body(text: str = "hello") -> bytes:
    return json.dumps(p.envelope(p.dm("UANA", text))).encode()


def test_an_unsigned_request_is_401_and_changes_nothing(world: SlackWorld) -> None:
    reply = world.client.post_raw("/slack/events", dm_body(), JSON)
    assert reply.status == 401
    assert world.person("UANA") is None


def test_a_forged_signature_is_401(world: SlackWorld) -> None:
    reply = world.client.signed(dm_body(), JSON, signer=lambda body: sign(body, secret="not-the-secret"))
    assert reply.status == 401
    assert world.person("UANA") is None


def test_a_request_older_than_five_minutes_is_401(world: SlackWorld) -> None:
    reply = world.client.signed(dm_body(), JSON, signer=lambda body: sign(body, timestamp=int(time.time()) - 301))
    assert reply.status == 401


def test_a_body_changed_after_signing_is_401(world: SlackWorld) -> None:
    headers = sign(dm_body("original"))
    reply = world.client.post_raw("/slack/events", dm_body("tampered"), JSON, headers)
    assert reply.status == 401


def test_url_verification_must_be_signed_too(world: SlackWorld) -> None:
    body = json.dumps({"type": "url_verification", "challenge": "abc"}).encode()
    assert world.client.post_raw("/slack/events", body, JSON).status == 401


@pytest.mark.parametrize(("body", "content_type"), [
    (b'{"type": "event_callback", "event": {"type": "mess', JSON),
    (b"\xff\xfe\x00not utf-8", JSON),
    (b"\xff\xfe\x00not utf-8", FORM),
    (b"payload=%7Bnot-json", FORM),
    (b"payload=", FORM),
    (b'payload=%7B%22type%22%3A%22block_actions%22%2C%22user%22%3A%7B%22id%22%3A%22UANA%22%7D%7D', FORM),
    (b"[1, 2, 3]", JSON),
    (b'{"type": "event_callback", "event_id": "Ev1"}', JSON),
    (b"text=hello", FORM),
    (b"<xml/>", "application/xml"),
])
def test_a_signed_body_that_is_not_a_slack_payload_is_400(world: SlackWorld, body: bytes, content_type: str) -> None:
    reply = world.client.signed(body, content_type)
    assert reply.status == 400, reply.text


def test_an_unknown_action_gets_200_and_a_closed_note(world: SlackWorld, fake: FakeSlack) -> None:
    payload = p.block_action("UANA", "something.else#0", "9", channel="DUANA", ts="1.1", response_url=world.hook())
    assert world.client.interaction(payload).status == 200
    world.settle()
    [note] = fake.responses
    assert note["response_type"] == "ephemeral" and "closed" in note["text"]


def test_a_40_kb_message_is_taken_and_kept_whole(world: SlackWorld) -> None:
    world.set_up_cohort()
    long_text = "We tried wait time. " * 2048
    assert world.dm("UANA", long_text).status == 200
    [reply] = world.container.store.replies_of(world.person("UANA").id)
    assert reply.text == long_text


def test_the_signature_check_reads_the_raw_bytes() -> None:
    body = "é".encode()
    assert signature_ok(SIGNING_SECRET, sign(body), body, time.time())
    assert not signature_ok(SIGNING_SECRET, {"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=1"}, body,
                            time.time())


def test_a_slash_command_body_is_a_slack_payload() -> None:
    assert body_problem(b"command=%2Fcoach&user_id=U1&team_id=T1&trigger_id=t.1&text=help", FORM) is None


@pytest.fixture
def outage(loop_thread: LoopThread, fake: FakeSlack, fake_url: str) -> Iterator[SlackWorld]:
    """The Slack adapter over a database that cannot be reached."""
    built = slack_world(loop_thread, fake, fake_url, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    yield built
    built.container.close()


def test_a_database_outage_is_503_with_retry_after_so_slack_retries(outage: SlackWorld) -> None:
    reply = outage.dm("UANA", "hello")
    assert reply.status == 503
    assert int(reply.header("Retry-After") or 0) > 0


@pytest.fixture
def oauth_outage(loop_thread: LoopThread, fake: FakeSlack, fake_url: str) -> Iterator[SlackWorld]:
    """OAuth mode over a database that cannot be reached: authorization itself fails."""
    built = slack_world(loop_thread, fake, fake_url, "postgresql+psycopg://nobody@127.0.0.1:1/none", oauth=True)
    yield built
    built.container.close()


def test_in_oauth_mode_an_outage_while_authorizing_is_503_too(oauth_outage: SlackWorld) -> None:
    reply = oauth_outage.command("UADMIN", "help")
    assert reply.status == 503 and int(reply.header("Retry-After") or 0) > 0


def test_slacks_certificate_check_is_answered_even_unsigned(world: SlackWorld) -> None:
    reply = world.client.post_raw("/slack/events", b"ssl_check=1&token=legacy", FORM)
    assert reply.status == 200
