"""Score `postmortems import` on real write-ups: does it understand what it keeps?

The write-ups themselves are not in the repository (their text belongs to their authors):
`import_eval/sources.tsv` lists where each one comes from, and `import_eval/expected.json`
holds what a careful reader extracts from it (the start of impact, detection and
resolution to the minute in UTC, the number of timeline entries and of action items).
Put local copies in a folder, named as in `sources.tsv`, and run

    python tests/benchmarks/score_import.py [--dir FOLDER]

(default: `tests/benchmarks/import_eval/copies/`, which git ignores).

It imports every copy present into a temporary project (timezone UTC) and prints, for each
measure, "N of M" and a percentage, where M counts the write-ups in which the reader found
that fact: started, detected and resolved right to the minute (and, below them, how many
values the importer wrote as a time that the reader does not give: a wrong inference costs
more than a blank; a start the importer marks "only the day is known" is a blank); the
timeline as a table
(at least 80% of its entries are rows of the Timeline table); the action items as a table
(at least 80% of them are rows of the Action Items table); and the words kept, by the
importer's own count. Then, per write-up, what failed. ``--half development`` scores the
even-numbered write-ups in sorted order (2nd, 4th, ...), ``--half held-out`` the others: rules
are studied on the first half and measured on the second. Nothing needs the network; without
local copies it says so and exits 0.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt

HERE = Path(__file__).parent / "import_eval"
CONFIG = "plugins:\n  - postmortems:\n      folder: postmortems\n      timezone: UTC\n"
MOMENTS = ("started", "detected", "resolved")
SHARE = 0.8
# Which lines are code is read as CommonMark reads it (blocks only, no inline rules): a line
# such as ```` ```{"error": "..."}``` ```` opens no fence (a backtick fence's info string has
# no backtick), so it must not hide the rest of the page from the count.
_BLOCKS = MarkdownIt("commonmark").enable("table").disable("inline")
_CODE = frozenset(("fence", "code_block"))


@dataclass
class Score:
    """Right answers and chances per measure, and what failed per write-up."""

    right: dict[str, int] = field(default_factory=dict)
    asked: dict[str, int] = field(default_factory=dict)
    failed: dict[str, list[str]] = field(default_factory=dict)
    #: Times written that the reader disagrees with (a TBD is not counted here).
    wrong: dict[str, int] = field(default_factory=dict)

    def count(self, measure: str, ok: bool, name: str, why: str) -> None:
        self.asked[measure] = self.asked.get(measure, 0) + 1
        self.right[measure] = self.right.get(measure, 0) + ok
        if not ok:
            self.failed.setdefault(name, []).append(why)


def code_lines(lines: list[str]) -> set[int]:
    """The numbers of the lines that are code: fenced or indented blocks, fences included."""
    code: set[int] = set()
    for token in _BLOCKS.parse("\n".join(lines)):
        if token.type in _CODE and token.map:
            code.update(range(*token.map))
    return code


def sections(text: str) -> dict[str, list[str]]:
    """The lines under each ``## `` heading of an imported file (code blocks skipped)."""
    out: dict[str, list[str]] = {}
    current: list[str] = []
    lines = text.split("\n")
    code = code_lines(lines)
    for number, line in enumerate(lines):
        if number in code:
            continue
        if line.startswith("## "):
            current = out.setdefault(line[3:].strip(), [])
        else:
            current.append(line)
    return out


def table_rows(lines: list[str], first_header: str) -> int:
    """Body rows of the tables in ``lines`` whose first header cell is ``first_header``, or
    that name with a zone after it (``Time (Europe/Berlin)``)."""
    rows = 0
    counting = False
    previous = ""
    for line in lines:
        stripped = line.strip()
        if not stripped.startswith("|"):
            counting = False
        elif re.fullmatch(r"\|?(\s*:?-+:?\s*\|)+\s*:?-*:?\s*", stripped):
            head = previous.strip().strip("|").split("|")[0].strip()
            counting = head == first_header or head.startswith(f"{first_header} (")
        elif counting:
            rows += 1
        previous = line
    return rows


