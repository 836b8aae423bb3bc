"""The coaching loop end to end in a real browser: `microcoach serve` from a fresh database, the
playground page in headless Chromium, and `microcoach tick --at` as the clock."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from support import skip_or_fail

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NEW_YORK = ZoneInfo("America/New_York")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def next_monday_0745(now: datetime) -> datetime:
    """A Monday 07:45 in New York at least two days ahead, so no real-time tick reaches it."""
    day = (now + timedelta(days=2)).astimezone(NEW_YORK).date()
    while day.weekday() != 0:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 7, 45, tzinfo=NEW_YORK)


def cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=cwd, env=_env(), capture_output=True,
                          text=True, timeout=120, check=True)


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "Microsoft", "OPENAI_", "MICROCOACH_", "DATABASE_URL", "TEAMS_"))}
    env.update(MICROCOACH_SCHEDULER="on", MICROCOACH_TICK_SECONDS="1", HOST="127.0.0.1")
    return env


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "serve", "--port", str(port)], cwd=tmp_path,
                               env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("serve did not become ready: " + (process.stdout.read() if process.stdout else ""))
    yield url, tmp_path
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def page(server):  # noqa: ANN001, ANN201
    if not Path(CHROMIUM).exists():
        skip_or_fail("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.goto(server[0] + "/")
        yield page
        browser.close()


def be(page, user: str) -> None:  # noqa: ANN001
    page.get_by_test_id("person-picker").select_option(user)


def type_message(page, text: str) -> None:  # noqa: ANN001
    page.get_by_test_id("composer").fill(text)
    page.get_by_test_id("send").click()


def expect_text(page, text: str) -> None:  # noqa: ANN001
    page.get_by_test_id("conversation").get_by_text(text, exact=False).first.wait_for()


def test_admin_sets_up_teacher_replies_coach_approves_teacher_gets_follow_up(page, server) -> None:  # noqa: ANN001
    _, cwd = server
    slot = next_monday_0745(datetime.now().astimezone())

    be(page, "u-admin")
    for line, answer in (("cohort create fall7 America/New_York", "Created cohort fall7"),
                         ("cohort coach fall7 @u-coach", "Coach Kim now coaches fall7"),
                         ("cadence set fall7 mon,wed 07:45", "prompts on Mon, Wed at 07:45"),
                         ("cohort add fall7 @u-ana", "Added to fall7: Ana Lopez")):
        type_message(page, line)
        expect_text(page, answer)

    cli(cwd, "tick", "--at", slot.isoformat())

    be(page, "u-ana")
    prompt = page.locator("[data-testid=message][data-direction=out]").filter(has=page.locator("[data-action-id='prompt.reflect']"))
    prompt.first.wait_for()
    type_message(page, "I counted to five and two quiet students in the back put their hands up.")
    expect_text(page, "Only Coach Kim sees your replies")

    be(page, "u-coach")
    approve = page.locator("[data-action-id='draft.approve']")
    approve.first.wait_for()
    expect_text(page, "two quiet students")
    approve.first.click()
    expect_text(page, "Approved by Coach Kim")

    cli(cwd, "tick", "--at", (slot + timedelta(minutes=5)).isoformat())

    be(page, "u-ana")
    expect_text(page, "— Coach Kim")
