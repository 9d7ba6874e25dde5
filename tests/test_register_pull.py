"""``postmortems register pull`` against a local server that speaks PagerDuty's incident list
API: pagination, a refused token, rate limits, server errors, a malformed answer and a server
that never answers. Nothing here reaches the internet."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

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

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.answer: Callable[[dict[str, Any]], Answer] = pages(INCIDENTS, size=3)
        self.release = threading.Event()
        self.hung_up: list[dict[str, Any]] = []
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
                self.send_response(status)
                for name, value in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
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
    assert pull(server, "--time-limit", "1") == 1
    # The pull gave up while the server was still holding the request (for up to 30 s).
    assert len(server.requests) == 1
    assert server.hung_up == []
    err = capsys.readouterr().err
    assert "gave up on" in err
    assert ": the time limit of 1 s ran out while waiting for the answer; " in err
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
