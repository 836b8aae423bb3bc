"""The local web playground: a page that plays a chat workspace, so anyone can try MicroCoach
with zero credentials. Served only on a loopback address."""

from __future__ import annotations

from bot.adapters.playground.chat import PlaygroundChat
from bot.adapters.playground.routes import add_routes
from bot.adapters.playground.seed import demo_people, seed_demo

__all__ = ["PlaygroundChat", "add_routes", "demo_people", "seed_demo"]
