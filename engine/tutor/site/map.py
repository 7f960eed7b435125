"""The map page: the whole graph as a Mermaid diagram, then the reading order as a table."""

from __future__ import annotations

from ..export import order_rows, to_mermaid
from ..graph import TutorialGraph
from .markup import cell, code, link, table, text

MAP_TITLE = "Tutorial map"


def render_map(graph: TutorialGraph) -> str:
    """The map page's Markdown. It sits beside the tutorial pages, so node links are `<slug>/`."""
    sections = {s.name: s.description for s in graph.set.sections}
    described = [(name, sections.get(name, "")) for name in graph.sections_in_order() if graph.in_section(name)]
    parts = [
        f"---\ntitle: {MAP_TITLE}\n---\n",
        f"# {MAP_TITLE}\n",
        "Every tutorial, grouped by section. An arrow points from a tutorial to one that needs it "
        "first; click a box to open that tutorial.\n",
        "```mermaid\n" + to_mermaid(graph, link_prefix="") + "```\n",
        "## Reading order\n",
        "The order the site and `tutor run` follow: sections in order, the numbered steps of each, "
        "then its appendices.\n",
        _order_table(graph),
    ]
    if any(description for _, description in described):
        parts.append("## Sections\n")
        parts.append("".join(f"- **{text(name)}**: {text(description)}\n" for name, description in described if description))
    return "\n".join(parts)


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
