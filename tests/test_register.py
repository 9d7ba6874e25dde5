"""The incident register: its formats, linking post-mortems to incidents, missing write-ups,
every bad register, and the register on the command line and the site."""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.exceptions import Abort

from conftest import VALID, write
from mkdocs_postmortems.adapters.folder import MANIFEST
from mkdocs_postmortems.cli.main import main
from mkdocs_postmortems.core import suggestions
from mkdocs_postmortems.core.config import ConfigError, Settings, settings_from_options
from mkdocs_postmortems.core.knowledge_base import load
from mkdocs_postmortems.core.register import (
    Register,
    RegisterError,
    add_link_findings,
    match,
    missing_writeups,
)
from mkdocs_postmortems.integrations.register import load_register
from mkdocs_postmortems.rules import RULES, RULESET
from sitebuild import build_site, html, write_project

DATA = Path(__file__).resolve().parent / "data" / "register"
PD_SEVERITIES = {
    "P1": "SEV1",
    "P2": "SEV2",
    "P3": "SEV3",
    "P4": "SEV4",
    "high": "SEV2",
    "low": None,
}
TODAY = "2026-05-20"


def settings_for(root: Path, register: dict[str, Any], **options: Any) -> Settings:
    return settings_from_options({"register": register, **options}, root, RULES)


def pagerduty_settings(root: Path, **options: Any) -> Settings:
    shutil.copy(DATA / "pagerduty.json", root / "incidents.json")
    register = {"path": "incidents.json", "format": "pagerduty", "severities": PD_SEVERITIES}
    return settings_for(root, register, **options)


def postmortem(
    title: str,
    severity: str,
    started: str,
    resolved: str,
    services: str,
    extra: str = "",
) -> str:
    """A published, reviewed post-mortem with nothing overdue of its own."""
    day = started[:10]
    published = (datetime.fromisoformat(day) + timedelta(days=1)).date().isoformat()
    text = (
        VALID.replace("Checkout API returned 500s after a config push", title)
        .replace("severity: SEV2", f"severity: {severity}")
        .replace("started: 2026-03-04T14:02:00Z", f"started: {started}")
        .replace("detected: 2026-03-04T14:09:00Z", f"detected: {started}")
        .replace("resolved: 2026-03-04T15:30:00Z", f"resolved: {resolved}")
        .replace(
            "published: 2026-03-06",
            f"published: {published}\nreviewed: {published}\nreview_outcome: effective",
        )
        .replace("services: [checkout-api, config-service]", f"services: {services}{extra}")
        .replace("| 2026-03-04 14:02 |", f"| {started[:10]} {started[11:16]} |")
        .replace("| 14:09 |", f"| {started[11:16]} |")
        .replace("| 15:30 |", f"| {resolved[11:16]} |")
        .replace("| open | OPS-102 |", "| done | OPS-102 |")
    )
    return text


#: The knowledge base beside tests/data/register/pagerduty.json.
WRITTEN_UP = {
    "2026/2026-04-14-orders-pool.md": postmortem(
        "Orders database ran out of connections",
        "SEV1",
        "2026-04-14T13:00:00Z",
        "2026-04-14T14:10:00Z",
        "[orders-db]",
        "\nincident: Q2KF8Y7DJ1ZC4M",
    ),
    "2026/2026-03-04-checkout-config-push.md": postmortem(
        "Checkout API returned 500s after a config push",
        "SEV2",
        "2026-03-04T14:02:00Z",
        "2026-03-04T15:30:00Z",
        "[checkout-api]",
        "\nincident: 4533",
    ),
    "2026/2026-05-02-search-index-rebuild.md": postmortem(
        "Search returned nothing after an index rebuild",
        "SEV2",
        "2026-05-02T08:00:00Z",
        "2026-05-02T10:45:00Z",
        "[search]",
    ),
}


# --- the formats --------------------------------------------------------------------------


def test_pagerduty_register_reads_the_documented_fields(tmp_path: Path) -> None:
    register = load_register(pagerduty_settings(tmp_path))
    assert register is not None
    assert len(register.incidents) == 8
    first = register.find("Q1VRZ5HK3OXH0A")
    assert first is not None
    assert first.title == "Checkout API returned 502s for card payments"
    assert (first.number, first.level, first.severity) == ("4521", "P1", "SEV1")
    assert first.started == datetime(2026, 5, 9, 9, 12, 4, tzinfo=timezone.utc)
    assert first.resolved == datetime(2026, 5, 10, 11, 0, tzinfo=timezone.utc)
    assert first.services == ("checkout-api",)
    assert first.url == "https://acme.pagerduty.com/incidents/Q1VRZ5HK3OXH0A"
    assert first.pos.line == 3  # the line of the incident's opening brace
    ongoing = register.find("Q6TX4J5BS9KP7E")
    assert ongoing is not None
    assert ongoing.resolved is None
    low = register.find("4553")
    assert low is not None
    assert (low.level, low.severity) == ("low", "")


