"""`skip import`: a district's iCalendar becomes skip days in the cohort's local dates, fetched
only over https (or from a file), with clear words when the calendar can't be used."""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from scheduler.calendar_import import (
    DEFAULT_REASON,
    MAX_BYTES,
    MAX_OCCURRENCES,
    MAX_REASON,
    CalendarError,
    CalendarFetcher,
    CalendarSkip,
    skip_days_from_ics,
)

ICS = Path(__file__).parent.parent / "fixtures" / "ics"
NEW_YORK = "America/New_York"
SCHOOL_YEAR = (date(2025, 8, 1), date(2026, 6, 30))
NOT_ICS = "That file isn't an iCalendar (.ics) file."
LOOPBACK = ipaddress.ip_address("127.0.0.1")


def fixture(name: str) -> bytes:
    return (ICS / name).read_bytes()


def skips(
    data: bytes, tz: str = NEW_YORK, window: tuple[date, date] = SCHOOL_YEAR
) -> list[CalendarSkip]:
    return skip_days_from_ics(data, tz=tz, start=window[0], end=window[1])


def ranges(found: list[CalendarSkip], reason: str) -> list[tuple[date, date]]:
    return [(skip.start, skip.end) for skip in found if skip.reason == reason]


def calendar(*events: str) -> bytes:
    """A calendar holding ``events``, each the lines inside one VEVENT (a UID added if missing)."""
    body = "".join(
        f"BEGIN:VEVENT\n{'' if 'UID:' in lines else f'UID:event-{n}@test'}\n{lines}\nEND:VEVENT\n"
        for n, lines in enumerate(events)
    )
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{body}END:VCALENDAR\n".encode()


def day(d: date) -> tuple[date, date]:
    return d, d


# --- recurrences ------------------------------------------------------------------------------

def test_weekly_rule_leaves_out_its_exdate() -> None:
    found = ranges(skips(fixture("testing_weekly_exdate.ics")), "State testing window")
    assert found == [day(date(2026, 3, 4)), day(date(2026, 3, 11)), day(date(2026, 3, 25))]


def test_timed_weekly_rule_leaves_out_its_zoned_exdate() -> None:
    found = ranges(skips(fixture("testing_weekly_exdate.ics")), "Early release")
    assert found == [day(date(2026, 1, 9)), day(date(2026, 1, 23)), day(date(2026, 1, 30))]


def test_rdate_adds_dates_to_the_event() -> None:
    found = ranges(skips(fixture("rdate.ics")), "Assessment make-up day")
    assert found == [day(date(2026, 1, 15)), day(date(2026, 2, 12)), day(date(2026, 3, 12))]


def test_moved_occurrence_lands_on_its_new_date() -> None:
    data = calendar(
        "SUMMARY:Testing\nDTSTART;VALUE=DATE:20260304\nRRULE:FREQ=WEEKLY;COUNT=2",
        "UID:event-0@test\nSUMMARY:Testing (moved)\nRECURRENCE-ID;VALUE=DATE:20260311\n"
        "DTSTART;VALUE=DATE:20260313",
    )
    assert [(s.start, s.reason) for s in skips(data)] == [
        (date(2026, 3, 4), "Testing"),
        (date(2026, 3, 13), "Testing (moved)"),
    ]


def test_only_recurrences_inside_the_window_are_read() -> None:
    window = (date(2026, 3, 10), date(2026, 3, 31))
    found = skips(fixture("testing_weekly_exdate.ics"), window=window)
    assert [(s.start, s.reason) for s in found] == [
        (date(2026, 3, 11), "State testing window"),
        (date(2026, 3, 25), "State testing window"),
    ]


# --- all-day events ---------------------------------------------------------------------------

def test_multi_day_break_ends_the_day_before_its_exclusive_dtend() -> None:
    assert skips(fixture("winter_break.ics")) == [
        CalendarSkip(date(2025, 12, 22), date(2026, 1, 4), "Winter Break - no school")
    ]


def test_one_day_pd_day_covers_just_that_day() -> None:
    found = ranges(skips(fixture("pd_days.ics")), "Professional Development Day (no students)")
    assert found == [day(date(2025, 11, 10))]


def test_all_day_event_without_dtend_is_one_day() -> None:
    assert ranges(skips(fixture("pd_days.ics")), "Veterans Day") == [day(date(2025, 11, 11))]


def test_cancelled_event_is_not_a_day_off() -> None:
    assert all(skip.reason != "PD day (moved)" for skip in skips(fixture("pd_days.ics")))


# --- timed events in the teacher's local dates ------------------------------------------------

