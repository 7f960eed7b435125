"""The sidebar of a big site, trimmed before the theme renders it.

Material renders the whole navigation into every page: for 2,000 tutorials, 2,000 entries on
each of 2,000 pages, which made the build quadratic (~850 s) however much of the HTML was
cut afterwards. Above the plugin's `full_navigation_limit`, each page is rendered with a copy
of the navigation in which the Tutorials part keeps the page's own section in full and every
other section becomes one link, titled as the section, to its first page. The theme's
templates are not touched; small sites get the navigation exactly as MkDocs built it.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from mkdocs.structure.nav import Link, Section

if TYPE_CHECKING:
    from mkdocs.structure import StructureItem
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page


def tutorials_part(navigation: Navigation, prefix: str) -> Section | None:
    """The top-level section that holds the tutorial pages, or None."""
    for page in navigation.pages:
        ancestors = list(page.ancestors)
        if page.file.src_uri.startswith(prefix) and ancestors:
            top = ancestors[-1]
            return top if isinstance(top, Section) else None
    return None


def trimmed(navigation: Navigation, part: Section) -> Navigation:
    """A shallow copy of `navigation` whose Tutorials part keeps only the active section in full
    (read while the page is being rendered: MkDocs marks the page and its sections active)."""
    children: list[StructureItem] = [
        child if not isinstance(child, Section) or child.active else _as_link(child) for child in part.children
    ]
    if all(new is old for new, old in zip(children, part.children)):
        return navigation
    shown = Section(part.title, children)
    shown.active = part.active
    view = copy.copy(navigation)
    view.items = [shown if item is part else item for item in navigation.items]
    return view


def _as_link(section: Section) -> StructureItem:
    first = _first_page(section)
    return section if first is None else Link(section.title, first.url)


def _first_page(item: StructureItem) -> Page | None:
    if isinstance(item, Section):
        for child in item.children:
            found = _first_page(child)
            if found is not None:
                return found
        return None
    return item if item.is_page else None  # type: ignore[return-value]
