"""School calendars into skip days: ``skip import`` reads a district's iCalendar (.ics) from an
https link or a file and turns every event in a window into the cohort's local dates.

Reading is a pure function; fetching is the only I/O. :class:`IcsCalendar` is the core's calendar port.
"""

from __future__ import annotations

import http.client
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from bot.core.ports import CalendarError, CalendarSkip
from scheduler.cadence import zone

MAX_BYTES = 5 * 1024 * 1024
MAX_OCCURRENCES = 2_000
MAX_REASON = 200
DEFAULT_REASON = "calendar"
FETCH_TIMEOUT = 10.0

# Occurrences are asked for from a little before the window to a little after it, so that an
# event in any zone (UTC-12 … UTC+14) that lands on a window date is seen; a week at a time, so
# that the occurrence cap stops a runaway rule before it has filled the whole window.
_MARGIN = timedelta(days=2)
_CHUNK = timedelta(days=7)

_NOT_ICS = (
    "That file isn't an iCalendar (.ics) file. Could you export the calendar as .ics and try again?"
)
_UNREADABLE = "Some events in that calendar couldn't be read. Could you export it again and retry?"
_TOO_BIG = (
    "That calendar is over 5 MB, more than I can read. Could you export just this school year?"
)
_REDIRECT = "That link sent me on to an address that isn't https, so I stopped there."
_INCOMPLETE = "That link looks incomplete. Could you paste the whole https address?"


def skip_days_from_ics(data: bytes, *, tz: str, start: date, end: date) -> list[CalendarSkip]:
    """Every event occurrence touching the local dates ``start``..``end`` (inclusive) in ``tz``,
    clipped to that window, one range per occurrence, identical ones once, in date order.

    All-day events end the day before their (exclusive) DTEND; timed ones (zoned, UTC or
    floating, read as wall time in ``tz``) cover every local date they touch. Cancelled events
    are left out. ``ValueError`` for an unknown zone or a window that ends before it starts.
    """
    if end < start:
        raise ValueError(f"the window ends before it starts: {start}..{end}")
    local_zone = zone(tz)
    found: set[CalendarSkip] = set()
    count = 0
    for first, last, reason in _spans(_parse(data), local_zone, start, end):
        if last < start or first > end:
            continue
        count += 1
        if count > MAX_OCCURRENCES:
            raise CalendarError(
                f"That calendar has more than {MAX_OCCURRENCES:,} events between {start} and "
                f"{end}, more than I can import at once. Could you export just the days off?"
            )
        found.add(CalendarSkip(max(first, start), min(last, end), reason))
    return sorted(found, key=lambda skip: (skip.start, skip.end, skip.reason))


def _parse(data: bytes) -> icalendar.Calendar:
    if len(data) > MAX_BYTES:
        raise CalendarError(_TOO_BIG)
    text = data.decode("utf-8-sig", errors="replace")
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, KeyError, IndexError) as error:
        raise CalendarError(_NOT_ICS) from error
    if calendar.name != "VCALENDAR":
        raise CalendarError(_NOT_ICS)
    return calendar


def _spans(
    calendar: icalendar.Calendar, local_zone: ZoneInfo, first_day: date, last_day: date
) -> Iterator[tuple[date, date, str]]:
    """(first local date, last local date, reason) of each occurrence near the window, once."""
    try:
        for event in _occurrences(calendar, first_day, last_day):
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue
            first, last = _local_dates(event.start, event.end, local_zone)
            yield first, last, _reason(event.get("SUMMARY"))
    except (ValueError, KeyError, TypeError, OverflowError) as error:
        raise CalendarError(_UNREADABLE) from error


def _occurrences(
    calendar: icalendar.Calendar, first_day: date, last_day: date
) -> Iterator[icalendar.Component]:
    query = recurring_ical_events.of(calendar)
    seen: set[tuple[str, date, date, str]] = set()
    cursor = datetime.combine(first_day - _MARGIN, time())
    stop = datetime.combine(last_day + _MARGIN, time())
    while cursor < stop:
        # A long event shows up in every week it spans; it is one occurrence.
        for event in query.between(cursor, min(cursor + _CHUNK, stop)):
            key = (str(event.get("UID", "")), event.start, event.end, str(event.get("SUMMARY")))
            if key not in seen:
                seen.add(key)
                yield event
        cursor += _CHUNK


def _local_dates(
    start: date | datetime, end: date | datetime, local_zone: ZoneInfo
) -> tuple[date, date]:
    """An all-day end is exclusive; a timed event ending at local midnight stops the day before."""
    if not isinstance(start, datetime):
        return start, (end - timedelta(days=1) if end > start else start)
    local_start, local_end = _wall(start, local_zone), _wall(end, local_zone)
    if local_end <= local_start:
        return local_start.date(), local_start.date()
    last = local_end.date()
    if local_end.time() == time():
        last -= timedelta(days=1)
    return local_start.date(), last


