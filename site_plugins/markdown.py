"""The Markdown extensions tutorial pages need, added to the site's config when missing.

`toc` always gets the engine's slugify, so heading ids on the site are the ids the lint
checks `#anchor` links against (cut at `MAX_ANCHOR` characters, so that no heading text can
make toc fail; lint reports such a heading).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tutor.anchors import site_slugify_for

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

REQUIRED: tuple[str, ...] = (
    "toc",
    "tables",
    "attr_list",
    "admonition",
    "pymdownx.highlight",
    "pymdownx.superfences",
    "pymdownx.tasklist",
    "pymdownx.tabbed",
)


def configure(config: MkDocsConfig, anchor_style: str) -> None:
    extensions: list[Any] = config.markdown_extensions
    for name in REQUIRED:
        if name not in extensions:
            extensions.append(name)
    settings: dict[str, dict[str, Any]] = config.mdx_configs
    settings.setdefault("toc", {})["slugify"] = site_slugify_for(anchor_style)
    settings["toc"].setdefault("permalink", True)
    # The language on each code block's box: the page tells shell blocks (personalised) from others.
    settings.setdefault("pymdownx.highlight", {}).setdefault("pygments_lang_class", True)
    settings.setdefault("pymdownx.tabbed", {}).setdefault("alternate_style", True)  # alternative paths as tabs
    tasklist = settings.setdefault("pymdownx.tasklist", {})
    tasklist.setdefault("custom_checkbox", True)
    tasklist.setdefault("clickable_checkbox", True)
    fences: list[dict[str, Any]] = settings.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    if not any(fence.get("name") == "mermaid" for fence in fences):
        from pymdownx.superfences import fence_code_format

        fences.append({"name": "mermaid", "class": "mermaid", "format": fence_code_format})
