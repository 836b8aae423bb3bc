"""OAuth mode: installs through ``/slack/install`` and the fake's oauth.v2.access, installations
sealed in our database, authorization cached, Enterprise Grid org-wide installs, and what an
uninstall or a revoked token stops."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from http.cookies import SimpleCookie
from typing import Any

import pytest
from sqlalchemy import text

from bot.adapters.slack.lifecycle import UNINSTALLED
from bot.core import cards
from bot.core.messages import Address
from fake_slack import FakeSlack, Team
from slack_harness import LoopThread, Reply
from slack_world import SlackWorld, school_people, slack_world
import slack_payloads as p

MONDAY_0745_NY = datetime(2026, 11, 30, 12, 45, tzinfo=timezone.utc)
COOKIE = "slack-app-oauth-state"


def grant(*, team: str | None, token: str, installer: str, enterprise: str | None = None) -> dict[str, Any]:
    """What oauth.v2.access answers for a bot install."""
    return {"app_id": "A1", "authed_user": {"id": installer}, "scope": "chat:write,im:write,im:history,commands",
            "token_type": "bot", "access_token": token, "bot_user_id": "UBOT",
            "team": {"id": team, "name": "Lincoln Elementary"} if team else None,
            "enterprise": {"id": enterprise, "name": "Springfield District"} if enterprise else None,
            "is_enterprise_install": team is None}


def install(world: SlackWorld, *, team: str | None = "T1", token: str = "xoxb-t1", installer: str = "UINSTALL",
            enterprise: str | None = None) -> Reply:
    world.fake.add_team(token, Team(team or "", enterprise_id=enterprise))
    code = f"code-{p.next_id()}"
    world.fake.oauth_codes[code] = grant(team=team, token=token, installer=installer, enterprise=enterprise)
    page = world.client.get("/slack/install")
    assert page.status == 200, page.text
    state = state_of(page)
    return world.client.get(f"/slack/oauth_redirect?code={code}&state={state}", headers={"Cookie": f"{COOKIE}={state}"})


def state_of(page: Reply) -> str:
    cookie = SimpleCookie()
    cookie.load(page.header("Set-Cookie") or "")
    return cookie[COOKIE].value


@pytest.fixture
def oauth(loop_thread: LoopThread, fake: FakeSlack, fake_url: str, sqlite_url: str) -> Iterator[SlackWorld]:
    school_people(fake)
    built = slack_world(loop_thread, fake, fake_url, sqlite_url, oauth=True)
    yield built
    built.settle()
    built.container.close()


@pytest.fixture
def oauth_on(loop_thread: LoopThread, fake: FakeSlack, fake_url: str, db_url: str) -> Iterator[SlackWorld]:
    school_people(fake)
    built = slack_world(loop_thread, fake, fake_url, db_url, oauth=True)
    yield built
    built.settle()
    built.container.close()


def test_install_then_the_whole_loop_runs_on_the_stored_token(oauth_on: SlackWorld, fake: FakeSlack) -> None:
    world = oauth_on
    assert install(world).status == 200
    world.set_up_cohort()
    world.tick(MONDAY_0745_NY)
    [prompt] = [m for m in world.dms("UANA") if m.get("metadata")]
    world.dm("UANA", "Three quiet kids raised their hands.", thread_ts=prompt["ts"])
    world.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [m for m in world.dms("UCOACH") if "replied" in m["text"]]
    world.click("UCOACH", card, "Approve & send", channel="DUCOACH")
    world.settle()
    assert any("Approved by Coach Kim" in r["text"] for r in fake.responses if r.get("replace_original"))
    world.tick(MONDAY_0745_NY + timedelta(minutes=2))
    [followup] = [m for m in world.dms("UANA") if "— Coach Kim" in m["text"]]
    assert followup["thread_ts"] == prompt["ts"]
    assert {c.params["token"] for c in fake.called("chat.postMessage")} == {"xoxb-t1"}


def test_the_install_page_links_to_slack_and_sets_the_state_cookie(oauth: SlackWorld) -> None:
    page = oauth.client.get("/slack/install")
    state = state_of(page)
    assert page.status == 200 and f"state={state}" in page.text and "oauth/v2/authorize" in page.text


def test_a_callback_without_the_state_cookie_installs_nothing(oauth: SlackWorld) -> None:
    oauth.fake.oauth_codes["c1"] = grant(team="T1", token="xoxb-t1", installer="UINSTALL")
    state = state_of(oauth.client.get("/slack/install"))
    reply = oauth.client.get(f"/slack/oauth_redirect?code=c1&state={state}")
    assert reply.status == 400 and not oauth.fake.called("oauth.v2.access")


def test_a_state_is_good_for_one_install_only(oauth: SlackWorld) -> None:
    oauth.fake.add_team("xoxb-t1", Team("T1"))
    oauth.fake.oauth_codes["c1"] = grant(team="T1", token="xoxb-t1", installer="UINSTALL")
    state = state_of(oauth.client.get("/slack/install"))
    cookie = {"Cookie": f"{COOKIE}={state}"}
    assert oauth.client.get(f"/slack/oauth_redirect?code=c1&state={state}", headers=cookie).status == 200
    assert oauth.client.get(f"/slack/oauth_redirect?code=c1&state={state}", headers=cookie).status == 401


def test_tokens_are_sealed_at_rest(oauth: SlackWorld) -> None:
    install(oauth, token="xoxb-very-secret")
    with oauth.container.engine.connect() as conn:
        rows = conn.execute(text("SELECT data FROM installation")).scalars().all()
    assert rows and all(row.startswith("fernet:") and "xoxb-very-secret" not in row for row in rows)


def test_the_installer_becomes_an_admin(oauth: SlackWorld) -> None:
    oauth.fake.add_user("UINSTALL", "Iris Installer")
    install(oauth)
    assert "fall7" in oauth.answer("UINSTALL", "cohort create fall7")


def test_authorization_is_cached_one_auth_test_per_installation(oauth: SlackWorld, fake: FakeSlack) -> None:
    install(oauth)
    before = len(fake.called("auth.test"))
    for n in range(5):
        assert oauth.answer("UADMIN", "help")
    assert len(fake.called("auth.test")) - before <= 1


def test_a_workspace_that_never_installed_gets_no_answer_from_the_core(oauth: SlackWorld) -> None:
    reply = oauth.client.event(p.envelope(p.dm("UANA", "hello"), team="T-NOT-INSTALLED"))
    assert reply.status == 200 and oauth.person("UANA") is None


def test_uninstall_stops_every_send_and_keeps_the_history(oauth: SlackWorld, fake: FakeSlack) -> None:
    install(oauth)
    oauth.set_up_cohort()
    oauth.tick()
    assert oauth.client.event(p.envelope({"type": "app_uninstalled"})).status == 200
    workspace = oauth.container.store.ensure_workspace("slack", "T1", at=oauth.clock.now())
    assert not workspace.active
    with oauth.container.engine.connect() as conn:
        assert conn.execute(text("SELECT inactive_reason FROM workspace WHERE external_id = 'T1'")).scalar() == UNINSTALLED
    posted = len(fake.called("chat.postMessage"))
    oauth.tick(MONDAY_0745_NY)
    assert len(fake.called("chat.postMessage")) == posted
    assert oauth.container.store.find_cohort(workspace.id, "fall7") is not None
    with oauth.container.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM installation")).scalar() == 0
    store = oauth.container.store
    enrollments = store.enrollments_of_teacher(oauth.person("UANA").id)
    [due] = [d for d in store.deliveries_of([e.id for e in enrollments]) if d.slot_utc == MONDAY_0745_NY]
    assert due.status == "failed" and due.reason


def test_a_revoked_bot_token_deactivates_the_workspace(oauth: SlackWorld) -> None:
    install(oauth)
    event = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT"]}}
    assert oauth.client.event(p.envelope(event)).status == 200
    workspace = oauth.container.store.ensure_workspace("slack", "T1", at=oauth.clock.now())
    assert not workspace.active


def test_installing_again_reactivates_the_workspace(oauth: SlackWorld) -> None:
    install(oauth)
    oauth.client.event(p.envelope({"type": "app_uninstalled"}))
    install(oauth, token="xoxb-t1-again")
    assert oauth.container.store.ensure_workspace("slack", "T1", at=oauth.clock.now()).active
    assert "fall7" in oauth.answer("UADMIN", "cohort create fall7")


def test_an_org_wide_enterprise_install_reaches_each_workspace_of_the_org(oauth: SlackWorld, fake: FakeSlack) -> None:
    assert install(oauth, team=None, enterprise="E1", token="xoxb-org").status == 200
    dm = p.dm("UANA", "hello")
    reply = oauth.client.event(p.envelope(dm, team="T2", enterprise="E1", org_wide=True))
    assert reply.status == 200
    oauth.settle()
    assert oauth.person("UANA") is not None
    oauth.loop.run(oauth.adapter.chat.send(Address("slack", "T2", user="UANA"), cards.notice("hi from the org")))
    assert fake.called("chat.postMessage")[-1].params["token"] == "xoxb-org"