def _wall(moment: date | datetime, local_zone: ZoneInfo) -> datetime:
    """The teacher's clock at ``moment``; a floating time already is one."""
    if not isinstance(moment, datetime):
        return datetime.combine(moment, time())
    return moment if moment.tzinfo is None else moment.astimezone(local_zone)


def _reason(summary: object) -> str:
    text = " ".join(str(summary or "").split())
    return text[:MAX_REASON].rstrip() or DEFAULT_REASON


class IcsCalendar:
    """The core's calendar port: fetch, then read the events as skip days."""

    def __init__(self, fetcher: CalendarFetcher | None = None) -> None:
        self.fetcher = fetcher or CalendarFetcher()

    def skip_days(self, source: str, *, tz: str, start: date, end: date) -> list[CalendarSkip]:
        return skip_days_from_ics(self.fetcher.fetch(source), tz=tz, start=start, end=end)


@dataclass(frozen=True)
class FetchWording:
    """How the fetcher's errors name what it fetches (a calendar; a roster for ``roster upload``)."""

    noun: str = "calendar"
    example: str = "https://district.org/calendar.ics"
    too_big: str = _TOO_BIG
    accept: str = "text/calendar, */*"


class CalendarFetcher:
    """Fetches calendars over https (``webcal://`` is read as https) or from a local path; with
    another :class:`FetchWording`, any file a command names the same way.

    ``allow_http_hosts`` and ``ssl_context`` exist for tests (a plain-http or self-signed server
    on 127.0.0.1) and private networks; they are set by the code that builds the fetcher, never
    from what a user typed.
    """

    def __init__(
        self,
        *,
        allow_http_hosts: Iterable[str] = (),
        timeout: float = FETCH_TIMEOUT,
        ssl_context: ssl.SSLContext | None = None,
        wording: FetchWording = FetchWording(),
    ) -> None:
        self._http_hosts = frozenset(host.lower() for host in allow_http_hosts)
        self._timeout = timeout
        self._ssl_context = ssl_context
        self.wording = wording

    def fetch(self, source: str) -> bytes:
        source = source.strip()
        if "://" in source:
            return self._download(self._url(source))
        return _read_file(Path(source), self.wording)

    def _allowed(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            scheme, host, _ = parts.scheme.lower(), (parts.hostname or "").lower(), parts.port
        except ValueError:  # a malformed address or port
            return False
        return bool(host) and (scheme == "https" or (scheme == "http" and host in self._http_hosts))

    def _url(self, source: str) -> str:
        scheme = source.split("://", 1)[0].lower()
        if scheme in ("webcal", "webcals"):
            scheme, source = "https", "https" + source[len(scheme):]
        if self._allowed(source):
            return source
        raise CalendarError(_INCOMPLETE if scheme == "https" else
                            f"I can only fetch {self.wording.noun}s over https, like {self.wording.example}.")

    def _download(self, url: str) -> bytes:
        host = urlsplit(url).hostname
        opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=self._ssl_context), _RedirectGuard(self._allowed)
        )
        headers = {"User-Agent": f"MicroCoach {self.wording.noun} import", "Accept": self.wording.accept}
        request = urllib.request.Request(url, headers=headers)
        try:
            with opener.open(request, timeout=self._timeout) as response:
                length = response.headers.get("Content-Length", "")
                if length.isdigit() and int(length) > MAX_BYTES:
                    raise CalendarError(self.wording.too_big)
                body: bytes = response.read(MAX_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise CalendarError(
                f"{host} answered with an error ({error.code}), so I couldn't get the {self.wording.noun}. "
                "Is the link still current?"
            ) from None
        except (OSError, http.client.HTTPException) as error:
            raise CalendarError(_unreachable(host, error, self.wording.noun)) from None
        if len(body) > MAX_BYTES:
            raise CalendarError(self.wording.too_big)
        return body


def _unreachable(host: str | None, error: Exception, noun: str) -> str:
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    if isinstance(reason, TimeoutError):
        return f"{host} took too long to answer. Could you try again in a little while?"
    return f"I couldn't reach {host} to get the {noun}. Could you check the link and try again?"


class _RedirectGuard(urllib.request.HTTPRedirectHandler):
    """Follows a redirect only to an address the fetcher would have accepted itself."""

    def __init__(self, allowed: Callable[[str], bool]) -> None:
        super().__init__()
        self._allowed = allowed

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        if not self._allowed(newurl):
            fp.close()
            raise CalendarError(_REDIRECT)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _read_file(path: Path, wording: FetchWording) -> bytes:
    try:
        if not path.is_file():
            raise CalendarError(f"I couldn't find a {wording.noun} file at {path}. Is there a typo?")
        if path.stat().st_size > MAX_BYTES:
            raise CalendarError(wording.too_big)
        return path.read_bytes()
    except OSError:
        raise CalendarError(f"I couldn't open the {wording.noun} file at {path}.") from None
