"""`tutor order`."""

from __future__ import annotations

import click

from .common import load_graph, path_argument, set_options


@click.command()
@path_argument
@set_options
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def order(path: str, sections: str | None, anchors: str | None, fmt: str) -> None:
    """Print the reading order: section, step, slug, title, prerequisites."""
    from ..export import order_rows

    graph = load_graph(path, sections, anchors)
    rows = order_rows(graph)
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Reading order of {path}", title_justify="left")
    for column in ("#", "Section", "Step", "Slug", "Title", "Prerequisites"):
        table.add_column(column, overflow="fold")
    for row in rows:
        step = "appendix" if row["appendix"] or row["step"] is None else f"{row['step']}/{row['total']}"
        table.add_row(str(row["position"]), str(row["section"]), step, str(row["slug"]), str(row["title"]),
                      ", ".join(row["prerequisites"]) or "—")  # type: ignore[arg-type]
    Console(width=max(Console().width, 140)).print(table)
