"""Benchmark: `postmortems import` over a folder of real write-ups in their own shapes.

Prints, for the sources given: how many imported, the share of their words kept, how many
timelines became tables, `check` errors before and after, and what `overdue` lists. Two
"before" figures: the files as they are (most stop at the missing front matter), and the
files with the importer's front matter but their own body (what fixing the front matter by
hand would leave). Nothing is written outside a temporary folder.

With ``--hostile``, it times instead the conversion of sources built to be slow (a long run
of spaces in a heading or after "due", many headings without a section, deep HTML) at
two sizes, and prints the ratio of the times: about 4 when linear, about 16 when quadratic.

    python tests/benchmarks/bench_import.py SOURCE... [--timezone UTC]
    python tests/benchmarks/bench_import.py --hostile
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from mkdocs_postmortems.core.config import Settings
from mkdocs_postmortems.importers.convert import convert
from mkdocs_postmortems.importers.sources import SourceError, read_source

CONFIG = "plugins:\n  - postmortems:\n      folder: postmortems\n      timezone: {tz}\n"


def postmortems(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mkdocs_postmortems", *args]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, check=False)


def errors(project: Path) -> int:
    result = postmortems(project, "check", "--format", "json")
    findings = json.loads(result.stdout)
    findings = findings if isinstance(findings, list) else findings.get("findings", [])
    return sum(f["level"] == "error" for f in findings)


def project(root: Path, name: str, tz: str) -> Path:
    folder = root / name
    (folder / "postmortems").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(CONFIG.format(tz=tz), encoding="utf-8")
    return folder


HOSTILE: dict[str, Callable[[int], tuple[str, str]]] = {
    "spaces in a heading": lambda n: ("x.md", "# t 2024-01-02\n\n## a" + " " * n + "b\n"),
    "spaces after due": lambda n: ("x.md", "# t 2024-01-02\n\n## Action Items\n\n- due" + " " * n),
    "headings without a section": lambda n: (
        "x.md",
        "# t 2024-01-02\n\n" + "".join(f"## Note {i}\n\nx\n\n" for i in range(n // 20)),
    ),
    "nested HTML": lambda n: ("x.html", "<html><body>" + "<b>" * (n // 20) + "x</body></html>"),
}


def hostile() -> None:
    settings = Settings(root=Path("."))
    for name, make in HOSTILE.items():
        seconds = []
        for size in (50_000, 200_000):
            source, text = make(size)
            start = time.process_time()
            with contextlib.suppress(SourceError):
                convert(read_source(source, text), settings)
            seconds.append(time.process_time() - start)
        ratio = seconds[1] / max(seconds[0], 1e-3)
        print(f"{name:28} {seconds[0]:6.2f} s {seconds[1]:6.2f} s  x{ratio:.1f} for x4 the size")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sources", nargs="*", type=Path)
    parser.add_argument("--timezone", default="UTC")
    parser.add_argument("--hostile", action="store_true", help="time hostile sources instead")
    args = parser.parse_args()
    if args.hostile:
        hostile()
        return
    if not args.sources:
        parser.error("name the sources to import, or --hostile")
    sources = [p.resolve() for p in args.sources]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        after = project(root, "after", args.timezone)
        result = postmortems(after, "import", *map(str, sources), "--format", "json")
        report = json.loads(result.stdout)
        files = [f for f in report["files"] if f["outcome"] == "imported"]

        raw = project(root, "raw", args.timezone)
        front_only = project(root, "front-only", args.timezone)
        for number, f in enumerate(files):
            source = Path(f["source"]) if Path(f["source"]).is_absolute() else after / f["source"]
            name = source.name if source.name.endswith(".md") else f"{source.name}.md"
            shutil.copy(source, raw / "postmortems" / f"{number:03d} {name}")
            imported = (after / f["target"]).read_text(encoding="utf-8")
            front = imported.split("\n---\n", 1)[0] + "\n---\n"
            body = read_source(source.name, source.read_text(encoding="utf-8")).body
            target = front_only / "postmortems" / Path(f["target"]).relative_to("postmortems")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(front + "\n" + body, encoding="utf-8")

        words = sum(f["words"] for f in files)
        kept = sum(f["words_kept"] for f in files)
        tables = sum(1 for f in files if f["timeline_rows"])
        before_raw, before_front, after_errors = errors(raw), errors(front_only), errors(after)
        overdue = postmortems(after, "overdue", "--format", "json", "--today", "2040-01-01")
        listed = json.loads(overdue.stdout)
        print(f"sources: {report['counts']}")
        print(f"words kept: {kept} of {words} ({100 * kept / max(words, 1):.2f}%)")
        print(f"timelines as tables: {tables} of {len(files)} imported files")
        print(f"check errors, files as they are:        {before_raw}")
        print(f"check errors, own body + front matter:  {before_front}")
        print(
            f"check errors after import:              {after_errors} "
            f"({after_errors / max(before_raw, 1):.2f} and "
            f"{after_errors / max(before_front, 1):.2f} of the two)"
        )
        print(
            "overdue in 2040: "
            f"{len(listed['writeups'])} write-ups, {len(listed['action_items'])} action items, "
            f"{len(listed['reviews_due'])} reviews, {len(listed['published_late'])} published late"
        )


if __name__ == "__main__":
    main()
