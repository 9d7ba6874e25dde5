"""The ``postmortems`` MkDocs plugin: a thin adapter from MkDocs events to the core.

The core reads, the rules check and the site package renders. This module, the only one that
imports MkDocs, hands MkDocs the generated pages (kept in memory with ``File.generated``,
never written into ``docs/``), logs the findings so ``mkdocs build --strict`` fails on them,
and asks ``mkdocs serve`` to watch the folder.
"""

from __future__ import annotations

import gc
import logging
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib.resources import files as package_files
from pathlib import Path
from typing import Any

from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from mkdocs_postmortems.core.config import ConfigError, Settings, settings_from_options
from mkdocs_postmortems.core.dates import now as current_time
from mkdocs_postmortems.core.files import MARKDOWN_SUFFIXES
from mkdocs_postmortems.core.findings import printable
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase, load
from mkdocs_postmortems.rules import RULES, RULESET
from mkdocs_postmortems.site.links import Site
from mkdocs_postmortems.site.pagefind import make_deterministic
from mkdocs_postmortems.site.pages import (
    OVERDUE_MARKER,
    Context,
    RenderedPage,
    catalogue,
    in_navigation,
    index_page,
    index_pages,
    overdue_summary,
    placeholder,
    postmortem_page,
)

log = logging.getLogger("mkdocs.plugins.postmortems")

ARTICLE = '<article class="md-content__inner md-typeset">'
STYLES = ("postmortems.css",)
SCRIPTS = ("explorer.js",)
ASSET_DIR = "assets/postmortems/"


class PostmortemsPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Publishes a folder of post-mortems with severity, action-item and overdue indexes."""

    def __init__(self) -> None:
        self.enabled = True
        self.settings: Settings | None = None
        self.context: Context | None = None
        self.blocks: dict[str, dict[str, str]] = {}
        self.search: dict[str, dict[str, str]] = {}
        self.frozen = False

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        """Validate the options with the core, so the CLI and the site agree on every one."""
        options = dict(options)
        enabled = options.pop("enabled", True)
        if not isinstance(enabled, bool):
            return [("enabled", ValidationError("must be true or false"))], []
        self.enabled = enabled
        root = Path(config_file_path).resolve().parent if config_file_path else Path.cwd()
        try:
            self.settings = settings_from_options(options, root, RULES)
        except ConfigError as exc:
            option = re.search(r"option 'postmortems\.([\w.]+)", str(exc))
            return [(option[1] if option else "postmortems", ValidationError(str(exc)))], []
        return [], []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep one plugin instance across the rebuilds of ``mkdocs serve``."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.enabled:
            return config
        for asset in STYLES:
            if ASSET_DIR + asset not in config.extra_css:
                config.extra_css.append(ASSET_DIR + asset)
        scripts = [str(script) for script in config.extra_javascript]
        for asset in SCRIPTS:
            if ASSET_DIR + asset not in scripts:
                config.extra_javascript.append(ASSET_DIR + asset)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.enabled:
            return files
        settings = self._settings()
        try:
            now = current_time()
        except ValueError as exc:
            raise PluginError(f"postmortems: {exc}") from None
        # Everything made here lives until the build ends. The cyclic collector is paused
        # while it is made, then told to leave it alone (gc.freeze) until on_post_build:
        # otherwise every full collection of the build walks the whole knowledge base again.
        with _collector_paused():
            self._generate(files, config, settings, now)
        gc.freeze()
        self.frozen = True
        return files

    def _generate(
        self, files: Files, config: MkDocsConfig, settings: Settings, now: datetime
    ) -> None:
        kb = load(settings, RULESET)
        _log_findings(kb)
        site = Site(settings, config.use_directory_urls)
        self.context = Context(kb, site, now)
        _drop_sources(files, settings)
        generated: dict[str, RenderedPage] = {}
        for pm in kb.postmortems:
            if not pm.has_page:
                continue  # refused, or a reserved or taken id: reported, and never silenced
            src = site.postmortem_src(pm.id)
            generated[src] = postmortem_page(pm, self.context)
        navigation = set()
        for name in index_pages(site):
            generated[site.page_src(name)] = index_page(name, self.context)
            if in_navigation(name, site):
                navigation.add(site.page_src(name))
        self.blocks = {src: page.blocks for src, page in generated.items()}
        self.search = {src: page.search for src, page in generated.items() if page.search}
        _check_free(files, generated, site)
        for src, page in generated.items():
            # An explicit nav in mkdocs.yml may still list any page; this only keeps the
            # automatic navigation (and its "not in nav" notices) to one entry.
            inclusion = InclusionLevel.UNDEFINED if src in navigation else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, src, content=page.markdown, inclusion=inclusion))
        for asset in (*STYLES, *SCRIPTS):
            data = (package_files("mkdocs_postmortems.site") / "assets" / asset).read_bytes()
            files.append(File.generated(config, ASSET_DIR + asset, content=data))
        catalogue_src = f"{settings.url_prefix}catalog.json"
        files.append(File.generated(config, catalogue_src, content=catalogue(self.context)))

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Show what is overdue on the home page, at the marker or at the end."""
        if not self.enabled or self.context is None or not page.is_homepage:
            return markdown
        links = self.context.site.links_from(page.file.src_uri)
        self.blocks[page.file.src_uri] = {"overdue": overdue_summary(self.context, links)}
        block = f"\n\n{placeholder('overdue')}\n\n"
        if OVERDUE_MARKER in markdown:
            return markdown.replace(OVERDUE_MARKER, block, 1)
        return f"{markdown.rstrip()}{block}"

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Put the generated HTML blocks in place of their placeholders."""
        for key, block in self.blocks.get(page.file.src_uri, {}).items():
            html = html.replace(placeholder(key), block, 1)
        return html

    @event_priority(100)
    def _show_search_its_text(
        self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        """Before search indexes the page: the header card as text, no related incidents.

        Search plugins read ``page.content`` in this event. The card's markup and the related
        incidents cost as much to parse as the author's text, and add nothing to find.
        """
        self._swap(page, for_search=True)
        return context

    @event_priority(-100)
    def _restore_after_search(
        self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        """After search: the page shows the full blocks again."""
        self._swap(page, for_search=False)
        return context

    def _swap(self, page: Page, *, for_search: bool) -> None:
        """Trade each block for its search text, or back. A block another plugin changed is
        not found and stays as it is: search then reads its markup, as it used to."""
        src = page.file.src_uri
        for key, text in self.search.get(src, {}).items():
            if page.content is None:
                return
            block, stand_in = self.blocks[src][key], _search_text(key, text)
            old, new = (block, stand_in) if for_search else (stand_in, block)
            page.content = page.content.replace(old, new, 1)

    on_page_context = CombinedEvent(_show_search_its_text, _restore_after_search)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Mark a post-mortem's content as what Pagefind indexes (the rest is site chrome)."""
        if not self.enabled or self.settings is None or not self.settings.pagefind:
            return output
        if page.file.src_uri.startswith(self.settings.url_prefix) and page.file.generated_by:
            return output.replace(ARTICLE, f"{ARTICLE[:-1]} data-pagefind-body>", 1)
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Build the chunked Pagefind index over the written site, when switched on."""
        self._release()
        if not self.enabled or self.settings is None or not self.settings.pagefind:
            return
        command = [sys.executable, "-m", "pagefind", "--site", config.site_dir, "--silent"]
        try:
            result = subprocess.run(command, capture_output=True, text=True, check=False)
        except OSError as exc:
            raise PluginError(f"postmortems: cannot run Pagefind: {exc}") from None
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).strip() or f"exit code {result.returncode}"
            hint = " (it comes with: pip install 'mkdocs-postmortems[site]')"
            raise PluginError(f"postmortems: Pagefind failed: {detail}{hint}")
        try:
            make_deterministic(Path(config.site_dir) / "pagefind")
        except (OSError, ValueError, LookupError, TypeError) as exc:
            raise PluginError(
                f"postmortems: cannot put the Pagefind index in order: {exc}"
            ) from None

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.enabled and self.settings is not None and self.settings.path.exists():
            server.watch(str(self.settings.path))
        return server

    def on_build_error(self, *, error: Exception) -> None:
        self._release()

    def _release(self) -> None:
        """Let go of the build's pages and knowledge base (``mkdocs serve`` builds again)."""
        self.context = None
        self.blocks = {}
        self.search = {}
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

    def _settings(self) -> Settings:
        if self.settings is None:
            self.settings = settings_from_options({}, Path.cwd(), RULES)
        return self.settings


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _search_text(key: str, text: str) -> str:
    """A block's stand-in while search reads the page: marked, so it is put back exactly."""
    return f"{placeholder(key)}{text}{placeholder(key)}"


