"""Benchmark: edit -> reload under `mkdocs serve`, with the plugin and with plain Material.

Serves N synthetic post-mortems with the plugin, and the same Markdown as plain
mkdocs-material pages, each under `mkdocs serve --dirty` and plain `mkdocs serve`. Each round
changes the newest post-mortem's title on disk and times how long until the served pages
show it: the post-mortem's page and, with the plugin, /incidents/ and the home page too (what
a reader would look at).
The sides alternate (ABBA). Prints every edit's time and the ratio of the medians (target
with --dirty: <= 3, stretch 1.5). Servers listen on 127.0.0.1 only.

    python tests/benchmarks/bench_serve.py [--count 1000] [--rounds 6] [--mode dirty|full|both]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_site import ENV, plain_project, plugin_project

TIMEOUT = 300.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            body: bytes = response.read()
            return body.decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return ""


def wait_for(urls: list[str], text: str, deadline: float) -> float:
    """Poll until every URL's page holds ``text``; return when that was seen."""
    pending = list(urls)
    while pending:
        if time.perf_counter() > deadline:
            sys.exit(f"gave up waiting for {text!r} on {pending}")
        if text in fetch(pending[0]):
            pending.pop(0)
        else:
            time.sleep(0.02)
    return time.perf_counter()


@contextmanager
def serving(config: Path, dirty: bool) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "-q", "-f", str(config)]
    command += ["-a", f"127.0.0.1:{port}"]  # livereload on: it is what watches the files
    if dirty:
        command.append("--dirty")
    process = subprocess.Popen(
        command, cwd=config.parent, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        deadline = time.perf_counter() + TIMEOUT
        while not fetch(base):
            if process.poll() is not None or time.perf_counter() > deadline:
                sys.exit(f"mkdocs serve did not start for {config}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def edit(path: Path, round_: int) -> str:
    """Give the post-mortem a new title; return it."""
    title = f"Edited title number {round_} for the reload benchmark"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines = [f"title: {title}" if line.startswith("title:") else line for line in lines]
    path.write_text("\n".join(lines), encoding="utf-8")
    return title


def overdue(path: Path) -> None:
    """Make the post-mortem a SEV1 draft, long past its write-up deadline."""
    kept = [
        "severity: SEV1" if line.startswith("severity:") else line
        for line in path.read_text(encoding="utf-8").split("\n")
        if not line.startswith(("published:", "reviewed:"))
    ]
    text = "\n".join(kept).replace("status: published", "status: draft", 1)
    path.write_text(text, encoding="utf-8")


def measure(root: Path, count: int, rounds: int, dirty: bool) -> None:
    (root / "plugin").mkdir()
    (root / "plain").mkdir()
    with_plugin = plugin_project(root / "plugin", count)
    # The newest post-mortem, made the one overdue write-up (a SEV1 still in draft): the
    # first page of /incidents/ and the home page's overdue box list it, so all three pages
    # must show the edit. Done before the plain side copies the Markdown.
    name = max((root / "plugin" / "postmortems").rglob("*.md"), key=lambda p: p.name)
    overdue(name)
    plain = plain_project(root / "plain", root / "plugin")
    relative = name.relative_to(root / "plugin" / "postmortems")
    page = relative.with_suffix("").as_posix()
    plugin_url = f"postmortems/{page.split('/')[-1]}/"  # the plugin's URL is the id
    plain_url = f"postmortems/{page}/"  # a plain page keeps its folder
    sides = {
        "plugin": (
            with_plugin,
            root / "plugin" / "postmortems" / relative,
            [plugin_url, "incidents/", ""],
        ),
        "plain Material": (plain, root / "plain" / "docs" / "postmortems" / relative, [plain_url]),
    }
    times: dict[str, list[float]] = {side: [] for side in sides}
    servers = {}
    try:
        contexts = {side: serving(config, dirty) for side, (config, _, _) in sides.items()}
        for side, context in contexts.items():
            servers[side] = context.__enter__()
        for round_ in range(rounds):
            order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
            for side in order:
                _, path, urls = sides[side]
                title = edit(path, round_ * 2 + order.index(side))
                start = time.perf_counter()
                seen = wait_for([servers[side] + u for u in urls], title, start + TIMEOUT)
                times[side].append(seen - start)
    finally:
        for context in contexts.values():
            context.__exit__(None, None, None)
    mode = "serve --dirty" if dirty else "serve"
    plugin_median = statistics.median(times["plugin"])
    plain_median = statistics.median(times["plain Material"])
    print(f"\n{count} post-mortems, mkdocs {mode}, {rounds} edits each")
    for side, values in times.items():
        print(f"{side}: {' '.join(f'{v:.2f}' for v in values)} s")
    target = "target <= 3, stretch 1.5" if dirty else "no target"
    print(f"ratio of medians: {plugin_median / plain_median:.2f}  ({target})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--mode", choices=("dirty", "full", "both"), default="both")
    args = parser.parse_args()
    for dirty in {"dirty": [True], "full": [False], "both": [True, False]}[args.mode]:
        with tempfile.TemporaryDirectory() as tmp:
            measure(Path(tmp), args.count, args.rounds, dirty)


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    main()
