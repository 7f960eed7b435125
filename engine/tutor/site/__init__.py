"""The docs site's pages as Markdown, rendered from the model and the graph.

Nothing here imports MkDocs: the `site_plugins` adapter hands these strings to MkDocs.
Tutorial pages are rendered as if they sit side by side in one folder, so a link to
another tutorial is the relative path `<slug>.md`, which MkDocs resolves and checks.
"""

from __future__ import annotations

from .links import rewrite_tutorial_links
from .map import render_map
from .page import render_tutorial
from .panel import values_page
from .progress import continue_link, data_script, progress_page, site_data
from .reference import PLACEHOLDERS, PageContext, expand_placeholders
from .skip import skip_to_title
from .values import personalise, shown_variables

__all__ = [
    "PLACEHOLDERS",
    "PageContext",
    "continue_link",
    "data_script",
    "expand_placeholders",
    "personalise",
    "progress_page",
    "render_map",
    "render_tutorial",
    "rewrite_tutorial_links",
    "shown_variables",
    "site_data",
    "skip_to_title",
    "values_page",
]
