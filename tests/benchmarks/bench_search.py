"""Benchmark: search and the incident explorer in headless Chromium, at 1,000 and 10,000 incidents.

Builds a site of N synthetic post-mortems with the plugin, serves it on 127.0.0.1, and
measures what a reader waits for:

- the size of ``search/search_index.json``, raw and gzipped (what a server sends);
- mkdocs-material search on a cold page: the home page loads, the reader clicks the search
  box at once and types a word; the time from navigation start, and from the first
  keystroke, until the first result is on screen (the search worker fetches the index
  and builds it in the browser before it can answer);
- the explorer on /incidents/: the page's HTML size and load time, and the time to apply a
  severity filter and a sort, measured in the page with ``performance.now()`` around
  dispatching the ``change`` event (script) and until the next frame (script, style, layout).

Each browser measurement runs in a fresh context (cold cache); the table shows medians.
Chromium is Debian's (``apt-get install chromium``, or its headless shell where installed),
driven by Playwright.

    python tests/benchmarks/bench_search.py [--counts 1000 10000] [--runs 3] [--word checkout]
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from bench_site import build, plugin_project

from browser import chromium, serve


# Times in the page, relative to navigation start: first keystroke, first result on screen.
def probe(result_selector: str) -> str:
    return f"""
window.__pm = {{}};
document.addEventListener("keydown", () => {{
  if (!("key" in window.__pm)) window.__pm.key = performance.now();
}}, true);
new MutationObserver(() => {{
  if (!("result" in window.__pm) && document.querySelector("{result_selector}")) {{
    window.__pm.result = performance.now();
  }}
}}).observe(document, {{ subtree: true, childList: true }});
"""


PROBE = probe(".md-search-result__item")
PAGEFIND_PROBE = probe(".pagefind-ui__result")

TIMINGS = """
() => {
  const navigation = performance.getEntriesByType("navigation")[0];
  const index = performance.getEntriesByType("resource")
    .find((entry) => entry.name.includes("search_index.json"));
  return {
    load: navigation.loadEventEnd,
    key: window.__pm.key,
    result: window.__pm.result,
    index: index ? index.responseEnd : null,
  };
}
"""

# Change one control of the explorer; time the handler alone, then until the next frame.
CHANGE = """
async ([name, value]) => {
  const field = document.querySelector(`form[data-pm-explorer] [name=${name}]`);
  const start = performance.now();
  field.value = value;
  field.dispatchEvent(new Event("change", { bubbles: true }));
  const handled = performance.now();
  await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  return {
    script: handled - start,
    frame: performance.now() - start,
    shown: document.querySelector("[data-pm-count]").textContent,
  };
}
"""


def search_once(browser: Any, url: str, word: str) -> dict[str, float]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(PROBE)
        page.goto(url, wait_until="load")
        page.locator("input.md-search__input").click()
        page.keyboard.type(word)
        page.wait_for_function("() => 'result' in window.__pm", timeout=300_000)
        timings: dict[str, float] = page.evaluate(TIMINGS)
        return timings
    finally:
        context.close()


def pagefind_once(browser: Any, url: str, word: str) -> dict[str, float]:
    """The same search on the Pagefind page (the chunked index of the pagefind option)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.add_init_script(PAGEFIND_PROBE)
        page.goto(url + "find/", wait_until="load")
        box = page.locator(".pagefind-ui__search-input")
        box.click()
        page.keyboard.type(word)
        page.wait_for_function("() => 'result' in window.__pm", timeout=300_000)
        timings: dict[str, float] = page.evaluate(
            "() => ({load: performance.getEntriesByType('navigation')[0].loadEventEnd,"
            " key: window.__pm.key, result: window.__pm.result,"
            " fetched: performance.getEntriesByType('resource')"
            ".filter(e => e.name.includes('/pagefind/'))"
            ".reduce((n, e) => n + (e.transferSize || e.encodedBodySize || 0), 0)})"
        )
        return timings
    finally:
        context.close()


def explorer_once(browser: Any, url: str) -> dict[str, Any]:
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url + "incidents/", wait_until="load")
        page.locator("form[data-pm-explorer]").wait_for(state="visible", timeout=120_000)
        load = page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd")
        severity = page.evaluate(CHANGE, ["severity", "SEV1"])
        sort = page.evaluate(CHANGE, ["sort", "duration"])
        clear = page.evaluate(CHANGE, ["severity", ""])
        return {"load": load, "severity": severity, "sort": sort, "clear": clear}
    finally:
        context.close()


def median(values: list[float]) -> float:
    return statistics.median(values)


