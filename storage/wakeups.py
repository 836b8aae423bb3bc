"""Waking workers the moment there is new work, on PostgreSQL: ``serve`` announces each handled
event with ``NOTIFY``, and every ``worker`` listens with ``LISTEN``, so a teacher's reply is
drafted and its coach's card sent at once, not at the worker's next tick.

A notice carries nothing: the database stays the source of truth for what is due, and claims
decide which worker does it. A notice lost (the listener reconnecting, a worker starting) costs
only latency: the listener wakes its worker once after every (re)connection, and ticks go on.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from sqlalchemy.engine import Engine

from storage.autocommit import AutocommitConnections, open_autocommit

log = logging.getLogger("microcoach.wakeups")

CHANNEL = "microcoach_work"
POLL_SECONDS = 0.5
"""How often the listening thread looks up from waiting, to see whether it was stopped."""
RECONNECT_SECONDS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)


class Wakeups:
    """``NOTIFY`` / ``LISTEN`` on one channel of the engine's PostgreSQL database."""

    def __init__(self, engine: Engine):
        if engine.dialect.name != "postgresql":
            raise ValueError("wake-ups need PostgreSQL")
        self.engine = engine
        self._connections = AutocommitConnections(engine)

    def announce(self) -> None:
        """Tell every listening worker that there is new work: one autocommitted ``NOTIFY``
        (:mod:`storage.autocommit`); :class:`StoreUnavailable` when the database is away."""
        self._connections.execute(f"NOTIFY {CHANNEL}")

    def listen(self, wake: Callable[[], None]) -> Listener:
        """Call ``wake`` (from a thread of the listener's own) for each notice, and once after
        each connection is made; until :meth:`Listener.stop`."""
        listener = Listener(self.engine, wake)
        listener.start()
        return listener


class Listener:
    def __init__(self, engine: Engine, wake: Callable[[], None]):
        self.engine = engine
        self.wake = wake
        self.connections = 0
        """Connections made so far (each followed by one wake)."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="wakeups", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=POLL_SECONDS * 4)

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            try:
                self._listen()
                failures = 0
            except Exception as error:  # noqa: BLE001 — an outage: ticks go on, and the listener reconnects
                wait = RECONNECT_SECONDS[min(failures, len(RECONNECT_SECONDS) - 1)]
                failures += 1
                log.warning("listening for new work failed (%s); trying again in %.1f s", type(error).__name__, wait)
                self._stop.wait(wait)

    def _listen(self) -> None:
        conn = open_autocommit(self.engine)
        try:
            conn.execute(f"LISTEN {CHANNEL}")
            self.connections += 1
            self.wake()
            while not self._stop.is_set():
                for _ in conn.notifies(timeout=POLL_SECONDS):
                    self.wake()
                    if self._stop.is_set():
                        break
        finally:
            conn.close()
