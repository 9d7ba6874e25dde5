"""Benchmark: `postmortems check` over 10,000 files against a bare parse of their front matter.

The baseline is the least a checker must do: walk the folder, read each file, parse its
front matter with PyYAML's C loader. Both run as whole processes, alternating (ABBA), and
the script prints the ratio of the medians of wall time and of peak memory (targets:
time <= 2.5, stretch 2; memory <= 3).

    python tests/benchmarks/bench_check.py [--count 10000] [--rounds 6] [--jobs N]

``--jobs`` is passed to ``check`` (default: its own, one process per CPU available); a side's
CPU time includes its worker processes', and its peak memory is its largest process's.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from measure import Series, alternate, report
from synthetic import write_knowledge_base

from mkdocs_postmortems.core.pool import available_cpus

BARE_PARSE = """
import os, sys, yaml
count = 0
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith(".md"):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                text = handle.read()
            yaml.load(text.split("---\\n", 2)[1], Loader=yaml.CSafeLoader)
            count += 1
print(count)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--jobs", type=int, help="passed to postmortems check")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_knowledge_base(folder, args.count)
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        check = Series(" ".join(["postmortems check", *jobs]))
        bare = Series("os.walk + open + yaml.load(CSafeLoader)")
        alternate(
            [
                (check, [sys.executable, "-m", "mkdocs_postmortems", "check", *jobs], folder, None),
                (
                    bare,
                    [sys.executable, "-c", BARE_PARSE, str(folder / "postmortems")],
                    folder,
                    None,
                ),
            ],
            args.rounds,
        )
    print(f"files: {args.count}, rounds: {args.rounds}, CPUs available: {available_cpus()}")
    print(f"checker: {args.count / check.median_seconds:,.0f} files/s")
    print(report(check, bare, "targets: time <= 2.5 (stretch 2), memory <= 3"))


if __name__ == "__main__":
    main()