def test_incident_io_register_reads_the_documented_fields(tmp_path: Path) -> None:
    shutil.copy(DATA / "incident_io.json", tmp_path / "incidents.json")
    settings = settings_for(
        tmp_path,
        {
            "path": "incidents.json",
            "format": "incident.io",
            "severities": {"Critical": "SEV1", "Major": "SEV2", "Minor": "SEV3"},
        },
    )
    register = load_register(settings)
    assert register is not None
    # The declined incident and the test-mode one are not incidents to write up.
    assert [i.number for i in register.incidents] == ["INC-212", "INC-213"]
    closed, live = register.incidents
    assert closed.id == "01HX7R2M5K8N3P4Q6S9T0V1W2X"
    assert closed.title == "Card payments declined for EU customers"
    assert closed.severity == "SEV1"
    assert closed.started == datetime(2026, 5, 9, 9, 2, tzinfo=timezone.utc)  # Impact started
    assert closed.resolved == datetime(2026, 5, 10, 11, 0, tzinfo=timezone.utc)
    assert closed.services == ("payments-api", "checkout-api")  # not the team field
    assert closed.url == "https://app.incident.io/acme/incidents/212"
    assert live.resolved is None
    assert live.severity == "SEV3"
    assert register.find("inc-212") is closed


CSV_EXPORT = """\
Key,Summary,Sev,Opened,Closed,Components,Link
OPS-1,Checkout down after deploy,Critical,2026-05-18 22:10,2026-05-18 23:30,"checkout-api, payments",https://tickets.example.com/OPS-1
OPS-2,Slow search,Minor,2026-05-17 10:00,2026-05-17 11:00,search,javascript:alert(1)

OPS-3,Queue backlog,High,2026-05-12T09:00:00+02:00,,queue;workers,
"""


def csv_settings(root: Path, text: str = CSV_EXPORT, **register: Any) -> Settings:
    (root / "incidents.csv").write_text(text, encoding="utf-8")
    return settings_for(
        root,
        {
            "path": "incidents.csv",
            "format": "csv",
            "severities": {"Critical": "SEV1", "High": "SEV2", "Minor": "SEV3"},
            "columns": {
                "id": "Key",
                "title": "Summary",
                "severity": "Sev",
                "started": "Opened",
                "resolved": "Closed",
                "services": "Components",
                "url": "Link",
            },
            **register,
        },
        timezone="Europe/Berlin",
    )


def test_csv_register_with_a_columns_mapping(tmp_path: Path) -> None:
    register = load_register(csv_settings(tmp_path))
    assert register is not None
    one, two, three = register.incidents
    # Times without an offset are in the configured timezone (CEST, +02:00 in May).
    assert one.resolved == datetime(2026, 5, 18, 21, 30, tzinfo=timezone.utc)
    assert one.services == ("checkout-api", "payments")
    assert one.pos.line == 2
    assert three.pos.line == 5
    assert two.url == ""  # only web addresses are kept: it becomes a link on the site
    assert three.resolved is None
    assert three.services == ("queue", "workers")


def test_csv_register_with_the_default_columns(tmp_path: Path) -> None:
    text = (
        "id,title,severity,started,resolved\nA-1,Outage,SEV1,2026-05-01T10:00Z,2026-05-01T11:00Z\n"
    )
    (tmp_path / "r.csv").write_text(text, encoding="utf-8")
    register = load_register(settings_for(tmp_path, {"path": "r.csv", "format": "csv"}))
    assert register is not None
    assert [(i.id, i.severity, i.services) for i in register.incidents] == [("A-1", "SEV1", ())]


def test_since_leaves_older_incidents_out(tmp_path: Path) -> None:
    settings = pagerduty_settings(tmp_path)
    assert settings.register is not None
    config = {"path": "incidents.json", "format": "pagerduty", "severities": PD_SEVERITIES}
    register = load_register(settings_for(tmp_path, {**config, "since": "2026-05-01"}))
    assert register is not None
    assert {i.number for i in register.incidents} == {
        "4521",
        "4522",
        "4540",
        "4551",
        "4552",
        "4553",
    }


# --- linking --------------------------------------------------------------------------------


def linked(tmp_path: Path, files: dict[str, str]) -> tuple[Settings, Register, Any]:
    settings = pagerduty_settings(tmp_path)
    for name, text in files.items():
        write(tmp_path, name, text)
    kb = load(settings, RULESET)
    register = load_register(settings)
    assert register is not None
    add_link_findings(kb.postmortems, register, settings, RULESET)
    return settings, register, kb


