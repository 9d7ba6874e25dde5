"""Benchmark: the plugin's site against a plain mkdocs-material build of the same pages.

Writes N synthetic post-mortems, then builds (a) with the plugin, (b) with plain
mkdocs-material and the same Markdown files in docs/, kept out of the nav (``not_in_nav``).
Builds run as separate processes in one process tree, after one untimed build of each
(which also leaves the bytecode caches a pip install would have written). The
rounds alternate which build goes first (ABBA), so a machine that speeds up or slows down
during the run does not favour either. Prints times, site sizes and their ratios (targets:
time <= 1.3, size <= 1.5). The time ratio is the median of the rounds' ratios; the ratio of
the two fastest builds is printed beside it, since noise on a shared machine only ever adds
time. With ``--scale``, also builds 10x the count with the plugin and prints the
per-incident time of both sizes (linear growth: ~1).

    python tests/benchmarks/bench_site.py [--count 1000] [--rounds 8] [--scale]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from synthetic import write_knowledge_base

THEME = {"name": "material"}
EXTENSIONS = ["admonition", "tables", "attr_list", "md_in_html"]


def plugin_project(root: Path, count: int, *, pagefind: bool = False) -> Path:
    write_knowledge_base(root, count)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Knowledge base\n\n<!-- postmortems:overdue -->\n")
    config = {
        "site_name": "Benchmark",
        "theme": THEME,
        "plugins": ["search", {"postmortems": {"pagefind": pagefind}}],
        "markdown_extensions": EXTENSIONS,
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return root / "mkdocs.yml"


def plain_project(root: Path, source: Path) -> Path:
    """The same Markdown files as ordinary pages, out of the nav."""
    shutil.copytree(source / "postmortems", root / "docs" / "postmortems")
    (root / "docs" / "index.md").write_text("# Knowledge base\n")
    config = {
        "site_name": "Benchmark",
        "theme": THEME,
        "plugins": ["search"],
        "markdown_extensions": EXTENSIONS,
        "not_in_nav": "/postmortems/",
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return root / "mkdocs.yml"


def build(config: Path) -> tuple[float, int]:
    """Build the site in a fresh process; return seconds and bytes on disk."""
    site = config.parent / "site"
    shutil.rmtree(site, ignore_errors=True)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1780272000", "NO_MKDOCS_2_WARNING": "1"}
    # Both sides with Python's bytecode cache, as after `pip install` (which compiles
    # mkdocs-material's modules, and ours): with PYTHONDONTWRITEBYTECODE set, an editable
    # install recompiled the plugin's modules in every build, a tenth of a second.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build of {config} failed:\n{result.stderr[-3000:]}")
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return elapsed, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--scale", action="store_true", help="also build 10x the count")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "plugin").mkdir()
        (root / "plain").mkdir()
        with_plugin = plugin_project(root / "plugin", args.count)
        plain = plain_project(root / "plain", root / "plugin")
        build(with_plugin)  # warm the file system cache and the interpreter's imports
        build(plain)
        plugin_times, plain_times = [], []
        for round_ in range(args.rounds):
            order = [with_plugin, plain] if round_ % 2 == 0 else [plain, with_plugin]
            for config in order:
                seconds, size = build(config)
                if config == with_plugin:
                    plugin_times.append(seconds)
                    plugin_size = size
                else:
                    plain_times.append(seconds)
                    plain_size = size
        ratios = [p / q for p, q in zip(plugin_times, plain_times, strict=True)]
        print(f"post-mortems:              {args.count}")
        print(f"plugin builds:             {' '.join(f'{t:.2f}' for t in plugin_times)} s")
        print(f"plain builds:              {' '.join(f'{t:.2f}' for t in plain_times)} s")
        print(f"ratio per round:           {' '.join(f'{r:.2f}' for r in ratios)}")
        print(f"time ratio (median):       {statistics.median(ratios):.2f}  (target <= 1.3)")
        print(f"fastest plugin / plain:    {min(plugin_times) / min(plain_times):.2f}")
        print(f"plugin site size:          {plugin_size / 1e6:.1f} MB")
        print(f"plain site size:           {plain_size / 1e6:.1f} MB")
        print(f"size ratio:                {plugin_size / plain_size:.2f}  (target <= 1.5)")
        if args.scale:
            (root / "large").mkdir()
            large = plugin_project(root / "large", args.count * 10)
            seconds, size = build(large)
            small = statistics.median(plugin_times)
            print(f"plugin build of {args.count * 10}: {seconds:.1f} s, {size / 1e6:.0f} MB")
            print(
                f"time per incident, {args.count * 10} vs {args.count}: "
                f"{(seconds / (args.count * 10)) / (small / args.count):.2f}  (linear: ~1)"
            )


if __name__ == "__main__":
    main()
