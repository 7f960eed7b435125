"""`plugins: - tutor`: MkDocs events → the engine, one call each."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.utils import get_relative_url

from tutor.cache import ModelCache, memory_cache
from tutor.cli.reference import cli_reference
from tutor.errors import TutorError
from tutor.folder_config import anchor_style, cache_options
from tutor.graph import TutorialGraph
from tutor.lint import lint_set
from tutor.loader import display_path, load_folder
from tutor.atomic import write_atomically
from tutor.site.navsize import compact_navigation
from tutor.site.page_memo import PageMemo
from tutor.site.searchsize import bounded_search_index
from tutor.site import (
    PageContext,
    continue_link,
    expand_placeholders,
    personalise,
    rewrite_tutorial_links,
    shown_variables,
    skip_to_title,
)

from . import markdown, mermaid, nav, navtrim, pages, report
from .config import TutorConfig

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation, Section
    from mkdocs.utils.templates import TemplateContext
    from mkdocs.structure.pages import Page


class TutorPlugin(BasePlugin[TutorConfig]):
    def __init__(self) -> None:
        super().__init__()
        self.serving = False
        self.graph: TutorialGraph | None = None
        self.shown_errors: list[str] = []
        self.anchor_style = "mkdocs"
        self.models: ModelCache | None = None
        """Parsed tutorials kept across the rebuilds of `mkdocs serve`: a save re-parses one file."""
        self.pages = PageMemo()
        """Their pages, likewise: a save renders one page again (see page_memo)."""
        self.tutorials_part: Section | None = None
        """A big set's Tutorials part of the navigation, trimmed for each page (see navtrim)."""

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining on_startup keeps one plugin instance across the rebuilds of `mkdocs serve`.
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if self.config.prefix() == "/":
            raise PluginError("tutor: `url_prefix` must name a folder, e.g. tutorial/")
        self.anchor_style = anchor_style(Path(self.config.tutorials), self.config.anchor_style)
        markdown.configure(config, self.anchor_style)
        if pages.CSS_URI not in config.extra_css:
            config.extra_css.append(pages.CSS_URI)
        scripts = [str(script) for script in config.extra_javascript]
        for uri in (pages.DATA_URI, pages.JS_URI):
            if uri not in scripts:
                config.extra_javascript.append(uri)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        # The set is loaded on every build, so `mkdocs serve` picks up each edit; files whose
        # content did not change come from `self.models`, and the graph and rules run again.
        self.graph, self.shown_errors = None, []
        folder = Path(self.config.tutorials)
        self.models = memory_cache(folder, cache_options(folder, self.anchor_style), self.models)
        try:
            tutorial_set = load_folder(folder, self.config.sections, self.anchor_style, self.models)
        except TutorError as exc:
            report.user_error(f"tutor: {exc}", serving=self.serving, shown=self.shown_errors)
            return files
        self.graph = TutorialGraph(tutorial_set)
        diagnostics = lint_set(tutorial_set, self.graph, self.models).diagnostics
        self.shown_errors = report.report(diagnostics, fail_on_errors=self.config.fail_on_errors, serving=self.serving,
                                          project=Path(config.config_file_path or ".").parent)
        prefix = self.config.prefix()
        docs = nav.docs_nav(config.nav, files)
        pages.add_pages(files, config, self.graph, prefix, self.config.map_page, self.pages)
        pages.add_folder_files(files, config, folder, prefix)
        pages.add_assets(files, config, self._mermaid_js())
        config.nav = nav.with_tutorials(docs, nav.tutorials_part(self.graph, prefix, self.config.map_page))
        return files

    def on_nav(self, navigation: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.tutorials_part = None
        if self.graph is not None:
            nav.link_reader_path(navigation, self.graph, self.config.prefix())
            if self._big():
                self.tutorials_part = navtrim.tutorials_part(navigation, self.config.prefix())
        return navigation

    def on_page_context(self, context: TemplateContext, *, page: Page, config: MkDocsConfig,
                        nav: Navigation) -> TemplateContext:
        if self.tutorials_part is not None:
            context["nav"] = navtrim.trimmed(nav, self.tutorials_part)
        return context

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.generated_by is not None:
            return markdown
        folder = posixpath.relpath(self.config.prefix(), posixpath.dirname(page.file.src_uri) or ".")
        path = display_path(Path(page.file.abs_src_path)) if page.file.abs_src_path else page.file.src_uri
        try:
            markdown = expand_placeholders(markdown, PageContext(path=path, graph=self.graph, tutorials_folder=folder,
                                                                 supplied={"cli": cli_reference}))
        except TutorError as exc:
            report.user_error(f"tutor: {exc}", serving=self.serving, shown=self.shown_errors)
        if page.file.src_uri == nav.HOME_URI and self.graph is not None:
            # Home offers "Continue: <first unfinished tutorial>" under its title.
            markdown = _after_title(markdown, continue_link(self.graph, folder.rstrip("/") + "/"))
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        def resolve(slug: str, anchor: str | None) -> str | None:
            target = files.get_file_from_path(pages.tutorial_uri(self.config.prefix(), slug))
            if target is None:
                return None
            return get_relative_url(target.url, page.url) + (f"#{anchor}" if anchor else "")

        html = rewrite_tutorial_links(html, resolve)
        tutorial = self._tutorial_of(page)
        html = personalise(html, shown_variables(tutorial.variables.values()) if tutorial else {})
        if 'class="mermaid"' in html and files.get_file_from_path(pages.MERMAID_URI) is not None:
            # Only where a diagram is; Material then uses this global instead of a CDN.
            html += f'\n<script src="{get_relative_url(pages.MERMAID_URI, page.url)}"></script>\n'
        return html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        output = skip_to_title(output)
        if self._big():
            output = compact_navigation(output)
        return report.with_banner(output, self.shown_errors, serving=self.serving) if self.shown_errors else output

    @event_priority(-100)  # after the search plugin has written its index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        index = Path(config.site_dir) / "search" / "search_index.json"
        if self._big() and index.is_file():
            write_atomically(index, bounded_search_index(index.read_text(encoding="utf-8")))

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        server.watch(self.config.tutorials)
        return server

    def _big(self) -> bool:
        return self.graph is not None and len(self.graph.tutorials) > self.config.full_navigation_limit

    def _tutorial_of(self, page: Page) -> Any:
        prefix = self.config.prefix()
        uri = page.file.src_uri
        if self.graph is None or not uri.startswith(prefix) or not uri.endswith(".md"):
            return None
        return self.graph.tutorials.get(uri[len(prefix) : -len(".md")])

    def _mermaid_js(self) -> Path | None:
        if self.config.mermaid_js:
            return Path(self.config.mermaid_js)
        try:
            return mermaid.vendored_mermaid()
        except mermaid.VendorError as exc:
            report.log.warning(f"tutor: {exc}; diagrams will need the reader's browser to reach a CDN. "
                               "Install Node.js and npm, or set the plugin's `mermaid_js` to a local mermaid.min.js")
            return None


def _after_title(markdown: str, html: str) -> str:
    """The Markdown with `html` after its first `# ` line (or first of all when it has none)."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: index + 1], "", html, *lines[index + 1 :]])
    return html + "\n" + markdown
