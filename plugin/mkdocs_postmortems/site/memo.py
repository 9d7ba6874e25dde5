"""The post-mortem pages kept between the rebuilds of ``mkdocs serve``, with what each was
drawn from."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mkdocs_postmortems.core.model import PostMortem
from mkdocs_postmortems.site.blocks import RenderedPage
from mkdocs_postmortems.site.context import Context
from mkdocs_postmortems.site.postmortem import neighbours, repeats_of
from mkdocs_postmortems.site.related import Relation


@dataclass
class PageMemo:
    """The post-mortem pages of the last build with what each was drawn from, kept between
    the rebuilds of ``mkdocs serve``: a page whose inputs are all the same is not drawn
    again, so an edit redraws the edited post-mortem and the pages that show it.

    A page's inputs are its post-mortem (the same object while its file is unchanged: see
    :class:`~mkdocs_postmortems.core.knowledge_base.ReadCache`), its findings, its deadline
    entries, its register links, and its related incidents (their post-mortems too, whose
    titles and severities it shows), and its neighbours in time. The settings, the site
    (with the services and owners that have pages), the day and the register are the same
    for every page: when one of them changes, no page is kept.
    """

    context: tuple[Any, ...] = ()
    pages: dict[str, tuple[tuple[Any, ...], RenderedPage]] = field(default_factory=dict)


def page_inputs(pm: PostMortem, ctx: Context, relations: list[Relation]) -> tuple[Any, ...]:
    """What a post-mortem's page shows beyond the settings, the site and the day (see
    :class:`PageMemo`). Post-mortems compare by identity first, so an unchanged one costs
    nothing to compare."""
    return (
        pm,
        tuple(pm.findings),
        ctx.overdue_writeups.get(pm.id),
        ctx.published_late.get(pm.id),
        ctx.reviews_due.get(pm.id),
        tuple(ctx.register_links.get(pm.id, ())),
        ctx.index.previous_on_services(pm) if pm.readable else 0,
        tuple(other.id for other in repeats_of(pm, ctx)),
        tuple(relations),
        tuple(r.postmortem.id in ctx.overdue_writeups for r in relations),
        neighbours(pm, ctx),
        ctx.year_page.get(pm.id),
    )
