"""The navigation: the docs pages, then a Tutorials part in reading order.

Written as MkDocs `nav:` data, so MkDocs builds the navigation and previous/next links
from it the usual way; the order itself comes from the graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.utils import nest_paths

from tutor.escape import html_text

from .pages import map_uri, tutorial_uri

if TYPE_CHECKING:
    from mkdocs.structure.files import Files

    from tutor.graph import TutorialGraph

TUTORIALS_TITLE = "Tutorials"
NO_SECTION = "Other"

Nav = list[Any]


class TutorialsPart(dict):  # type: ignore[type-arg]
    """The part the plugin adds, marked so that a second build on the same config replaces it."""


def docs_nav(configured: Nav | None, files: Files) -> Nav:
    """The nav of the docs pages: as configured, or MkDocs' default from the files."""
    if configured is not None:
        return [item for item in configured if not isinstance(item, TutorialsPart)]
    return list(nest_paths(f.src_uri for f in files.documentation_pages()))


def tutorials_part(graph: TutorialGraph, prefix: str, with_map: bool) -> TutorialsPart:
    entries: Nav = [map_uri(prefix)] if with_map else []
    for section in graph.sections_in_order():
        members = graph.in_section(section)
        if members:
            # The theme writes nav titles into the page as HTML, as they are.
            entries.append({html_text(section): [tutorial_uri(prefix, t.slug) for t in members]})
    loose = [t for t in graph.ordered() if not t.section]
    if loose:
        entries.append({NO_SECTION: [tutorial_uri(prefix, t.slug) for t in loose]})
    return TutorialsPart({TUTORIALS_TITLE: entries})
