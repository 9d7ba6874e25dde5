"""The findings of ``postmortems check`` in the formats CI systems read.

- **SARIF 2.1.0** for code scanning (GitHub, Azure DevOps, any SARIF viewer): one rule per
  code with a link to its entry on the rules page, one result per finding.
- **JUnit XML** (the Apache Ant form that GitLab, Jenkins and most CI test views read): one
  test case per checked file, failing with every finding of that file.
- **GitLab Code Quality** JSON: one issue per finding, shown in the merge request.

Every finding carries a fingerprint that stays the same across runs and across edits
elsewhere in the file, so a code scanning alert or a Code Quality issue keeps its identity
while lines are added above it. See :func:`fingerprints` for how it is computed.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from mkdocs_postmortems import __version__
from mkdocs_postmortems.core.findings import Finding, Rule
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase

FORMATS = ("sarif", "junit", "gitlab")
TOOL = "postmortems"
HOME = "https://github.com/mkdocs-postmortems/mkdocs-postmortems"
RULES_PAGE = f"{HOME}/blob/main/docs/rules.md"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
# The key under which SARIF consumers (GitHub code scanning) match results across runs.
FINGERPRINT_KEY = "postmortems/v1"
# Characters XML 1.0 cannot hold at all; a message quoting a hostile file may contain them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# GitLab's scale is info, minor, major, critical, blocker. An error fails the check, so it
# ranks above a warning, and below the blockers of security scanners.
GITLAB_SEVERITY = {"error": "major", "warning": "minor", "info": "info"}


def fingerprints(findings: Iterable[Finding], texts: Mapping[str, str]) -> list[str]:
    """A stable identity for each finding, in the order given.

    The hash (SHA-256, first 32 hex digits) covers the file's path, the rule's code, the
    message, the text of the line the finding points at with its whitespace collapsed, and
    how many earlier findings share all four (two identical phrases on one line stay
    apart). It leaves out the line and column numbers, so adding or removing lines elsewhere
    does not change it. Renaming the file, editing the line itself, or a change that alters
    the message gives a new fingerprint: that is a different finding.
    """
    # Imported where used: ``check`` prints text far more often than a report, and the hash
    # and XML modules load C libraries that would double its memory at start-up.
    import hashlib

    seen: Counter[tuple[str, str, str, str]] = Counter()
    result = []
    for finding in findings:
        line = _line(texts.get(finding.path, ""), finding.line)
        key = (finding.path, finding.code, finding.message, line)
        occurrence = seen[key]
        seen[key] += 1
        material = "\0".join((*key, str(occurrence)))
        result.append(hashlib.sha256(material.encode("utf-8")).hexdigest()[:32])
    return result


def _line(text: str, number: int) -> str:
    lines = text.splitlines()
    if 1 <= number <= len(lines):
        return " ".join(lines[number - 1].split())
    return ""


def render(
    fmt: str,
    kb: KnowledgeBase,
    rules: Mapping[str, Rule],
    now: datetime,
    *,
    strict: bool = False,
) -> str:
    """The knowledge base's findings in ``fmt`` (one of :data:`FORMATS`); ``strict`` (the
    check's ``--strict``) makes a warning fail its file's JUnit test case too."""
    root = kb.settings.root
    findings = [replace(f, path=_project_path(f.path, root)) for f in kb.findings]
    texts = {_project_path(pm.display, root): pm.raw_text for pm in kb.postmortems}
    prints = fingerprints(findings, texts)
    if fmt == "sarif":
        return _json(sarif(findings, prints, rules))
    if fmt == "gitlab":
        return _json(gitlab(findings, prints))
    checked = {_project_path(pm.display, root) for pm in kb.postmortems}
    checked |= {f.path for f in findings}
    return junit(findings, sorted(checked), now, strict=strict)


def _project_path(path: str, root: Path) -> str:
    """A path as code scanning and GitLab expect it: relative to the project (the folder of
    mkdocs.yml), whatever the working directory. The checker names files as the user types
    them, relative to where it runs (``../postmortems/x.md`` from ``docs/``,
    ``kb/postmortems/x.md`` from the folder above), or absolutely from elsewhere."""
    absolute = Path(os.path.abspath(path))
    for base in (root, root.resolve()):
        if absolute.is_relative_to(base):
            return absolute.relative_to(base).as_posix()
    return path


def _json(payload: object) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def rule_url(code: str) -> str:
    """The rule's entry on the rules page (its heading's anchor is the lower-case code)."""
    return f"{RULES_PAGE}#{code.lower()}"


def sarif(
    findings: list[Finding], prints: list[str], rules: Mapping[str, Rule]
) -> dict[str, object]:
    """A SARIF 2.1.0 log with one run; every rule is described, used or not."""
    codes = sorted(rules)
    index = {code: i for i, code in enumerate(codes)}
    descriptors = [
        {
            "id": code,
            "name": rules[code].name,
            "shortDescription": {"text": rules[code].summary},
            "fullDescription": {"text": rules[code].why},
            "help": {
                "text": rules[code].fix,
                "markdown": f"{rules[code].fix}\n\n[{code} on the rules page]({rule_url(code)})",
            },
            "helpUri": rule_url(code),
            "defaultConfiguration": {"level": _sarif_level(rules[code].level)},
        }
        for code in codes
    ]
    results = []
    for finding, mark in zip(findings, prints, strict=True):
        result: dict[str, object] = {
            "ruleId": finding.code,
            "level": _sarif_level(finding.level),
            "message": {"text": finding.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": quote(finding.path), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": finding.line, "startColumn": finding.col},
                    }
                }
            ],
            "partialFingerprints": {FINGERPRINT_KEY: mark},
        }
        if finding.code in index:
            result["ruleIndex"] = index[finding.code]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL,
                        "version": __version__,
                        "informationUri": HOME,
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }


def _sarif_level(level: str) -> str:
    return {"error": "error", "warning": "warning", "info": "note"}.get(level, "none")


def gitlab(findings: list[Finding], prints: list[str]) -> list[dict[str, object]]:
    """GitLab Code Quality issues (``artifacts:reports:codequality``)."""
    return [
        {
            "type": "issue",
            "check_name": finding.code,
            "description": f"{finding.code} {finding.message}",
            "categories": ["Style"],
            "fingerprint": mark,
            "severity": GITLAB_SEVERITY.get(finding.level, "info"),
            "location": {"path": finding.path, "lines": {"begin": finding.line}},
        }
        for finding, mark in zip(findings, prints, strict=True)
    ]


def junit(
    findings: list[Finding], checked: list[str], now: datetime, *, strict: bool = False
) -> str:
    """JUnit XML: a test suite of one test case per file, failing with the file's findings.

    A file with warnings only passes, as the check does without ``--strict``; its warnings
    are listed in ``system-out``. ``now`` is the suite's timestamp, so the report is the
    same for the same input and day.
    """
    from xml.etree import ElementTree as ET  # see fingerprints

    failing = ("error", "warning") if strict else ("error",)
    by_file: dict[str, list[Finding]] = {path: [] for path in checked}
    for finding in findings:
        by_file.setdefault(finding.path, []).append(finding)
    failures = sum(any(f.level in failing for f in found) for found in by_file.values())
    stamp = now.astimezone(timezone.utc).replace(tzinfo=None, microsecond=0).isoformat()
    suites = ET.Element("testsuites")
    suite = ET.SubElement(
        suites,
        "testsuite",
        {
            "name": f"{TOOL} check",
            "package": TOOL,
            "id": "0",
            "timestamp": stamp,
            "hostname": "localhost",
            "tests": str(len(by_file)),
            "failures": str(failures),
            "errors": "0",
            "skipped": "0",
            "time": "0",
        },
    )
    ET.SubElement(suite, "properties")
    warnings: list[str] = []
    for path, found in by_file.items():
        case = ET.SubElement(
            suite, "testcase", {"name": _xml_text(path), "classname": TOOL, "time": "0"}
        )
        failed = [f for f in found if f.level in failing]
        warnings.extend(f.format() for f in found if f.level not in failing)
        if failed:
            failure = ET.SubElement(
                case,
                "failure",
                {"type": failed[0].code, "message": _count(failed, "finding")},
            )
            failure.text = _xml_text("\n".join(f.format() for f in found) + "\n")
    ET.SubElement(suite, "system-out").text = _xml_text("\n".join(warnings))
    ET.SubElement(suite, "system-err").text = ""
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"


def _count(items: list[Finding], word: str) -> str:
    return f"{len(items)} {word}{'' if len(items) == 1 else 's'}"


def _xml_text(text: str) -> str:
    """Text XML can carry: the serializer escapes markup, but no escape exists for these."""
    return _NOT_XML.sub("\ufffd", text)
