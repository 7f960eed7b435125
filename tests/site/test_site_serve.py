"""`mkdocs serve` rebuilds on edits in the tutorials folder, shows lint errors, and recovers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

BROKEN = "prerequisites: [prepare-hots]"
GOOD = "prerequisites: [prepare-host]"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return None


def wait_for(condition: Callable[[], bool], what: str, server: subprocess.Popen[bytes], log: Path,
             timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        assert server.poll() is None, f"mkdocs serve exited while waiting for {what}:\n{log.read_text()}"
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}:\n{log.read_text()}")


@pytest.fixture
def served(tmp_path: Path, fixture_copy: Path, site_config) -> Iterator[tuple[str, Path, Path, subprocess.Popen[bytes]]]:
    """(base URL, tutorials folder, docs folder, server process) of a running `mkdocs serve`."""
    config = site_config(tmp_path / "project", fixture_copy, docs={"index.md": "# Home\n\nversion one\n"})
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
            stdout=output, stderr=subprocess.STDOUT, env=env, cwd=tmp_path,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(lambda: fetch(base + "tutorial/open-firewall/") is not None, "the first build", server, log)
        yield base, fixture_copy, config.parent / "docs", server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_lint_error_shows_on_the_pages_and_the_next_good_edit_recovers(served, tmp_path: Path) -> None:
    base, tutorials, _, server = served
    log = tmp_path / "serve.log"
    page = base + "tutorial/start-service/"
    assert "tutor-lint-errors" not in (fetch(page) or "")

    path = tutorials / "open-firewall.md"
    path.write_text(path.read_text().replace(GOOD, BROKEN))
    wait_for(lambda: "tutor-lint-errors" in (fetch(page) or ""), "the lint error on the page", server, log)
    shown = fetch(page) or ""
    assert "open-firewall.md:8" in shown and "prepare-hots" in shown
    assert "open-firewall.md:8" in log.read_text()

    path.write_text(path.read_text().replace(BROKEN, GOOD))
    wait_for(lambda: "tutor-lint-errors" not in (fetch(page) or "tutor-lint-errors"), "the recovery", server, log)
    assert server.poll() is None


def test_a_docs_error_shows_too_and_recovers(served, tmp_path: Path) -> None:
    base, _, docs, server = served
    log = tmp_path / "serve.log"
    (docs / "index.md").write_text("# Home\n\n<!-- tutor:nope -->\n")
    wait_for(lambda: "unknown placeholder" in (fetch(base + "tutorial/prepare-host/") or ""),
             "the docs error on a tutorial page", server, log)
    assert "index.md:3" in log.read_text()

    (docs / "index.md").write_text("# Home\n\nversion two\n")
    wait_for(lambda: "version two" in (fetch(base) or ""), "the recovery", server, log)
    assert "tutor-lint-errors" not in (fetch(base) or "")
