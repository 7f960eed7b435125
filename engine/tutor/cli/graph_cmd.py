"""`tutor graph`."""

from __future__ import annotations

import click

from .common import load_graph, path_argument, set_options, write_output


@click.command()
@path_argument
@set_options
@click.option("--format", "fmt", type=click.Choice(["mermaid", "dot", "json"]), default="mermaid", show_default=True)
@click.option("--output", "-o", metavar="FILE", help="Write to FILE instead of standard output.")
def graph(path: str, sections: str | None, anchors: str | None, fmt: str, output: str | None) -> None:
    """Print the prerequisite graph (sections as groups) as Mermaid, Graphviz DOT or JSON."""
    from .. import export

    tutorial_graph = load_graph(path, sections, anchors)
    render = {"mermaid": export.to_mermaid, "dot": export.to_dot, "json": export.to_json}[fmt]
    write_output(render(tutorial_graph), output)
