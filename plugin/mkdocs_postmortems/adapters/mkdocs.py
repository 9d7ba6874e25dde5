"""The ``postmortems`` MkDocs plugin: a thin adapter from MkDocs events to the core.

The core reads, the rules check and the site package renders. This module, the only one that
imports MkDocs, hands MkDocs the generated pages (kept in memory with ``File.generated``,
never written into ``docs/``), logs the findings so ``mkdocs build --strict`` fails on them,
and asks ``mkdocs serve`` to watch the folder.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.config.base import ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from mkdocs_postmortems.core.config import (
    ConfigError,
    Settings,
    no_postmortems,
    require_folder,
    settings_from_options,
    switch,
)
from mkdocs_postmortems.core.dates import now as current_time
from mkdocs_postmortems.core.dates import plural
from mkdocs_postmortems.core.files import MARKDOWN_SUFFIXES
from mkdocs_postmortems.core.findings import Finding, printable
from mkdocs_postmortems.core.knowledge_base import ReadCache, load
from mkdocs_postmortems.core.register import add_link_findings
from mkdocs_postmortems.integrations.register import load_register
from mkdocs_postmortems.rules import RULES, RULESET
from mkdocs_postmortems.site import csp, feeds
from mkdocs_postmortems.site.home import home_block
from mkdocs_postmortems.site.links import Site
from mkdocs_postmortems.site.pagefind import (
    Indexer,
    PagefindError,
    index_written_site,
    make_deterministic,
    pagefind_executable,
    write_bundle_list,
)
from mkdocs_postmortems.site.pages import (
    ASSET_DIR,
    OVERDUE_MARKER,
    SCRIPTS,
    STYLES,
    WORKER_SHIM,
    Context,
    PageMemo,
    RenderedPage,
    SearchText,
    assemble,
    generated_site,
    placeholder,
)

if TYPE_CHECKING:
    from jinja2 import Environment

    # Only named in a signature: importing the dev server costs every ``mkdocs build``
    # a few hundredths of a second, and the build never starts it.
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.plugins.postmortems")

# What Pagefind leaves out of its excerpts: the theme's permalink marks on headings.
PAGEFIND_IGNORED = ".headerlink"
PAGEFIND_HINT = " (it comes with: pip install 'mkdocs-postmortems[site]')"
# The commands that build once: the plugin keeps nothing for a next build.
ONE_BUILD = ("build", "gh-deploy")


class PostmortemsPlugin(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """Publishes a folder of post-mortems with severity, action-item and overdue indexes."""

    def __init__(self) -> None:
        self.enabled = True
        self.settings: Settings | None = None
        self.site: Site | None = None  # the links of the build under way
        self.blocks: dict[str, dict[str, str]] = {}  # by page, until put in its HTML
        self.authored: set[str] = set()  # the pages whose HTML is sanitized (an author's)
        self.own: set[str] = set()  # the pages the plugin generated
        # Their HTML, compressed, from when it is rendered until MkDocs writes the page.
        self.packed: dict[str, bytes] = {}
        self.search: dict[str, dict[str, SearchText]] = {}  # what search reads for a block
        self.spans: dict[str, list[_Span]] = {}  # where those blocks are in a page's HTML
        # The blocks out while search reads, with what stands in for each.
        self.cut: dict[str, dict[str, tuple[str, str]]] = {}
        self.command: str | None = None
        # Kept across the rebuilds of ``mkdocs serve``: each file's reading, and a digest of
        # each generated page, so an edit re-reads one file and re-renders what it changed.
        self.read_cache = ReadCache()
        # The pages of the last build, drawn again only when what they show changed (serve).
        self.page_memo = PageMemo()
        self.digests: dict[str, str] = {}
        self.home: dict[str, str] = {}  # the home page's generated block, by its source
        self.policy = True  # the Content-Security-Policy meta; not on a site read from disk
        self.indexer: Indexer | None = None  # Pagefind, fed the pages of the build under way

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[list[tuple[str, Exception]], list[tuple[str, str]]]:
        """Validate the options with the core, so the CLI and the site agree on every one."""
        options = dict(options)
        try:
            enabled = switch(options.pop("enabled", True), "option 'postmortems.enabled'")
        except ConfigError as exc:
            return [("enabled", ValidationError(str(exc)))], []
        self.enabled = enabled
        root = Path(config_file_path).resolve().parent if config_file_path else Path.cwd()
        try:
            self.settings = settings_from_options(options, root, RULES)
            if enabled:
                require_folder(self.settings)
        except ConfigError as exc:
            option = re.search(r"option 'postmortems\.([\w.]+)", str(exc))
            return [(option[1] if option else "postmortems", ValidationError(str(exc)))], []
        return [], []

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep one plugin instance across the rebuilds of ``mkdocs serve``, and remember
        the command: ``mkdocs build`` fails on errors as ``postmortems check`` does, while
        ``mkdocs serve`` keeps showing the site as the author fixes them."""
        self.command = command

    def on_shutdown(self) -> None:
        """MkDocs keeps this instance for the next command in the same process."""
        self.command = None

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
        _local_worker_shim(config)
        # A site read from disk (file://) has no origin for 'self' to name, and the offline
        # plugin writes the search index and its worker into every page after ours: no
        # policy there (docs/security.md says so).
        self.policy = not _offline(config)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.enabled:
            return files
        settings = self._settings()
        try:
            now = current_time()
        except ValueError as exc:
            raise PluginError(f"postmortems: {exc}") from None
        # The cyclic collector is left as MkDocs and the other plugins set it: pausing it
        # here and freezing what was made until on_post_build measured no faster (see
        # ARCHITECTURE.md, "Tricks the plugin does not play"), and held across every other
        # plugin's events.
        self._generate(files, config, settings, now)
        self._start_pagefind(settings)
        return files

    def _start_pagefind(self, settings: Settings) -> None:
        """Start Pagefind beside the build, when this build is to have an index."""
        if self.indexer is not None:  # a build that ended without MkDocs saying so
            self.indexer.close(abort=True)
            self.indexer = None
        if not settings.pagefind:
            return
        if self.command == "serve" and not settings.pagefind_on_serve:
            log.info("postmortems: Pagefind is not run under serve (option pagefind_on_serve)")
            return
        try:
            self.indexer = Indexer(pagefind_executable(), [PAGEFIND_IGNORED])
        except PagefindError as exc:
            raise PluginError(f"postmortems: {exc}{PAGEFIND_HINT}") from None

    def _generate(
        self, files: Files, config: MkDocsConfig, settings: Settings, now: datetime
    ) -> None:
        try:
            register = load_register(settings)
        except ConfigError as exc:
            raise PluginError(f"postmortems: {exc}") from None
        # A single build reads nothing again: each post-mortem keeps only what its pages
        # need once checked. A register's links are matched (with their positions) first.
        lean = self.command in ONE_BUILD
        cache = None if lean else self.read_cache
        kb = load(settings, RULESET, cache=cache, for_pages=lean and register is None)
        if not kb.postmortems and register is None:
            raise PluginError(f"postmortems: configuration error: {no_postmortems(settings)}")
        if register is not None:
            add_link_findings(kb.postmortems, register, settings, RULESET)
        findings = kb.findings if register is None else [*register.findings, *kb.findings]
        _log_findings(findings)
        errors = sum(f.level == "error" for f in findings)
        if errors and self.command in ONE_BUILD:
            raise PluginError(
                f"postmortems: {plural(errors, 'error')} in the post-mortems (listed above); "
                "`postmortems check` fails on them too"
            )
        if lean and register is not None:
            for pm in kb.postmortems:
                pm.keep_for_pages()
        site = Site(
            settings,
            config.use_directory_urls,
            name=config.site_name,
            base_url=config.site_url or "",
        )
        self.site = site
        context = Context(kb, site, now, register)
        _drop_sources(files, settings)
        memo = None if lean else self.page_memo
        generated = generated_site(context, memo, later=lean)
        self.blocks, self.search, self.authored = {}, {}, set()
        self.own, self.packed = {*generated.pages, *generated.later}, {}
        _check_free(files, [*generated.pages, *generated.later], site)
        docs = Path(config.docs_dir).resolve()
        for src, page in generated.pages.items():
            self._keep_blocks(src, page)
            # An explicit nav in mkdocs.yml may still list any page; this only keeps the
            # automatic navigation (and its "not in nav" notices) to one entry.
            navigation = src in generated.navigation
            inclusion = InclusionLevel.UNDEFINED if navigation else InclusionLevel.NOT_IN_NAV
            file = _generated(config, src, page.markdown, inclusion)
            file.changed = self._changed(src, page.markdown, *sorted(page.blocks.items()))
            if src in generated.sources:
                _point_at_source(file, generated.sources[src], docs)
            files.append(file)
        for src, draw in generated.later.items():
            file = _generated(config, src, "", InclusionLevel.NOT_IN_NAV)
            file.make = partial(self._draw, src, draw)
            _point_at_source(file, generated.sources[src], docs)
            files.append(file)
        for src, data in generated.files.items():
            file = _generated(config, src, data, InclusionLevel.UNDEFINED)
            file.changed = self._changed(src, data)
            if lean:
                # Written now, not held while the pages are (MkDocs copies it onto itself).
                file.copy_file()
            files.append(file)
        self._mark_home(files, context)

    def _draw(self, src: str, draw: Callable[[], RenderedPage]) -> str:
        """Draw a page left for later, when MkDocs reads it; keep its blocks for later
        events, as for the pages drawn at once."""
        page = draw()
        self._keep_blocks(src, page)
        return page.markdown

    def _keep_blocks(self, src: str, page: RenderedPage) -> None:
        """Keep a page's blocks until they are in its HTML, and their text for search."""
        self.blocks[src] = page.blocks
        if page.authored:
            self.authored.add(src)
        if page.search:
            self.search[src] = page.search

    def _mark_home(self, files: Files, context: Context) -> None:
        """Render the home page's block now, and have ``--dirty`` rebuild the home page when
        the block changed: the page's own file did not, so MkDocs would skip it."""
        home = next((f for f in files.documentation_pages() if f.dest_uri == "index.html"), None)
        self.home = {}
        if home is None:
            return
        links = context.site.links_from(home.src_uri)
        block = home_block(context, links)
        self.home[home.src_uri] = block
        if self._changed(home.src_uri, block) and home.abs_src_path is not None:
            # A file with content in memory counts as modified; the content is the same.
            home.content_string = home.content_string

    def _changed(self, src: str, *parts: object) -> bool:
        """Whether a generated file differs from the last build's (``--dirty`` skips it if
        not). The digest covers the Markdown and every HTML block put back into it later.
        A command that builds once has no last build: every file is new to it."""
        if self.command in ONE_BUILD:
            return True
        digest = hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()
        changed = self.digests.get(src) != digest
        self.digests[src] = digest
        return changed

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Show what is overdue on the home page, at the marker or at the end."""
        if not self.enabled or not page.is_homepage or page.file.src_uri not in self.home:
            return markdown
        src = page.file.src_uri
        self.blocks[src] = {"overdue": self.home[src]}
        block = f"\n\n{placeholder('overdue')}\n\n"
        if OVERDUE_MARKER in markdown:
            return markdown.replace(OVERDUE_MARKER, block, 1)
        return f"{markdown.rstrip()}{block}"

    def _assemble(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Sanitize the author's HTML and put the generated HTML blocks in place of their
        placeholders, before the theme sees the page; keep only the blocks that search reads
        as other text (:meth:`_swap`), until it has."""
        src = page.file.src_uri
        blocks = self.blocks.pop(src, {})
        html = assemble(html, blocks, authored=src in self.authored)
        # The blocks search reads as other text are found again by where they are, not by
        # their text: 10,000 pages' cards held until each page was written were a tenth of
        # a build's peak of memory. A page search leaves out (Pagefind answers for the
        # post-mortems) is not read by it: nothing to trade, and nothing to find again.
        if not _searched(page):
            self.search.pop(src, None)
        spans = [_Span.of(key, blocks[key], html) for key in self.search.get(src, {})]
        self.spans[src] = [span for span in spans if span is not None]
        return html

    @event_priority(-100)
    def _pack(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Hold a generated page's HTML compressed until MkDocs writes it (:meth:`_unpack`).

        MkDocs renders every page before it writes the first, so it holds every page's HTML
        at once: a post-mortem's, with its card, timeline and action items, is four times a
        plain page's and was the largest part of a build's peak of memory. Compressed, it
        is a quarter of that. Other plugins' ``on_page_content`` have run (this is the last);
        one reading the plugin's pages in ``on_env`` finds them empty.
        """
        src = page.file.src_uri
        if src not in self.own:
            return html
        self.packed[src] = zlib.compress(html.encode("utf-8", "surrogatepass"), 1)
        return ""

    on_page_content = CombinedEvent(_assemble, _pack)

    @event_priority(110)
    def _unpack(
        self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        """The page's HTML back, before search or the theme reads it."""
        packed = self.packed.pop(page.file.src_uri, None)
        if packed is not None:
            page.content = zlib.decompress(packed).decode("utf-8", "surrogatepass")
        return context

    @event_priority(100)
    def _show_search_its_text(
        self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        """Before search indexes the page: the header card as text, no related incidents,
        the action items with far fewer tags (:func:`~mkdocs_postmortems.site.blocks.text_form`).

        Search plugins read ``page.content`` in this event. The card's markup and the related
        incidents cost as much to parse as the author's text, and add nothing to find; the
        action-items table's markup cost more than the rest of the page.
        """
        self._swap(page, for_search=True)
        return context

    @event_priority(-100)
    def _restore_after_search(
        self, context: dict[str, Any], /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> dict[str, Any] | None:
        """After search: the page shows the full blocks again, and its blocks are let go
        (the page's HTML holds them now; MkDocs builds each page once per build)."""
        self._swap(page, for_search=False)
        self.search.pop(page.file.src_uri, None)
        return context

    def _swap(self, page: Page, *, for_search: bool) -> None:
        """Trade each block for its search text, or back. A block another plugin changed is
        not found and stays as it is: search then reads its markup, as it used to."""
        src = page.file.src_uri
        if page.content is None:
            return
        if not for_search:
            for block, stand_in in self.cut.pop(src, {}).values():
                page.content = page.content.replace(stand_in, block, 1)
            return
        content, texts = page.content, self.search.get(src, {})
        found = [(at, span) for span in self.spans.pop(src, []) if (at := span.at(content)) >= 0]
        cut = {}
        # From the last block to the first, so the offsets found stay true.
        for at, span in sorted(found, key=lambda pair: pair[0], reverse=True):
            end = at + span.length
            block, text = content[at:end], texts[span.key]
            stand_in = _search_text(span.key, text(block) if callable(text) else text)
            cut[span.key] = (block, stand_in)
            content = content[:at] + stand_in + content[end:]
        page.content = content
        self.cut[src] = cut

    on_page_context = CombinedEvent(_unpack, _show_search_its_text, _restore_after_search)

    def on_env(
        self, env: Environment, /, *, config: MkDocsConfig, files: Files
    ) -> Environment | None:
        """Before the pages are written: make sure Pagefind started (a binary that cannot
        run is reported as itself, not as a failure to build the first page)."""
        if self.indexer is not None:
            try:
                self.indexer.ready()
            except PagefindError as exc:
                raise PluginError(f"postmortems: Pagefind failed: {exc}") from None
        return env

    def _link_feed(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Link the feed from the page's head, whatever the theme."""
        if not self.enabled or self.site is None:
            return output
        link = feeds.head_link(self.site, page.url)
        return output.replace("</head>", f"{link}</head>", 1)

    @event_priority(-100)
    def _index_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Hand Pagefind the page as MkDocs writes it, after every other plugin's change
        (MkDocs writes nothing for a blank page)."""
        if self.indexer is not None and output.strip():
            try:
                self.indexer.add(page.file.dest_uri, output)
            except PagefindError as exc:
                raise PluginError(f"postmortems: Pagefind failed: {exc}") from None
        return output

    @event_priority(-90)
    def _add_policy(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """The Content-Security-Policy at the top of the page's head, once the other plugins
        added their scripts: the theme's inline scripts are allowed by hash, never one in a
        post-mortem's own content."""
        settings = self._policy_settings()
        if settings is None:
            return output
        authored = page.file.src_uri in self.authored
        return csp.with_policy(output, page.content if authored else None, wasm=settings.pagefind)

    def _policy_settings(self) -> Settings | None:
        """The settings when pages get the Content-Security-Policy, else None: the plugin
        on, the option on, and a site not read from disk."""
        settings = self.settings
        if not self.enabled or settings is None or not settings.content_security_policy:
            return None
        return settings if self.policy else None

    @event_priority(-110)
    def _let_go(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """A generated page's HTML and Markdown are let go once its page is written: what
        is drawn from them (the written file, Pagefind's copy) is made, and MkDocs keeps
        every page until the build ends. Empty, not None: MkDocs takes a page whose Markdown
        is None for one not read, and reads the title from the Markdown when its content is
        None."""
        if page.file.src_uri in self.own:
            page.content = page.markdown = ""
            if isinstance(page.file, _Generated):
                page.file.let_go()
        return output

    on_post_page = CombinedEvent(_link_feed, _add_policy, _index_page, _let_go)

    def on_post_template(
        self, output_content: str, /, *, template_name: str, config: MkDocsConfig
    ) -> str | None:
        """The theme's own pages (404.html) get the policy too; not the sitemap."""
        settings = self._policy_settings()
        if settings is None or not template_name.endswith(".html"):
            return output_content
        return csp.with_policy(output_content, None, wasm=settings.pagefind)

    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Write the Pagefind index, after every other plugin is done with the site."""
        indexer, self.indexer = self.indexer, None
        self._release()  # first: the index's files arrive in memory
        if indexer is not None:
            _write_index(indexer, Path(config.site_dir))

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.enabled and self.settings is not None and self.settings.path.exists():
            server.watch(str(self.settings.path))
        register = self.settings.register if self.enabled and self.settings else None
        if register is not None and register.path.is_file():
            server.watch(str(register.path))  # a refreshed register changes what is missing
        return server

    def on_build_error(self, *, error: Exception) -> None:
        if self.indexer is not None:
            self.indexer.close(abort=True)
            self.indexer = None
        self._release()

    def _release(self) -> None:
        """Let go of the build's generated blocks and links (``mkdocs serve`` builds again)."""
        self.site = None
        self.blocks = {}
        self.authored = set()
        self.own = set()
        self.packed = {}
        self.search = {}
        self.spans = {}
        self.cut = {}
        self.home = {}

    def _settings(self) -> Settings:
        if self.settings is None:
            self.settings = settings_from_options({}, Path.cwd(), RULES)
        return self.settings


def _write_index(indexer: Indexer, site: Path) -> None:
    """Have Pagefind write the index of the pages it was given, or index the site as
    written when a page changed since; then put each bundle in order and name them for the
    search page."""
    try:
        try:
            fed = indexer.finish(site)
        finally:
            indexer.close()
        bundles = indexer.bundles
        if not fed:
            log.info("postmortems: pages changed after they were written; Pagefind reads the site")
            bundles = index_written_site(site, [PAGEFIND_IGNORED])
        write_bundle_list(site, bundles)
    except PagefindError as exc:
        raise PluginError(f"postmortems: Pagefind failed: {exc}") from None
    try:
        for bundle in bundles:
            make_deterministic(site / bundle)
    except (OSError, ValueError, LookupError, TypeError) as exc:
        raise PluginError(f"postmortems: cannot put the Pagefind index in order: {exc}") from None


def _offline(config: MkDocsConfig) -> bool:
    """Whether mkdocs-material's ``offline`` plugin is on: the site is read from disk."""
    offline = config.plugins.get("material/offline")
    return offline is not None and bool(offline.config.get("enabled", True))


def _local_worker_shim(config: MkDocsConfig) -> None:
    """With mkdocs-material's ``offline`` plugin on, name the site's own copy of the
    iframe-worker shim where that plugin would load it from unpkg.com: a site read from disk
    or on an intranet makes no request out. Either plugin may run first: ``offline`` adds
    its own only when no polyfill names iframe-worker."""
    if not _offline(config):
        return
    polyfills = [p for p in config.extra.get("polyfills", []) if "iframe-worker" not in str(p)]
    config.extra["polyfills"] = [ASSET_DIR + WORKER_SHIM, *polyfills]


@dataclass(frozen=True)
class _Span:
    """Where a block sits in a page's HTML, kept instead of the block: its offsets from the
    start and from the end (another plugin may change what is before or after it), its
    length, and its hash to be sure it is the block. A wrong guess would only be searched
    as other text: the block is put back as it was cut."""

    key: str
    start: int
    from_end: int
    length: int
    digest: int

    @classmethod
    def of(cls, key: str, block: str, html: str) -> _Span | None:
        start = html.find(block)
        if start < 0:
            return None
        return cls(key, start, len(html) - start - len(block), len(block), hash(block))

    def at(self, html: str) -> int:
        """Where the block is now, or -1."""
        for start in (self.start, len(html) - self.from_end - self.length):
            if start >= 0 and hash(html[start : start + self.length]) == self.digest:
                return start
        return -1


def _searched(page: Page) -> bool:
    """Whether search reads the page: not when its metadata says ``search: {exclude: true}``,
    which mkdocs-material's search honours before it reads the page's content."""
    search = page.meta.get("search")
    return not (isinstance(search, dict) and search.get("exclude"))


def _search_text(key: str, text: str) -> str:
    """A block's stand-in while search reads the page: marked, so it is put back exactly."""
    return f"{placeholder(key)}{text}{placeholder(key)}"


def _log_findings(findings: list[Finding]) -> None:
    """Every finding, as ``path:line:col: CODE message``: warnings fail ``--strict`` builds,
    findings of level ``info`` (what a history write-up leaves to complete) do not."""
    logged = {"error": logging.ERROR, "warning": logging.WARNING}
    for finding in findings:
        level = logged.get(finding.level, logging.INFO)
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


def _point_at_source(file: File, path: Path, docs: Path) -> None:
    """A post-mortem's page names its file as its source, as a page of the docs would.

    The page keeps its generated Markdown (MkDocs reads ``content`` first); plugins that look
    at the source file find the post-mortem's own: git-revision-date-localized shows its last
    commit instead of the build time, which it gives every page with ``generated_by`` set.
    Its "edit this page" link (``edit_uri``) leads to the post-mortem's file: MkDocs joins
    ``edit_uri`` and this path, relative to ``docs/``, as URLs, so ``../`` leaves the docs
    folder for the post-mortems' own. ``docs`` is ``docs/`` resolved once per build: resolved again
    with each page's own path twice, it doubled the time this takes (0.14 s of CPU at
    1,000 post-mortems, 0.07 s now).
    """
    resolved = path.resolve()
    file.abs_src_path = str(resolved)
    file.generated_by = None
    try:
        file.edit_uri = Path(os.path.relpath(resolved, docs)).as_posix()
    except ValueError:  # another drive (Windows): no path from docs/ leads there
        file.edit_uri = None


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


class _Generated(File):
    """A generated file that tells ``mkdocs serve --dirty`` whether it changed, and may be
    made only when first read (``make``).

    MkDocs counts every file with in-memory content as modified, so a dirty rebuild
    re-rendered all 1,000 post-mortem pages after an edit to one.

    A single build makes each post-mortem page when MkDocs (or another plugin) first reads
    it: at 10,000 post-mortems, holding them all at once beside the knowledge base they are
    drawn from was the build's peak of memory. Once made, the content is an ordinary
    generated file's.
    """

    changed = True
    make: Callable[[], str] | None = None

    def _made(self) -> None:
        if self.make is not None:
            make, self.make = self.make, None  # made once: what it is made from lets go
            self._content = make()

    @property
    def content_string(self) -> str:
        self._made()
        return str(super().content_string)

    @content_string.setter
    def content_string(self, value: str) -> None:
        self.make = None
        File.content_string.fset(self, value)  # type: ignore[attr-defined]

    @property
    def content_bytes(self) -> bytes:
        self._made()
        return bytes(super().content_bytes)

    @content_bytes.setter
    def content_bytes(self, value: bytes) -> None:
        self.make = None
        File.content_bytes.fset(self, value)  # type: ignore[attr-defined]

    def is_modified(self) -> bool:
        return self.changed

    def let_go(self) -> None:
        """Once its page is written: the Markdown is not kept to the build's end."""
        self.make = None
        self._content = ""

    def copy_file(self, dirty: bool = False) -> None:
        """Write the file, then read it from the site if asked again: a 10,000-incident
        site's catalogue, explorer data, feeds and calendars (28 MB) were held in memory
        until the build ended. Written twice (by a single build, then by MkDocs), the
        second copy is of the file onto itself, which MkDocs skips."""
        super().copy_file(dirty)
        if self._content is not None and Path(self.abs_dest_path).is_file():
            self._content = None
            self.abs_src_path = self.abs_dest_path


def _generated(
    config: MkDocsConfig, src: str, content: str | bytes, inclusion: InclusionLevel
) -> _Generated:
    file = _Generated.generated(config, src, content=content, inclusion=inclusion)
    assert isinstance(file, _Generated)
    return file
