"""Tutorial pages, the map page and the plugin's assets as MkDocs files.

The tutorials live outside `docs_dir`; each becomes a generated file at
`<prefix><slug>.md`, which MkDocs serves at `/<prefix><slug>/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from tutor.site import data_script, progress_page, render_map, site_data, values_page
from tutor.site.page_memo import PageMemo
from tutor.site.assets import folder_assets

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from tutor.graph import TutorialGraph

ASSETS = Path(__file__).parent / "assets"
CSS_URI = "assets/tutor/tutor.css"
JS_URI = "assets/tutor/tutor.js"
DATA_URI = "assets/tutor/data.js"
MERMAID_URI = "assets/tutor/mermaid.min.js"
VALUES_URI = "values.md"
PROGRESS_URI = "progress.md"


def tutorial_uri(prefix: str, slug: str) -> str:
    return f"{prefix}{slug}.md"


def map_uri(prefix: str) -> str:
    return f"{prefix}index.md"


def add_pages(files: Files, config: MkDocsConfig, graph: TutorialGraph, prefix: str, with_map: bool,
              memo: PageMemo) -> None:
    if with_map:
        _add(files, File.generated(config, map_uri(prefix), content=render_map(graph)))
    for tutorial, page in memo.pages(graph):
        _add(files, File.generated(config, tutorial_uri(prefix, tutorial.slug), content=page))
    _add(files, File.generated(config, VALUES_URI, content=values_page(graph.ordered(), prefix)))
    _add(files, File.generated(config, PROGRESS_URI, content=progress_page(graph, prefix)))
    data = site_data(graph, prefix, PROGRESS_URI.removesuffix(".md") + "/")
    _add(files, File.generated(config, DATA_URI, content=data_script(data)))


def add_folder_files(files: Files, config: MkDocsConfig, tutorials: Path, prefix: str) -> None:
    """Images and other files beside the tutorials, where the pages' relative links point."""
    for rel, path in folder_assets(tutorials):
        if files.get_file_from_path(prefix + rel) is None:
            files.append(File.generated(config, prefix + rel, abs_src_path=str(path)))


def add_assets(files: Files, config: MkDocsConfig, mermaid_js: Path | None) -> None:
    _add(files, File.generated(config, CSS_URI, abs_src_path=str(ASSETS / "tutor.css")))
    _add(files, File.generated(config, JS_URI, abs_src_path=str(ASSETS / "tutor.js")))
    if mermaid_js is not None:
        _add(files, File.generated(config, MERMAID_URI, abs_src_path=str(mermaid_js)))


def _add(files: Files, file: File) -> None:
    if files.get_file_from_path(file.src_uri) is not None:
        raise PluginError(
            f"tutor: docs_dir already has {file.src_uri}, where the plugin puts a generated page; "
            "rename that file or set the plugin's `url_prefix`"
        )
    files.append(file)
