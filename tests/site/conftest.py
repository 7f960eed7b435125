"""Build sites into temp folders and read their HTML.

The real site (mkdocs.yml at the repository root) is built once per session; fixture
sites are a few tutorials each and use a stub mermaid.min.js, so they need no network.
Tests reach the helpers through fixtures (`make_site`), as pytest runs in importlib mode.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Site:
    """A built site: its folder and helpers to read pages by URL path."""

    root: Path
    config_file: Path

    def path(self, url: str) -> Path:
        """`tutorial/x/` → site/tutorial/x/index.html."""
        url = url.split("#", 1)[0].lstrip("/")
        target = self.root / url
        return target / "index.html" if url == "" or url.endswith("/") else target

    def html(self, url: str) -> str:
        return self.path(url).read_text(encoding="utf-8")

    def soup(self, url: str) -> BeautifulSoup:
        return BeautifulSoup(self.html(url), "html.parser")

    @staticmethod
    def resolve(page_url: str, href: str) -> str:
        """The site-relative URL (with its #anchor) that a link on `page_url` points at."""
        from urllib.parse import urljoin, urlsplit

        parts = urlsplit(urljoin("http://site/" + page_url, href))
        return parts.path.lstrip("/") + (f"#{parts.fragment}" if parts.fragment else "")


def write_site(
    folder: Path, tutorials: Path, *, plugin: dict[str, Any] | None = None, docs: dict[str, str] | None = None,
    nav: list[Any] | None = None,
) -> Path:
    """A minimal mkdocs.yml + docs/ under `folder`; returns the config file."""
    folder.mkdir(parents=True, exist_ok=True)
    stub = folder / "mermaid-stub.js"
    stub.write_text("/* stands in for mermaid.min.js in fixture sites */\n", encoding="utf-8")
    docs_dir = folder / "docs"
    docs_dir.mkdir(exist_ok=True)
    for name, text in (docs or {"index.md": "# Home\n\nFixture site.\n"}).items():
        (docs_dir / name).write_text(text, encoding="utf-8")
    options: dict[str, Any] = {"tutorials": str(tutorials), "mermaid_js": str(stub)}
    options.update(plugin or {})
    config: dict[str, Any] = {
        "site_name": "Fixture",
        "docs_dir": "docs",
        "theme": {"name": "material", "font": False, "features": ["navigation.footer", "content.code.copy"]},
        "plugins": [{"tutor": options}],
    }
    if nav is not None:
        config["nav"] = nav
    config_file = folder / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return config_file


def build(config_file: Path, site_dir: Path, *, strict: bool = False, serve: bool = False) -> Site:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(config_file=str(config_file), site_dir=str(site_dir), strict=strict)
    config.plugins.on_startup(command="serve" if serve else "build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    return Site(site_dir, config_file)


def copy_fixture(name: str, target: Path) -> Path:
    shutil.copytree(FIXTURES / name, target)
    return target

@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The repository's own site, built once."""
    return build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("real-site") / "site")


@pytest.fixture(scope="session")
def real_graph() -> Any:
    from tutor.graph import TutorialGraph
    from tutor.loader import load_folder

    return TutorialGraph(load_folder(ROOT / "tutorials"))


@pytest.fixture(scope="module")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The `basic` fixture set: two sections, an appendix, every kind of box and fence."""
    folder = tmp_path_factory.mktemp("basic")
    config = write_site(folder, FIXTURES / "basic", nav=[{"Home": "index.md"}])
    return build(config, folder / "site")


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of the `basic` tutorials, for tests that break them."""
    yield copy_fixture("basic", tmp_path / "tutorials")


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Site]:
    """`make_site(tutorials, strict=False, serve=False, plugin={...}, docs={...})` → a built Site."""
    counter = iter(range(1000))

    def make(tutorials: Path, *, strict: bool = False, serve: bool = False, **options: Any) -> Site:
        folder = tmp_path / f"site-{next(counter)}"
        return build(write_site(folder, tutorials, **options), folder / "site", strict=strict, serve=serve)

    return make


@pytest.fixture
def site_config() -> Callable[..., Path]:
    """`site_config(folder, tutorials, plugin={...}, docs={...})` → the mkdocs.yml it wrote."""
    return write_site


@pytest.fixture
def build_site() -> Callable[..., Site]:
    """`build_site(config_file, site_dir, strict=False, serve=False)` → the built Site."""
    return build


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def served(root: Path) -> Iterator[str]:
    """A built site served on 127.0.0.1 from a thread; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def serve_site() -> Callable[[Path], contextlib.AbstractContextManager[str]]:
    """`with serve_site(root) as base_url:` serves a built site on 127.0.0.1."""
    return served


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Material renders Mermaid into a closed shadow root; open it so tests can look inside.
OPEN_SHADOW_ROOTS = (
    "const attach = Element.prototype.attachShadow;"
    "Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: 'open'}); };"
)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium driven by Playwright, one for the session.

    Without Chromium or Playwright the tests that use it skip; never run `playwright install`
    (it downloads a browser).
    """
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Chromium: `apt-get install chromium` (Debian); .ci/run installs it")
    playwright_api = pytest.importorskip(
        "playwright.sync_api", reason="needs Playwright for Python: `pip install -e '.[test]'` (never `playwright install`)"
    )
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def open_shadow_roots() -> str:
    """An init script that opens closed shadow roots (Mermaid's), for `context.add_init_script`."""
    return OPEN_SHADOW_ROOTS