def moment(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else None
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else None
    return None


def minute(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


# The importer writes 00:00 for a start it knows only by its day, and says so on the line:
# a blank for a person to fill, as a TBD is, not a time it read.
_DAY_ONLY = re.compile(r"^started:.*#\s*only the day is known", re.MULTILINE)


def score_one(name: str, facts: dict[str, Any], text: str, score: Score) -> None:
    _, front, body = text.split("---", 2)
    meta = yaml.safe_load(front) or {}
    if _DAY_ONLY.search(front):
        meta["started"] = "day only"
    for key in MOMENTS:
        if facts[key] is None:
            # A time where the reader finds none is wrong too (``started`` is always written).
            if key != "started" and moment(meta.get(key)) is not None:
                score.wrong[key] = score.wrong.get(key, 0) + 1
                score.failed.setdefault(name, []).append(f"{key}: {meta[key]} (reader: none)")
            continue
        want = minute(facts[key])
        got = moment(meta.get(key))
        ok = got is not None and got.astimezone(timezone.utc).replace(second=0) == want
        if got is not None and not ok:
            score.wrong[key] = score.wrong.get(key, 0) + 1
        shown = got.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") if got else meta.get(key)
        score.count(key, ok, name, f"{key}: {shown} (reader: {want:%Y-%m-%d %H:%M})")
    parts = sections(body)
    for measure, section, header, key in (
        ("timeline", "Timeline", "Time", "timeline_entries"),
        ("action items", "Action Items", "Action", "action_items"),
    ):
        wanted = facts[key]
        if not wanted:
            continue
        rows = table_rows(parts.get(section, []), header)
        ok = rows >= SHARE * wanted
        score.count(measure, ok, name, f"{measure}: {rows} rows for {wanted} entries")


def half(names: list[str], which: str) -> list[str]:
    """The write-ups of one half: numbered from 1 in sorted order, the even numbers are the
    development half, the odd ones the held-out half."""
    if which == "all":
        return names
    keep = 0 if which == "development" else 1
    return [name for number, name in enumerate(names, 1) if number % 2 == keep]


def run_import(sources: list[Path], project: Path) -> dict[str, Any]:
    (project / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
    command = [sys.executable, "-m", "mkdocs_postmortems", "import", *map(str, sources)]
    result = subprocess.run(
        [*command, "--format", "json"], cwd=project, capture_output=True, text=True, check=False
    )
    try:
        report: dict[str, Any] = json.loads(result.stdout)
    except json.JSONDecodeError:
        sys.exit(f"postmortems import gave no JSON report:\n{result.stderr.strip()}")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dir",
        type=Path,
        default=HERE / "copies",
        help="the local copies of the write-ups listed in import_eval/sources.tsv (kept "
        "outside the repository: their text is not ours)",
    )
    parser.add_argument("--expected", type=Path, default=HERE / "expected.json")
    parser.add_argument(
        "--half",
        choices=("all", "development", "held-out"),
        default="all",
        help="score the even-numbered write-ups in sorted order (development), the odd ones "
        "(held-out) or all",
    )
    args = parser.parse_args()
    expected: dict[str, dict[str, Any]] = json.loads(args.expected.read_text("utf-8"))["writeups"]
    present = [args.dir / name for name in half(sorted(expected), args.half)]
    present = [path for path in present if path.is_file()]
    if not present:
        print(f"no local copies of the write-ups in {args.dir}: nothing to score")
        print(f"(fetch them from the sources in {HERE / 'sources.tsv'})")
        return 0
    score = Score()
    words = kept = 0
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        report = run_import(present, project)
        for entry in report["files"]:
            name = Path(entry["source"]).name
            words += entry.get("words", 0)
            kept += entry.get("words_kept", 0)
            facts = expected[name]
            if entry["outcome"] != "imported":
                for key in (*MOMENTS, "timeline_entries", "action_items"):
                    if facts[key]:
                        measure = {"timeline_entries": "timeline", "action_items": "action items"}
                        score.count(measure.get(key, key), False, name, f"not imported: {key}")
                continue
            text = (project / entry["target"]).read_text(encoding="utf-8")
            score_one(name, facts, text, score)
    organisations = {name.split("--")[0] for name in (p.name for p in present)}
    print(f"{len(present)} write-ups from {len(organisations)} organisations in {args.dir}")
    for measure in (*MOMENTS, "timeline", "action items"):
        right, asked = score.right.get(measure, 0), score.asked.get(measure, 0)
        share = f"{100 * right / asked:.0f}%" if asked else "-"
        print(f"  {measure + ' right':<20} {right:>3} of {asked:<3} {share:>5}")
    wrong = ", ".join(f"{key} {score.wrong.get(key, 0)}" for key in MOMENTS)
    print(f"  {'inferred and wrong':<20} {sum(score.wrong.values()):>3} ({wrong})")
    share = f"{100 * kept / words:.1f}%" if words else "-"
    print(f"  {'words kept':<20} {kept} of {words} {share}")
    if score.failed:
        print("\nwhat failed:")
        for name, reasons in sorted(score.failed.items()):
            print(f"  {name}")
            for reason in reasons:
                print(f"    {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
