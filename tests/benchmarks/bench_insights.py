"""What the insights page and the home page's comparison add to a site build.

Builds the same synthetic knowledge base (the real plugin config of bench_site.py) with the
insights page on and off, alternating which goes first in each round (ABBA), each build in a
fresh process, and prints every round and the ratio of the medians. Target: at most 1.05.

    python tests/benchmarks/bench_insights.py [--count 1000] [--rounds 6]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_site import build, plugin_project


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
        with_page, without = [], []
        for index in range(args.rounds):
            order = [(on, with_page), (off, without)]
            for config_file, times in order if index % 2 == 0 else reversed(order):
                times.append(build(config_file)[0])
            print(
                f"round {index + 1}: with insights {with_page[-1]:.2f} s, "
                f"without {without[-1]:.2f} s, ratio {with_page[-1] / without[-1]:.3f}"
            )
        ratio = statistics.median(with_page) / statistics.median(without)
        print(
            f"{args.count} post-mortems: median with insights {statistics.median(with_page):.2f} s, "
            f"without {statistics.median(without):.2f} s, ratio of medians {ratio:.3f} "
            "(target <= 1.05)"
        )


if __name__ == "__main__":
    main()