def test_linking_by_id_by_number_and_by_guess(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _, register, kb = linked(tmp_path, WRITTEN_UP)
    matching = match(register, kb.indexed)
    by = {(link.incident.id, link.postmortem.id): link.guessed for link in matching.links}
    assert by == {
        ("Q2KF8Y7DJ1ZC4M", "2026-04-14-orders-pool"): False,  # by id
        ("Q3NB2X6WQ7RS1T", "2026-03-04-checkout-config-push"): False,  # by number
        ("Q4LD9V2PE3UH8G", "2026-05-02-search-index-rebuild"): True,  # "Search" = "search"
    }
    findings = [f.format() for f in kb.findings]
    assert findings == [
        "postmortems/2026/2026-05-02-search-index-rebuild.md:20:1: warning PM611 guessed from "
        "time and service to cover Q4LD9V2PE3UH8G (Search results empty after index rebuild); "
        "add `incident: Q4LD9V2PE3UH8G` if it does, so the match is no longer a guess"
    ]


def test_a_hash_before_the_number_is_allowed(tmp_path: Path) -> None:
    register = load_register(pagerduty_settings(tmp_path))
    assert register is not None
    assert register.find("#4521") is register.find("Q1VRZ5HK3OXH0A") is not None


def test_one_write_up_covering_a_list_of_incidents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    both = postmortem(
        "Checkout failures during the May broker work",
        "SEV1",
        "2026-05-09T09:00:00Z",
        "2026-05-10T11:00:00Z",
        "[checkout-api]",
        "\nincident: [Q1VRZ5HK3OXH0A, 4551]",
    )
    settings, register, kb = linked(tmp_path, {"2026/2026-05-09-checkout.md": both})
    assert kb.findings == []
    now = datetime(2026, 5, 20, 23, 59, tzinfo=timezone.utc)
    overdue, due = missing_writeups(register, match(register, kb.indexed), settings, now)
    assert "Q1VRZ5HK3OXH0A" not in {m.incident.id for m in overdue}
    assert "Q5HC1Q0AR8MN2W" not in {m.incident.id for m in [*overdue, *due]}


def test_an_unknown_incident_is_a_finding_on_the_value(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = postmortem(
        "Checkout failures",
        "SEV1",
        "2026-05-09T09:00:00Z",
        "2026-05-10T11:00:00Z",
        "[checkout-api]",
        "\nincident:\n  - Q1VRZ5HK3OXH0A\n  - Q1VRZ5HK3OXHOA\n  - 9999",
    )
    _, _, kb = linked(tmp_path, {"2026/2026-05-09-checkout.md": text})
    assert [f.format() for f in kb.findings] == [
        "postmortems/2026/2026-05-09-checkout.md:16:5: error PM610 incident 'Q1VRZ5HK3OXHOA' "
        "is not in the register incidents.json (did you mean 'Q1VRZ5HK3OXH0A'?)",
        "postmortems/2026/2026-05-09-checkout.md:17:5: error PM610 incident '9999' is not in "
        "the register incidents.json",
    ]


def test_did_you_mean_against_a_large_register_compares_few_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each unknown id is compared with a bounded number of the register's ids, and gets the
    hint a comparison with all of them gives."""
    monkeypatch.chdir(tmp_path)
    incidents = [
        {**GOOD, "id": f"Q{n:07d}X{(n * 7919) % 10007:05d}", "incident_number": 100_000 + n}
        for n in range(5_000)
    ]
    (tmp_path / "incidents.json").write_text(pd(*incidents), encoding="utf-8")
    register = {"path": "incidents.json", "format": "pagerduty", "severities": {"P1": "SEV1"}}
    settings = settings_for(tmp_path, register)
    # Ids Q0002345X07070, Q0000777X08765 and Q0004999X09396 and number 102345, misspelt
    # (10,000 ids and numbers: far more than the bound on what one hint compares):
    wrong = [
        "Q0002345X07007",
        "q0002345x07070",
        "Q0002345-X07070",
        "Q000777X08765",
        "W0004999X09396",
        "10234",
    ]
    text = postmortem(
        "Checkout failures",
        "SEV1",
        "2026-05-09T09:00:00Z",
        "2026-05-10T11:00:00Z",
        "[checkout-api]",
        "\nincident: [" + ", ".join(f"'{w}'" for w in wrong) + "]",
    )
    write(tmp_path, "2026/2026-05-09-checkout.md", text)
    kb = load(settings, RULESET)
    loaded = load_register(settings)
    assert loaded is not None
    everything = [i.id for i in loaded.incidents] + [i.number for i in loaded.incidents]
    expected = [suggestions.closest(w, everything) for w in wrong]
    compared: list[int] = []
    plain = suggestions.did_you_mean

    def counted(word: object, choices: Any) -> str:
        compared.append(len(choices))
        return plain(word, choices)

    monkeypatch.setattr(suggestions, "did_you_mean", counted)
    add_link_findings(kb.postmortems, loaded, settings, RULESET)
    hints = [f.message.split("did you mean '")[1][:-3] for f in kb.findings if f.code == "PM610"]
    assert hints[:5] == expected[:5]
    # Among the many numbers one digit away from 10234, any is as good: as close as the best.
    ratio = [difflib.SequenceMatcher(None, wrong[5], h).ratio() for h in (hints[5], expected[5])]
    assert ratio[0] == ratio[1]
    assert len(compared) == len(wrong)
    assert max(compared) <= 4 * suggestions.Hints.NEIGHBOURS + 10


def test_incident_must_be_an_id_or_a_list(check: Any) -> None:
    text = VALID.replace("tags: [config, deploy]", "tags: [config, deploy]\nincident: {a: 1}")
    assert [f.code for f in check(text)] == ["PM102"]


def test_an_explicit_link_elsewhere_is_never_second_guessed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    files = dict(WRITTEN_UP)
    files["2026/2026-05-02-search-index-rebuild-2.md"] = postmortem(
        "Search rebuild, the second write-up",
        "SEV2",
        "2026-05-02T08:00:00Z",
        "2026-05-02T10:45:00Z",
        "[search]",
        "\nincident: Q4LD9V2PE3UH8G",
    )
    _, register, kb = linked(tmp_path, files)
    assert not any(link.guessed for link in match(register, kb.indexed).links)


# --- missing write-ups: deadlines per level and timezone ------------------------------------


def test_deadlines_per_level_and_timezone(tmp_path: Path) -> None:
    """SEV1 24 hours, SEV2 3 days, SEV3 none; the CSV's times are Berlin time."""
    text = (
        "id,title,severity,started,resolved\n"
        "A,Checkout down,SEV1,2026-05-18 22:10,2026-05-18 23:30\n"
        "B,Search slow,SEV2,2026-05-16 09:00,2026-05-16 10:00\n"
        "C,Queue backlog,SEV3,2026-05-01 09:00,2026-05-01 10:00\n"
    )
    (tmp_path / "r.csv").write_text(text, encoding="utf-8")
    settings = settings_for(
        tmp_path,
        {"path": "r.csv", "format": "csv"},
        timezone="Europe/Berlin",
        severities=[
            {"name": "SEV1", "deadline_hours": 24},
            {"name": "SEV2", "deadline_hours": 72},
            "SEV3",
        ],
    )
    register = load_register(settings)
    assert register is not None
    nothing = match(register, [])
    # A: resolved 23:30 Berlin = 21:30 UTC, due a day later; B: 08:00 UTC + 3 days.
    before = datetime(2026, 5, 19, 7, 0, tzinfo=timezone.utc)
    overdue, due = missing_writeups(register, nothing, settings, before)
    assert overdue == []
    assert [(m.incident.id, m.left) for m in due] == [
        ("B", timedelta(hours=1)),
        ("A", timedelta(hours=14, minutes=30)),
    ]
    after = datetime(2026, 5, 19, 22, 0, tzinfo=timezone.utc)
    overdue, due = missing_writeups(register, nothing, settings, after)
    assert [(m.incident.id, m.late_by) for m in overdue] == [
        ("B", timedelta(hours=14)),
        ("A", timedelta(minutes=30)),
    ]
    assert due == []


# --- bad registers ----------------------------------------------------------------------------


def problems_of(tmp_path: Path, text: str, fmt: str = "pagerduty", **register: Any) -> str:
    name = "incidents.csv" if fmt == "csv" else "incidents.json"
    (tmp_path / name).write_text(text, encoding="utf-8")
    options = {"path": name, "format": fmt, "severities": {"P1": "SEV1"}, **register}
    with pytest.raises(RegisterError) as caught:
        load_register(settings_for(tmp_path, options))
    return str(caught.value)


def pd(*incidents: dict[str, Any]) -> str:
    return json.dumps(
        {"incidents": list(incidents), "limit": 25, "offset": 0, "more": False}, indent=2
    )


GOOD = {
    "id": "Q1",
    "incident_number": 1,
    "title": "Outage",
    "created_at": "2026-05-01T10:00:00Z",
    "status": "resolved",
    "last_status_change_at": "2026-05-01T11:00:00Z",
    "priority": {"summary": "P1"},
    "urgency": "high",
}


@pytest.mark.parametrize(
    ("text", "fmt", "expected"),
    [
        ("{not json", "pagerduty", "incidents.json:1:2: error PM600 the register is not JSON"),
        (
            '{"data": []}',
            "pagerduty",
            "incidents.json:1:1: error PM600 the register is JSON but "
            "not PagerDuty's incident list",
        ),
        (
            "[]",
            "incident.io",
            "incidents.json:1:1: error PM600 the register is JSON but not "
            "incident.io's incident list",
        ),
        (
            pd(GOOD, "Q2"),
            "pagerduty",
            "incidents.json:15:5: error PM600 $.incidents[1] is not an incident object",
        ),
        (
            pd(GOOD, {**GOOD, "id": "Q2", "priority": {"summary": "P9"}}),
            "pagerduty",
            "incidents.json:15:5: error PM601 $.incidents[1]: level 'P9' of incident 'Q2' maps to "
            "none of SEV1, SEV2, SEV3, SEV4; add it to register.severities",
        ),
        (
            pd({**GOOD, "created_at": "yesterday"}),
            "pagerduty",
            "incidents.json:3:5: error PM602 $.incidents[0]: 'created_at': 'yesterday' is not a "
            "date and time",
        ),
        (
            pd({**GOOD, "last_status_change_at": "2026-02-30T10:00:00Z"}),
            "pagerduty",
            "incidents.json:3:5: error PM602 $.incidents[0]: 'last_status_change_at': "
            "'2026-02-30T10:00:00Z' is not a real time",
        ),
        (
            pd(GOOD, GOOD),
            "pagerduty",
            "incidents.json:15:5: error PM603 $.incidents[1]: incident "
            "id 'Q1' is already used at line 3 ($.incidents[0])",
        ),
        (
            pd({**GOOD, "id": ""}),
            "pagerduty",
            "incidents.json:3:5: error PM604 $.incidents[0]: no 'id'",
        ),
        (
            pd({**GOOD, "last_status_change_at": "2026-05-01T09:59:59Z"}),
            "pagerduty",
            "incidents.json:3:5: error PM605 $.incidents[0]: incident 'Q1' was resolved at "
            "2026-05-01T09:59:59+00:00, before it started at 2026-05-01T10:00:00+00:00",
        ),
        (
            "id,title,severity,started,resolved\nA,Outage,P1,2026-05-01T10:00Z,2026-04-30T10:00Z\n",
            "csv",
            "incidents.csv:2:1: error PM605 row 2: incident 'A' was resolved at "
            "2026-04-30T10:00:00+00:00, before it started at 2026-05-01T10:00:00+00:00",
        ),
        (
            pd({**GOOD, "incident_number": 0}).replace(
                '"incident_number": 0', '"incident_number": ' + "9" * 5000
            ),
            "pagerduty",
            "incidents.json:5:26: error PM600 the register holds a number of more than 4300 digits",
        ),
        (
            # Long digits in a string and in a fraction convert: the line is the integer's.
            pd({**GOOD, "title": "1" * 5000, "x": 0.5})
            .replace('"x": 0.5', '"x": 0.' + "5" * 5000)
            .replace('"more": false', '"more": -' + "7" * 5000),
            "pagerduty",
            "incidents.json:19:11: error PM600 the register holds a number of more than 4300 digits",
        ),
        (
            '{"incidents": [' + "[" * 50_000 + "]" * 50_000 + "]}",
            "pagerduty",
            "incidents.json:1:1: error PM600 the register's JSON is nested too deeply",
        ),
        (
            "Key,Title\n",
            "csv",
            "incidents.csv:1:1: error PM600 the header row has no column "
            "'id' (id), 'title' (title), 'severity' (severity), 'started' (started)",
        ),
        ("", "csv", "incidents.csv:1:1: error PM600 the register is empty"),
        (
            "id,title,severity,started\nA,Outage,P1,2026-05-01T10:00Z\nB,Outage,P1,soon\n",
            "csv",
            "incidents.csv:3:1: error PM602 row 3: started: 'soon' is not a date and time",
        ),
        (
            "id,title,severity,started\nA,,P1,2026-05-01T10:00Z\n",
            "csv",
            "incidents.csv:2:1: error PM604 row 2: no title",
        ),
        (
            'id,title,severity,started\nA,"Outage,P1,2026-05-01T10:00Z\n',
            "csv",
            "incidents.csv:2:1: error PM600 the register is not CSV",
        ),
    ],
)
def test_every_bad_register_is_a_configuration_error_naming_the_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, fmt: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert expected in problems_of(tmp_path, text, fmt)


def test_all_problems_are_listed_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    text = pd({**GOOD, "created_at": "x"}, {**GOOD, "id": "Q2", "priority": {"summary": "P7"}})
    message = problems_of(tmp_path, text)
    assert message.startswith("the incident register incidents.json has 2 problems:")
    assert "PM602" in message
    assert "PM601" in message


def test_a_missing_register_file_exits_2_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    config = {
        "plugins": [{"postmortems": {"register": {"path": "gone.json", "format": "pagerduty"}}}]
    }
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (tmp_path / "postmortems").mkdir()
    for command in (["overdue"], ["check"], ["new", "x", "--incident", "Q1"]):
        assert main(command) == 2
        err = capsys.readouterr().err
        assert "gone.json:1:1: error PM600 the register file does not exist" in err
        assert "Traceback" not in err


def hostile_project(root: Path, register: str) -> None:
    written = {"2026/2026-03-04-checkout-config-push.md": VALID}
    plugin = {"postmortems": {"register": {"path": register, "format": "pagerduty"}}}
    write_project(root, written, config={"plugins": [plugin]})


@pytest.mark.build
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            '{"incidents": [],\n "more": ' + "1" * 5000 + "}",
            "incidents.json:2:10: error PM600 the register holds a number of more than 4300 digits",
        ),
        (
            '{"incidents": [' + "[" * 100_000 + "]" * 100_000 + "]}",
            "incidents.json:1:1: error PM600 the register's JSON is nested too deeply",
        ),
    ],
    ids=["huge-number", "deep-nesting"],
)
def test_a_hostile_register_is_a_configuration_error_in_every_command(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    content: str,
    expected: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    hostile_project(tmp_path, "incidents.json")
    (tmp_path / "incidents.json").write_text(content, encoding="utf-8")
    for command in (["check"], ["overdue"], ["stats"]):
        assert main(command) == 2, command
        err = capsys.readouterr().err
        assert expected in err
        assert "Traceback" not in err
    with pytest.raises(Abort):
        build_site(tmp_path / "mkdocs.yml")
    assert expected in caplog.text


@pytest.mark.parametrize("kind", ["fifo", "link-to-dev-zero"])
def test_a_register_path_that_is_no_regular_file_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    monkeypatch.chdir(tmp_path)
    hostile_project(tmp_path, "incidents.json")
    if kind == "fifo":
        os.mkfifo(tmp_path / "incidents.json")
    else:
        (tmp_path / "incidents.json").symlink_to("/dev/zero")
    assert main(["check"]) == 2
    shown = "a FIFO" if kind == "fifo" else "a device"
    assert (
        f"incidents.json:1:1: error PM600 the register: not a regular file ({shown}); not read"
        in capsys.readouterr().err
    )


def test_a_register_problem_at_warning_level_drops_the_incident(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "incidents.json").write_text(
        pd(GOOD, {**GOOD, "id": "Q2", "priority": {"summary": "P9"}}), encoding="utf-8"
    )
    register = {"path": "incidents.json", "format": "pagerduty", "severities": {"P1": "SEV1"}}
    options = {"register": register, "rules": {"PM601": "warning"}}
    config = {"plugins": [{"postmortems": options}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    # No post-mortem yet: with a register, that is every serious incident missing one.
    (tmp_path / "postmortems").mkdir()
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "incidents.json:15:5: warning PM601 $.incidents[1]: level 'P9'" in out
    assert main(["check", "--strict"]) == 1
    capsys.readouterr()
    assert main(["overdue", "--format", "json", "--today", TODAY]) == 1
    report = json.loads(capsys.readouterr().out)
    assert [m["incident"] for m in report["missing_writeups"]] == ["Q1"]


@pytest.mark.parametrize(
    ("register", "message"),
    [
        ("incidents.json", "option 'postmortems.register' must be a mapping"),
        ({"path": "r.json", "format": "opsgenie"}, "must be one of pagerduty, incident.io, csv"),
        (
            {"path": "r.json", "format": "pagerduty", "severities": {"P1": "SEV9"}},
            "option 'postmortems.register.severities.P1' must be one of SEV1, SEV2, SEV3, SEV4",
        ),
        (
            {"path": "r.json", "format": "pagerduty", "since": "last year"},
            "option 'postmortems.register.since' must be a date",
        ),
        (
            {"path": "r.json", "format": "pagerduty", "columns": {"id": "Key"}},
            "'postmortems.register.columns' applies to the csv format only",
        ),
        (
            {"path": "r.csv", "format": "csv", "columns": {"identifier": "Key"}},
            "unknown column 'identifier'",
        ),
        (
            {"path": "r.json", "format": "pagerduty", "sevrities": {}},
            "unknown key 'sevrities' (did you mean 'severities'?)",
        ),
        ({"format": "pagerduty"}, "'postmortems.register.path' must name the register file"),
    ],
)
def test_bad_register_options_are_configuration_errors(
    tmp_path: Path, register: Any, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        settings_for(tmp_path, register)
    assert message in str(caught.value)


# --- the acceptance scenario: overdue, the site, new --------------------------------------------


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with the PagerDuty-shaped register and three written-up incidents."""
    monkeypatch.chdir(tmp_path)
    shutil.copy(DATA / "pagerduty.json", tmp_path / "incidents.json")
    register = {"path": "incidents.json", "format": "pagerduty", "severities": PD_SEVERITIES}
    write_project(
        tmp_path,
        WRITTEN_UP,
        config={"plugins": ["search", {"postmortems": {"register": register}}]},
    )
    monkeypatch.setenv(
        "SOURCE_DATE_EPOCH", str(int(datetime(2026, 5, 20, 12, tzinfo=timezone.utc).timestamp()))
    )
    return tmp_path


def test_overdue_names_the_sev1_incident_nobody_wrote_up(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["overdue", "--today", TODAY]) == 1
    out = capsys.readouterr().out
    missing = out.split("Incidents with no write-up, past the deadline (1):\n")[1].split("\n\n")[0]
    assert missing == (
        "  Q1VRZ5HK3OXH0A (4521): SEV1 Checkout API returned 502s for card payments, write-up "
        "due 2026-05-12 11:00, 8 days late"
    )
    due = out.split("still due (1):\n")[1].split("\n\n")[0]
    assert due.startswith("  Q5HC1Q0AR8MN2W (4551): SEV1 Payment webhooks dropped")
    assert due.endswith(", 20 hours left")
    # Not the SEV3 one, nor those with a post-mortem (linked or guessed), nor the open one.
    for other in (
        "Q0PZ3MZ8T2L9KD",
        "Q2KF8Y7DJ1ZC4M",
        "Q3NB2X6WQ7RS1T",
        "Q4LD9V2PE3UH8G",
        "Q6TX4J5BS9KP7E",
        "Q7YE6R3CV0WJ5N",
    ):
        assert other not in out


def test_overdue_prints_register_titles_as_printable_lines(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = json.loads((project / "incidents.json").read_text(encoding="utf-8"))
    first = register["incidents"][0]
    assert first["id"] == "Q1VRZ5HK3OXH0A"
    first["title"] = "Checkout\x1b[2J\x1b]0;owned\x07\nincidents.json:1:1: error PM000 forged"
    (project / "incidents.json").write_text(json.dumps(register), encoding="utf-8")
    assert main(["overdue", "--today", TODAY]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "\x07" not in out
    assert not any(line.startswith("incidents.json:1:1") for line in out.splitlines())
    assert (
        "  Q1VRZ5HK3OXH0A (4521): SEV1 Checkout\\x1b[2J\\x1b]0;owned\\x07\\x0aincidents.json:1:1: "
        "error PM000 forged, write-up due 2026-05-12 11:00, 8 days late\n"
    ) in out


def test_an_incident_resolved_before_it_started_counts_no_deadline(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = json.loads((project / "incidents.json").read_text(encoding="utf-8"))
    first = register["incidents"][0]
    first["last_status_change_at"] = "2026-05-01T00:00:00Z"  # before 2026-05-09T09:12:04Z
    (project / "incidents.json").write_text(json.dumps(register, indent=2), encoding="utf-8")
    assert main(["overdue", "--today", TODAY]) == 2
    assert "incidents.json:3:5: error PM605 $.incidents[0]: incident 'Q1VRZ5HK3OXH0A' was " in (
        capsys.readouterr().err
    )
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"][1]["postmortems"]["rules"] = {"PM605": "warning"}
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert main(["overdue", "--format", "json", "--today", TODAY]) in (0, 1)
    report = json.loads(capsys.readouterr().out)
    listed = {m["incident"] for m in [*report["missing_writeups"], *report["due_writeups"]]}
    assert "Q1VRZ5HK3OXH0A" not in listed


def test_overdue_json_lists_missing_and_due_write_ups(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["overdue", "--format", "json", "--today", TODAY]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["overdue"] is True
    assert report["writeups"] == []
    assert report["action_items"] == []
    assert report["reviews_due"] == []
    [missing] = report["missing_writeups"]
    assert missing == {
        "incident": "Q1VRZ5HK3OXH0A",
        "number": "4521",
        "title": "Checkout API returned 502s for card payments",
        "severity": "SEV1",
        "started": "2026-05-09T09:12:04+00:00",
        "resolved": "2026-05-10T11:00:00+00:00",
        "services": ["checkout-api"],
        "url": "https://acme.pagerduty.com/incidents/Q1VRZ5HK3OXH0A",
        "deadline": "2026-05-12T11:00:00+00:00",
        "days_late": 8,
        "late": "8 days",
        "hours_left": 0,
    }
    [due] = report["due_writeups"]
    assert (due["incident"], due["hours_left"]) == ("Q5HC1Q0AR8MN2W", 20)


def test_nothing_missing_exits_0(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        project,
        "2026/2026-05-09-checkout-502s.md",
        postmortem(
            "Checkout API returned 502s for card payments",
            "SEV1",
            "2026-05-09T09:00:00Z",
            "2026-05-10T11:00:00Z",
            "[checkout-api]",
            "\nincident: 4521",
        ),
    )
    assert main(["overdue", "--today", TODAY]) == 0
    assert "past the deadline (0)" in capsys.readouterr().out


def test_check_warns_about_the_guess(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out = capsys.readouterr().out
    assert "warning PM611" in out
    assert "add `incident: Q4LD9V2PE3UH8G`" in out
    assert main(["check", "--strict"]) == 1


@pytest.mark.build
def test_the_site_names_the_missing_write_up(project: Path) -> None:
    site = build_site(project / "mkdocs.yml")
    overdue = html(site, "overdue")
    assert "Incidents with no write-up past their deadline (1)" in overdue
    assert (
        '<a href="https://acme.pagerduty.com/incidents/Q1VRZ5HK3OXH0A">Checkout API returned '
        "502s for card payments</a>"
    ) in overdue
    assert "Still due (1)" in overdue
    assert "Payment webhooks dropped" in overdue
    for other in ("Notification e-mails delayed", "Search results empty", "Disk usage warning"):
        assert other not in overdue
    linked = html(site, "postmortems/2026-03-04-checkout-config-push")
    assert (
        '<dd class="pm-register"><a href="https://acme.pagerduty.com/incidents/Q3NB2X6WQ7RS1T">'
        "4533</a></dd>"
    ) in linked
    guessed = html(site, "postmortems/2026-05-02-search-index-rebuild")
    assert '>4540</a> <span class="pm-muted">(guessed from time and service)</span>' in guessed
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "1 incident with no write-up" in home
    assert '<span class="pm-badge pm-late">no write-up</span> SEV1' in home
    assert "Checkout API returned 502s for card payments" in home


@pytest.mark.build
def test_a_bad_register_fails_the_build_naming_the_place(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project / "incidents.json").write_text(pd({**GOOD, "created_at": "x"}), encoding="utf-8")
    with pytest.raises(Abort):
        build_site(project / "mkdocs.yml")
    assert "incidents.json:3:5: error PM602 $.incidents[0]: 'created_at': 'x'" in caplog.text


def test_new_from_the_register(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--incident", "4521", "--authors", "Dana Whitfield"]) == 0
    path = capsys.readouterr().out.strip()
    assert path == "postmortems/2026/2026-05-09-checkout-api-returned-502s-for-card-payments.md"
    text = (project / path).read_text(encoding="utf-8")
    front = yaml.load(text.split("---")[1], Loader=yaml.BaseLoader)  # every value as text
    assert front["title"] == "Checkout API returned 502s for card payments"
    assert front["severity"] == "SEV1"
    assert front["started"] == "2026-05-09T09:12:04Z"
    assert front["resolved"] == "2026-05-10T11:00:00Z"
    assert front["services"] == ["checkout-api"]
    assert front["incident"] == "Q1VRZ5HK3OXH0A"
    assert main(["check", path]) == 0
    capsys.readouterr()
    assert main(["overdue", "--format", "json", "--today", TODAY]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["missing_writeups"] == []  # the draft covers it: now its write-up is late
    assert [w["id"] for w in report["writeups"]] == [Path(path).stem]


def test_new_with_an_unknown_incident(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "--incident", "Q1VRZ5HK3OXHOA"]) == 2
    err = capsys.readouterr().err
    assert "'Q1VRZ5HK3OXHOA' is not in the register incidents.json" in err
    assert "did you mean 'Q1VRZ5HK3OXH0A'" in err


def test_new_incident_without_a_register(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "--incident", "4521"]) == 2
    assert "--incident needs an incident register" in capsys.readouterr().err


def test_a_link_to_an_incident_older_than_since_is_not_broken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    shutil.copy(DATA / "pagerduty.json", tmp_path / "incidents.json")
    register = {
        "path": "incidents.json",
        "format": "pagerduty",
        "severities": PD_SEVERITIES,
        "since": "2026-05-01",
    }
    settings = settings_for(tmp_path, register)
    for name, text in WRITTEN_UP.items():
        write(tmp_path, name, text)
    kb = load(settings, RULESET)
    loaded = load_register(settings)
    assert loaded is not None
    assert loaded.find("4533") is None  # started in March: left out
    add_link_findings(kb.postmortems, loaded, settings, RULESET)
    assert [f.code for f in kb.findings] == ["PM611"]  # no PM610 for `incident: 4533`


def test_serve_watches_the_register(project: Path) -> None:
    from mkdocs.config import load_config

    config = load_config(str(project / "mkdocs.yml"))
    plugin = config.plugins["postmortems"]
    watched: list[str] = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(path)

    plugin.on_serve(Server(), config=config, builder=None)
    assert watched == [str(project / "postmortems"), str(project / "incidents.json")]


@pytest.mark.parametrize(
    ("data", "fmt", "expected"),
    [
        (
            "incident_io.json",
            "pagerduty",
            "incidents.json:3:5: error PM600 this looks like "
            "incident.io's incident list; set register.format: incident.io",
        ),
        (
            "pagerduty.json",
            "incident.io",
            "incidents.json:3:5: error PM600 this looks like "
            "PagerDuty's incident list; set register.format: pagerduty",
        ),
    ],
)
def test_a_register_in_the_other_format_says_so_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: str, fmt: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    message = problems_of(tmp_path, (DATA / data).read_text(encoding="utf-8"), fmt)
    assert message == f"the incident register incidents.json has 1 problem:\n  {expected}"


@pytest.mark.build
def test_a_single_build_shows_the_register_as_a_kept_build_does(project: Path) -> None:
    """With a register, `mkdocs build` matches it with the files whole, then lets go of what
    the pages do not need and draws each page when MkDocs reads it: the site is the same as
    the one `mkdocs serve` draws at once and keeps."""
    from sitebuild import build_as

    sites = {
        command: build_as(project / "mkdocs.yml", command, project / command)
        for command in ("serve", "build")
    }
    files = {
        command: {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}
        for command, site in sites.items()
    }
    assert files["build"].keys() == files["serve"].keys()
    assert [name for name in files["serve"] if files["build"][name] != files["serve"][name]] == []
    # The register shows: the write-up nobody wrote, and a post-mortem's incident link.
    assert "Incidents with no write-up past their deadline (1)" in html(sites["build"], "overdue")
    linked = html(sites["build"], "postmortems/2026-03-04-checkout-config-push")
    assert 'href="https://acme.pagerduty.com/incidents/Q3NB2X6WQ7RS1T">4533</a>' in linked


def _register_links(text: str) -> list[str]:
    """The links into the register a page shows, and its missing write-ups' heading: what the
    register adds to the generated blocks, whatever markup the generator wraps them in."""
    links = re.findall(r'<a href="(https://acme\.pagerduty\.com/[^"]+)"[^>]*>([^<]*)</a>', text)
    headings = re.findall(r"Incidents with no write-up[^<(]*\(\d+\)", text)
    return sorted([*(f"{href} {label}" for href, label in links), *headings])


@pytest.mark.build
def test_render_shows_the_register_as_the_plugin_does(project: Path) -> None:
    """`postmortems render` (the Zensical route) reads the register as the plugin does: the
    same pages, with the same incident links and the same missing write-ups."""
    site = build_site(project / "mkdocs.yml")
    assert main(["render", "--out", "docs", "--links", "page"]) == 0
    written = json.loads((project / "docs" / MANIFEST).read_text(encoding="utf-8"))["files"]
    pages = sorted(src.removesuffix(".md") for src in written if src.endswith(".md"))
    assert pages
    for page in pages:
        rendered = (project / "docs" / f"{page}.md").read_text(encoding="utf-8")
        built = html(site, page.removesuffix("index"))
        assert _register_links(rendered) == _register_links(built), page
    overdue = (project / "docs" / "overdue.md").read_text(encoding="utf-8")
    assert "Incidents with no write-up past their deadline (1)" in overdue
    linked = (project / "docs" / "postmortems/2026-03-04-checkout-config-push.md").read_text(
        encoding="utf-8"
    )
    assert 'href="https://acme.pagerduty.com/incidents/Q3NB2X6WQ7RS1T">4533</a>' in linked
