"""Benchmark: the weight of every index and follow-up page, and of one incident page view.

Builds the example's configuration (Pagefind on, the repository's docs) over N synthetic
post-mortems and prints the HTML size of each index page, the largest page by year, every
service's page and the largest owner's page, with the limit of 500 kB of HTML per page;
then, in headless Chromium on a local server (no compression, as from disk), the bytes a
first visit to one incident's page transfers, by kind, once the network is idle (the
theme's search loads its index in the background).

    python tests/benchmarks/bench_follow_up.py [--count 10000] [--keep DIR]

Run it with ``PYTHONPATH`` pointing at another checkout's ``plugin`` folder to measure
that checkout (the build runs in a fresh process with this environment).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from bench_site import build, plugin_project

from browser import chromium, serve

LIMIT = 500_000
INDEX = ["", "incidents", "severity", "services", "action-items", "overdue", "reliability", "find"]


def page_sizes(site: Path) -> list[tuple[str, int]]:
    """Every index page, the largest year page, every service page, the largest owner page."""
    rows = []
    for name in INDEX:
        path = site / name / "index.html"
        if path.exists():
            rows.append((f"/{name}/" if name else "/", path.stat().st_size))
    groups = {
        "largest /incidents/YEAR/": [
            *site.glob("incidents/*/index.html"),
            *site.glob("incidents/*/*/index.html"),
        ],
        "largest /action-items/owner/...": site.glob("action-items/owner/**/index.html"),
    }
    for label, paths in groups.items():
        found = sorted(((p.stat().st_size, p) for p in paths), reverse=True)
        if found:
            size, path = found[0]
            rows.append((f"{label} ({len(found)} pages: {path.parent.relative_to(site)})", size))
    for path in sorted(site.glob("services/*/index.html")):
        rows.append((f"/services/{path.parent.name}/", path.stat().st_size))
    return rows


def page_view(site: Path, url: str) -> Counter[str]:
    """Bytes a first visit to ``url`` transfers, by kind (HTML, script, search index...)."""
    sizes: Counter[str] = Counter()

    def count(request: object) -> None:
        response = request.response()  # type: ignore[attr-defined]
        if response is None:
            return
        body = request.sizes()["responseBodySize"]  # type: ignore[attr-defined]
        path = request.url.split("?")[0]  # type: ignore[attr-defined]
        kind = next(
            (k for k, test in KINDS if test(path)),
            request.resource_type,  # type: ignore[attr-defined]
        )
        sizes[kind] += body

    with chromium() as browser, serve(site) as base:
        context = browser.new_context(base_url=base)
        page = context.new_page()
        page.on("requestfinished", count)
        page.goto(url, wait_until="networkidle", timeout=300_000)
        page.wait_for_timeout(2_000)
        context.close()
    return sizes


KINDS = [
    ("Material search index", lambda path: path.endswith("search/search_index.json")),
    ("Pagefind", lambda path: "/pagefind/" in path),
    ("HTML", lambda path: path.endswith("/") or path.endswith(".html")),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="build here and keep the site")
    args = parser.parse_args()
    root = args.keep or Path(tempfile.mkdtemp())
    try:
        config = plugin_project(root, args.count, pagefind=True, example=True)
        seconds, _ = build(config)
        site = root / "site"
        print(f"{args.count} post-mortems, example configuration (build {seconds:.0f} s)")
        over = 0
        for name, size in page_sizes(site):
            flag = "  OVER" if size > LIMIT else ""
            over += bool(flag)
            print(f"  {name:60} {size / 1e3:8.0f} kB{flag}")
        print(f"  pages over {LIMIT / 1e3:.0f} kB of HTML: {over}")
        incident = sorted(site.glob("postmortems/*/index.html"))[100]
        url = incident.parent.relative_to(site).as_posix() + "/"
        sizes = page_view(site, url)
        print(f"  first visit to /{url}, bytes transferred:")
        for kind, size in sizes.most_common():
            print(f"    {kind:30} {size / 1e3:9.0f} kB")
        print(f"    {'total':30} {sum(sizes.values()) / 1e3:9.0f} kB")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
