"""Wake-ups on PostgreSQL: an announcement reaches every listening worker at once, and a listener
whose connection is cut reconnects and wakes its worker again (a notice may have been missed)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from storage.db import make_engine
from storage.wakeups import Listener, Wakeups


class Wakes:
    """Counts wakes, and lets a test wait for the n-th."""

    def __init__(self) -> None:
        self.count = 0
        self._changed = threading.Condition()

    def __call__(self) -> None:
        with self._changed:
            self.count += 1
            self._changed.notify_all()

    def reach(self, n: int, within: float = 5.0) -> bool:
        with self._changed:
            return self._changed.wait_for(lambda: self.count >= n, timeout=within)


@pytest.fixture
def listening(wakeups: Wakeups) -> Iterator[tuple[Listener, Wakes]]:
    wakes = Wakes()
    listener = wakeups.listen(wakes)
    assert wakes.reach(1), "a listener wakes its worker once it is connected"
    yield listener, wakes
    listener.stop()


def test_an_announcement_wakes_every_listening_worker(wakeups: Wakeups, listening: tuple[Listener, Wakes]) -> None:
    _, first = listening
    second = Wakes()
    other = wakeups.listen(second)
    try:
        assert second.reach(1)
        wakeups.announce()
        assert first.reach(2) and second.reach(2)
    finally:
        other.stop()


def test_each_announcement_wakes_the_worker_again(wakeups: Wakeups, listening: tuple[Listener, Wakes]) -> None:
    _, wakes = listening
    for n in range(2, 5):
        wakeups.announce()
        assert wakes.reach(n)


def test_a_listener_whose_connection_is_cut_reconnects_and_wakes_its_worker(
        wakeups: Wakeups, listening: tuple[Listener, Wakes]) -> None:
    listener, wakes = listening
    with wakeups.engine.connect() as conn:
        cut = conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE query = 'LISTEN microcoach_work' AND pid <> pg_backend_pid()")).all()
        conn.commit()
    assert cut
    assert wakes.reach(2, within=10), "woken again once reconnected, for what it may have missed"
    assert listener.connections == 2
    wakeups.announce()
    assert wakes.reach(3)


def test_a_stopped_listener_wakes_nobody(wakeups: Wakeups, listening: tuple[Listener, Wakes]) -> None:
    listener, wakes = listening
    listener.stop()
    wakeups.announce()
    time.sleep(1.0)
    assert wakes.count == 1


def test_wake_ups_need_postgresql(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    with pytest.raises(ValueError, match="PostgreSQL"):
        Wakeups(engine)
    engine.dispose()
