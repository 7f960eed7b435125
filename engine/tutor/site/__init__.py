"""The docs site's pages as Markdown, rendered from the model and the graph.

Nothing here imports MkDocs: the `site_plugins` adapter hands these strings to MkDocs.
Tutorial pages are rendered as if they sit side by side in one folder, so a link to
another tutorial is the relative path `<slug>.md`, which MkDocs resolves and checks.
"""

from __future__ import annotations

from .links import rewrite_tutorial_links
from .map import render_map
from .page import render_tutorial
from .reference import PLACEHOLDERS, PageContext, expand_placeholders

__all__ = [
    "PLACEHOLDERS",
    "PageContext",
    "expand_placeholders",
    "render_map",
    "render_tutorial",
    "rewrite_tutorial_links",
]
