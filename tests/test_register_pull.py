"""``postmortems register pull`` against a local server that speaks PagerDuty's incident list
API: pagination, a refused token, rate limits, server errors, a malformed answer and a server
that never answers. Nothing here reaches the internet."""

from __future__ import annotations

import json
import os
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import trustme
import yaml

from mkdocs_postmortems.cli import register as cli_register
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core.config import settings_from_options
from mkdocs_postmortems.integrations import pagerduty
from mkdocs_postmortems.integrations.register import load_register
from mkdocs_postmortems.rules import RULES

DATA = Path(__file__).resolve().parent / "data" / "register"
INCIDENTS: list[dict[str, Any]] = json.loads((DATA / "pagerduty.json").read_text(encoding="utf-8"))[
    "incidents"
]
TOKEN = "u+test-token"

#: What the server answers: (status, headers, body) for one request.
Answer = tuple[int, dict[str, str], bytes]


class Server:
    """A PagerDuty stand-in on 127.0.0.1: ``answer`` decides each response; every request's
    path, query and headers are kept in ``requests``."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answer: Callable[[dict[str, Any]], Answer] = pages(INCIDENTS, size=3)
        self.release = threading.Event()
        self.hung_up: list[dict[str, Any]] = []
        #: Seconds between the bytes of the body (0: all at once); ``reason`` for the status
        #: line; without ``length`` the body ends when the connection closes.
        self.drip = 0.0
        self.drip_headers = False
        self.reason: str | None = None
        self.length = True
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlsplit(self.path)
                request = {
                    "path": url.path,
                    "query": {k: v[0] for k, v in parse_qs(url.query).items()},
                    "headers": dict(self.headers),
                }
                server.requests.append(request)
                status, headers, body = server.answer(request)
                if status == 0:  # hang until the test ends
                    server.release.wait(30)
                    server.hung_up.append(request)
                    return
                if server.drip_headers:  # a header line that never ends
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                    self.trickle(b"a" * 1000)
                    return
                self.send_response(status, server.reason)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                if server.length:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.drip:
                    self.trickle(body)
                else:
                    self.wfile.write(body)

            def trickle(self, data: bytes) -> None:
                """One byte at a time, until the data or the test ends or the client hangs up."""
                for byte in data:
                    if server.release.wait(server.drip or 0.05):
                        return
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except OSError:
                        return

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        scheme = "http"
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        self.url = f"{scheme}://127.0.0.1:{self.httpd.server_address[1]}"
        # ``stop`` waits for the loop to look at its shutdown flag, which it does once per
        # poll: at the default half second, the stops alone took most of the module's time.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def pages(incidents: list[dict[str, Any]], size: int) -> Callable[[dict[str, Any]], Answer]:
    """Answers like PagerDuty: ``offset``/``limit`` from the query (at most ``size`` a page),
    ``more`` while incidents remain. Authorization must carry the token."""

    def answer(request: dict[str, Any]) -> Answer:
        if request["headers"].get("Authorization") != f"Token token={TOKEN}":
            return 401, {}, b'{"error": {"message": "Unauthorized", "code": 2006}}'
        offset = int(request["query"]["offset"])
        limit = min(int(request["query"]["limit"]), size)
        since = request["query"]["since"]
        until = request["query"]["until"]
        chosen = [i for i in incidents if since <= _utc(i["created_at"]) < until]
        page = chosen[offset : offset + limit]
        body = {
            "incidents": page,
            "limit": limit,
            "offset": offset,
            "more": offset + limit < len(chosen),
            "total": None,
        }
        return 200, {}, json.dumps(body).encode()

    return answer


def _utc(text: str) -> str:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.stop()


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAGERDUTY_TOKEN", TOKEN)
    register = {
        "path": "incidents.json",
        "format": "pagerduty",
        "severities": {"P1": "SEV1", "P2": "SEV2", "P3": "SEV3", "high": "SEV2", "low": None},
        "since": "2026-03-01",
    }
    config = {"plugins": [{"postmortems": {"register": register}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    return tmp_path


def pull(server: Server, *extra: str) -> int:
    return main(["register", "pull", "--api-url", server.url, "--today", "2026-05-20", *extra])


def test_pull_pages_through_every_window_and_writes_a_readable_register(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pull(server) == 0
    assert "8 incidents since 2026-03-01 written to incidents.json" in capsys.readouterr().err
    # 2026-03-01 to the end of 2026-05-20 is one 90-day window: pages of 3 at offsets 0, 3, 6.
    assert [r["query"]["offset"] for r in server.requests] == ["0", "3", "6"]
    first = server.requests[0]
    assert first["path"] == "/incidents"
    assert first["query"]["since"] == "2026-03-01T00:00:00+00:00"
    assert first["query"]["until"] == "2026-05-20T23:59:59+00:00"
    assert first["headers"]["Accept"] == "application/vnd.pagerduty+json;version=2"
    written = json.loads((project / "incidents.json").read_text(encoding="utf-8"))
    assert written["pulled_by"] == pagerduty.PULL_MARK
    assert written["more"] is False
    assert {i["id"] for i in written["incidents"]} == {i["id"] for i in INCIDENTS}
    times = [i["created_at"] for i in written["incidents"]]
    assert times == sorted(times)
    # Only the fields the register reads are kept: no assignees, log entries or teams.
    assert set(written["incidents"][0]) == set(pagerduty.FIELDS)
    settings = settings_from_options(
        yaml.safe_load((project / "mkdocs.yml").read_text())["plugins"][0]["postmortems"],
        project,
        RULES,
    )
    register = load_register(settings)
    assert register is not None
    assert len(register.incidents) == 8


def test_a_long_range_is_asked_for_in_windows(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pull(server, "--since", "2025-09-01") == 0
    windows = sorted({(r["query"]["since"], r["query"]["until"]) for r in server.requests})
    assert windows == [
        ("2025-09-01T00:00:00+00:00", "2025-11-30T00:00:00+00:00"),
        ("2025-11-30T00:00:00+00:00", "2026-02-28T00:00:00+00:00"),
        ("2026-02-28T00:00:00+00:00", "2026-05-20T23:59:59+00:00"),
    ]
    assert "8 incidents since 2025-09-01" in capsys.readouterr().err


def test_a_refused_token_exits_1_and_writes_nothing(
    project: Path,
    server: Server,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PAGERDUTY_TOKEN", "wrong")
    assert pull(server) == 1
    err = capsys.readouterr().err
    assert "PagerDuty refused the token (HTTP 401): check PAGERDUTY_TOKEN" in err
    assert "incidents.json was not changed" in err
    assert not (project / "incidents.json").exists()
    assert len(server.requests) == 1  # a refused token is not retried


def test_no_token_is_a_usage_error(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("PAGERDUTY_TOKEN")
    assert main(["register", "pull"]) == 2
    assert "set PAGERDUTY_TOKEN" in capsys.readouterr().err


def test_a_rate_limit_is_waited_out(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    normal = server.answer
    limited = iter([True, True])

    def answer(request: dict[str, Any]) -> Answer:
        if next(limited, False):
            return 429, {"Retry-After": "0"}, b'{"error": {"message": "Rate Limit Exceeded"}}'
        return normal(request)

    server.answer = answer
    assert pull(server) == 0
    assert [r["query"]["offset"] for r in server.requests] == ["0", "0", "0", "3", "6"]


def test_retry_after_and_the_backoff_set_the_pauses() -> None:
    """429 with Retry-After: 7, then 503 twice (backoff 2 s, 4 s), then an answer."""
    pauses: list[float] = []
    answers = iter(
        [
            (429, {"Retry-After": "7"}, b"{}"),
            (503, {}, b"upstream"),
            (503, {}, b"upstream"),
            (200, {}, b'{"incidents": [], "more": false}'),
        ]
    )
    running = Server()
    running.answer = lambda request: next(answers)
    try:
        client = pagerduty.Client(TOKEN, api_url=running.url, sleep=pauses.append)
        since = datetime(2026, 5, 1, tzinfo=timezone.utc)
        assert client.incidents(since, datetime(2026, 5, 2, tzinfo=timezone.utc)) == []
    finally:
        running.stop()
    assert pauses == [7.0, 2.0, 4.0]


def test_server_errors_give_up_after_the_attempts() -> None:
    pauses: list[float] = []
    running = Server()
    running.answer = lambda request: (500, {}, b'{"error": {"message": "Internal Server Error"}}')
    try:
        client = pagerduty.Client(TOKEN, api_url=running.url, sleep=pauses.append, attempts=4)
        with pytest.raises(pagerduty.PullError, match="4 attempts: HTTP 500"):
            client.incidents(
                datetime(2026, 5, 1, tzinfo=timezone.utc), datetime(2026, 5, 2, tzinfo=timezone.utc)
            )
    finally:
        running.stop()
    assert pauses == [1.0, 2.0, 4.0]
    assert len(running.requests) == 4


def test_a_server_error_on_the_command_line_exits_1(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    server.answer = lambda request: (500, {}, b"{}")
    assert pull(server, "--time-limit", "0.5") == 1
    assert "HTTP 500" in capsys.readouterr().err
    assert not (project / "incidents.json").exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>Service Unavailable</html>", "the answer is not JSON"),
        (b'["not", "a", "page"]', "the answer is not a JSON object"),
        (b'{"incident": []}', 'the answer has no "incidents" list'),
    ],
)
def test_a_malformed_answer_exits_1(
    project: Path,
    server: Server,
    capsys: pytest.CaptureFixture[str],
    body: bytes,
    message: str,
) -> None:
    server.answer = lambda request: (200, {}, body)
    assert pull(server) == 1
    assert message in capsys.readouterr().err
    assert not (project / "incidents.json").exists()


def test_a_server_that_never_answers_hits_the_time_limit(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    server.answer = lambda request: (0, {}, b"")
    assert pull(server, "--time-limit", "0.5") == 1
    # The pull gave up while the server was still holding the request (for up to 30 s).
    assert len(server.requests) == 1
    assert server.hung_up == []
    err = capsys.readouterr().err
    assert "gave up on" in err
    assert ": the time limit of 0.5 s ran out while waiting for the answer; " in err
    assert not (project / "incidents.json").exists()


def test_a_file_the_command_did_not_write_is_never_replaced_unasked(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = project / "incidents.json"
    mine.write_text('{"incidents": []}\n', encoding="utf-8")
    assert pull(server) == 1
    assert "was not written by `register pull`; it was left untouched" in capsys.readouterr().err
    assert mine.read_text(encoding="utf-8") == '{"incidents": []}\n'
    assert server.requests == []  # refused before asking the API
    assert pull(server, "--overwrite") == 0
    assert json.loads(mine.read_text(encoding="utf-8"))["pulled_by"] == pagerduty.PULL_MARK
    # A file the command wrote is refreshed without asking.
    server.requests.clear()
    assert pull(server) == 0
    assert len(server.requests) == 3


def test_a_failed_refresh_keeps_the_previous_register(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pull(server) == 0
    before = (project / "incidents.json").read_bytes()
    server.answer = lambda request: (200, {}, b"{truncated")
    assert pull(server) == 1
    assert (project / "incidents.json").read_bytes() == before
    assert [p.name for p in project.iterdir() if p.name.endswith(".tmp")] == []


def test_out_to_stdout_and_a_since_from_the_command_line(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    assert pull(server, "--out", "-", "--since", "2026-05-09") == 0
    written = json.loads(capsys.readouterr().out)
    assert [i["incident_number"] for i in written["incidents"]] == [4521, 4551, 4552]


def test_pull_never_writes_pagerduty_json_over_a_register_of_another_format(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    config = {"plugins": [{"postmortems": {"register": {"path": "r.csv", "format": "csv"}}}]}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert pull(server, "--since", "2026-05-01") == 2
    assert (
        "the configured register is in the csv format; give --out FILE" in capsys.readouterr().err
    )
    assert server.requests == []


# --- credentials stay with the API's origin -----------------------------------------------------


def test_a_redirect_to_another_origin_is_refused_and_never_sees_the_token(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    other = Server()
    try:
        server.answer = lambda request: (302, {"Location": f"{other.url}/incidents"}, b"")
        assert pull(server) == 1
    finally:
        other.stop()
    err = capsys.readouterr().err
    assert f"the API redirects to another origin ({other.url})" in err
    assert "the redirect was not followed" in err
    assert other.requests == []  # not asked at all, let alone with the Authorization header
    assert len(server.requests) == 1
    assert not (project / "incidents.json").exists()


def test_a_redirect_within_the_origin_is_followed(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    normal = server.answer

    def answer(request: dict[str, Any]) -> Answer:
        if request["path"] == "/incidents":
            return 301, {"Location": "/v2/incidents?" + urlencode(request["query"])}, b""
        return normal(request)

    server.answer = answer
    assert pull(server) == 0
    assert [r["path"] for r in server.requests] == ["/incidents", "/v2/incidents"] * 3


def test_https_is_never_given_up_for_http(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    authority = trustme.CA()
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(tls)
    with authority.cert_pem.tempfile() as ca_file:
        monkeypatch.setenv("SSL_CERT_FILE", ca_file)  # the client trusts the test authority
        secure, plain = Server(tls), Server()
        try:
            secure.answer = lambda request: (302, {"Location": f"{plain.url}/incidents"}, b"")
            assert pull(secure) == 1
        finally:
            secure.stop()
            plain.stop()
    err = capsys.readouterr().err
    assert f"the API redirects to another origin ({plain.url})" in err
    assert secure.requests[0]["headers"]["Authorization"] == f"Token token={TOKEN}"
    assert plain.requests == []  # the token never crossed the network in clear


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("https://api.pagerduty.com/incidents", "http://api.pagerduty.com/incidents"),
        ("https://api.pagerduty.com/incidents", "https://api.pagerduty.com:8443/incidents"),
        ("https://api.pagerduty.com/incidents", "https://evil.example/incidents"),
        ("https://api.pagerduty.com/incidents", "//evil.example/incidents"),
        ("http://127.0.0.1:8080/incidents", "http://localhost:8080/incidents"),
    ],
)
def test_https_is_never_given_up_and_no_other_host_or_port_is_followed(
    url: str, location: str
) -> None:
    with pytest.raises(pagerduty.PullError, match="redirects to another origin"):
        pagerduty._same_origin(url, location)


def test_a_redirect_to_the_same_origin_keeps_the_scheme_and_port() -> None:
    url = "https://api.pagerduty.com/incidents?offset=0"
    assert pagerduty._same_origin(url, "/v2/incidents") == "https://api.pagerduty.com/v2/incidents"
    assert (
        pagerduty._same_origin(url, "https://API.pagerduty.com:443/x")
        == "https://API.pagerduty.com:443/x"
    )


@pytest.mark.parametrize(
    ("token", "named"),
    [
        ("abc\nSECRETPART", "a line break (character 4 of 14)"),
        ("abc\r\nSECRETPART", "a line break (character 4 of 15)"),
        ("abc\u2013SECRETPART", "the character U+2013 (character 4 of 14)"),
        ("abc SECRETPART", "a space (character 4 of 14)"),
        ("abc\x1bSECRETPART", "the character U+001B (character 4 of 14)"),
        ("SECRETPART" * 30, "is 300 characters long"),
    ],
)
def test_a_bad_token_is_a_clear_error_that_never_prints_it(
    project: Path,
    server: Server,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    token: str,
    named: str,
) -> None:
    monkeypatch.setenv("PAGERDUTY_TOKEN", token)
    assert pull(server) == 2
    err = capsys.readouterr().err
    assert named in err
    assert "SECRET" not in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert server.requests == []


def test_the_client_itself_refuses_a_token_that_cannot_be_a_header(server: Server) -> None:
    client = pagerduty.Client("abc\nSECRETPART", api_url=server.url)
    with pytest.raises(pagerduty.PullError) as caught:
        client.incidents(
            datetime(2026, 5, 1, tzinfo=timezone.utc), datetime(2026, 5, 2, tzinfo=timezone.utc)
        )
    assert str(caught.value).startswith("the token holds a line break (character 4 of 14)")
    assert "SECRET" not in str(caught.value)
    assert server.requests == []


@pytest.mark.parametrize(
    ("api_url", "message"),
    [
        ("http://api.pagerduty.com", "must use https"),
        ("ftp://api.pagerduty.com", "must be an https:// address"),
        ("https://user:secret@api.pagerduty.com", "must not hold a user name or password"),
        ("https://api.pagerduty.com?x=1", "must not hold a query"),
        ("https://api.pagerduty.com:99999", "has a port that is not a number"),
        ("api.pagerduty.com", "must be an https:// address"),
    ],
)
def test_an_api_url_that_would_expose_the_token_is_a_usage_error(
    project: Path, capsys: pytest.CaptureFixture[str], api_url: str, message: str
) -> None:
    assert main(["register", "pull", "--api-url", api_url, "--today", "2026-05-20"]) == 2
    err = capsys.readouterr().err
    assert f"register pull: --api-url {message}" in err
    assert "secret" not in err


# --- every read bounded in time and bytes -------------------------------------------------------


def test_an_answer_trickling_in_ends_at_the_time_limit(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    server.drip = 0.05  # a 50-byte answer over 2.5 s, each byte well within a socket timeout
    server.answer = lambda request: (200, {}, b'{"incidents": [], "more": false}' + b" " * 20)
    began = time.monotonic()
    assert pull(server, "--time-limit", "0.5") == 1
    assert time.monotonic() - began < 0.5 + 2.0
    err = capsys.readouterr().err
    assert "the time limit of 0.5 s ran out while waiting for the answer" in err
    assert not (project / "incidents.json").exists()


def test_headers_trickling_in_end_at_the_time_limit(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    server.drip_headers = True
    began = time.monotonic()
    assert pull(server, "--time-limit", "0.5") == 1
    assert time.monotonic() - began < 0.5 + 2.0
    assert "the time limit of 0.5 s ran out" in capsys.readouterr().err


def test_a_name_lookup_that_hangs_ends_at_the_time_limit(
    project: Path,
    server: Server,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    lookup = socket.getaddrinfo

    def hanging(*args: Any, **kwargs: Any) -> Any:
        server.release.wait(30)  # a resolver that does not answer, until the test ends
        return lookup(*args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", hanging)
    began = time.monotonic()
    address = server.url.replace("127.0.0.1", "localhost")
    code = main(["register", "pull", "--api-url", address, "--time-limit", "0.5"])
    assert code == 1
    assert time.monotonic() - began < 0.5 + 2.0
    assert "the time limit of 0.5 s ran out while looking up localhost" in capsys.readouterr().err
    assert server.requests == []


@pytest.mark.parametrize("length", [True, False], ids=["declared", "undeclared"])
def test_an_oversized_answer_is_refused_while_it_is_read(length: bool) -> None:
    running = Server()
    running.length = length
    running.answer = lambda request: (
        200,
        {},
        b'{"incidents": [], "pad": "' + b"x" * 50_000 + b'"}',
    )
    try:
        client = pagerduty.Client(TOKEN, api_url=running.url, max_answer_bytes=10_000)
        with pytest.raises(pagerduty.PullError, match="the answer is larger than 10,000 bytes"):
            client.incidents(
                datetime(2026, 5, 1, tzinfo=timezone.utc), datetime(2026, 5, 2, tzinfo=timezone.utc)
            )
    finally:
        running.stop()
    assert len(running.requests) == 1  # too large is not retried


def test_an_endless_more_stops_at_max_bytes(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    def answer(request: dict[str, Any]) -> Answer:
        offset = int(request["query"]["offset"])
        made = [
            {**INCIDENTS[0], "id": f"P{offset + n}", "incident_number": offset + n}
            for n in range(3)
        ]
        return 200, {}, json.dumps({"incidents": made, "more": True}).encode()

    server.answer = answer
    assert pull(server, "--max-bytes", "20000", "--time-limit", "30") == 1
    err = capsys.readouterr().err
    assert "the answers together are larger than 20,000 bytes (--max-bytes)" in err
    size = len(answer({"query": {"offset": "0"}})[2])
    assert len(server.requests) <= 20_000 // size + 1
    assert not (project / "incidents.json").exists()


def test_a_long_retry_after_says_what_happened(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    server.answer = lambda request: (429, {"Retry-After": "3600"}, b"{}")
    assert pull(server, "--time-limit", "5") == 1
    err = capsys.readouterr().err
    assert (
        "after 1 attempt: HTTP 429; waiting 3600 s as asked would pass the time limit of 5 s" in err
    )
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"incidents": [], "offset": ' + b"9" * 5000 + b"}", "holds a number of more than"),
        (b'{"incidents": [], "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nested too deeply"),
    ],
    ids=["huge-number", "deep-nesting"],
)
def test_a_hostile_answer_is_an_error_not_a_traceback(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str], body: bytes, message: str
) -> None:
    server.answer = lambda request: (200, {}, body)
    assert pull(server) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_the_api_error_text_is_printed_on_one_printable_line(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    said = {"error": {"message": "Invalid\x1b[2J\nincidents.json:1:1: error PM000 forged"}}
    server.reason = "Bad\x1b]0;title\x07Request"
    server.answer = lambda request: (400, {}, json.dumps(said).encode())
    assert pull(server) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert "\x07" not in err
    assert len(err.splitlines()) == 1
    assert "HTTP 400 Bad\\x1b]0;title\\x07Request: Invalid\\x1b[2J\\x0aincidents.json" in err


# --- the existing register file, read as every file is read -------------------------------------


def test_an_existing_out_path_that_is_a_fifo_or_a_device_is_never_read(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = project / "incidents.json"
    os.mkfifo(fifo)  # opened for reading, it would wait for a writer forever
    assert pull(server) == 1
    err = capsys.readouterr().err
    assert "(not a regular file (a FIFO); not read)" in err
    assert "left untouched" in err
    fifo.unlink()
    (project / "incidents.json").symlink_to("/dev/zero")  # read whole, it never ends
    assert pull(server) == 1
    assert "(not a regular file (a device); not read)" in capsys.readouterr().err
    assert os.path.islink(project / "incidents.json")
    assert server.requests == []


@pytest.mark.parametrize(
    "text",
    ['{"pulled_by": ' + "9" * 5000 + "}", "[" * 100_000 + "]" * 100_000],
    ids=["huge-number", "deep-nesting"],
)
def test_an_existing_hostile_file_is_left_untouched(
    project: Path, server: Server, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    (project / "incidents.json").write_text(text, encoding="utf-8")
    assert pull(server) == 1
    err = capsys.readouterr().err
    assert "was not written by `register pull`; it was left untouched" in err
    assert (project / "incidents.json").read_text(encoding="utf-8") == text


def test_a_register_larger_than_the_commands_read_is_not_written(
    project: Path,
    server: Server,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(cli_register, "REGISTER_MAX_BYTES", 2_000)
    assert pull(server) == 1
    err = capsys.readouterr().err
    assert "8 incidents make a register of more than 2,000 bytes, which no command reads" in err
    assert not (project / "incidents.json").exists()


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--time-limit", "nan", "--time-limit must be more than 0 and less than 86400 seconds"),
        ("--time-limit", "inf", "--time-limit must be more than 0 and less than 86400 seconds"),
        ("--time-limit", "0", "--time-limit must be more than 0 and less than 86400 seconds"),
        ("--max-bytes", "0", "--max-bytes must be more than 0"),
    ],
)
def test_limits_out_of_range_are_usage_errors(
    project: Path,
    server: Server,
    capsys: pytest.CaptureFixture[str],
    option: str,
    value: str,
    message: str,
) -> None:
    assert pull(server, option, value) == 2
    assert message in capsys.readouterr().err
    assert server.requests == []


def test_the_register_is_never_written_through_a_linked_folder_in_the_project(
    project: Path,
    server: Server,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "data").symlink_to(elsewhere, target_is_directory=True)
    assert pull(server, "--out", "data/incidents.json") == 2
    assert "data is a symbolic link; not followed" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []
