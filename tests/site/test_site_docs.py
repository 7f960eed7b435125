"""The authoring guide and CLI reference take their tables from the engine, so they cannot drift."""

from __future__ import annotations

import logging

import pytest
from mkdocs.exceptions import Abort


def words(soup) -> str:  # type: ignore[no-untyped-def]
    return " ".join(soup.get_text().split())


def test_authoring_guide_lists_every_rule_attribute_key_and_probe(real_site) -> None:
    from tutor.attributes import FenceOption
    from tutor.lint.registry import RULES
    from tutor.probes import PROBE_TYPES
    from tutor.schema import FIELDS

    soup = real_site.soup("authoring/")
    cells = {" ".join(td.get_text().split()) for td in soup.select("article td")}
    for rule in RULES.values():
        assert rule.id in cells and rule.summary.replace("`", "") in cells
    assert {option.value for option in FenceOption} <= cells
    assert set(FIELDS) <= cells
    assert set(PROBE_TYPES) <= cells
    assert "<!-- tutor:" not in real_site.html("authoring/")


def test_cli_reference_has_the_help_of_every_command(real_site) -> None:
    from tutor.cli.main import COMMANDS

    text = words(real_site.soup("cli/"))
    for name in COMMANDS:
        assert f"Usage: tutor {name} [OPTIONS]" in text
    assert "Exit codes" in text


def test_home_page_starts_each_section_with_its_first_tutorial(real_site, real_graph) -> None:
    soup = real_site.soup("")
    links = {" ".join(a.get_text().split()): a["href"] for a in soup.select("article td a")}
    for section in real_graph.sections_in_order():
        members = real_graph.in_section(section)
        if members:
            assert real_site.resolve("", links[members[0].title]) == f"tutorial/{members[0].slug}/"


def test_an_unknown_placeholder_names_the_page_and_line(make_site, fixtures_dir, caplog) -> None:
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        make_site(fixtures_dir / "basic", docs={"index.md": "# Home\n\n<!-- tutor:ruels -->\n"})
    assert "docs/index.md:3: unknown placeholder `<!-- tutor:ruels -->`" in caplog.text
