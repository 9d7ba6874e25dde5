"""Benchmark: `postmortems check --changed` on a pull request that touches 2 of 10,000 files.

Builds the knowledge base in a temporary git repository, commits it on `main`, then on a
branch commits an edit to one post-mortem and adds another (untracked). Each round times, as whole
processes: `check --changed` (the pull-request gate), `python -c "import the CLI"` (the
floor: interpreter start and imports), and, once, the full `check` for comparison.

    python tests/benchmarks/bench_changed.py [--count 10000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import postmortem, write_knowledge_base

GIT = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.com"]


def run(command: list[str], cwd: Path, ok: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in ok:
        sys.exit(f"{command} failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return elapsed


def make_repository(folder: Path, count: int) -> None:
    write_knowledge_base(folder, count)
    run([*GIT, "init", "-q", "-b", "main"], folder)
    run([*GIT, "add", "-A"], folder)
    run([*GIT, "commit", "-q", "-m", "knowledge base"], folder)
    run([*GIT, "switch", "-q", "-c", "new-postmortem"], folder)
    edited = sorted((folder / "postmortems").rglob("*.md"))[count // 2]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    run([*GIT, "commit", "-q", "-am", "edit one post-mortem"], folder)
    name, text = postmortem(count, random.Random(1))
    added = folder / "postmortems" / name[:4] / name
    added.parent.mkdir(exist_ok=True)
    added.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    cli = [sys.executable, "-m", "mkdocs_postmortems.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        make_repository(folder, args.count)
        gate = [*cli, "check", "--changed", "main"]
        result = subprocess.run(gate, cwd=folder, capture_output=True, text=True, check=False)
        print(f"output:                      {result.stdout.strip().splitlines()[-1]}")
        changed, floor = [], []
        for _ in range(args.rounds):
            changed.append(run(gate, folder))
            floor.append(run([sys.executable, "-c", "import mkdocs_postmortems.cli"], folder))
        full = run([*cli, "check"], folder)
    print(f"files:                       {args.count} (2 changed)")
    print(f"check --changed (best):      {min(changed):.3f} s")
    print(f"check --changed (median):    {statistics.median(changed):.3f} s")
    print(f"start and imports (best):    {min(floor):.3f} s")
    print(f"full check (one run):        {full:.3f} s")
    print(f"full / --changed:            {full / min(changed):.1f}x")
    print(f"CPUs:                        {os.cpu_count()}")


if __name__ == "__main__":
    main()
