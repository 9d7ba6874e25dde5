"""Benchmark: the weight of the index pages and the time /incidents/ takes to become usable.

Builds a site of N synthetic post-mortems with the plugin and prints, for each index page,
its HTML size (raw and gzipped, what a server sends), the catalogue's size, and, in
headless Chromium on a local server, the time from navigation start until /incidents/ is
interactive (the explorer's form is shown: its script has read the rows) and until its
``load`` event, median of a few cold loads. The target is every index page under 1 MB of
HTML and /incidents/ interactive in under a second at 10,000 post-mortems.

    python tests/benchmarks/bench_pages.py [--counts 1000 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from bench_site import build, plugin_project

from browser import chromium, serve

PAGES = ["incidents", "severity", "services", "action-items", "overdue", "insights", ""]

# Navigation start until the explorer's form is shown, recorded as it happens (the test
# reads it after the load event), and until the load event.
PROBE = """
new MutationObserver((changes, observer) => {
  const form = document.querySelector("form[data-pm-explorer]");
  if (form && !form.hidden && !("__pmShown" in window)) window.__pmShown = performance.now();
  const note = document.querySelector("[data-pm-static]");
  if (note && note.hidden && !("__pmLoaded" in window)) window.__pmLoaded = performance.now();
}).observe(document, { subtree: true, childList: true, attributes: true });
"""
# Then, once explorer.json is in (when the page leaves incidents out), a filter to SEV1:
# from the change event until the next frame.
TIMINGS = """
async () => {
  const wait = () => new Promise((done) => setTimeout(done, 10));
  while (!("__pmShown" in window)) await wait();
  const note = document.querySelector("[data-pm-static]");
  while (note && !("__pmLoaded" in window)) await wait();
  const select = document.querySelector("form[data-pm-explorer] select[name=severity]");
  const start = performance.now();
  select.value = "SEV1";
  select.dispatchEvent(new Event("change", { bubbles: true }));
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const navigation = performance.getEntriesByType("navigation")[0];
  return {
    interactive: window.__pmShown,
    load: navigation.loadEventEnd,
    loaded: window.__pmLoaded || 0,
    filter: performance.now() - start,
  };
}
"""


def sizes(site: Path) -> list[tuple[str, int, int]]:
    rows = []
    for name in PAGES:
        data = (site / name / "index.html").read_bytes()
        rows.append((f"/{name}/" if name else "/", len(data), len(gzip.compress(data))))
    for path in sorted(site.glob("incidents/*/index.html")):
        data = path.read_bytes()
        rows.append((f"/incidents/{path.parent.name}/", len(data), len(gzip.compress(data))))
    for path in sorted(site.glob("postmortems/*.json")):
        data = path.read_bytes()
        rows.append((f"/postmortems/{path.name}", len(data), len(gzip.compress(data))))
    return rows


def load_times(site: Path, runs: int) -> tuple[float, float, float, float]:
    interactive, load, loaded, filtering = [], [], [], []
    with chromium() as browser, serve(site) as url:
        for _ in range(runs):
            context = browser.new_context(base_url=url)
            page = context.new_page()
            page.add_init_script(PROBE)
            page.goto("incidents/", timeout=120_000)
            times = page.evaluate(TIMINGS)
            interactive.append(times["interactive"] / 1000)
            load.append(times["load"] / 1000)
            loaded.append(times["loaded"] / 1000)
            filtering.append(times["filter"] / 1000)
            context.close()
    return (
        statistics.median(interactive),
        statistics.median(load),
        statistics.median(loaded),
        statistics.median(filtering),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for count in args.counts:
        with tempfile.TemporaryDirectory() as tmp:
            config = plugin_project(Path(tmp), count)
            seconds, _ = build(config)
            site = config.parent / "site"
            print(f"\n{count} post-mortems (build {seconds:.0f} s)")
            biggest = 0
            for name, raw, packed in sizes(site):
                if not name.endswith(".json"):
                    biggest = max(biggest, raw)
                print(f"  {name:32} {raw / 1e6:7.2f} MB  gzip {packed / 1e3:7.0f} kB")
            print(f"  largest index page: {biggest / 1e6:.2f} MB (target < 1 MB)")
            interactive, load, loaded, filtering = load_times(site, args.runs)
            print(f"  /incidents/ interactive: {interactive:.2f} s, load event: {load:.2f} s")
            if loaded:
                print(f"  explorer.json loaded: {loaded:.2f} s after navigation start")
            print(f"  filter to SEV1, until the next frame: {filtering:.2f} s")


if __name__ == "__main__":
    main()
