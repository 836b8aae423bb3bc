"""Student rosters for the privacy guard: ``roster upload`` / ``roster clear`` through the core
(SQLite and PostgreSQL), the names stored encrypted, and every one of them kept from the model,
even where the guard's rules alone would let it through."""

from __future__ import annotations

import itertools
import json
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.clock import FixedClock
from bot.container import build
from bot.core import cards
from bot.core.ports import RosterError
from bot.drafting.names import NameBook
from bot.drafting.privacy import PrivacyGuard, PrivateNames
from bot.drafting.roster import read_roster
from bot.settings import Settings, load_settings
from conftest_loop import MONDAY_0745_NY, School
from fake_openai import FakeOpenAI, echo_placeholders
from fakes import RecordingChat
from storage.crypto import Sealer

KEY = Sealer.new_key()
ROSTER_CSV = "Student ID,First Name,Last Name,Preferred Name\n4411,Will,Brightwater,\n4412,Hope,Okafor,\n" \
             "4413,Zephyrine,Adeyemi,Zeph\n4414,River,Tavita,\n"
ROSTER_NAMES = ["Will", "Brightwater", "Hope", "Okafor", "Zephyrine", "Adeyemi", "Zeph", "River", "Tavita"]
REPLY = ("will finally raised his hand after the pause. I paired hope with a new partner, and brightwater answered "
         "first. i moved zephyrine to the front row; river and tavita argued about it.")
MISSED_BY_RULES = ["will", "hope", "brightwater", "zephyrine", "river", "tavita"]


@pytest.fixture
def school(db_url: str, fake: FakeOpenAI) -> Iterator[School]:
    """A cohort drafting with the fake model, built from the settings as in production."""
    clock = FixedClock(datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc))
    chat = RecordingChat()
    settings = load(db_url, fake, MICROCOACH_SECRET_KEY=KEY)
    container = build(settings, clock=clock, chats={"playground": chat})
    school = School(container, chat, clock, itertools.count(1))
    ws = container.store.ensure_workspace("playground", "demo", "Maple Grove", at=clock.now())
    for user, name in (("u-admin", "Dana"), ("u-coach", "Coach Kim"), ("u-other", "Otto Coach"), ("u-ana", "Ana Lopez")):
        container.store.ensure_person(ws.id, user, display_name=name, tz="America/New_York", at=clock.now())
    for line in ("cohort create fall7 America/New_York", "cohort coach fall7 @u-coach", "cadence set fall7 mon 07:45",
                 "cohort add fall7 @u-ana", "cohort create spring8", "cohort coach spring8 @u-other"):
        assert not school.say("u-admin", line).refused
    yield school
    container.close()


def load(db_url: str, fake: FakeOpenAI, **more: str) -> Settings:
    return load_settings(DATABASE_URL=db_url, OPENAI_BASE_URL=fake.url, MICROCOACH_ADMINS="playground:u-admin", **more)


@pytest.fixture
def roster_file(tmp_path: Path) -> Path:
    path = tmp_path / "fall7-roster.csv"
    path.write_text(ROSTER_CSV, "utf-8")
    return path


def replies_sent(fake: FakeOpenAI) -> list[str]:
    """The teacher's reply as each request carried it (the rest is our instructions and the library's prompt)."""
    return [json.loads(body["messages"][-1]["content"].split("\n", 1)[1])["teacher_reply"] for body in fake.requests]


def stored(school: School) -> list[tuple[str, int]]:
    with school.container.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text("SELECT data, names FROM roster"))]


def audits(school: School, action: str) -> int:
    workspace_id = school.person("u-admin").workspace_id
    return sum(entry.action == action for entry in school.container.store.audit_entries(workspace_id))


# The guard ------------------------------------------------------------------------------------


def test_the_rules_alone_let_these_roster_names_through(book: NameBook) -> None:
    """The premise of the roster: lowercase and everyday-word names the rules cannot tell."""
    redacted = PrivacyGuard(book).vault("Ana Lopez", "Coach Kim").redact(REPLY)
    assert [name for name in MISSED_BY_RULES if re.search(rf"\b{name}\b", redacted)] == MISSED_BY_RULES


