"""A worker process for the multi-process tests and benchmarks: the project's worker, built by
the composition root (:func:`bot.container.build`), sending through the test platform's chat port.

    python worker_process.py clockwork   # as `microcoach worker`, or serve's embedded scheduler
    python worker_process.py ticks       # as `microcoach tick` run again and again

Settings come from the environment as for `microcoach` (DATABASE_URL, MICROCOACH_LEASE_SECONDS,
MICROCOACH_TICK_SECONDS, …); the platform's address from PLATFORM_URL, and the name of the
platform it serves from PLATFORM_NAME (``slack`` unless set). Prints "ready" once built and stops
on SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys

from bot.container import Container, build
from bot.settings import Settings, load_settings
from platform_chat import PlatformChat
from scheduler.clockwork import Clockwork


def _build(settings: Settings) -> Container:
    chat = PlatformChat(os.environ["PLATFORM_URL"], platform=os.environ.get("PLATFORM_NAME", "slack"))
    return build(settings, chats={chat.platform: chat})


def _stop_on_sigterm() -> asyncio.Event:
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    return stop


async def clockwork(settings: Settings) -> None:
    container = _build(settings)
    stop = _stop_on_sigterm()
    clock = Clockwork(lambda: container.worker.tick(container.clock.now()), settings.tick_seconds)
    clock.start()
    print("ready", flush=True)
    await stop.wait()
    clock.shutdown()
    container.close()


async def ticks(settings: Settings) -> None:
    stop = _stop_on_sigterm()
    print("ready", flush=True)
    while not stop.is_set():
        container = _build(settings)
        try:
            await container.worker.tick(container.clock.now())
        finally:
            container.close()
        try:
            await asyncio.wait_for(stop.wait(), timeout=settings.tick_seconds)
        except TimeoutError:
            continue


if __name__ == "__main__":
    mode = {"clockwork": clockwork, "ticks": ticks}[sys.argv[1]]
    asyncio.run(mode(load_settings()))
