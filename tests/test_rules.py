"""One test per rule: the code, the line and the column of every finding."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import DRAFT, VALID, VALID_NAME, Checker
from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.rules import all_rules


def codes(findings: list) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.col) for f in findings]


def test_valid_postmortem_is_clean(check: Checker) -> None:
    assert check(VALID) == []


def test_valid_draft_is_clean(check: Checker) -> None:
    assert check(DRAFT, name="2026-05-02-search-index-stalled.md") == []


def test_bom_and_crlf_are_valid(check: Checker) -> None:
    data = b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode()
    assert check(data) == []


def test_crlf_positions_are_unchanged(check: Checker) -> None:
    text = VALID.replace("severity: SEV2", "severity: SEV9").replace("\n", "\r\n")
    assert codes(check(text)) == [("PM104", 3, 11)]


CASES = [
    # (code, old, new, line, col)
    ("PM006", "title: Checkout", "title: [Checkout", 3, 9),
    (
        "PM008",
        "title: Checkout API returned 500s after a config push",
        'title: !!python/object/apply:os.system ["echo pwned"]',
        2,
        8,
    ),
    ("PM010", "tags: [config, deploy]", "tags: [config]\ntags: [deploy]", 13, 1),
    ("PM011", "tags: [config, deploy]", "tags: [config]\nignore: {BL003: ''}", 13, 10),
    ("PM011", "tags: [config, deploy]", "tags: [config]\nignore: {XX999: because}", 13, 10),
    ("PM100", "resolved: 2026-03-04T15:30:00Z\n", "", 17, 1),
    ("PM100", "published: 2026-03-06\n", "", 17, 1),
    ("PM101", "tags: [config, deploy]", "tag: [config, deploy]", 12, 1),
    ("PM102", "services: [checkout-api, config-service]", "services: checkout-api", 11, 11),
    ("PM102", "tags: [config, deploy]", "tags: [config, [deploy]]", 12, 16),
    ("PM103", "published: 2026-03-06", "published: 2026-13-02", 8, 12),
    ("PM103", "detected: 2026-03-04T14:09:00Z", "detected: yesterday", 6, 11),
    ("PM104", "severity: SEV2", "severity: SEV5", 3, 11),
    ("PM105", "status: published", "status: done", 4, 9),
    ("PM106", "resolved: 2026-03-04T15:30:00Z", "resolved: 2026-03-04T14:05:00Z", 7, 11),
    ("PM106", "detected: 2026-03-04T14:09:00Z", "detected: 2026-03-04T13:00:00Z", 6, 11),
    ("PM107", "published: 2026-03-06", "published: 2026-03-01", 8, 12),
    ("PM108", "title: Checkout API returned 500s after a config push", 'title: ""', 2, 8),
    ("PM108", "title: Checkout API returned 500s after a config push", "title: " + "x" * 201, 2, 8),
    ("PM109", "authors: [Dana Whitfield]", "authors: []", 9, 10),
    ("PM111", "users_affected: 1200", "users_affected: -3", 14, 19),
    ("PM111", "  revenue: about", "  revnue: about", 15, 3),
    ("PM112", "tags: [config, deploy]", "tags: [config]\nid: not a url", 13, 5),
    ("PM113", "tags: [config, deploy]", "tags: [config]\ntimezone: Mars/Base", 13, 11),
    ("PM002", "started: 2026-03-04T14:02:00Z", "started: 2026-03-03T23:00:00Z", 5, 10),
    (
        "PM200",
        "## Impact\n\nAbout 1,200 customers saw errors at checkout for 88 minutes.\n\n",
        "",
        32,
        1,
    ),
    ("PM200", "## Impact\n", "```\n## Impact\n```\n", 38, 1),
    (
        "PM201",
        "Config changes reach every region at once.\n",
        "<!-- What would have made this easier? -->\n",
        44,
        1,
    ),
    ("PM202", "## What Went Well", "## Impact\n\nMore.\n\n## What Went Well", 40, 1),
    ("PM203", "About 1,200 customers saw errors at checkout for 88 minutes.", "TBD", 34, 1),
    # A stand-in of markup alone (found by the fuzz test: it raised StopIteration).
    ("PM203", "About 1,200 customers saw errors at checkout for 88 minutes.", "- ", 34, 1),
    ("PM204", "## Timeline\n\n| Time", "## Timeline\n\nTimes in UTC:\n| Time", 27, 1),
    ("PM300", "| Time | Event |\n|------|-------|\n", "Events:\n\n", 24, 1),
    ("PM301", "| 14:09 |", "| next morning |", 29, 3),
    ("PM301", "| 14:09 |", "| 25:09 |", 29, 3),
    ("PM302", "| 15:30 |", "| 14:00 |", 30, 3),
    ("PM303", "| 15:30 | Previous", "| 15:30 | restore | Previous", 30, 21),
    # The front matter written in another zone than the timeline: each row two hours off,
    (
        "PM304",
        "started: 2026-03-04T14:02:00Z\ndetected: 2026-03-04T14:09:00Z\nresolved: 2026-03-04T15:30:00Z",
        "started: 2026-03-04T14:02:00-02:00\ndetected: 2026-03-04T14:09:00-02:00\n"
        "resolved: 2026-03-04T15:30:00-02:00",
        28,
        3,
    ),
    # or the whole timeline before the start.
    (
        "PM304",
        "started: 2026-03-04T14:02:00Z\ndetected: 2026-03-04T14:09:00Z\nresolved: 2026-03-04T15:30:00Z",
        "started: 2026-03-04T14:02:00-05:00\ndetected: 2026-03-04T14:09:00-05:00\n"
        "resolved: 2026-03-04T15:30:00-05:00",
        30,
        3,
    ),
    ("PM305", "| Time | Event |", "| Time (CEST) | Event |", 28, 3),
    (
        "PM117",
        "detected: 2026-03-04T14:09:00Z",
        'detected: 2026-03-04T14:09:00Z  # inferred, please confirm: "14:09 alert paged"',
        6,
        11,
    ),
    ("PM400", "| Action | Owner | Due |", "| Action | Assignee | Due |", 50, 1),
    ("PM401", "| Add a minimum of 1 to the pool size schema |", "|  |", 52, 3),
    ("PM402", "| Dana Whitfield | 2026-03-20 |", "|  | 2026-03-20 |", 52, 48),
    ("PM403", "| 2026-04-15 |", "| next week |", 53, 56),
    ("PM404", "| P2 |", "| P9 |", 53, 69),
    ("PM405", "| open |", "| blocked |", 53, 74),
    ("PM406", "| P2 | open | OPS-102 |", "| P2 |", 53, 73),
    ("PM406", "| P2 | open | OPS-102 |", "| P2 | open | OPS-102 | two |", 53, 91),
    ("PM408", "| Action | Owner | Due |", "| Owner | Action | Due |", 50, 3),
    ("PM408", "| Action | Owner | Due |", "| Action | Assignee | Due |", 50, 12),
    (
        "PM407",
        "| Add a minimum of 1 to the pool size schema | Dana Whitfield | 2026-03-20 | P1 | done | "
        "OPS-101 |\n| Roll config out one region at a time | Omar Haddad | 2026-04-15 | P2 | open | "
        "OPS-102 |\n",
        "",
        48,
        1,
    ),
]


BLAMELESS_CASES = [
    ("BL001", "because its schema had no minimum.", "because Omar Haddad skipped review.", 38, 57),
    ("BL001", "because its schema had no minimum.", "because @ohaddad skipped review.", 38, 57),
    ("BL002", "Config changes reach every region at once.", "It was human error.", 46, 8),
    (
        "BL003",
        "The alert fired within seven minutes.",
        "The engineer should have paged sooner.",
        42,
        14,
    ),
    ("BL004", "Config changes reach every region at once.", "A careless push broke it.", 46, 3),
    ("BL005", "| Roll config out one region at a time |", "| Be more careful |", 53, 3),
    ("BL006", "| Omar Haddad | 2026-04-15 |", "| TBD | 2026-04-15 |", 53, 42),
]


def test_an_extra_action_item_cell_is_said_to_be_shown_without_a_heading(check: Checker) -> None:
    """The site shows a cell beyond the header's last column (under no label), so the
    finding says so rather than that it is dropped."""
    text = VALID.replace("| P2 | open | OPS-102 |", "| P2 | open | OPS-102 | two |")
    [finding] = [f for f in check(text) if f.code == "PM406"]
    assert "the site shows the extra ones without a heading" in finding.message


def test_too_many_action_items(check: Checker) -> None:
    row = (
        "| Add a canary stage for service {n} | Omar Haddad | 2026-04-15 | P2 | open | OPS-{n} |\n"
    )
    text = VALID + "".join(row.format(n=n) for n in range(4))
    assert codes(check(text)) == [("BL007", 48, 1)]


def test_names_in_other_sections_and_quotes_are_fine(check: Checker) -> None:
    text = VALID.replace(
        "The alert fired within seven minutes.",
        "Omar Haddad rolled back within minutes.\n\n> The customer wrote: you should have told us.",
    )
    assert check(text) == []


def test_knowledge_base_people_count_in_root_causes(check: Checker) -> None:
    other = VALID.replace("authors: [Dana Whitfield]", "authors: [Priya Raman]")
    others = {"2026-03-04-other-incident.md": other}
    text = VALID.replace("because its schema had no minimum.", "because Priya Raman approved it.")
    assert codes(check(text, others=others)) == [("BL001", 38, 57)]
    # Another write-up's person is known by the whole name: a first name alone may be anyone.
    text = VALID.replace("because its schema had no minimum.", "because Priya approved it.")
    assert check(text, others=others) == []


def test_blameless_finding_silenced_on_its_line(check: Checker) -> None:
    text = VALID.replace(
        "Config changes reach every region at once.",
        "The vendor called it human error. <!-- postmortems: ignore BL002 vendor's words -->",
    )
    assert check(text) == []


@pytest.mark.parametrize(("code", "old", "new", "line", "col"), CASES + BLAMELESS_CASES)
def test_rule_reports_code_line_and_column(
    check: Checker, code: str, old: str, new: str, line: int, col: int
) -> None:
    assert old in VALID
    findings = check(VALID.replace(old, new, 1))
    assert (code, line, col) in codes(findings), [f.format() for f in findings]
    # Blameless rules ask a question; they do not block a merge unless configured to.
    assert all(f.level == "warning" for f in findings if f.code.startswith("BL"))


def test_every_rule_code_has_a_test_or_is_covered_elsewhere() -> None:
    tested = {case[0] for case in CASES}
    covered_elsewhere = {
        "PM001",
        "PM003",
        "PM004",
        "PM005",
        "PM007",
        "PM009",
        "PM013",
        "PM110",
        "PM115",  # test_extra_fields.py: they need an extra_fields configuration
        "PM116",
        "PM500",
        "PM501",
        # The incident register's rules: tests/test_register.py.
        "PM600",
        "PM601",
        "PM602",
        "PM603",
        "PM604",
        "PM605",
        "PM610",
        "PM611",
        # tests/test_hostile.py
        *("PM020", "PM021", "PM022", "PM023", "PM024", "PM025"),
        *("PM120", "PM121", "PM122", "PM210", "PM502"),
        # tests/test_action_kinds.py: the Kind column
        *("PM409", "PM410"),
        # tests/test_learning.py: the effectiveness review
        *("PM130", "PM131"),
        # The public edition's leak check: tests/test_public_edition.py.
        *("PM700", "PM701", "PM702", "PM703", "PM704", "PM705", "PM706", "PM707"),
    }
    tested |= {case[0] for case in BLAMELESS_CASES} | {"BL007"}
    assert {r.code for r in all_rules()} == tested | covered_elsewhere


def test_file_name_pattern(check: Checker) -> None:
    assert codes(check(VALID, name="Checkout outage.md")) == [("PM001", 1, 1)]
    assert codes(check(VALID, name="2026-02-30-checkout.md")) == [("PM001", 1, 1)]


def test_not_utf8_points_at_the_byte(check: Checker) -> None:
    data = VALID.replace("set the checkout", "set the \udcffcheckout").encode(
        "utf-8", "surrogateescape"
    )
    assert codes(check(data)) == [("PM003", 22, 30)]


def test_not_utf8_after_a_byte_order_mark_points_at_the_byte(check: Checker) -> None:
    data = b"\xef\xbb\xbf" + VALID.replace("set the checkout", "set the \udcffcheckout").encode(
        "utf-8", "surrogateescape"
    )
    (finding,) = check(data)
    assert (finding.code, finding.line, finding.col) == ("PM003", 22, 30)
    assert "0xff" in finding.message
    bad_on_first_line = b"\xef\xbb\xbf--\xfe-\n" + VALID.split("\n", 1)[1].encode()
    assert codes(check(bad_on_first_line)) == [("PM003", 1, 3)]


def test_no_front_matter(check: Checker) -> None:
    assert codes(check(VALID.split("---\n", 2)[2])) == [("PM004", 1, 1)]


def test_unterminated_front_matter(check: Checker) -> None:
    assert codes(check(VALID.replace("\n---\n", "\n", 1))) == [("PM005", 1, 1)]


@pytest.mark.parametrize(("front", "kind"), [("- a\n- b\n", "a list"), ("just text\n", "a single")])
def test_front_matter_must_be_a_mapping(check: Checker, front: str, kind: str) -> None:
    findings = check(f"---\n{front}---\n\n## Summary\n\nText.\n")
    assert codes(findings) == [("PM007", 2, 1)]
    assert kind in findings[0].message


def test_alias_bomb_is_refused_quickly(check: Checker) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    findings = check("---\n" + "\n".join(lines) + "\n---\n\n## Summary\n\nx\n")
    assert codes(findings) == [("PM009", 2, 1)]


def test_recursive_alias_is_refused(check: Checker) -> None:
    findings = check("---\na: &a [*a]\n---\n\n## Summary\n\nx\n")
    assert [f.code for f in findings] == ["PM009"]


def test_python_tag_is_never_executed(check: Checker, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = VALID.replace(
        "tags: [config, deploy]", f'tags: !!python/object/apply:os.system ["touch {marker}"]'
    )
    assert "PM008" in [f.code for f in check(text)]
    assert not marker.exists()


def test_unknown_key_suggests_the_closest(check: Checker) -> None:
    findings = check(VALID.replace("services:", "servces:"))
    messages = [f.message for f in findings if f.code == "PM101"]
    assert messages == ["unknown key 'servces' (did you mean 'services'?)"]


def test_page_keys_of_mkdocs_are_allowed(check: Checker) -> None:
    text = VALID.replace("tags: [config, deploy]", "tags: [config]\nhide: [toc]\ndescription: x")
    assert check(text) == []


def test_service_catalog(check: Checker, tmp_path: Path) -> None:
    settings = Settings(root=tmp_path, services=("checkout-api", "config-service-v2"))
    findings = check(VALID, settings=settings)
    assert codes(findings) == [("PM110", 11, 26)]
    assert "did you mean 'config-service-v2'" in findings[0].message


def test_duplicate_ids_and_missing_related(check: Checker) -> None:
    other = VALID.replace(
        "tags: [config, deploy]", "tags: [config]\nid: 2026-03-04-checkout-config-push"
    )
    text = VALID.replace(
        "tags: [config, deploy]", "tags: [config]\nrelated: [2026-03-04-checkout-config-pus]"
    )
    findings = check(text, others={"2026-03-04-checkout-second.md": other})
    assert codes(findings) == [("PM501", 13, 11)]
    assert "did you mean '2026-03-04-checkout-config-push'" in findings[0].message
    kb_findings = check(VALID, others={"2026-03-04-checkout-second.md": other})
    assert kb_findings == []


def test_duplicate_id_is_reported_on_the_second_file(kb_of) -> None:  # type: ignore[no-untyped-def]
    other = VALID.replace(
        "tags: [config, deploy]", "tags: [config]\nid: 2026-03-04-checkout-config-push"
    )
    kb = kb_of({VALID_NAME: VALID, "2026-03-04-zz-second.md": other})
    assert [(f.path, f.code, f.line, f.col) for f in kb.findings] == [
        ("postmortems/2026-03-04-zz-second.md", "PM500", 13, 5)
    ]


def test_headings_inside_code_fences_are_not_sections(check: Checker) -> None:
    text = VALID.replace("## Impact\n", "~~~markdown\n## Impact\n~~~\n")
    assert [f.code for f in check(text)] == ["PM200"]


def test_setext_heading_is_a_section(check: Checker) -> None:
    text = VALID.replace("## Root Causes\n", "Root Cause(s)\n-------------\n")
    assert check(text) == []


def test_timeline_bare_time_after_midnight_needs_a_date(check: Checker) -> None:
    text = VALID.replace("| 15:30 |", "| 2026-03-05 00:10 |")
    assert check(text) == []


def test_extra_table_columns_are_allowed(check: Checker) -> None:
    text = VALID.replace(
        "| Time | Event |\n|------|-------|", "| Time | Type | Event |\n|---|---|---|"
    )
    text = text.replace("| 14:09 |", "| 14:09 | alert |")
    assert check(text) == []


def test_silence_for_a_file_and_a_line(check: Checker) -> None:
    noisy = VALID.replace("| P2 | open |", "| P2 | blocked |")
    assert [f.code for f in check(noisy)] == ["PM405"]
    silenced_file = noisy.replace(
        "tags: [config, deploy]", "tags: [config]\nignore: {PM405: waiting on vendor}"
    )
    assert check(silenced_file) == []
    silenced_line = noisy.replace(
        "| Roll config", "<!-- postmortems: ignore PM405 vendor tracks it -->\n| Roll config"
    )
    # A comment line inside a table ends the table, so the comment goes above the table.
    assert [f.code for f in check(silenced_line)] == []


def test_rule_levels_are_configurable(check: Checker, tmp_path: Path) -> None:
    text = VALID.replace("| P2 | open |", "| P2 | blocked |")
    settings = Settings(root=tmp_path, rules={"PM405": "warning"})
    assert [(f.code, f.level) for f in check(text, settings=settings)] == [("PM405", "warning")]
    settings = Settings(root=tmp_path, rules={"PM405": "off"})
    assert check(text, settings=settings) == []
    settings = Settings(root=tmp_path, rules={"PM405": "info"})
    assert [(f.code, f.level) for f in check(text, settings=settings)] == [("PM405", "info")]


def test_all_problems_in_one_run_sorted(check: Checker) -> None:
    text = VALID.replace("severity: SEV2", "severity: SEV9").replace("| P2 |", "| P7 |")
    findings = check(text)
    assert [f.code for f in findings] == ["PM104", "PM404"]
    assert findings == sorted(findings)
