"""The built site in a real browser: headless Debian Chromium driven by Playwright.

Screenshots go to each test's temp folder. Without Chromium or Playwright these tests skip;
never run `playwright install` (it downloads a browser): use Debian's package.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Material renders Mermaid into a closed shadow root; open it so the test can look inside.
OPEN_SHADOW_ROOTS = (
    "const attach = Element.prototype.attachShadow;"
    "Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: 'open'}); };"
)

if not Path(CHROMIUM).exists():
    pytest.skip("needs Chromium: `apt-get install chromium` (Debian); .ci/run installs it", allow_module_level=True)
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="needs Playwright for Python: `pip install -e '.[test]'` (never `playwright install`)"
)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def base_url(real_site) -> Iterator[str]:
    """The real site served on 127.0.0.1 from a thread, for this module's tests."""
    handler = functools.partial(QuietHandler, directory=str(real_site.root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, base_url) -> Iterator[Any]:
    """A fresh page that records every URL it requests."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(OPEN_SHADOW_ROOTS)
    tab = context.new_page()
    tab.requested = []
    tab.on("request", lambda request: tab.requested.append(request.url))
    try:
        yield tab
    finally:
        context.close()


def test_sidebar_lists_sections_and_tutorials_in_reading_order(page, base_url, real_graph, tmp_path: Path) -> None:
    first = real_graph.ordered()[0]
    page.goto(f"{base_url}tutorial/{first.slug}/")
    groups = page.evaluate("""() => {
        const part = [...document.querySelectorAll('nav.md-nav--primary > ul > li.md-nav__item--nested')]
            .find(li => li.querySelector(':scope > nav > label.md-nav__title').innerText.trim() === 'Tutorials');
        return [...part.querySelectorAll(':scope > nav > ul > li.md-nav__item--nested')].map(li => [
            li.querySelector(':scope > nav > label.md-nav__title').innerText.trim(),
            [...li.querySelectorAll(':scope > nav > ul > li > a.md-nav__link')].map(a => a.innerText.trim()),
        ]);
    }""")
    page.screenshot(path=str(tmp_path / "sidebar.png"))
    sections = [s for s in real_graph.sections_in_order() if real_graph.in_section(s)]
    expected = [[s, [t.title for t in real_graph.in_section(s)]] for s in sections]
    assert groups == expected
    assert all(url.startswith(base_url) for url in page.requested), "the page fetched something off the site"


def test_a_prerequisite_link_opens_the_prerequisite(page, base_url, real_graph, tmp_path: Path) -> None:
    tutorial = next(t for t in real_graph.ordered() if t.prerequisites)
    prerequisite = real_graph.tutorials[real_graph.direct_prerequisites(tutorial.slug)[0]]
    page.goto(f"{base_url}tutorial/{tutorial.slug}/")
    assert page.locator(".tutor-meta__step").inner_text() in (f"Step {tutorial.step_number} of "
                                                             f"{real_graph.step_count(tutorial.section)}", "Appendix")
    page.screenshot(path=str(tmp_path / "tutorial.png"), full_page=True)
    page.locator(".tutor-prerequisites a", has_text=prerequisite.title).first.click()
    page.wait_for_url(f"{base_url}tutorial/{prerequisite.slug}/")
    assert page.locator("article h1").first.inner_text().strip() == prerequisite.title
    page.screenshot(path=str(tmp_path / "prerequisite.png"))


def test_commands_have_copy_buttons_and_output_has_none(page, base_url, real_graph) -> None:
    tutorial = next(t for t in real_graph.ordered() if any(b.is_expected_output for b in t.blocks))
    page.goto(f"{base_url}tutorial/{tutorial.slug}/")
    page.locator(".tutor-run button.md-code__button[data-md-type=copy]").wait_for(timeout=10_000)
    assert page.locator(".tutor-run button.md-code__button[data-md-type=copy]").count() == 1
    assert page.locator(".tutor-output").count() > 0
    assert page.locator(".tutor-output button.md-code__button[data-md-type=copy]").count() == 0


def test_the_map_renders_an_svg_whose_nodes_open_tutorials(page, base_url, real_graph, tmp_path: Path) -> None:
    page.goto(f"{base_url}tutorial/")
    svg = page.locator(".tutor-map__svg svg")
    svg.wait_for(timeout=20_000)
    page.screenshot(path=str(tmp_path / "map.png"), full_page=True)
    assert page.locator(".tutor-map__svg svg g.node").count() == len(real_graph.tutorials)
    assert all(url.startswith(base_url) for url in page.requested), "Mermaid came from off the site"
    first = real_graph.ordered()[0]
    page.locator(f".tutor-map__svg svg a:has(g.node[id*='t_{first.slug.replace('-', '_')}'])").first.click()
    page.wait_for_url(f"{base_url}tutorial/{first.slug}/")
