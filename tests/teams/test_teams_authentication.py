"""With an app id every request's JWT is validated against the signing keys the OpenID metadata
names (a local server, via TEAMS_OPENID_METADATA_URL): a correctly signed token is accepted;
anything else — a bad signature, another audience, an expired token, no header — gets 401."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.clock import FixedClock
from bot.settings import load_settings
from openid_server import OpenIdServer, new_key, token
from teams_activities import Tenant
from teams_harness import Loop, TeamsBotServer
from teams_people import ANA, START

APP_ID = "6b1e7a52-0c1d-4d7e-9f0a-2b3c4d5e6f70"
SERVICE_URL = "https://smba.trafficmanager.net/amer/"


@pytest.fixture
def keys(loop: Loop) -> Iterator[OpenIdServer]:
    server = OpenIdServer()
    runner, server.base = loop.serve(server.app())
    yield server
    loop.run(runner.cleanup())


@pytest.fixture
def bot(sqlite_url: str, loop: Loop, keys: OpenIdServer) -> Iterator[TeamsBotServer]:
    settings = load_settings(DATABASE_URL=sqlite_url, MicrosoftAppId=APP_ID, MicrosoftAppPassword="not-used-here",
                             TEAMS_OPENID_METADATA_URL=keys.metadata_url, TEAMS_ALLOW_UNAUTHENTICATED="0")
    server = TeamsBotServer(loop, settings, FixedClock(START))
    yield server
    server.stop()


def hello() -> dict:
    """A personal chat starting: the bot needs to send nothing back."""
    return Tenant(SERVICE_URL).personal_hello(ANA, "Ana Lopez")


def post_with(bot: TeamsBotServer, bearer: str) -> int:
    return bot.post(hello(), headers={"Authorization": f"Bearer {bearer}"}).status


def test_a_correctly_signed_token_is_accepted(bot: TeamsBotServer, keys: OpenIdServer) -> None:
    assert post_with(bot, token(keys.key, audience=APP_ID, service_url=SERVICE_URL)) == 200
    assert bot.container.store.find_person_on("teams", ANA) is not None


def test_a_token_signed_with_another_key_is_refused(bot: TeamsBotServer) -> None:
    assert post_with(bot, token(new_key(), audience=APP_ID, service_url=SERVICE_URL)) == 401
    assert bot.container.store.find_person_on("teams", ANA) is None


def test_a_token_for_another_app_is_refused(bot: TeamsBotServer, keys: OpenIdServer) -> None:
    other = "0d9f8e7c-6b5a-4f3e-9d2c-1b0a9f8e7d6c"
    assert post_with(bot, token(keys.key, audience=other, service_url=SERVICE_URL)) == 401


def test_an_expired_token_is_refused(bot: TeamsBotServer, keys: OpenIdServer) -> None:
    assert post_with(bot, token(keys.key, audience=APP_ID, service_url=SERVICE_URL, expires_in=-3600)) == 401


def test_a_request_without_a_token_is_refused(bot: TeamsBotServer) -> None:
    assert bot.post(hello()).status == 401


@pytest.mark.parametrize("bearer", ["not-a-jwt", "a.b.c", ""])
def test_a_malformed_token_is_refused(bot: TeamsBotServer, bearer: str) -> None:
    assert post_with(bot, bearer) == 401


def test_a_token_from_another_issuer_is_refused(bot: TeamsBotServer, keys: OpenIdServer) -> None:
    forged = token(keys.key, audience=APP_ID, service_url=SERVICE_URL, issuer="https://evil.example")
    assert post_with(bot, forged) == 401


def test_a_token_for_another_service_url_is_refused(bot: TeamsBotServer, keys: OpenIdServer) -> None:
    assert post_with(bot, token(keys.key, audience=APP_ID, service_url="https://elsewhere.example/")) == 401


def test_a_token_with_an_unknown_key_id_is_refused(bot: TeamsBotServer, keys: OpenIdServer) -> None:
    assert post_with(bot, token(keys.key, audience=APP_ID, service_url=SERVICE_URL, key_id="other")) == 401


def test_unreachable_signing_keys_are_an_outage_not_a_refusal(sqlite_url: str, loop: Loop, keys: OpenIdServer) -> None:
    settings = load_settings(DATABASE_URL=sqlite_url, MicrosoftAppId=APP_ID, MicrosoftAppPassword="not-used-here",
                             TEAMS_OPENID_METADATA_URL="http://127.0.0.1:9/.well-known/openid-configuration")
    server = TeamsBotServer(loop, settings, FixedClock(START))
    try:
        reply = server.post(hello(), headers={"Authorization": "Bearer " + token(keys.key, audience=APP_ID,
                                                                                  service_url=SERVICE_URL)})
    finally:
        server.stop()
    assert reply.status == 503 and reply.headers["Retry-After"].isdigit()
