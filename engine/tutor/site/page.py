"""One tutorial → the Markdown of its page: a title, the header boxes, then the body."""

from __future__ import annotations

import json

from ..escape import html_text
from ..graph import TutorialGraph
from ..model import Tutorial
from .body import render_body
from .header import meta_line, prerequisites_box, run_box
from .panel import values_panel
from .progress import done_button

PANEL_INTRO = ("The commands on this page read these variables. Set yours once: every page of this site then "
               "shows your values in its commands and checks, and Copy copies them. They stay in this browser.")


def render_tutorial(tutorial: Tutorial, graph: TutorialGraph) -> str:
    """The page's Markdown; its headings are exactly the body's, so their ids are the engine's."""
    # The theme inserts the title (nav, <title>, header, footer, search) and the description
    # (<meta>) into HTML as they are, so they go in as HTML text.
    title = html_text(tutorial.title or tutorial.slug)
    # JSON strings are YAML too, and much cheaper to write than yaml.safe_dump.
    front = f"title: {json.dumps(title, ensure_ascii=False)}\n"
    if tutorial.description:
        front += f"description: {json.dumps(html_text(tutorial.description), ensure_ascii=False)}\n"
    header = "\n".join(
        part for part in (
            meta_line(tutorial, graph),
            prerequisites_box(tutorial, graph),
            run_box(tutorial),
            values_panel(list(tutorial.variables.values()), PANEL_INTRO),
        ) if part
    )
    lead, rest = _split_title(render_body(tutorial, graph.tutorials), tutorial)
    return f"---\n{front}---\n\n{lead}{header}\n{rest}\n\n{done_button(tutorial)}"


def _split_title(body: str, tutorial: Tutorial) -> tuple[str, str]:
    """(the body's own `# Title` line if it opens the body, the rest) so the boxes go under the title."""
    if not tutorial.headings or tutorial.headings[0].level != 1:
        return "", body
    lines = body.split("\n")
    index = tutorial.headings[0].line - tutorial.body_start
    if not 0 <= index < len(lines) or not lines[index].lstrip().startswith("#"):
        return "", body
    if any(line.strip() for line in lines[:index]):
        return "", body
    return lines[index] + "\n\n", "\n".join(lines[index + 1 :])
