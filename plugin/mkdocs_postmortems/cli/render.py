"""``postmortems render``: the generated pages as files, for generators that do not run the
plugin (Zensical, or any generator built on Python-Markdown)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from mkdocs_postmortems.adapters import folder
from mkdocs_postmortems.cli.common import UsageError, day, now
from mkdocs_postmortems.core.config import Settings, find_config_file
from mkdocs_postmortems.core.config import read_config as core_read_config
from mkdocs_postmortems.core.knowledge_base import display_path, load
from mkdocs_postmortems.rules import RULESET
from mkdocs_postmortems.site.links import Site
from mkdocs_postmortems.site.pages import ASSET_DIR, SCRIPTS, STYLES, Context, generated_site


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    parser = commands.add_parser(
        "render",
        parents=[common],
        help="write the generated pages into a docs folder, for Zensical and other generators",
    )
    parser.add_argument(
        "--out",
        type=Path,
        required=True,
        metavar="DIR",
        help="the generator's docs folder, inside the project (files render did not write "
        "are never overwritten)",
    )
    parser.add_argument(
        "--today", type=day, metavar="YYYY-MM-DD", help="render as of that day (default: now)"
    )
    parser.add_argument(
        "--links",
        choices=("source", "page"),
        default="source",
        help="write links in the generated HTML relative to each page's source file, for "
        "generators that rewrite them like Markdown links (Zensical; the default), or "
        "relative to the page's URL, for generators that pass HTML through (MkDocs)",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="remove the files an earlier render wrote, and write nothing",
    )
    parser.set_defaults(run=run_render)


def run_render(args: argparse.Namespace, settings: Settings) -> int:
    out = Path(os.path.abspath(args.out))
    root = settings.root.resolve()
    if not out.resolve().is_relative_to(root):
        raise UsageError(f"render: --out {args.out} is outside the project ({root})")
    if out.exists() and not out.is_dir():
        raise UsageError(f"render: --out {args.out} is not a folder")
    shown = display_path(out, os.getcwd())
    try:
        if args.clean:
            outcome = folder.clean(out)
            print(f"{shown}: removed {len(outcome.removed)} files render had written")
            _report_kept(outcome)
            return 0
        moment = now(args)
        kb = load(settings, RULESET, for_pages=True)
        site = Site(settings, directory_urls=True, links_from_source=args.links == "source")
        context = Context(kb, site, moment)
        to_html = folder.markdown_renderer(_markdown_extensions(args.config_file))
        out.mkdir(parents=True, exist_ok=True)
        outcome = folder.render(generated_site(context), out, to_html)
    except folder.RenderError as exc:
        raise UsageError(f"render: {exc}") from None
    print(
        f"{shown}: {len(outcome.written)} files written, {len(outcome.unchanged)} unchanged, "
        f"{len(outcome.removed)} removed"
    )
    _report_kept(outcome)
    assets = ", ".join(ASSET_DIR + name for name in (*STYLES, *SCRIPTS))
    print(f"The site's configuration must load {assets} (extra_css, extra_javascript).")
    errors = [f for f in kb.findings if f.level == "error"]
    for finding in errors:
        print(finding.format(), file=sys.stderr)
    if errors:
        print(
            f"postmortems: {len(errors)} errors; the pages show them, and `postmortems check` "
            "fails on them",
            file=sys.stderr,
        )
        return 1
    return 0


def _markdown_extensions(config_file: Path | None) -> Any:
    """The ``markdown_extensions`` of the site's configuration, read as the generator reads
    it (MkDocs' own loader when MkDocs is installed: ``!!python/name`` values are objects)."""
    path = find_config_file(config_file)
    if path is None:
        return None
    try:
        from mkdocs_postmortems.adapters.mkdocs_config import read_config
    except ImportError:
        read_config = core_read_config
    data = read_config(path)
    return data.get("markdown_extensions") if isinstance(data, dict) else None


def _report_kept(outcome: folder.Outcome) -> None:
    for relative in outcome.kept:
        print(
            f"postmortems: kept {relative}: render wrote it, but it was changed since",
            file=sys.stderr,
        )
