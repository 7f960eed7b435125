"""The tutorial graph as Mermaid, Graphviz DOT or JSON, and the reading order as rows.

The site's map page uses `to_mermaid` with its own link prefix, so the map and
`tutor graph` draw the same graph.
"""

from __future__ import annotations

import json
import re
from urllib.parse import quote as url_quote

from ..escape import mermaid_text
from ..graph import TutorialGraph

_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_]")


def order_rows(graph: TutorialGraph) -> list[dict[str, object]]:
    rows = []
    for t in graph.ordered():
        rows.append({
            "position": graph.position[t.slug] + 1,
            "section": t.section,
            "step": None if t.is_appendix else t.step_number,
            "total": t.total_steps,
            "appendix": t.is_appendix,
            "slug": t.slug,
            "title": t.title,
            "prerequisites": list(t.prerequisites),
        })
    return rows


def _node_id(slug: str) -> str:
    return "t_" + _UNSAFE_ID.sub("_", slug)


def to_mermaid(graph: TutorialGraph, link_prefix: str | None = "/tutorial/", direction: str = "TD") -> str:
    """A flowchart: one subgraph per section, an arrow from each prerequisite to what needs it."""
    lines = [f"flowchart {direction}"]
    for index, section in enumerate(graph.sections_in_order()):
        members = graph.in_section(section)
        if not members:
            continue
        lines.append(f'  subgraph s{index}["{mermaid_text(section)}"]')
        for t in members:
            step = "appendix" if t.is_appendix or t.step_number is None else f"{t.step_number}"
            lines.append(f'    {_node_id(t.slug)}["{step}. {mermaid_text(t.title or t.slug)}"]')
        lines.append("  end")
    for source, target in graph.edges:
        lines.append(f"  {_node_id(source)} --> {_node_id(target)}")
    if link_prefix is not None:
        for t in graph.ordered():
            lines.append(f'  click {_node_id(t.slug)} "{link_prefix}{url_quote(t.slug, safe="")}/"')
    return "\n".join(lines) + "\n"


def to_dot(graph: TutorialGraph) -> str:
    def quote(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    lines = ["digraph tutorials {", "  rankdir=TB;", "  node [shape=box];"]
    for index, section in enumerate(graph.sections_in_order()):
        members = graph.in_section(section)
        if not members:
            continue
        lines.append(f"  subgraph cluster_{index} {{")
        lines.append(f"    label={quote(section)};")
        for t in members:
            lines.append(f"    {quote(t.slug)} [label={quote(t.title or t.slug)}];")
        lines.append("  }")
    for source, target in graph.edges:
        lines.append(f"  {quote(source)} -> {quote(target)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def to_json(graph: TutorialGraph) -> str:
    data = {
        "sections": graph.sections_in_order(),
        "nodes": [
            {"slug": r["slug"], "title": r["title"], "section": r["section"], "step": r["step"],
             "appendix": r["appendix"], "position": r["position"]}
            for r in order_rows(graph)
        ],
        "edges": [{"from": s, "to": t} for s, t in graph.edges],
    }
    return json.dumps(data, indent=2) + "\n"