def test_the_model_never_receives_a_roster_name_and_the_draft_gets_them_back(
        school: School, fake: FakeOpenAI, roster_file: Path) -> None:
    fake.default = echo_placeholders()
    assert not school.say("u-coach", f"roster upload fall7 {roster_file}").refused
    school.tick(MONDAY_0745_NY)
    school.say("u-ana", REPLY)
    school.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [sent] = replies_sent(fake)
    assert [n for n in ROSTER_NAMES if re.search(rf"\b{n}\b", sent, re.I)] == []
    [card] = [s for s in school.chat.to("u-coach") if any(b.action_id == cards.APPROVE for b in s.message.buttons)]
    draft = card.message.sections[-1].text
    assert all(re.search(rf"\b{name}\b", draft) for name in MISSED_BY_RULES)


def test_a_roster_uploaded_later_counts_from_the_next_draft(
        school: School, fake: FakeOpenAI, roster_file: Path) -> None:
    school.tick(MONDAY_0745_NY)
    school.say("u-ana", "brightwater answered first today.", message_id="ana-1")
    school.tick(MONDAY_0745_NY + timedelta(minutes=1))
    assert not school.say("u-admin", f"roster upload fall7 {roster_file}").refused
    school.say("u-ana", "brightwater answered first again today.", kind="edit", message_id="ana-1")
    school.tick(MONDAY_0745_NY + timedelta(minutes=2))
    assert replies_sent(fake) == ["brightwater answered first today.", "[NAME_1] answered first again today."]


def test_a_roster_name_is_found_in_any_case_with_or_without_accents_and_as_a_possessive(book: NameBook) -> None:
    guard = PrivacyGuard(book, lambda: PrivateNames(students=("José Núñez", "Will")))
    vault = guard.vault("Ana Lopez", "Coach Kim")
    assert vault.redact("jose and NUNEZ; will’s book. I will try.") == "[NAME_1] and [NAME_2]; [NAME_3]’s book. I [NAME_3] try."
    assert vault.restore("[NAME_1], [NAME_2] and [NAME_3]") == "jose, NUNEZ and will"


def test_a_school_sized_roster_costs_a_request_little(book: NameBook) -> None:
    letters = "abcdefghijklmnopqrstuvwxyz"
    names = tuple(f"{letters[i % 26].upper()}{letters[i // 26 % 26]}{letters[i // 676 % 26]}ra {letters[i % 7]}on"
                  for i in range(20_000))
    guard = PrivacyGuard(book, lambda: PrivateNames(students=names))
    guard.vault("Ana Lopez", "Coach Kim").redact("warm up")
    started = time.perf_counter()
    for _ in range(10):
        guard.vault("Ana Lopez", "Coach Kim").redact(REPLY * 3)
    assert (time.perf_counter() - started) / 10 < 0.05


# Storing it -----------------------------------------------------------------------------------


def test_the_stored_roster_is_encrypted(school: School, roster_file: Path) -> None:
    outcome = school.say("u-coach", f"roster upload fall7 {roster_file}")
    assert "Stored fall7's student roster: 9 name(s)" in outcome.notices[0]
    [(data, count)] = stored(school)
    assert count == 9 and data.startswith("fernet:")
    assert [n for n in ROSTER_NAMES + ["4411"] if n.lower() in data.lower()] == []
    assert Sealer(KEY).open(data).splitlines() == ROSTER_NAMES


def test_an_upload_and_a_clear_are_audited_once_each_without_names(school: School, roster_file: Path) -> None:
    school.say("u-coach", f"roster upload fall7 {roster_file}")
    assert "Replaced" in school.say("u-coach", f"roster upload fall7 {roster_file}").notices[0]
    assert "Cleared fall7's student roster" in school.say("u-coach", "roster clear fall7").notices[0]
    assert stored(school) == []
    assert (audits(school, "roster upload"), audits(school, "roster clear")) == (2, 1)
    entries = school.container.store.audit_entries(school.person("u-admin").workspace_id)
    assert [e.target for e in entries if e.action.startswith("roster")] == ["cohort:fall7"] * 3
    assert not [e for e in entries if "Brightwater" in str(e.details)]


@pytest.mark.parametrize("user, allowed", [("u-admin", True), ("u-coach", True), ("u-other", False), ("u-ana", False)])
def test_a_cohorts_coach_or_an_admin_may_upload_its_roster(
        school: School, roster_file: Path, user: str, allowed: bool) -> None:
    outcome = school.say(user, f"roster upload fall7 {roster_file}", kind="command")
    assert outcome.refused is not allowed
    assert len(stored(school)) == int(allowed)
    if not allowed:
        assert "Only admins, or coaches for their own cohorts, can upload a cohort's student roster." in outcome.notices


