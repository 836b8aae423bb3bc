"""Worker processes (:mod:`worker_process`) for a test or a benchmark: started against one
database and one test platform, killed or stopped at will, their CPU time collected."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def wait_until(condition: Callable[[], bool], timeout: float, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()


@dataclass
class WorkerPool:
    database_url: str
    platform_url: str
    lease_seconds: float = 2.0
    tick_seconds: float = 0.5
    logs: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    """More of the workers' environment (settings such as OPENAI_BASE_URL, or PLATFORM_NAME)."""
    processes: list[subprocess.Popen[str]] = field(default_factory=list)
    cpu_seconds: float = 0.0
    """User and system CPU time of the workers stopped so far."""

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("SLACK_", "Microsoft", "TEAMS_", "OPENAI_", "MICROCOACH_", "DATABASE_URL"))}
        env.update(
            PYTHONPATH=os.pathsep.join([str(ROOT), str(HERE)]), DATABASE_URL=self.database_url,
            PLATFORM_URL=self.platform_url, MICROCOACH_LEASE_SECONDS=str(self.lease_seconds),
            MICROCOACH_TICK_SECONDS=str(self.tick_seconds), MICROCOACH_QUIET_WINDOW="00:00-23:59", LOG_LEVEL="WARNING",
        )
        env.update(self.env)
        return env

    def start(self, count: int = 1, mode: str = "clockwork", *, ready: bool = True) -> list[subprocess.Popen[str]]:
        """Start ``count`` workers; with ``ready``, return once each has built its container."""
        started = []
        for _ in range(count):
            log = open(self.logs / f"worker-{len(self.processes)}.log", "w") if self.logs else subprocess.DEVNULL  # noqa: SIM115
            process = subprocess.Popen([sys.executable, str(HERE / "worker_process.py"), mode], env=self._env(),
                                       cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True)
            self.processes.append(process)
            started.append(process)
        if ready:
            for process in started:
                line = process.stdout.readline() if process.stdout else ""
                if line.strip() != "ready":
                    raise RuntimeError(f"worker {process.pid} did not start (exit {process.poll()})")
        return started

    def kill(self, process: subprocess.Popen[str]) -> None:
        process.send_signal(signal.SIGKILL)
        self._reap(process)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            self._reap(process)

    def _reap(self, process: subprocess.Popen[str], timeout: float = 15.0) -> None:
        """Wait for ``process`` to end (killing it after ``timeout``) and add up its CPU time."""
        deadline = time.monotonic() + timeout
        while process.returncode is None:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                process.returncode = os.waitstatus_to_exitcode(status)
                self.cpu_seconds += usage.ru_utime + usage.ru_stime
            elif time.monotonic() > deadline:
                process.send_signal(signal.SIGKILL)
            else:
                time.sleep(0.02)