def test_pacific_evening_event_falls_on_the_next_new_york_date() -> None:
    found = ranges(skips(fixture("tzid_crossing_midnight.ics")), "Board meeting (Pacific)")
    assert found == [day(date(2025, 10, 15))]


def test_pacific_event_crossing_new_york_midnight_covers_both_dates() -> None:
    found = ranges(skips(fixture("tzid_crossing_midnight.ics")), "Late webinar (Pacific)")
    assert found == [(date(2025, 10, 16), date(2025, 10, 17))]


def test_zoned_event_read_in_its_own_zone_keeps_its_own_date() -> None:
    found = skips(fixture("tzid_crossing_midnight.ics"), tz="America/Los_Angeles")
    assert ranges(found, "Board meeting (Pacific)") == [day(date(2025, 10, 14))]


def test_utc_event_crossing_local_midnight_covers_both_dates() -> None:
    found = ranges(skips(fixture("utc.ics")), "Network maintenance")
    assert found == [(date(2025, 11, 19), date(2025, 11, 20))]


def test_timed_event_ending_at_local_midnight_stays_on_its_day() -> None:
    assert ranges(skips(fixture("utc.ics")), "Server update") == [day(date(2025, 11, 21))]


@pytest.mark.parametrize("tz", [NEW_YORK, "Pacific/Auckland", "America/Los_Angeles"])
def test_floating_time_is_read_on_the_teachers_own_clock(tz: str) -> None:
    assert ranges(skips(fixture("floating.ics"), tz=tz), "Family conference night") == [
        day(date(2025, 12, 3))
    ]


# --- the window -------------------------------------------------------------------------------

def test_events_outside_the_window_are_ignored() -> None:
    assert skips(fixture("winter_break.ics"), window=(date(2026, 3, 1), date(2026, 6, 30))) == []


def test_event_straddling_the_window_is_clipped_to_it() -> None:
    found = skips(fixture("winter_break.ics"), window=(date(2026, 1, 1), date(2026, 6, 30)))
    assert [(s.start, s.end) for s in found] == [(date(2026, 1, 1), date(2026, 1, 4))]


def test_window_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="ends before it starts"):
        skips(fixture("winter_break.ics"), window=(date(2026, 1, 2), date(2026, 1, 1)))


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="IANA"):
        skips(fixture("winter_break.ics"), tz="Mars/Olympus")


# --- ranges and reasons -----------------------------------------------------------------------

def test_overlapping_events_stay_separate_ranges() -> None:
    data = calendar(
        "SUMMARY:Winter break\nDTSTART;VALUE=DATE:20251222\nDTEND;VALUE=DATE:20260105",
        "SUMMARY:Teacher workday\nDTSTART;VALUE=DATE:20260102",
    )
    assert skips(data) == [
        CalendarSkip(date(2025, 12, 22), date(2026, 1, 4), "Winter break"),
        CalendarSkip(date(2026, 1, 2), date(2026, 1, 2), "Teacher workday"),
    ]


def test_identical_ranges_are_listed_once() -> None:
    event = "SUMMARY:No school\nDTSTART;VALUE=DATE:20251127\nDTEND;VALUE=DATE:20251129"
    assert skips(calendar(event, event)) == [
        CalendarSkip(date(2025, 11, 27), date(2025, 11, 28), "No school")
    ]


def test_summary_is_trimmed_to_one_line() -> None:
    summary = "SUMMARY:  Spring   break\\n(no school)  "
    [found] = skips(calendar(f"{summary}\nDTSTART;VALUE=DATE:20260330"))
    assert found.reason == "Spring break (no school)"


def test_event_without_summary_is_called_calendar() -> None:
    [found] = skips(calendar("DTSTART;VALUE=DATE:20251127"))
    assert found.reason == DEFAULT_REASON == "calendar"


def test_long_summary_is_cut_to_the_limit() -> None:
    [found] = skips(calendar(f"SUMMARY:{'Assessment ' * 40}\nDTSTART;VALUE=DATE:20251127"))
    assert len(found.reason) <= MAX_REASON
    assert found.reason.startswith("Assessment Assessment")


def test_byte_order_mark_is_accepted() -> None:
    [found] = skips(b"\xef\xbb\xbf" + fixture("winter_break.ics"))
    assert found.reason == "Winter Break - no school"


# --- what can't be imported -------------------------------------------------------------------

def test_empty_calendar_has_no_skips() -> None:
    assert skips(fixture("empty_calendar.ics")) == []


