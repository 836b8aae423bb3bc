"""Socket Mode: with SLACK_APP_TOKEN the adapter opens a connection through the fake's
apps.connections.open and answers a slash command delivered over the websocket."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fake_slack import FakeSlack
from fake_socket import FakeSocket
from slack_harness import LoopThread, wait_for
from slack_world import SlackWorld, school_people, slack_world
import slack_payloads as p


@pytest.fixture
def socket() -> FakeSocket:
    return FakeSocket()


@pytest.fixture
def connected(loop_thread: LoopThread, fake: FakeSlack, fake_url: str, sqlite_url: str,
              socket: FakeSocket) -> Iterator[SlackWorld]:
    school_people(fake)
    fake.socket_url = loop_thread.serve(socket.app()).replace("http://", "ws://") + "/link"
    world = slack_world(loop_thread, fake, fake_url, sqlite_url, SLACK_APP_TOKEN="xapp-1-test")
    yield world
    loop_thread.run(world.adapter.stop())
    world.container.close()


def test_a_slash_command_over_the_websocket_is_acknowledged_with_the_answer(connected: SlackWorld,
                                                                             socket: FakeSocket, fake: FakeSlack) -> None:
    socket.envelopes.append({"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": True,
                             "payload": p.command("UADMIN", "cohort create fall7")})
    connected.loop.run(connected.adapter.start())
    [ack] = wait_for(lambda: socket.acks)
    assert ack["envelope_id"] == "env-1" and "fall7" in ack["payload"]["text"]
    assert fake.called("apps.connections.open")[0].params["token"] == "xapp-1-test"
    workspace = connected.container.store.ensure_workspace("slack", "T1", at=connected.clock.now())
    assert connected.container.store.find_cohort(workspace.id, "fall7") is not None
