"""Student rosters for the privacy guard: ``roster upload`` reads one (a CSV with a header, or one
name a line, from a file or an https link), and it is stored sealed with MICROCOACH_SECRET_KEY.
Every name on any roster is redacted before text leaves for a model, whatever the rules think.

Reading is a pure function; :class:`RosterFiles` is the core's roster port (fetch, read, seal)
and :class:`RosterNames` what the guard asks for the names on each request.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from bot.core.ports import CalendarError, RosterError
from scheduler.calendar_import import FetchWording

log = logging.getLogger("microcoach.roster")

MAX_NAMES = 20_000
MAX_NAME_LENGTH = 80
WORDING = FetchWording(
    noun="roster", example="https://district.org/roster.csv", accept="text/csv, text/plain, */*",
    too_big="That roster is over 5 MB, more than I can read. Could you upload just the names?",
)
NAME_HEADERS = frozenset({
    "name", "names", "first", "first name", "firstname", "given name", "given names", "preferred name",
    "preferred first name", "nickname", "middle name", "last", "last name", "lastname", "surname", "family name",
    "student", "student name", "student first name", "student last name", "full name", "legal name",
})
"""Column headings (lowercase, single-spaced, ``_`` read as a space) whose cells are names."""

_NAME = re.compile(r"[^\W\d_]+(?:[ '’.,-]+[^\W\d_]+)*\.?")
_SEPARATORS = ",;\t"
_NO_KEY = ("Rosters are kept encrypted, and this MicroCoach has no MICROCOACH_SECRET_KEY to encrypt them with. "
           "Ask whoever runs it to set one (`microcoach secret-key` prints a new key). Nothing was stored.")
_BINARY = ("That file isn't text: a spreadsheet or a document, perhaps. Save it as CSV (or plain text, one "
           "name a line) and upload that. Nothing was stored.")
_NO_HEADER = ("That CSV has no column I know holds names. Give it a header row naming them, like "
              "`first name,last name` (or `name`, `preferred name`), or upload one name a line. Nothing was stored.")


def read_roster(data: bytes) -> list[str]:
    """The names in a roster file, each once, in file order. :class:`RosterError` (saying which
    line) for a file that is not text, has no name column, or holds a line that is not a name."""
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04" or data[:5] == b"%PDF-":
        raise RosterError(_BINARY)
    text = _decode(data)
    lines = text.splitlines()
    if any(sep in line for line in lines for sep in _SEPARATORS):
        found = _from_csv(text)
    else:
        found = [(number, line.strip()) for number, line in enumerate(lines, 1) if line.strip()]
    names: dict[str, str] = {}
    for number, name in found:
        name = " ".join(name.split())
        if len(name) > MAX_NAME_LENGTH or not _NAME.fullmatch(name):
            raise RosterError(f"Line {number} doesn't look like a name: names have letters, spaces, hyphens and "
                              "apostrophes only. Fix that line and upload the roster again. Nothing was stored.")
        names.setdefault(name.casefold(), name)
    if not names:
        raise RosterError("That roster has no names in it. Nothing was stored.")
    if len(names) > MAX_NAMES:
        raise RosterError(f"That roster has more than {MAX_NAMES:,} names, more than one cohort needs. "
                          "Nothing was stored.")
    return list(names.values())


def _decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252, which spreadsheets export."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _from_csv(text: str) -> list[tuple[int, str]]:
    """(line number, cell) of each non-empty cell under a name heading."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=_SEPARATORS)
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader, [])
        columns = [i for i, cell in enumerate(header) if _heading(cell) in NAME_HEADERS]
        if not columns:
            raise RosterError(_NO_HEADER)
        return [(reader.line_num, row[i].strip()) for row in reader for i in columns
                if i < len(row) and row[i].strip()]
    except csv.Error as error:
        raise RosterError(f"Line {reader.line_num} of that CSV couldn't be read ({error}). "
                          "Nothing was stored.") from None


def _heading(cell: str) -> str:
    return " ".join(cell.replace("_", " ").replace("-", " ").lower().split())


class Sealer(Protocol):
    """Encryption at rest (:class:`storage.crypto.Sealer`)."""

    @property
    def can_seal(self) -> bool: ...

    def seal(self, text: str) -> str: ...

    def open(self, blob: str) -> str: ...


class RosterFiles:
    """The core's roster port: fetch a roster (a file or an https link), read it, seal it."""

    def __init__(self, fetch: Callable[[str], bytes], sealer: Sealer):
        self.fetch = fetch
        self.sealer = sealer

    def read(self, source: str) -> list[str]:
        if not self.sealer.can_seal:
            raise RosterError(_NO_KEY)
        try:
            data = self.fetch(source)
        except CalendarError as error:
            raise RosterError(error.message + " Nothing was stored.") from None
        return read_roster(data)

    def seal(self, names: Sequence[str]) -> str:
        if not self.sealer.can_seal:
            raise RosterError(_NO_KEY)
        return self.sealer.seal("\n".join(names))


class RosterStore(Protocol):
    def roster_stamps(self) -> list[str]: ...

    def roster_data(self) -> list[str]: ...


class RosterNames:
    """Every name on every stored roster, opened once and kept until a roster changes (one small
    query per request tells). A roster that will not open stops the model being used at all:
    better an offline draft than a name let through."""

    def __init__(self, store: RosterStore, sealer: Sealer):
        self.store = store
        self.sealer = sealer
        self._lock = threading.Lock()
        self._stamps: list[str] | None = None
        self._names: tuple[str, ...] = ()

    def __call__(self) -> tuple[str, ...]:
        stamps = self.store.roster_stamps()
        with self._lock:
            if stamps != self._stamps:
                self._names = self._open(self.store.roster_data())
                self._stamps = stamps
            return self._names

    def _open(self, blobs: list[str]) -> tuple[str, ...]:
        names: list[str] = []
        for blob in blobs:
            try:
                names += self.sealer.open(blob).splitlines()
            except ValueError as error:
                log.error("a stored roster does not open (%s); drafts are written offline until it does", error)
                raise
        return tuple(dict.fromkeys(n for n in names if n))
