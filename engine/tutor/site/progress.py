"""The reader's progress: the data the page script reads, and the HTML it fills in.

Nothing here knows who the reader is: the reading order and the variables are embedded in
the site as data, and the script keeps what is done in the browser. Without JavaScript,
"Continue" points at the first tutorial and the progress page lists them all.
"""

from __future__ import annotations

import html
import json
from typing import Any

from ..export.graph_formats import _node_id
from ..graph import TutorialGraph
from ..model import Tutorial
from ..secret_names import is_secret
from .values import declared_in_order

PROGRESS_TITLE = "Your progress"
DONE_LABEL = "Mark as done"


def site_data(graph: TutorialGraph, prefix: str, progress_url: str) -> dict[str, Any]:
    """What the page script needs: reading order (URLs from the site root), sections, variables."""
    variables = {
        name: {"default": None if is_secret(v) else v.default, "secret": is_secret(v)}
        for name, (v, _) in declared_in_order(graph.ordered()).items()
    }
    return {
        "order": [
            {"slug": t.slug, "title": t.title or t.slug, "section": t.section, "url": f"{prefix}{t.slug}/",
             "node": _node_id(t.slug)}
            for t in graph.ordered()
        ],
        "sections": [s for s in graph.sections_in_order() if graph.in_section(s)],
        "variables": variables,
        "progress": progress_url,
    }


def data_script(data: dict[str, Any]) -> str:
    """The data as a script file, so the site works from file:// and offline alike."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    return f"window.tutorSite = {text};\n"


def done_button(tutorial: Tutorial) -> str:
    """The page's "Mark as done" toggle; hidden until the script runs, since it needs storage."""
    slug = html.escape(tutorial.slug)
    return (f'<p class="tutor-done" data-tutor-page="{slug}" hidden><button type="button" class="md-button" '
            f'data-tutor-done="{slug}" aria-pressed="false">{DONE_LABEL}</button> '
            f'<span class="tutor-done__state" role="status"></span></p>\n')


def continue_link(graph: TutorialGraph, folder: str) -> str:
    """ "Continue: <first unfinished tutorial>", here the first one until the script knows better."""
    order = graph.ordered()
    if not order:
        return ""
    first = order[0]
    href = f"{folder}{first.slug}/"
    return (f'<p class="tutor-continue"><a class="md-button md-button--primary" data-tutor-continue '
            f'href="{html.escape(href)}">Continue: {html.escape(first.title or first.slug)}</a></p>\n')


def progress_page(graph: TutorialGraph, folder: str) -> str:
    """The completion page: every section with its count, every tutorial, and a way to start over."""
    parts = [f"---\ntitle: {PROGRESS_TITLE}\n---\n", f"# {PROGRESS_TITLE}\n",
             "Which tutorials you marked as done, kept in this browser only (no account, nothing sent). "
             "Mark a tutorial done with the button at the end of its page.\n",
             '<p class="tutor-progress__total"><strong data-tutor-count="">'
             f"{len(graph.ordered())} tutorials</strong></p>\n",
             continue_link(graph, folder)]
    for section in graph.sections_in_order():
        members = graph.in_section(section)
        if not members:
            continue
        items = "".join(
            f'<li data-tutor-slug="{html.escape(t.slug)}"><a href="{html.escape(folder + t.slug)}/">'
            f"{html.escape(t.title or t.slug)}</a></li>"
            for t in members
        )
        parts.append(
            f'<div class="tutor-progress__section"><p><strong>{html.escape(section)}</strong>: '
            f'<span data-tutor-count="{html.escape(section)}">{len(members)} tutorials</span></p><ul>{items}</ul></div>\n'
        )
    parts.append('<p class="tutor-progress__reset" hidden><button type="button" class="md-button" data-tutor-start-over>'
                 "Start over</button></p>\n")
    return "\n".join(parts)