@pytest.mark.parametrize(
    "data",
    [
        fixture("garbage.ics"),
        b"",
        b"%PDF-1.7\n\x00\xff\xfe binary",
        b"BEGIN:VEVENT\nSUMMARY:No school\nDTSTART;VALUE=DATE:20251127\nEND:VEVENT\n",
    ],
    ids=["letter", "empty", "pdf", "bare-event"],
)
def test_something_that_is_not_an_icalendar_is_named_as_such(data: bytes) -> None:
    with pytest.raises(CalendarError) as raised:
        skips(data)
    assert raised.value.message.startswith(NOT_ICS)


def test_event_that_cannot_be_read_is_reported_without_jargon() -> None:
    with pytest.raises(CalendarError) as raised:
        skips(fixture("broken_event.ics"))
    assert raised.value.message.startswith("Some events in that calendar couldn't be read.")
    assert "DTSTART" not in raised.value.message


def test_input_over_five_megabytes_is_refused() -> None:
    with pytest.raises(CalendarError, match="over 5 MB"):
        skips(b"x" * (MAX_BYTES + 1))


def daily(count: int) -> bytes:
    rule = f"RRULE:FREQ=DAILY;COUNT={count}"
    return calendar(f"SUMMARY:Every day\nDTSTART;VALUE=DATE:20250101\n{rule}")


def test_occurrences_up_to_the_cap_are_all_imported() -> None:
    found = skips(daily(MAX_OCCURRENCES), window=(date(2025, 1, 1), date(2031, 12, 31)))
    assert len(found) == MAX_OCCURRENCES


def test_more_occurrences_than_the_cap_are_refused() -> None:
    with pytest.raises(CalendarError, match="more than 2,000 events"):
        skips(daily(MAX_OCCURRENCES + 1), window=(date(2025, 1, 1), date(2031, 12, 31)))


def test_occurrences_outside_the_window_do_not_count_toward_the_cap() -> None:
    found = skips(daily(MAX_OCCURRENCES * 2), window=(date(2025, 3, 1), date(2025, 3, 31)))
    assert len(found) == 31


def test_endless_rule_is_stopped_by_the_cap() -> None:
    data = calendar("SUMMARY:Bell\nDTSTART:20250101T000000Z\nRRULE:FREQ=MINUTELY")
    with pytest.raises(CalendarError, match="more than 2,000 events"):
        skips(data, window=(date(2025, 1, 1), date(2030, 12, 31)))


# --- fetching ---------------------------------------------------------------------------------

def test_fetcher_reads_a_local_file() -> None:
    assert CalendarFetcher().fetch(str(ICS / "winter_break.ics")) == fixture("winter_break.ics")


def test_fetcher_reports_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="couldn't find a calendar file"):
        CalendarFetcher().fetch(str(tmp_path / "nope.ics"))


def test_fetcher_refuses_a_file_over_five_megabytes(tmp_path: Path) -> None:
    big = tmp_path / "big.ics"
    big.write_bytes(b"x" * (MAX_BYTES + 1))
    with pytest.raises(CalendarError, match="over 5 MB"):
        CalendarFetcher().fetch(str(big))


@pytest.mark.parametrize(
    "source",
    [
        "http://district.example/calendar.ics",
        "http://127.0.0.1/calendar.ics",
        "ftp://district.example/c.ics",
        "file:///etc/passwd",
    ],
)
def test_fetcher_refuses_anything_but_https(source: str) -> None:
    with pytest.raises(CalendarError, match="only fetch calendars over https"):
        CalendarFetcher().fetch(source)


@pytest.mark.parametrize(
    "source", ["https://", "webcal:///calendar.ics", "https://district.example:99999/c.ics"]
)
def test_fetcher_asks_for_the_whole_link_when_it_is_malformed(source: str) -> None:
    with pytest.raises(CalendarError, match="looks incomplete"):
        CalendarFetcher().fetch(source)


