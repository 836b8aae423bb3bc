"""Activities as Teams posts them to ``/api/messages`` (the shapes the Bot Framework documents),
built for one tenant whose ``serviceUrl`` is the test's fake connector."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

BOT = {"id": "28:microcoach-bot", "name": "MicroCoach"}
TENANT = "tenant-maple"


@dataclass
class Tenant:
    service_url: str
    tenant: str = TENANT
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    def _base(self, kind: str, user: str, user_name: str, conversation: dict[str, Any], /, **extra: Any) -> dict[str, Any]:
        return {
            "type": kind, "id": f"f:{next(self._ids)}", "timestamp": "2026-11-30T12:00:00.000Z",
            "serviceUrl": self.service_url, "channelId": "msteams",
            "from": {"id": user, "name": user_name, "aadObjectId": f"aad-{user}"}, "recipient": BOT,
            "conversation": conversation, "channelData": {"tenant": {"id": self.tenant}, **extra.pop("channel_data", {})},
            **extra,
        }

    def chat_of(self, user: str) -> dict[str, Any]:
        return {"id": f"a:chat-{user}", "conversationType": "personal", "tenantId": self.tenant}

    def personal_install(self, user: str, name: str) -> dict[str, Any]:
        return self._base("installationUpdate", user, name, self.chat_of(user), action="add")

    def personal_hello(self, user: str, name: str) -> dict[str, Any]:
        """The conversationUpdate Teams sends when the bot joins a person's 1:1 chat."""
        return self._base("conversationUpdate", user, name, self.chat_of(user), membersAdded=[BOT])

    def team_install(self, team_id: str, team_name: str, by: str, by_name: str) -> dict[str, Any]:
        channel = {"id": team_id, "conversationType": "channel", "isGroup": True, "tenantId": self.tenant}
        return self._base("conversationUpdate", by, by_name, channel, membersAdded=[BOT],
                          channel_data={"team": {"id": team_id, "name": team_name}, "eventType": "teamMemberAdded"})

    def message(self, user: str, name: str, text: str, *, zone: str | None = None,
                mentions: tuple[tuple[str, str], ...] = ()) -> dict[str, Any]:
        extra: dict[str, Any] = {"text": text, "textFormat": "plain", "locale": "en-US"}
        if zone:
            extra["localTimezone"] = zone
        if mentions:
            extra["entities"] = [{"type": "mention", "text": f"<at>{n}</at>", "mentioned": {"id": i, "name": n}}
                                 for n, i in mentions]
        return self._base("message", user, name, self.chat_of(user), **extra)

    def channel_message(self, team_id: str, user: str, name: str, text: str) -> dict[str, Any]:
        """A message in a team channel; the bot hears it because it is @mentioned."""
        channel = {"id": f"{team_id};messageid=1", "conversationType": "channel", "isGroup": True, "tenantId": self.tenant}
        return self._base("message", user, name, channel, text=f"<at>MicroCoach</at> {text}",
                          entities=[{"type": "mention", "text": "<at>MicroCoach</at>", "mentioned": BOT}],
                          channel_data={"team": {"id": team_id, "name": "Grade 5"}})

    def edit(self, user: str, name: str, message_id: str, text: str) -> dict[str, Any]:
        activity = self._base("messageUpdate", user, name, self.chat_of(user), text=text,
                              channel_data={"eventType": "editMessage"})
        activity["id"] = message_id
        return activity

    def delete(self, user: str, name: str, message_id: str) -> dict[str, Any]:
        activity = self._base("messageDelete", user, name, self.chat_of(user),
                              channel_data={"eventType": "softDeleteMessage"})
        activity["id"] = message_id
        return activity

    def click(self, user: str, name: str, card_id: str, verb: str, value: str, **inputs: str) -> dict[str, Any]:
        """An Action.Execute click on the card posted as activity ``card_id``."""
        action = {"type": "Action.Execute", "id": "a1", "verb": verb, "data": {"value": value, **inputs}}
        return self._base("invoke", user, name, self.chat_of(user), name="adaptiveCard/action", replyToId=card_id,
                          value={"action": action, "trigger": "manual"})

    def invoke(self, user: str, name: str, invoke_name: str, value: Any) -> dict[str, Any]:
        return self._base("invoke", user, name, self.chat_of(user), name=invoke_name, value=value)


def member(user: str, name: str, email: str) -> dict[str, Any]:
    """A roster entry as ``pagedmembers`` returns it."""
    return {"id": user, "name": name, "email": email, "userPrincipalName": email, "aadObjectId": f"aad-{user}",
            "tenantId": TENANT, "userRole": "user"}
