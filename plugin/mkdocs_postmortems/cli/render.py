"""``postmortems render``: the generated pages as files, for generators that do not run the
plugin (Zensical, or any generator built on Python-Markdown)."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from mkdocs_postmortems.adapters import folder
from mkdocs_postmortems.cli.common import UsageError, day, now, read_config
from mkdocs_postmortems.core.config import EDITIONS, Settings
from mkdocs_postmortems.core.config_file import find_config_file
from mkdocs_postmortems.core.dates import plural
from mkdocs_postmortems.core.files import NotWritten, make_folders, real_path, writable
from mkdocs_postmortems.core.findings import Finding
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase, display_path, load
from mkdocs_postmortems.core.register import Register, add_link_findings
from mkdocs_postmortems.integrations.register import load_register
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
        help="the generator's docs folder, inside the project and not the post-mortem folder "
        "(files render did not write are never overwritten, and no symbolic link is followed)",
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
        "--with-errors",
        action="store_true",
        help="write the pages even when post-mortems have errors, with the errors shown on "
        "them as under `mkdocs serve` (the exit status is still 1); by default, as "
        "`mkdocs build`, errors stop the run before anything is written",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="remove the files an earlier render wrote, and write nothing",
    )
    parser.add_argument(
        "--edition",
        choices=EDITIONS,
        help="write the public edition: only the public post-mortems, without their internal passages, keys and columns (default: the edition of mkdocs.yml)",
    )
    parser.set_defaults(run=run_render)


def run_render(args: argparse.Namespace, settings: Settings) -> int:
    if args.edition:
        settings = replace(settings, edition=args.edition)
    out = _output_folder(args.out, settings)
    root = settings.root
    shown = display_path(out, os.getcwd())
    try:
        if args.clean:
            outcome = folder.clean(out, root)
            print(f"{shown}: removed {plural(len(outcome.removed), 'file')} render had written")
            _report_kept(outcome)
            return 0
        moment = now(args)
        kb, register, findings = _read(settings)
        errors = [f for f in findings if f.level == "error"]
        if errors and not args.with_errors:
            return _refuse(errors)
        site = Site(settings, directory_urls=True, links_from_source=args.links == "source")
        context = Context(kb, site, moment, register)
        to_html = folder.markdown_renderer(_markdown_extensions(args.config_file))
        make_folders(out, root)
        outcome = folder.render(generated_site(context), out, root, to_html)
    except folder.RenderError as exc:
        raise UsageError(f"render: {exc}") from None
    except NotWritten as exc:
        raise UsageError(f"render: not written: {exc}") from None
    except OSError as exc:
        raise UsageError(f"render: cannot write into {shown}: {exc.strerror or exc}") from None
    print(
        f"{shown}: {plural(len(outcome.written), 'file')} written, {len(outcome.unchanged)} unchanged, "
        f"{len(outcome.removed)} removed"
    )
    _report_kept(outcome)
    assets = ", ".join(ASSET_DIR + name for name in (*STYLES, *SCRIPTS))
    print(f"The site's configuration must load {assets} (extra_css, extra_javascript).")
    for finding in errors:
        print(finding.format(), file=sys.stderr)
    if errors:
        print(
            f"postmortems: {plural(len(errors), 'error')}; the pages show them, and `postmortems check` "
            "fails on them",
            file=sys.stderr,
        )
        return 1
    return 0


def _read(settings: Settings) -> tuple[KnowledgeBase, Register | None, list[Finding]]:
    """The post-mortems and the incident register, read as the plugin reads them: the
    register's incidents with no write-up and each page's incident link come from it."""
    register = load_register(settings)
    # A register's links are matched (with their positions) before the files are trimmed.
    kb = load(settings, RULESET, for_pages=register is None)
    if register is None:
        return kb, None, kb.findings
    add_link_findings(kb.postmortems, register, settings, RULESET)
    for pm in kb.postmortems:
        pm.keep_for_pages()
    return kb, register, sorted([*register.findings, *kb.findings])


def _markdown_extensions(config_file: Path | None) -> Any:
    """The ``markdown_extensions`` of the site's configuration, read as the generator reads
    it (MkDocs' own loader when MkDocs is installed: ``!!python/name`` values are objects)."""
    path = find_config_file(config_file)
    if path is None:
        return None
    data = read_config(path)
    return data.get("markdown_extensions") if isinstance(data, dict) else None


def _output_folder(given: Path, settings: Settings) -> Path:
    """``--out`` as an absolute path, once it is known to be a folder render may write: in
    the project, not through a link, neither the project itself nor the post-mortem folder,
    inside it or around it (``check`` would read the pages as post-mortems)."""
    try:
        out = writable(given, settings.root, folder=True)
    except NotWritten as exc:
        raise UsageError(f"render: --out {given}: {exc}") from None
    real = Path(real_path(out))
    if real == settings.root.resolve():
        raise UsageError(
            f"render: --out {given} is the project's own folder; name the generator's docs "
            "folder, such as docs"
        )
    postmortems = settings.path.resolve()
    if real == postmortems or postmortems in real.parents or real in postmortems.parents:
        raise UsageError(
            f"render: --out {given} holds or lies in the post-mortem folder "
            f"({display_path(settings.path, os.getcwd())}), where `postmortems check` would "
            "read the pages as post-mortems; name the generator's docs folder, such as docs"
        )
    return out


def _refuse(errors: list[Finding]) -> int:
    """As ``mkdocs build`` does: errors stop the build before a page is written."""
    for finding in errors:
        print(finding.format(), file=sys.stderr)
    print(
        f"postmortems: {plural(len(errors), 'error')}; nothing was written. Fix them, or pass "
        "--with-errors to write the pages with the errors shown on them (as `mkdocs serve` "
        "does)",
        file=sys.stderr,
    )
    return 1


def _report_kept(outcome: folder.Outcome) -> None:
    for relative in outcome.kept:
        print(
            f"postmortems: kept {relative}: render wrote it, but it was changed since",
            file=sys.stderr,
        )