def make_handler(body: bytes) -> type[BaseHTTPRequestHandler]:
    huge = b"x" * (MAX_BYTES + 1)

    def sized(payload: bytes) -> dict[str, str]:
        return {"Content-Length": str(len(payload))}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/slow":
                time.sleep(1.0)
            elsewhere = f"http://localhost:{self.server.server_address[1]}/calendar.ics"
            routes: dict[str, tuple[int, bytes, dict[str, str]]] = {
                "/calendar.ics": (200, body, sized(body)),
                "/slow": (200, body, sized(body)),
                "/moved": (302, b"", {"Location": "/calendar.ics", **sized(b"")}),
                "/to-plain-http": (302, b"", {"Location": elsewhere, **sized(b"")}),
                "/gone": (404, b"not here", sized(b"not here")),
                # No length: the body runs until the server closes the connection.
                "/huge": (200, huge, {}),
                "/huge-declared": (200, b"x", {"Content-Length": str(MAX_BYTES + 1)}),
            }
            status, payload, headers = routes[self.path]
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            with contextlib.suppress(OSError):  # the fetcher hangs up early on an oversized body
                self.wfile.write(payload)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests read the fetcher's answers, not the server's log."""

    return Handler


def serve(context: ssl.SSLContext | None = None) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(fixture("winter_break.ics")))
    server.daemon_threads = True
    server.block_on_close = False
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"{'https' if context else 'http'}://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def http_base() -> Iterator[str]:
    yield from serve()


def test_fetcher_downloads_from_an_allowed_plain_http_test_host(http_base: str) -> None:
    fetcher = CalendarFetcher(allow_http_hosts=("127.0.0.1",))
    assert fetcher.fetch(f"{http_base}/calendar.ics") == fixture("winter_break.ics")


def test_fetcher_follows_a_redirect_to_an_allowed_address(http_base: str) -> None:
    fetcher = CalendarFetcher(allow_http_hosts=("127.0.0.1",))
    assert fetcher.fetch(f"{http_base}/moved") == fixture("winter_break.ics")


def test_fetcher_refuses_a_redirect_to_plain_http(http_base: str) -> None:
    with pytest.raises(CalendarError, match="isn't https"):
        CalendarFetcher(allow_http_hosts=("127.0.0.1",)).fetch(f"{http_base}/to-plain-http")


def test_fetcher_reports_an_error_status(http_base: str) -> None:
    with pytest.raises(CalendarError, match=r"answered with an error \(404\)"):
        CalendarFetcher(allow_http_hosts=("127.0.0.1",)).fetch(f"{http_base}/gone")


@pytest.mark.parametrize("path", ["/huge", "/huge-declared"])
def test_fetcher_refuses_a_download_over_five_megabytes(http_base: str, path: str) -> None:
    with pytest.raises(CalendarError, match="over 5 MB"):
        CalendarFetcher(allow_http_hosts=("127.0.0.1",)).fetch(f"{http_base}{path}")


def test_fetcher_gives_up_on_a_slow_server(http_base: str) -> None:
    fetcher = CalendarFetcher(allow_http_hosts=("127.0.0.1",), timeout=0.2)
    with pytest.raises(CalendarError, match="took too long"):
        fetcher.fetch(f"{http_base}/slow")


def test_fetcher_reports_a_host_it_cannot_reach() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with pytest.raises(CalendarError, match="couldn't reach 127.0.0.1"):
        CalendarFetcher(allow_http_hosts=("127.0.0.1",)).fetch(f"http://127.0.0.1:{closed_port}/")


# --- https, with a certificate made for the test ----------------------------------------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(LOOPBACK)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture(scope="module")
def https_base(certificate: tuple[Path, Path]) -> Iterator[str]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    yield from serve(context)


@pytest.fixture
def trusting(certificate: tuple[Path, Path]) -> CalendarFetcher:
    return CalendarFetcher(ssl_context=ssl.create_default_context(cafile=str(certificate[0])))


def test_fetcher_downloads_over_https(https_base: str, trusting: CalendarFetcher) -> None:
    assert trusting.fetch(f"{https_base}/calendar.ics") == fixture("winter_break.ics")


def test_webcal_link_is_fetched_over_https(https_base: str, trusting: CalendarFetcher) -> None:
    webcal = https_base.replace("https://", "webcal://", 1)
    assert trusting.fetch(f"{webcal}/calendar.ics") == fixture("winter_break.ics")


def test_https_link_redirecting_to_plain_http_is_refused(
    https_base: str, trusting: CalendarFetcher
) -> None:
    with pytest.raises(CalendarError, match="isn't https"):
        trusting.fetch(f"{https_base}/to-plain-http")


def test_fetcher_refuses_a_certificate_it_cannot_trust(https_base: str) -> None:
    with pytest.raises(CalendarError, match="couldn't reach 127.0.0.1"):
        CalendarFetcher().fetch(f"{https_base}/calendar.ics")


def test_fetched_calendar_becomes_skip_days(https_base: str, trusting: CalendarFetcher) -> None:
    data = trusting.fetch(f"{https_base}/calendar.ics")
    assert skips(data) == [
        CalendarSkip(date(2025, 12, 22), date(2026, 1, 4), "Winter Break - no school")
    ]
