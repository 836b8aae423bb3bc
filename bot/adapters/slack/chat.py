"""The Chat port for Slack, over slack_sdk's AsyncWebClient.

Prompts go to the person's DM (opened with ``conversations.open`` and remembered), each carrying
its delivery key in the message ``metadata`` so :meth:`SlackChat.find_sent` can tell from the
DM's history whether a send that crashed before it was recorded did reach Slack.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.errors import TRANSPORT_ERRORS, send_error
from bot.adapters.slack.render import DELIVERY_EVENT, delivery_metadata, fallback_text, to_blocks
from bot.core.messages import Address, Outbound, SentRef
from bot.core.ports import SendError

PLATFORM = "slack"
HISTORY_PAGES = 3
HISTORY_PAGE_SIZE = 200

K = TypeVar("K")
V = TypeVar("V")
TokenFor = Callable[[str], Awaitable[str | None]]
"""The bot token for a workspace (team id), or ``None`` when the app is not installed there."""


class BoundedCache(Generic[K, V]):
    """A small least-recently-used map: per-process memory for ids Slack would give again."""

    def __init__(self, size: int = 10_000):
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        if key not in self._items:
            return None
        self._items.move_to_end(key)
        return self._items[key]

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


@dataclass(frozen=True)
class MessageRef:
    """Where a sent message lives: what :class:`SentRef.data` holds, as JSON."""

    team: str
    channel: str
    ts: str

    def dump(self) -> str:
        return json.dumps({"team": self.team, "channel": self.channel, "ts": self.ts}, separators=(",", ":"))

    @classmethod
    def load(cls, data: str) -> MessageRef:
        try:
            raw = json.loads(data)
            return cls(str(raw["team"]), str(raw["channel"]), str(raw["ts"]))
        except (ValueError, TypeError, KeyError):
            raise SendError("not a Slack message reference", permanent=True) from None

    def sent_ref(self) -> SentRef:
        return SentRef(platform=PLATFORM, data=self.dump(), message_id=self.ts)


class SlackChat:
    platform = PLATFORM
    can_find_sent = True

    def __init__(self, client: AsyncWebClient, token_for: TokenFor, dm_cache: BoundedCache[tuple[str, str], str] | None = None):
        self.client = client
        self.token_for = token_for
        self.dms: BoundedCache[tuple[str, str], str] = dm_cache or BoundedCache()

    async def send(self, to: Address, message: Outbound) -> SentRef:
        token = await self._token(to.workspace)
        channel = await self._channel(to, token)
        response = await self._call(self.client.chat_postMessage, token=token, channel=channel,
                                    text=fallback_text(message), blocks=to_blocks(message), thread_ts=to.thread,
                                    metadata=delivery_metadata(message), unfurl_links=False)
        return MessageRef(to.workspace, str(response["channel"]), str(response["ts"])).sent_ref()

    async def update(self, ref: SentRef, message: Outbound) -> None:
        where = MessageRef.load(ref.data)
        token = await self._token(where.team)
        await self._call(self.client.chat_update, token=token, channel=where.channel, ts=where.ts,
                         text=fallback_text(message), blocks=to_blocks(message))

    async def tell(self, to: Address, text: str) -> None:
        token = await self._token(to.workspace)
        channel = await self._channel(to, token)
        await self._call(self.client.chat_postEphemeral, token=token, channel=channel, user=to.user or "",
                         text=fallback_text(Outbound(text=text)), thread_ts=to.thread)

    async def find_sent(self, to: Address, delivery_key: str) -> SentRef | None:
        token = await self._token(to.workspace)
        channel = await self._channel(to, token)
        cursor = None
        for _ in range(HISTORY_PAGES):
            page = await self._call(self.client.conversations_history, token=token, channel=channel,
                                    include_all_metadata=True, limit=HISTORY_PAGE_SIZE, cursor=cursor)
            for found in page.get("messages") or []:
                if _delivery_key(found) == delivery_key:
                    return MessageRef(to.workspace, channel, str(found["ts"])).sent_ref()
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not cursor:
                return None
        return None

    async def _channel(self, to: Address, token: str) -> str:
        if to.conversation:
            return to.conversation
        if not to.user:
            raise SendError("a Slack address needs a user or a conversation", permanent=True)
        cached = self.dms.get((to.workspace, to.user))
        if cached:
            return cached
        opened = await self._call(self.client.conversations_open, token=token, users=to.user)
        channel = str((opened.get("channel") or {}).get("id", ""))
        if not channel:
            raise SendError("conversations.open gave no channel")
        self.dms.put((to.workspace, to.user), channel)
        return channel

    async def _token(self, team: str) -> str:
        token = await self.token_for(team)
        if not token:
            raise SendError("the Slack app is not installed in this workspace", permanent=True)
        return token

    @staticmethod
    async def _call(method: Callable[..., Awaitable[Any]], **kwargs: Any) -> Any:
        try:
            return await method(**{k: v for k, v in kwargs.items() if v is not None})
        except TRANSPORT_ERRORS as exc:
            raise send_error(exc) from exc


def _delivery_key(message: dict[str, Any]) -> str | None:
    metadata = message.get("metadata") or {}
    if metadata.get("event_type") != DELIVERY_EVENT:
        return None
    payload = metadata.get("event_payload") or {}
    return payload.get("delivery_key")