@pytest.mark.parametrize("content, says", [
    (b"PK\x03\x04\x14\x00\x00\x00binary", "isn't text"),
    ("Student ID,Grade\n4411,5\n".encode(), "no column I know holds names"),
    ("Will Brightwater\nHope Okafor\n4413\n".encode(), "Line 3 doesn't look like a name"),
    ("first name,last name\nWill,Brightwater\nHope,ok@school.org\n".encode(), "Line 3 doesn't look like a name"),
    (b"\n  \n", "no names in it"),
])
def test_a_bad_roster_is_refused_clearly_and_changes_nothing(
        school: School, roster_file: Path, tmp_path: Path, content: bytes, says: str) -> None:
    school.say("u-coach", f"roster upload fall7 {roster_file}")
    before = stored(school)
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content)
    outcome = school.say("u-coach", f"roster upload fall7 {bad}")
    assert outcome.refused and says in outcome.notices[0] and "Nothing was stored." in outcome.notices[0]
    assert stored(school) == before and audits(school, "roster upload") == 1


def test_a_missing_file_an_unknown_cohort_and_plain_http_are_refused(school: School, tmp_path: Path) -> None:
    assert "couldn't find a roster file" in school.say("u-admin", f"roster upload fall7 {tmp_path / 'nope.csv'}").notices[0]
    assert "fall9" in school.say("u-admin", f"roster upload fall9 {tmp_path / 'nope.csv'}").notices[0]
    assert "only fetch rosters over https" in school.say("u-admin", "roster upload fall7 http://x.org/r.csv").notices[0]
    assert "nothing to clear" in school.say("u-admin", "roster clear fall7").notices[0]
    assert stored(school) == [] and audits(school, "roster upload") == 0


def test_without_a_secret_key_no_roster_is_stored(db_url: str, fake: FakeOpenAI, roster_file: Path) -> None:
    clock = FixedClock(datetime(2026, 11, 23, 15, 0, tzinfo=timezone.utc))
    container = build(load(db_url, fake), clock=clock, chats={"playground": RecordingChat()})
    school = School(container, RecordingChat(), clock, itertools.count(1))
    container.store.ensure_workspace("playground", "demo", "Demo", at=clock.now())
    school.say("u-admin", "cohort create fall7")
    outcome = school.say("u-admin", f"roster upload fall7 {roster_file}")
    assert outcome.refused and "MICROCOACH_SECRET_KEY" in outcome.notices[0] and stored(school) == []
    container.close()


def test_a_roster_that_no_longer_opens_means_offline_drafts_not_a_leak(
        school: School, fake: FakeOpenAI, roster_file: Path) -> None:
    """A key changed without re-uploading: the names cannot be read, so no text goes to the model."""
    school.say("u-coach", f"roster upload fall7 {roster_file}")
    with school.container.engine.begin() as conn:
        conn.execute(text("UPDATE roster SET data = :d, stamp = 'rotated'"), {"d": Sealer(Sealer.new_key()).seal("x")})
    school.tick(MONDAY_0745_NY)
    school.say("u-ana", REPLY)
    school.tick(MONDAY_0745_NY + timedelta(minutes=1))
    [card] = [s for s in school.chat.to("u-coach") if any(b.action_id == cards.APPROVE for b in s.message.buttons)]
    assert fake.requests == [] and "offline" in " ".join(v for s in card.message.sections for _, v in s.facts)


# Reading it -----------------------------------------------------------------------------------


def test_a_csv_gives_the_names_under_its_name_headings_each_once() -> None:
    data = "\ufeffstudent_id;FIRST_NAME;last-name\n1;Amaru;Quispe\n2;Siobhán;O’Neill\n3;Amaru;Quispe\n"
    assert read_roster(data.encode()) == ["Amaru", "Quispe", "Siobhán", "O’Neill"]


def test_one_name_a_line_is_read_as_written() -> None:
    assert read_roster("Will Brightwater\n\nMary-Kate N. Ruiz\nJosé\n".encode("cp1252")) == [
        "Will Brightwater", "Mary-Kate N. Ruiz", "José"]


def test_a_roster_of_only_headings_has_no_names() -> None:
    with pytest.raises(RosterError, match="no names"):
        read_roster(b"first name,last name\n")
