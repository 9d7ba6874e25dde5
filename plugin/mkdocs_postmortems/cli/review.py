"""``postmortems review ID``: the review meeting's pack, and its calendar invite."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from markupsafe import Markup

from mkdocs_postmortems.cli.common import UsageError, day, now
from mkdocs_postmortems.core.config import Settings, require_folder
from mkdocs_postmortems.core.dates import parse_datetime
from mkdocs_postmortems.core.files import NotWritten, create_file
from mkdocs_postmortems.core.knowledge_base import KnowledgeBase, load
from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.core.suggestions import did_you_mean
from mkdocs_postmortems.rules import RULESET
from mkdocs_postmortems.site import feeds
from mkdocs_postmortems.site.related import RelatedIndex
from mkdocs_postmortems.site.render import render
from mkdocs_postmortems.site.review import Pack, review_pack
from mkdocs_postmortems.site.views import Formatter


def add_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    review = commands.add_parser(
        "review",
        parents=[common],
        help="print the review meeting's pack of a post-mortem (agenda, gaps, questions)",
        description="The review meeting's pack of one post-mortem: the agenda with its "
        "timeboxes, the timeline with its gaps, the questions, the participants, the rules "
        "for action items checked against the file, and similar earlier incidents.",
    )
    review.add_argument("id", metavar="ID", help="the post-mortem's id (or its file's path)")
    review.add_argument("--format", choices=("markdown", "html"), default="markdown")
    review.add_argument(
        "--out", type=Path, metavar="FILE", help="write the pack to a new file (never replaced)"
    )
    review.add_argument(
        "--invite",
        type=Path,
        metavar="FILE",
        help="also write the meeting's iCalendar invite to a new .ics file",
    )
    review.add_argument(
        "--at",
        metavar="YYYY-MM-DDTHH:MM",
        help="the meeting's start (default: a day before the write-up's deadline)",
    )
    review.add_argument("--today", type=day, metavar="YYYY-MM-DD", help="as of that day")
    review.set_defaults(run=run_review)


def run_review(args: argparse.Namespace, settings: Settings) -> int:
    moment = now(args)
    require_folder(settings)
    kb = load(settings, RULESET)
    pm = find(kb, args.id)
    pack = review_pack(pm, RelatedIndex(kb.indexed), settings, moment)
    if args.at is not None:
        pack.meeting = _start(args.at, settings)
    text = markdown(pack, settings) if args.format == "markdown" else html(pack, settings)
    for target in (args.out, args.invite):
        if target is not None and os.path.lexists(target):
            # Checked before either is written, so a refusal leaves nothing half done.
            raise UsageError(f"review: {target} already exists; it was left untouched")
    if args.invite is not None:
        names = [name for name, _ in pack.participants]
        invite = feeds.review_invite(pm, pack.meeting, pack.minutes, names, "", moment)
        _write_new(args.invite, invite)
    if args.out is None:
        sys.stdout.write(text)
    else:
        _write_new(args.out, text.encode("utf-8"))
    return 0


def find(kb: KnowledgeBase, wanted: str) -> PostMortem:
    """The post-mortem with that id (in any letter case) or at that path."""
    folded = wanted.casefold()
    path = os.path.abspath(wanted)
    for pm in kb.postmortems:
        if pm.readable and (pm.id.casefold() == folded or os.path.abspath(pm.path) == path):
            return pm
    ids = tuple(pm.id for pm in kb.postmortems if pm.readable)
    unreadable = [pm for pm in kb.postmortems if os.path.abspath(pm.path) == path]
    if unreadable:
        raise UsageError(
            f"review: {unreadable[0].display} cannot be read; run postmortems check on it"
        )
    raise UsageError(f"review: no post-mortem with the id '{wanted}'{did_you_mean(wanted, ids)}")


def markdown(pack: Pack, settings: Settings) -> str:
    return render("review.md.j2", pack=pack, fmt=Formatter(settings))


def html(pack: Pack, settings: Settings) -> str:
    """A page of its own, with its print stylesheet: open it and print it."""
    body = render("review.html", pack=pack, fmt=Formatter(settings), link=_no_link, invite="")
    return render("review_document.html", pack=pack, body=Markup(body))


def _no_link(pm: PostMortem) -> str:
    return ""  # outside the site, an earlier incident is named by its id


def _start(text: str, settings: Settings) -> datetime:
    try:
        return parse_datetime(text.replace(" ", "T", 1), settings.tz)
    except ValueError as exc:
        raise UsageError(f"review: --at: {exc}") from None


def _write_new(path: Path, data: bytes) -> None:
    """Write a file the user named, which must not exist: a pack is never written over."""
    try:
        create_file(path, data, Path(os.path.abspath(path)).parent)
    except FileExistsError:
        raise UsageError(f"review: {path} already exists; it was left untouched") from None
    except NotWritten as exc:
        raise UsageError(f"review: not written: {exc}") from None
    except OSError as exc:
        raise UsageError(f"review: cannot write {path}: {exc.strerror or exc}") from None
