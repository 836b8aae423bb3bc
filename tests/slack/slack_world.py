"""A whole MicroCoach with the Slack adapter, served over real HTTP on 127.0.0.1 and talking to
the fake Slack Web API: the web app is built as ``serve`` builds it (``create_app`` plus the
adapter's routes, the real core through ``Intake``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from bot.adapters.slack.adapter import SlackAdapter, build_slack
from bot.clock import FixedClock
from bot.container import Container, build
from bot.intake import Intake
from bot.settings import load_settings
from bot.web import create_app
from fake_slack import FakeSlack
from slack_harness import SIGNING_SECRET, Client, LoopThread, Reply
import slack_payloads as p

BOT_TOKEN = "xoxb-test-token"
START = datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc)


@dataclass
class SlackWorld:
    loop: LoopThread
    fake: FakeSlack
    fake_url: str
    container: Container
    adapter: SlackAdapter
    client: Client
    clock: FixedClock

    # Driving it as Slack would ---------------------------------------------------------------

    def command(self, user: str, text: str) -> Reply:
        return self.client.form(p.command(user, text, response_url=self.hook()))

    def answer(self, user: str, text: str) -> str:
        reply = self.command(user, text)
        assert reply.status == 200, (reply.status, reply.text)
        return reply.json()["text"]

    def dm(self, user: str, text: str, *, thread_ts: str | None = None, ts: str | None = None,
           event_id: str | None = None, settle: bool = True) -> Reply:
        """A DM event; returns Slack's answer, by default once the work after the ack (where a
        message is handled) is done."""
        return self.event(p.envelope(p.dm(user, text, thread_ts=thread_ts, ts=ts), event_id=event_id), settle=settle)

    def event(self, envelope: dict[str, Any], *, settle: bool = True) -> Reply:
        reply = self.client.event(envelope)
        if settle:
            self.settle()
        return reply

    def click(self, user: str, message: dict[str, Any], label: str, *, channel: str) -> Reply:
        button = self.button(message, label)
        return self.client.interaction(p.block_action(user, button["action_id"], button.get("value", ""),
                                                      channel=channel, ts=message["ts"], response_url=self.hook()))

    def submit(self, user: str, view: dict[str, Any], **values: str) -> Reply:
        return self.client.interaction(p.view_submission(user, view, values))

    def set_up_cohort(self) -> None:
        """fall7: Coach Kim coaches Ana (New York) and Ben (Chicago), Mon/Wed at 07:45."""
        for line in ("cohort create fall7 America/New_York", "cohort coach fall7 <@UCOACH|coach.kim>",
                     "cadence set fall7 mon,wed 07:45", "cohort add fall7 <@UANA|ana> <@UBEN|ben>"):
            reply = self.command("UADMIN", line)
            assert reply.status == 200, reply.text
        self.settle()

    def tick(self, at: datetime | None = None):  # noqa: ANN201
        if at is not None:
            self.clock.set(at)
        return self.loop.run(self.container.worker.tick(self.clock.now()))

    def settle(self) -> None:
        """Wait for the work the adapter does after its acks."""
        self.loop.run(self.adapter.background.drain())

    # Reading what Slack saw ------------------------------------------------------------------

    def hook(self) -> str:
        return f"{self.fake_url}/respond/{p.next_id()}"

    def dms(self, user: str) -> list[dict[str, Any]]:
        return self.fake.posted(self.fake.dm_of(user))

    @staticmethod
    def button(message: dict[str, Any], label: str) -> dict[str, Any]:
        for block in message["blocks"]:
            for element in block.get("elements", []):
                if element.get("type") == "button" and element["text"]["text"] == label:
                    return element
        raise AssertionError(f"no button {label!r} in {message['text']!r}")

    def person(self, user: str):  # noqa: ANN201
        return self.container.store.find_person_on("slack", user)


def school_people(fake: FakeSlack) -> None:
    """Who is in the fake's workspace: an admin, two coaches and two teachers."""
    fake.add_user("UADMIN", "Dana Admin")
    fake.add_user("UCOACH", "Coach Kim")
    fake.add_user("UOTHER", "Otto Coach")
    fake.add_user("UANA", "Ana Lopez", email="ana@school.org")
    fake.add_user("UBEN", "Ben Carter", tz="America/Chicago", email="ben@school.org")


CLIENT_ID, CLIENT_SECRET = "1111.2222", "client-secret"
SECRET_KEY = "Zk1hY3JvY29hY2gtdGVzdC1rZXktMzItYnl0ZXMhISE="


def slack_world(loop: LoopThread, fake: FakeSlack, fake_url: str, db_url: str, *, oauth: bool = False,
                **extra: str) -> SlackWorld:
    """Single-workspace mode (a bot token), or with ``oauth`` many workspaces installed through
    ``/slack/install`` (the fake's oauth.v2.access answers codes scripted in ``fake.oauth_codes``)."""
    mode = ({"SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET, "MICROCOACH_SECRET_KEY": SECRET_KEY}
            if oauth else {"SLACK_BOT_TOKEN": BOT_TOKEN})
    fake.client_credentials = (CLIENT_ID, CLIENT_SECRET)
    settings = load_settings(DATABASE_URL=db_url, SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=f"{fake_url}/api/",
                             MICROCOACH_ADMINS="slack:UADMIN", **mode, **extra)
    clock = FixedClock(START)
    container = build(settings, clock=clock)
    intake = Intake(container.service, None)
    adapter = build_slack(container, intake)
    adapter.listeners.home.refresh_delay = 0.0
    container.chats["slack"] = adapter.chat
    app = create_app(container, intake.acks)
    adapter.add_routes(app)
    base = loop.serve(app)
    return SlackWorld(loop, fake, fake_url, container, adapter, Client(base), clock)
