"""Under `mkdocs serve`, a save re-parses only the saved tutorial; the rebuilt site still shows every edit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def serve_builds(config_file: Path, site_dir: Path) -> Callable[[], Any]:
    """A `build()` that rebuilds as `mkdocs serve` does: a fresh config each time, the same plugin instance."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    first = load_config(config_file=str(config_file), site_dir=str(site_dir))
    first.plugins.on_startup(command="serve", dirty=False)
    configs = iter([first])

    def rebuild() -> Any:
        config = next(configs, None) or load_config(config_file=str(config_file), site_dir=str(site_dir))
        build(config)
        return config.plugins["tutor"]

    return rebuild


def test_a_save_reparses_only_that_tutorial(tmp_path: Path, fixture_copy: Path, site_config: Any) -> None:
    rebuild = serve_builds(site_config(tmp_path / "project", fixture_copy), tmp_path / "site")
    plugin = rebuild()
    assert plugin.models.stats.misses == 4

    edited = fixture_copy / "open-firewall.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("title: Open the Firewall", "title: Open the Ports"),
                      encoding="utf-8")
    again = rebuild()
    assert again is plugin  # what `mkdocs serve` keeps between rebuilds
    assert [Path(p).name for p in plugin.models.stats.parsed] == ["open-firewall.md"]
    assert plugin.models.stats.hits == 3
    assert "Open the Ports" in (tmp_path / "site" / "tutorial" / "open-firewall" / "index.html").read_text(encoding="utf-8")

    rebuild()
    assert plugin.models.stats.parsed == [] and plugin.models.stats.hits == 4


def test_a_broken_save_is_reported_and_its_fix_clears_it(tmp_path: Path, fixture_copy: Path, site_config: Any) -> None:
    rebuild = serve_builds(site_config(tmp_path / "project", fixture_copy), tmp_path / "site")
    plugin = rebuild()
    assert plugin.shown_errors == []
    edited = fixture_copy / "start-service.md"
    good = edited.read_text(encoding="utf-8")
    edited.write_text(good + "\n```json\n{\"broken\": }\n```\n", encoding="utf-8")
    rebuild()
    assert [Path(p).name for p in plugin.models.stats.parsed] == ["start-service.md"]
    assert any("does not parse" in e for e in plugin.shown_errors)  # a per-file finding of the re-parsed file
    edited.write_text(good, encoding="utf-8")
    rebuild()
    assert plugin.shown_errors == []


def test_a_save_renders_again_only_the_pages_it_changes(tmp_path: Path, fixture_copy: Path, site_config: Any) -> None:
    rebuild = serve_builds(site_config(tmp_path / "project", fixture_copy), tmp_path / "site")
    plugin = rebuild()
    assert plugin.pages.rendered == 4
    page = tmp_path / "site" / "tutorial" / "start-service" / "index.html"

    edited = fixture_copy / "open-firewall.md"
    text = edited.read_text(encoding="utf-8")
    edited.write_text(text + "\nOne more paragraph, nothing else.\n", encoding="utf-8")  # its own page only
    rebuild()
    assert plugin.pages.rendered == 1
    assert "One more paragraph" in (tmp_path / "site" / "tutorial" / "open-firewall" / "index.html").read_text(encoding="utf-8")

    # A title shows on other pages (start-service lists open-firewall as a prerequisite): all again.
    edited.write_text(text.replace("title: Open the Firewall", "title: Open the Ports"), encoding="utf-8")
    rebuild()
    assert plugin.pages.rendered == 4
    assert "Open the Ports" in page.read_text(encoding="utf-8")

    rebuild()  # nothing saved
    assert plugin.pages.rendered == 0
