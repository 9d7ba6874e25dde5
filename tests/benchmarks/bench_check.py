"""Benchmark: `postmortems check` over 10,000 files against a bare PyYAML parse of them.

Both sides run as whole processes, alternating, so start-up, file reading and the machine's
state count the same for each. Virtual machines here vary by tens of percent from minute to
minute, so each round pairs two adjacent runs and the script prints the median of the
per-round ratios (target <= 3), the best times, and the checker's files per second.

    python tests/benchmarks/bench_check.py [--count 10000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_knowledge_base

BASELINE = """
import pathlib, sys, yaml
loader = yaml.CSafeLoader
count = 0
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    text = path.read_text(encoding="utf-8")
    _, front, _ = text.split("---\\n", 2)
    yaml.load(front, Loader=loader)
    count += 1
print(count)
"""


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(
            f"{command[:4]} failed ({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-2000:]}"
        )
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_knowledge_base(folder, args.count)
        check = [sys.executable, "-m", "mkdocs_postmortems.cli", "check"]
        baseline = [sys.executable, "-c", BASELINE, str(folder / "postmortems")]
        checks, parses = [], []
        for _ in range(args.rounds):
            checks.append(timed(check, folder))
            parses.append(timed(baseline, folder))
    best_check, best_parse = min(checks), min(parses)
    ratios = sorted(c / p for c, p in zip(checks, parses, strict=True))
    rate = args.count / best_check
    print(f"files:                       {args.count}")
    print(f"postmortems check (best):    {best_check:.3f} s  ({rate:,.0f} files/s)")
    print(f"PyYAML C parse (best):       {best_parse:.3f} s")
    print(f"ratio, best / best:          {best_check / best_parse:.2f}")
    print(f"ratio, median of rounds:     {statistics.median(ratios):.2f}  (target <= 3)")
    print(f"ratios of rounds:            {', '.join(f'{r:.2f}' for r in ratios)}")


if __name__ == "__main__":
    main()
