"""Build real MkDocs sites in-process from temporary folders, for the site tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import ClassVar

import jinja2
import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.theme import Theme

BASE_CONFIG = {
    "site_name": "Test knowledge base",
    "theme": {"name": "material"},
    "plugins": ["search", "postmortems"],
    "markdown_extensions": ["admonition", "tables", "md_in_html", "attr_list"],
}


class CompiledThemeTemplates(jinja2.BytecodeCache):
    """The theme's templates compiled once per test process, not once per build.

    Every build makes a new Jinja environment for the theme, and compiling Material's
    templates in it was half the CPU time of building a small project. A bytecode cache is
    Jinja's own: a template is taken from it only while its source is unchanged (its
    checksum), and here only into an environment with the same extensions, which change
    what a template compiles to. What the pages say is untouched."""

    def __init__(self) -> None:
        self.compiled: dict[tuple[str, ...], bytes] = {}

    @staticmethod
    def key(bucket: jinja2.bccache.Bucket) -> tuple[str, ...]:
        environment = bucket.environment
        newstyle = str(getattr(environment, "newstyle_gettext", None))
        return (bucket.key, newstyle, *sorted(environment.extensions))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self.compiled.get(self.key(bucket))
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[self.key(bucket)] = bucket.bytecode_to_string()


INSTALLED = Path(jinja2.__file__).resolve().parent.parent


class InstalledThemeLoader(jinja2.FileSystemLoader):
    """The list of an installed theme's files made once per test process: MkDocs lists
    them at every build to copy the theme's assets, a walk through Material's 14,000
    files that was a third of what remained of a small build. Installed files do not
    change while the tests run; a theme with a folder of the project's own (``custom_dir``)
    is listed at every build as before."""

    listings: ClassVar[dict[tuple[str, ...], list[str]]] = {}

    def list_templates(self) -> list[str]:
        key = tuple(self.searchpath)
        if key not in self.listings:
            self.listings[key] = super().list_templates()
        return list(self.listings[key])


def _theme_env_with_cache(
    get_env: Callable[[Theme], jinja2.Environment], cache: jinja2.BytecodeCache
) -> Callable[[Theme], jinja2.Environment]:
    def theme_env(theme: Theme) -> jinja2.Environment:
        env = get_env(theme)
        env.bytecode_cache = cache
        loader = env.loader
        if isinstance(loader, jinja2.FileSystemLoader) and all(
            Path(folder).resolve().is_relative_to(INSTALLED) for folder in loader.searchpath
        ):
            env.loader = InstalledThemeLoader(loader.searchpath)
        return env

    return theme_env


# For every build this process makes, in-process: importing this module is what the tests
# that build a site do.
Theme.get_env = _theme_env_with_cache(Theme.get_env, CompiledThemeTemplates())  # type: ignore[method-assign]


def write_project(
    root: Path,
    postmortems: dict[str, str],
    *,
    docs: dict[str, str] | None = None,
    config: dict[str, object] | None = None,
    folder: str = "postmortems",
) -> Path:
    """Lay out mkdocs.yml, docs/ and the post-mortem folder; return the config file."""
    for name, text in postmortems.items():
        path = root / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for name, text in (docs or {"index.md": "# Home\n"}).items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump({**BASE_CONFIG, **(config or {})}), encoding="utf-8")
    return config_file


def build_site(config_file: Path, *, strict: bool = False) -> Path:
    """Build like ``mkdocs build``; return the site folder."""
    config = load_config(str(config_file), strict=strict)
    build(config)
    return Path(config.site_dir)


def build_once(
    root: Path, postmortems: dict[str, str], *, env: dict[str, str] | None = None
) -> Path:
    """Lay out and build a project as a test does, in its folder and with ``env`` set for
    the build only; return the site folder. For a module's fixture: one build whose pages
    every test of the module that only reads them shares."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        for name, value in (env or {}).items():
            patch.setenv(name, value)
        return build_site(write_project(root, postmortems))


def build_as(config_file: Path, command: str, site_dir: Path | None = None) -> Path:
    """Build as ``mkdocs <command>`` does (``build`` lets go of what it read, ``serve``
    keeps it for the next build); return the site folder."""
    config = load_config(str(config_file), site_dir=str(site_dir) if site_dir else None)
    config.plugins.on_startup(command=command, dirty=False)  # type: ignore[arg-type]
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return Path(config.site_dir)


def html(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")