def measure(root: Path, count: int, runs: int, word: str) -> dict[str, Any]:
    started = time.perf_counter()
    config = plugin_project(root, count, pagefind=True)
    seconds, site_size = build(config)
    site = root / "site"
    index = (site / "search" / "search_index.json").read_bytes()
    incidents = (site / "incidents" / "index.html").read_bytes()
    print(
        f"{count} incidents: written and built in {time.perf_counter() - started:.0f} s "
        f"(build {seconds:.0f} s, site {site_size / 1e6:.0f} MB)",
        flush=True,
    )
    searches, explorers, finds = [], [], []
    with serve(site) as url, chromium() as browser:
        for _ in range(runs):
            searches.append(search_once(browser, url, word))
            finds.append(pagefind_once(browser, url, word))
            explorers.append(explorer_once(browser, url))
    bundle = sum(p.stat().st_size for p in (site / "pagefind").rglob("*") if p.is_file())
    return {
        "count": count,
        "build": seconds,
        "index_raw": len(index),
        "index_gzip": len(gzip.compress(index, 6)),
        "docs": index.count(b'"location":'),
        "load": median([s["load"] for s in searches]),
        "index_fetched": median([s["index"] or 0.0 for s in searches]),
        "nav_to_result": median([s["result"] for s in searches]),
        "key_to_result": median([s["result"] - s["key"] for s in searches]),
        "incidents_raw": len(incidents),
        "incidents_gzip": len(gzip.compress(incidents, 6)),
        "incidents_load": median([e["load"] for e in explorers]),
        "severity_script": median([e["severity"]["script"] for e in explorers]),
        "severity_frame": median([e["severity"]["frame"] for e in explorers]),
        "sort_script": median([e["sort"]["script"] for e in explorers]),
        "sort_frame": median([e["sort"]["frame"] for e in explorers]),
        "clear_script": median([e["clear"]["script"] for e in explorers]),
        "clear_frame": median([e["clear"]["frame"] for e in explorers]),
        "sev1_shown": explorers[0]["severity"]["shown"],
        "pagefind_bundle": bundle,
        "pagefind_fetched": median([f["fetched"] for f in finds]),
        "pagefind_nav_to_result": median([f["result"] for f in finds]),
        "pagefind_key_to_result": median([f["result"] - f["key"] for f in finds]),
    }


def size(value: float) -> str:
    return f"{value / 1e6:.1f} MB" if value >= 1e6 else f"{value / 1e3:.0f} kB"


def ms(value: float) -> str:
    return f"{value / 1000:.2f} s" if value >= 1000 else f"{value:.0f} ms"


ROWS = [
    ("search index documents", lambda r: f"{r['docs']:,}"),
    ("search_index.json raw", lambda r: size(r["index_raw"])),
    ("search_index.json gzip", lambda r: size(r["index_gzip"])),
    ("home page load event", lambda r: ms(r["load"])),
    ("index fetched (from navigation)", lambda r: ms(r["index_fetched"])),
    ("first result (from navigation)", lambda r: ms(r["nav_to_result"])),
    ("first result (from 1st keystroke)", lambda r: ms(r["key_to_result"])),
    ("pagefind: bundle on disk", lambda r: size(r["pagefind_bundle"])),
    ("pagefind: fetched for one query", lambda r: size(r["pagefind_fetched"])),
    ("pagefind: first result (from navigation)", lambda r: ms(r["pagefind_nav_to_result"])),
    ("pagefind: first result (from 1st keystroke)", lambda r: ms(r["pagefind_key_to_result"])),
    ("/incidents/ HTML raw", lambda r: size(r["incidents_raw"])),
    ("/incidents/ HTML gzip", lambda r: size(r["incidents_gzip"])),
    ("/incidents/ load event", lambda r: ms(r["incidents_load"])),
    ("severity=SEV1: script", lambda r: ms(r["severity_script"])),
    ("severity=SEV1: to next frame", lambda r: ms(r["severity_frame"])),
    ("  rows shown", lambda r: r["sev1_shown"]),
    ("then sort=duration: script", lambda r: ms(r["sort_script"])),
    ("then sort=duration: to next frame", lambda r: ms(r["sort_frame"])),
    ("then clear severity: script", lambda r: ms(r["clear_script"])),
    ("then clear severity: to next frame", lambda r: ms(r["clear_frame"])),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--word", default="checkout", help="the word typed into search")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in args.counts:
            root = Path(tmp) / str(count)
            root.mkdir()
            results.append(measure(root, count, args.runs, args.word))
    print(f"\nmedians of {args.runs} cold runs; search typed {args.word!r}\n")
    print(f"{'':36}" + "".join(f"{r['count']:>12,}" for r in results))
    for label, show in ROWS:
        print(f"{label:36}" + "".join(f"{show(r):>12}" for r in results))


if __name__ == "__main__":
    main()
