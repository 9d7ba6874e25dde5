"""Benchmark: the plugin's site against a plain mkdocs-material build of the same pages.

Writes N synthetic post-mortems, then builds (a) with the plugin, (b) with plain
mkdocs-material and the same Markdown files in docs/, kept out of the nav (``not_in_nav``),
for two configurations: a minimal one, and the example's own mkdocs.yml (its theme
features, Markdown extensions, navigation and hand-written docs pages), each with Pagefind
off and on (the plain side never runs Pagefind: it is what the plugin adds). Builds run as
separate processes, after one untimed build of each side; rounds alternate which side goes
first (ABBA). Prints every round, the ratio of the median times and of the median peak
memory, and the site sizes (targets, on the example's config: time <= 1.25 with Pagefind
off and <= 1.3 with it on, memory <= 2; a side's peak is that of its largest process, so
with Pagefind on it may be Pagefind's service). With ``--scale``, also builds 10x the
count with the plugin and plain (minimal config, Pagefind off, one build each) and prints
the per-incident time of both sizes (linear growth: ~1) and the peak memory of both sides
(target: at most 1.5).

    python tests/benchmarks/bench_site.py [--count 1000] [--rounds 6] [--scale]
        [--config minimal|example|both] [--pagefind off|on|both]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from measure import INSTALLED, Run, Series, report, run
from synthetic import write_knowledge_base

ROOT = Path(__file__).resolve().parents[2]
THEME = {"name": "material"}
EXTENSIONS = ["admonition", "tables", "attr_list", "md_in_html"]
# Both sides with Python's bytecode cache (measure.INSTALLED).
ENV = {**INSTALLED, "SOURCE_DATE_EPOCH": "1780272000", "NO_MKDOCS_2_WARNING": "1"}


def example_config(*, plugin: bool, pagefind: bool) -> dict[str, Any]:
    """The example's mkdocs.yml: with the plugin (Pagefind as asked), or without it."""
    config: dict[str, Any] = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    plugins = []
    for entry in config["plugins"]:
        if isinstance(entry, dict) and "postmortems" in entry:
            if plugin:
                plugins.append({"postmortems": {**entry["postmortems"], "pagefind": pagefind}})
        else:
            plugins.append(entry)
    config["plugins"] = plugins
    if not plugin:
        config["not_in_nav"] = "/postmortems/"
        config.pop("extra_css", None)
        config.pop("extra_javascript", None)
    return config


def plugin_project(
    root: Path, count: int, *, pagefind: bool = False, example: bool = False
) -> Path:
    write_knowledge_base(root, count)
    if example:
        shutil.copytree(ROOT / "docs", root / "docs")
        config = example_config(plugin=True, pagefind=pagefind)
    else:
        (root / "docs").mkdir()
        (root / "docs" / "index.md").write_text(
            "# Knowledge base\n\n<!-- postmortems:overdue -->\n"
        )
        config = {
            "site_name": "Benchmark",
            "theme": THEME,
            "plugins": ["search", {"postmortems": {"pagefind": pagefind}}],
            "markdown_extensions": EXTENSIONS,
        }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return root / "mkdocs.yml"


def plain_project(root: Path, source: Path, *, example: bool = False) -> Path:
    """The same Markdown files as ordinary pages, out of the nav."""
    if example:
        shutil.copytree(ROOT / "docs", root / "docs")
        config = example_config(plugin=False, pagefind=False)
    else:
        (root / "docs").mkdir()
        (root / "docs" / "index.md").write_text("# Knowledge base\n")
        config = {
            "site_name": "Benchmark",
            "theme": THEME,
            "plugins": ["search"],
            "markdown_extensions": EXTENSIONS,
            "not_in_nav": "/postmortems/",
        }
    shutil.copytree(source / "postmortems", root / "docs" / "postmortems")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))
    return root / "mkdocs.yml"


def build(config: Path) -> tuple[float, int]:
    """Build the site in a fresh process; return seconds and bytes on disk."""
    result, size = build_measured(config)
    return result.seconds, size


def build_measured(config: Path) -> tuple[Run, int]:
    """Build in a fresh process; return its run (time, peak memory, CPU) and bytes on disk."""
    site = config.parent / "site"
    shutil.rmtree(site, ignore_errors=True)
    result = run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], config.parent, ENV
    )
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return result, size


def compare(root: Path, count: int, rounds: int, *, example: bool, pagefind: bool) -> None:
    name = f"{'example' if example else 'minimal'} config, Pagefind {'on' if pagefind else 'off'}"
    (root / "plugin").mkdir()
    (root / "plain").mkdir()
    with_plugin = plugin_project(root / "plugin", count, pagefind=pagefind, example=example)
    plain = plain_project(root / "plain", root / "plugin", example=example)
    build(with_plugin)  # warm the file system cache and the interpreter's imports
    build(plain)
    plugin_side, plain_side = Series("plugin"), Series("plain Material")
    sizes = {}
    for round_ in range(rounds):
        order = [(with_plugin, plugin_side), (plain, plain_side)]
        for config, series in order if round_ % 2 == 0 else reversed(order):
            result, sizes[config] = build_measured(config)
            series.runs.append(result)
    target = f"targets: time <= {1.3 if pagefind else 1.25}, memory <= 2"
    print(f"\n{count} post-mortems, {name}, {rounds} rounds")
    print(report(plugin_side, plain_side, target if example else ""))
    print(
        f"site size: plugin {sizes[with_plugin] / 1e6:.1f} MB, plain {sizes[plain] / 1e6:.1f} MB, "
        f"ratio {sizes[with_plugin] / sizes[plain]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--config", choices=("minimal", "example", "both"), default="both")
    parser.add_argument("--pagefind", choices=("off", "on", "both"), default="both")
    parser.add_argument("--scale", action="store_true", help="also build 10x the count")
    args = parser.parse_args()
    configs = {"minimal": [False], "example": [True], "both": [False, True]}[args.config]
    pagefinds = {"off": [False], "on": [True], "both": [False, True]}[args.pagefind]
    for example in configs:
        for pagefind in pagefinds:
            with tempfile.TemporaryDirectory() as tmp:
                compare(Path(tmp), args.count, args.rounds, example=example, pagefind=pagefind)
    if args.scale:
        with tempfile.TemporaryDirectory() as tmp:
            small_root, large_root = Path(tmp, "small"), Path(tmp, "large")
            small_root.mkdir()
            large_root.mkdir()
            small = plugin_project(small_root, args.count)
            large = plugin_project(large_root, args.count * 10)
            (Path(tmp) / "plain").mkdir()
            plain = plain_project(Path(tmp) / "plain", large_root)
            small_seconds = build_measured(small)[0].seconds
            result, size = build_measured(large)
            seconds, peak = result.seconds, result.peak_mib
            plain_peak = build_measured(plain)[0].peak_mib
            print(
                f"\nplugin build of {args.count * 10}: {seconds:.1f} s, {size / 1e6:.0f} MB, "
                f"peak {peak:.0f} MiB; plain Material: peak {plain_peak:.0f} MiB; "
                f"memory ratio {peak / plain_peak:.2f} (target <= 1.5, Pagefind off)"
            )
            print(
                f"time per incident, {args.count * 10} vs {args.count}: "
                f"{(seconds / (args.count * 10)) / (small_seconds / args.count):.2f}  (linear: ~1)"
            )


if __name__ == "__main__":
    main()
