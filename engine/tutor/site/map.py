"""The map page: the reading order as a table, and the whole graph as a Mermaid diagram
(or, for a set too big to draw, as a list by section).

The table is the page: readable and tappable on a phone, and there before any script runs.
The diagram's source sits in the page; the page script loads Mermaid (3 MB) only after the
page is up on wide screens, or when a reader asks for it, so nothing waits on it.
"""

from __future__ import annotations

import html

from ..export import order_rows, to_mermaid
from ..graph import TutorialGraph
from .markup import cell, code, link, table, text
from .progress import continue_link

MAP_TITLE = "Tutorial map"
MAX_DIAGRAM_CHARACTERS = 50_000
MAX_DIAGRAM_ARROWS = 500
"""Mermaid's own limits (maxTextSize, maxEdges): past them it draws an error instead of the
map, and laying out that many boxes would keep a browser busy for minutes anyway. A bigger
set gets a list by section instead of the diagram."""


def render_map(graph: TutorialGraph) -> str:
    """The map page's Markdown. It sits beside the tutorial pages, so node links are `<slug>/`."""
    sections = {s.name: s.description for s in graph.set.sections}
    described = [(name, sections.get(name, "")) for name in graph.sections_in_order() if graph.in_section(name)]
    parts = [
        f"---\ntitle: {MAP_TITLE}\n---\n",
        f"# {MAP_TITLE}\n",
        continue_link(graph, ""),
        "## Reading order\n",
        "The order the site and `tutor run` follow: sections in order, the numbered steps of each, "
        "then its appendices.\n",
        _order_table(graph),
        *_diagram_or_list(graph),
    ]
    if any(description for _, description in described):
        parts.append("## Sections\n")
        parts.append("".join(f"- **{text(name)}**: {text(description)}\n" for name, description in described if description))
    return "\n".join(parts)


def _diagram_or_list(graph: TutorialGraph) -> list[str]:
    source = to_mermaid(graph, link_prefix="")
    arrows = len(graph.edges)
    if len(source) <= MAX_DIAGRAM_CHARACTERS and arrows <= MAX_DIAGRAM_ARROWS:
        return [
            "## Diagram\n",
            "Every tutorial, grouped by section. An arrow points from a tutorial to one that needs it "
            "first; click a box to open that tutorial.\n",
            diagram(source),
        ]
    return [
        "## By section\n",
        f"{len(graph.tutorials)} tutorials and {arrows} arrows are more than a diagram can show "
        f"(a browser draws up to {MAX_DIAGRAM_ARROWS} arrows), so here they are as a list: each section's "
        "tutorials in reading order. The table above says what each one needs first.\n",
        section_list(graph),
    ]


def section_list(graph: TutorialGraph) -> str:
    """The map as a list: one item per section, its tutorials linked in reading order."""
    items = []
    for name in graph.sections_in_order():
        members = graph.in_section(name)
        if members:
            links = " · ".join(link(t.title or t.slug, t.slug) for t in members)
            items.append(f"- **{text(name)}** ({len(members)}): {links}\n")
    return "".join(items)


def _order_table(graph: TutorialGraph) -> str:
    rows = []
    for row in order_rows(graph):
        slug = str(row["slug"])
        numbered = not row["appendix"] and row["step"] is not None
        step = f"{row['step']} of {graph.step_count(str(row['section']))}" if numbered else "appendix"
        prerequisites = [
            link(graph.tutorials[p].title or p, p) if p in graph.tutorials else cell(code(p))
            for p in row["prerequisites"]  # type: ignore[attr-defined]
        ]
        rows.append([
            str(row["position"]),
            text(str(row["section"])),
            step,
            link(str(row["title"]) or slug, slug),
            ", ".join(prerequisites) or "—",
        ])
    return table(("#", "Section", "Step", "Tutorial", "Prerequisites"), rows)


def diagram(source: str) -> str:
    """The diagram's box: its Mermaid source, drawn by the page script (see tutor.js)."""
    return (
        '<div class="tutor-map" data-tutor-diagram>\n'
        '<p hidden><button type="button" class="md-button" data-tutor-show-diagram>Show the diagram</button></p>\n'
        '<p class="tutor-map__status" role="status"></p>\n'
        '<div class="tutor-map__svg"></div>\n'
        f'<pre class="tutor-map__source" hidden>{html.escape(source)}</pre>\n'
        "</div>\n"
    )