def _log_findings(kb: KnowledgeBase) -> None:
    """Every finding, as ``path:line:col: CODE message``: warnings fail ``--strict`` builds."""
    for finding in kb.findings:
        level = logging.ERROR if finding.level == "error" else logging.WARNING
        text = printable(f"{finding.path}:{finding.line}:{finding.col}: {finding.code} ")
        log.log(level, "%s%s", text, printable(finding.message))


def _drop_sources(files: Files, settings: Settings) -> None:
    """A post-mortem folder inside ``docs/`` is rendered by the plugin, not as plain pages.

    Only its Markdown is taken out: the images and attachments beside the post-mortems stay
    in the site, where the post-mortems' relative links find them.
    """
    folder = settings.path.resolve()
    for file in list(files):
        if (
            file.abs_src_path
            and file.src_uri.lower().endswith(MARKDOWN_SUFFIXES)
            and Path(file.abs_src_path).resolve().is_relative_to(folder)
        ):
            files.remove(file)


def _check_free(files: Files, generated: Iterable[str], site: Site) -> None:
    """No page of the user's may sit where a generated page goes (same source or same URL)."""
    taken = {file.src_uri: file for file in files}
    taken.update({file.url: file for file in files if file.is_documentation_page()})
    for src in generated:
        url = site.url_of_src(src)
        file = taken.get(src) or taken.get(url)
        if file is not None:
            raise PluginError(
                f"postmortems: docs/{file.src_uri} is in the way of a generated page at "
                f"/{url}; rename it, or move the generated pages with the 'pages' or "
                "'url_prefix' option"
            )
