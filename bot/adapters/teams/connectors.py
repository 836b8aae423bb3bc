"""Connector clients made once per ``serviceUrl`` and reused.

The SDK builds a fresh connector client and user-token client for every turn, and each build
costs about 13 ms of CPU on the event loop (msrest's retry policy computes a 1,000-entry list)
plus a new HTTP session. At Teams' 30 requests per second that is most of the budget, so this
wraps the SDK's authentication and keeps the clients it makes, a few per deployment (one per
Teams region), while ``CloudAdapter.continue_conversation`` and ``process_activity`` work as
the SDK intends.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from botbuilder.schema import Activity
from botframework.connector.auth import (
    AuthenticateRequestResult,
    BotFrameworkAuthentication,
    ClaimsIdentity,
    ConnectorFactory,
    UserTokenClient,
)
from botframework.connector.auth._built_in_bot_framework_authentication import _BuiltinBotFrameworkAuthentication

MAX_CLIENTS = 32
"""Distinct (app, serviceUrl, audience) clients kept; the oldest is dropped beyond it."""


class _Clients:
    """A small least-recently-used cache of connector clients."""

    def __init__(self, limit: int = MAX_CLIENTS):
        self.limit = limit
        self._clients: OrderedDict[tuple[str, str, str], Any] = OrderedDict()

    def get(self, key: tuple[str, str, str]) -> Any:
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
        return client

    def put(self, key: tuple[str, str, str], client: Any) -> None:
        self._clients[key] = client
        while len(self._clients) > self.limit:
            self._clients.popitem(last=False)


class _ReusingFactory(ConnectorFactory):
    def __init__(self, inner: ConnectorFactory, app_id: str, clients: _Clients):
        self.inner = inner
        self.app_id = app_id
        self.clients = clients

    async def create(self, service_url: str, audience: str) -> Any:
        key = (self.app_id, service_url, audience or "")
        client = self.clients.get(key)
        if client is None:
            client = await self.inner.create(service_url, audience)
            self.clients.put(key, client)
        return client


class ReusingAuthentication(BotFrameworkAuthentication):
    """Delegates everything to the SDK's authentication; only the clients it makes are kept."""

    def __init__(self, inner: BotFrameworkAuthentication):
        self.inner = inner
        self.clients = _Clients()
        self._token_clients: dict[str, UserTokenClient] = {}

    async def authenticate_request(self, activity: Activity, auth_header: str) -> AuthenticateRequestResult:
        result = await self.inner.authenticate_request(activity, auth_header)
        if result.connector_factory is not None:
            result.connector_factory = _ReusingFactory(result.connector_factory, _app_id(result.claims_identity),
                                                       self.clients)
        return result

    async def authenticate_streaming_request(self, auth_header: str, channel_id_header: str) -> AuthenticateRequestResult:
        return await self.inner.authenticate_streaming_request(auth_header, channel_id_header)

    def create_connector_factory(self, claims_identity: ClaimsIdentity) -> ConnectorFactory:
        return _ReusingFactory(self.inner.create_connector_factory(claims_identity), _app_id(claims_identity),
                               self.clients)

    async def create_user_token_client(self, claims_identity: ClaimsIdentity) -> UserTokenClient:
        app_id = _app_id(claims_identity)
        if app_id not in self._token_clients:
            self._token_clients[app_id] = await self.inner.create_user_token_client(claims_identity)
        return self._token_clients[app_id]

    def create_bot_framework_client(self) -> Any:
        return self.inner.create_bot_framework_client()

    def get_originating_audience(self) -> str:
        return self.inner.get_originating_audience()

    async def authenticate_channel_request(self, auth_header: str) -> ClaimsIdentity:
        return await self.inner.authenticate_channel_request(auth_header)


def _app_id(claims: ClaimsIdentity | None) -> str:
    return (_BuiltinBotFrameworkAuthentication.get_app_id(claims) if claims else None) or ""
