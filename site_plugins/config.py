"""The plugin's options, as written under `plugins: - tutor:` in mkdocs.yml."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from tutor.anchors import ANCHOR_STYLES
from tutor.site.navsize import FULL_NAVIGATION_LIMIT


class TutorConfig(base.Config):
    tutorials = c.Dir(exists=True, default="tutorials")
    """The folder of tutorials, relative to mkdocs.yml; it lives outside `docs_dir`."""
    url_prefix = c.Type(str, default="tutorial/")
    """Where the pages go: `/tutorial/<slug>/`, so links written `/tutorial/<slug>` keep working."""
    fail_on_errors = c.Type(bool, default=True)
    """Lint errors abort `mkdocs build`. (`mkdocs serve` shows them on every page instead.)"""
    map_page = c.Type(bool, default=True)
    """Add the map page (graph and reading order) as the index of the tutorials."""
    anchor_style = c.Optional(c.Choice(ANCHOR_STYLES))
    """How heading ids are computed (default: the folder's tutor.yml `anchors`, else mkdocs);
    the lint checks `#anchor` links with the same function."""
    sections = c.Optional(c.Type(str))
    """Section order "A,B,C", overriding the folder's sections file."""
    full_navigation_limit = c.Type(int, default=FULL_NAVIGATION_LIMIT)
    """Above this many tutorials, each page's sidebar lists its own section in full and every
    other section as one link (and the search index holds a bounded part of each page)."""
    mermaid_js = c.Optional(c.File(exists=True))
    """A local mermaid.min.js to serve; by default it is fetched once from npm and cached."""

    def prefix(self) -> str:
        """The URL prefix as a folder path: no leading slash, one trailing slash."""
        return self.url_prefix.strip("/") + "/"
