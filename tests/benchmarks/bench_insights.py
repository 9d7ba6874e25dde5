"""What the insights page and the home page's comparison add to a site build.

Builds the same synthetic knowledge base (the real plugin config of bench_site.py) with the
insights page on and off, alternating which goes first in each round (ABBA), each build in a
fresh process, and prints every round and the ratio of the medians of the wall time and of the
CPU time (steadier on a shared machine). Target: at most 1.05.

    python tests/benchmarks/bench_insights.py [--count 1000] [--rounds 6]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_site import build, build_measured, plugin_project
from measure import Series


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=6)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        on = plugin_project(Path(tmp, "on"), args.count)
        off_root = Path(tmp, "off")
        off_root.mkdir()
        off = off_root / "mkdocs.yml"
        config = yaml.safe_load(on.read_text())
        config["plugins"][1]["postmortems"]["pages"] = {"insights": False}
        off.write_text(yaml.safe_dump(config))
        # Copies, not links: the plugin refuses a folder that resolves outside its project.
        shutil.copytree(on.parent / "postmortems", off_root / "postmortems")
        shutil.copytree(on.parent / "docs", off_root / "docs")
        build(on)  # untimed: warm the file cache and bytecode
        build(off)
        with_page, without = Series("with insights"), Series("without")
        for index in range(args.rounds):
            order = [(on, with_page), (off, without)]
            for config_file, series in order if index % 2 == 0 else reversed(order):
                series.runs.append(build_measured(config_file)[0])
            a, b = with_page.runs[-1], without.runs[-1]
            print(
                f"round {index + 1}: with insights {a.seconds:.2f} s ({a.cpu_seconds:.2f} s CPU), "
                f"without {b.seconds:.2f} s ({b.cpu_seconds:.2f} s CPU), "
                f"ratio {a.seconds / b.seconds:.3f}"
            )
        ratio = with_page.median_seconds / without.median_seconds
        cpu = with_page.median_cpu / without.median_cpu
        print(
            f"{args.count} post-mortems: median with insights {with_page.median_seconds:.2f} s, "
            f"without {without.median_seconds:.2f} s, ratio of medians {ratio:.3f}; "
            f"CPU time {with_page.median_cpu:.2f} s against {without.median_cpu:.2f} s, "
            f"ratio of medians {cpu:.3f} (target <= 1.05)"
        )


if __name__ == "__main__":
    main()
