"""The navigation: Home, then a Tutorials part in reading order, then the other docs pages.

Written as MkDocs `nav:` data, so MkDocs builds the navigation from it the usual way; the
order itself comes from the graph. Previous/next then follow the reader's path only:
Home → every tutorial in reading order → the progress page. The map, the values page and
the author pages (Authoring guide, CLI reference) stay reachable from the sidebar, out of
that path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mkdocs.utils import nest_paths

from tutor.escape import html_text

from .pages import PROGRESS_URI, VALUES_URI, map_uri, tutorial_uri

if TYPE_CHECKING:
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

    from tutor.graph import TutorialGraph

TUTORIALS_TITLE = "Tutorials"
NO_SECTION = "Other"
HOME_URI = "index.md"

Nav = list[Any]


class TutorialsPart(dict):  # type: ignore[type-arg]
    """The part the plugin adds, marked so that a second build on the same config replaces it."""


def docs_nav(configured: Nav | None, files: Files) -> Nav:
    """The nav of the docs pages: as configured, or MkDocs' default from the files."""
    if configured is not None:
        return [item for item in configured if not isinstance(item, TutorialsPart)]
    return list(nest_paths(f.src_uri for f in files.documentation_pages()))


def with_tutorials(docs: Nav, part: TutorialsPart) -> Nav:
    """The Tutorials part right after Home (the docs' index.md), or first when there is none."""
    for index, item in enumerate(docs):
        if _is_home(item):
            return [*docs[: index + 1], part, *docs[index + 1 :]]
    return [part, *docs]


def _is_home(item: Any) -> bool:
    if isinstance(item, str):
        return item == HOME_URI
    return isinstance(item, dict) and len(item) == 1 and next(iter(item.values())) == HOME_URI


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
    entries += [VALUES_URI, PROGRESS_URI]
    return TutorialsPart({TUTORIALS_TITLE: entries})


def link_reader_path(navigation: Navigation, graph: TutorialGraph, prefix: str) -> None:
    """Previous/next along Home → tutorials in reading order → progress; other pages link only
    among themselves, so following Next never leaves the reader's path."""
    pages: dict[str, Page] = {page.file.src_uri: page for page in navigation.pages}
    wanted = [HOME_URI, *(tutorial_uri(prefix, t.slug) for t in graph.ordered()), PROGRESS_URI]
    path = [pages[uri] for uri in wanted if uri in pages]
    apart = (map_uri(prefix), VALUES_URI)
    off_path = [page for page in navigation.pages if page not in path and page.file.src_uri not in apart]
    values = pages.get(VALUES_URI)
    if values is not None:
        values.previous_page = values.next_page = None
    for chain in (path, off_path):
        for before, after in zip([None, *chain], [*chain, None]):
            if before is not None:
                before.next_page = after
            if after is not None:
                after.previous_page = before
    index = pages.get(map_uri(prefix))
    if index is not None:
        # The map is the Tutorials part's index: from it, Next starts the first tutorial.
        index.previous_page = path[0] if path and path[0].file.src_uri == HOME_URI else None
        index.next_page = next((p for p in path if p.file.src_uri.startswith(prefix)), None)
