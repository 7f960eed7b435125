"""Lint through MkDocs: errors abort with file and line, warnings fail only --strict."""

from __future__ import annotations

import logging

import pytest
from mkdocs.exceptions import Abort


def test_a_lint_error_fails_the_build_naming_file_and_line(make_site, fixture_copy, caplog) -> None:
    path = fixture_copy / "open-firewall.md"
    path.write_text(path.read_text().replace("prerequisites: [prepare-host]", "prerequisites: [prepare-hots]"))
    with caplog.at_level(logging.ERROR), pytest.raises(Abort, match="BuildError"):
        make_site(fixture_copy)
    message = caplog.text
    assert "tutor: 1 lint error in the tutorials" in message
    assert "open-firewall.md:8:" in message
    assert "prerequisites/unknown" in message and "prepare-hots" in message


def test_errors_can_be_let_through(make_site, fixture_copy, caplog) -> None:
    path = fixture_copy / "open-firewall.md"
    path.write_text(path.read_text().replace("prerequisites: [prepare-host]", "prerequisites: [prepare-hots]"))
    with caplog.at_level(logging.ERROR, logger="mkdocs.plugins.tutor"):
        site = make_site(fixture_copy, plugin={"fail_on_errors": False})
    assert site.path("tutorial/open-firewall/").is_file()
    assert any("open-firewall.md:8:" in r.getMessage() for r in caplog.records)


def test_a_warning_fails_only_under_strict(make_site, fixture_copy, caplog) -> None:
    path = fixture_copy / "prepare-host.md"
    path.write_text(path.read_text().replace("difficulty: beginner", "difficulty: beginner\nauthor: someone"))
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.tutor"):
        make_site(fixture_copy)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("prepare-host.md:" in w and "frontmatter/unknown-key" in w for w in warnings)
    with pytest.raises(Abort, match="strict mode"):
        make_site(fixture_copy, strict=True)


def test_info_is_debug_only(make_site, fixtures_dir, caplog) -> None:
    with caplog.at_level(logging.DEBUG, logger="mkdocs.plugins.tutor"):
        make_site(fixtures_dir / "basic", strict=True)
    implied = [r for r in caplog.records if "prerequisites/implied" in r.getMessage()]
    assert implied and all(r.levelno == logging.DEBUG for r in implied)


def test_a_missing_tutorials_folder_is_a_config_error(make_site, tmp_path, caplog) -> None:
    with caplog.at_level(logging.ERROR), pytest.raises(Abort, match="configuration error"):
        make_site(tmp_path / "nowhere")
    assert "option 'tutorials'" in caplog.text and "nowhere' isn't an existing directory" in caplog.text


DIGITS = "1" * 4_400
HUGE_IDS = f"\n## Step 9 {{#{DIGITS}}}\n\n## Again {{#a_{DIGITS}}}\n\n## a_{DIGITS}\n"


def test_a_huge_heading_id_stops_the_build_with_the_lint_error(make_site, fixture_copy, caplog) -> None:
    # Python-Markdown's toc turned the 4,400 digits of `a_111…` into an int: a ValueError traceback.
    path = fixture_copy / "open-firewall.md"
    path.write_text(path.read_text() + HUGE_IDS)
    with caplog.at_level(logging.ERROR), pytest.raises(Abort, match="BuildError"):
        make_site(fixture_copy)
    assert "open-firewall.md:" in caplog.text and "headings/long-id" in caplog.text


def test_a_huge_heading_id_builds_when_errors_are_let_through(make_site, fixture_copy) -> None:
    path = fixture_copy / "open-firewall.md"
    path.write_text(path.read_text() + HUGE_IDS)
    site = make_site(fixture_copy, plugin={"fail_on_errors": False})
    headings = site.soup("tutorial/open-firewall/").select("h2[id]")
    ids = [h["id"] for h in headings]
    assert DIGITS in ids and f"a_{DIGITS}" in ids  # the explicit ids, as written
    assert f"a_{DIGITS}"[:200] in ids  # the id made from the text: cut at 200, not counted
