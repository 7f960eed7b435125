"""The site from a folder written for GitHub: images beside the pages, lists after paragraphs, tutor.yml."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

FIXTURES = Path(__file__).parent.parent / "fixtures" / "any-folder"


def test_images_beside_the_pages_are_copied_and_resolve(make_site, tmp_path) -> None:
    site = make_site(FIXTURES / "github-set", strict=True)
    for page, expected in (("tutorial/prepare-host/", "tutorial/img/architecture.png"),
                           ("tutorial/install/", "tutorial/diagram.svg")):
        [image] = site.soup(page).select("article img")
        target = site.resolve(page, image["src"])
        assert target == expected and site.path(target).is_file()
    assert not site.path("tutorial/tutor.yml").exists()


def test_a_list_right_after_a_paragraph_renders_as_a_list(make_site) -> None:
    site = make_site(FIXTURES / "github-set", strict=True)
    items = [li.get_text(strip=True) for li in site.soup("tutorial/prepare-host/").select("article ul li")]
    assert "root access" in items
    ordered = [li.get_text(strip=True) for li in site.soup("tutorial/install/").select("article ol li")]
    assert ordered == ["download the release", "unpack it", "start it"]


def test_the_github_set_renders_with_its_order_and_anchors(make_site) -> None:
    site = make_site(FIXTURES / "github-set", strict=True)
    soup = site.soup("tutorial/prepare-host/")
    assert soup.select_one("h2#tdx--sgx") is not None  # GitHub's heading ids, from tutor.yml
    link = next(a for a in site.soup("tutorial/install/").select("article a") if "tdx--sgx" in a.get("href", ""))
    assert site.resolve("tutorial/install/", link["href"]) == "tutorial/prepare-host/#tdx--sgx"


def test_the_error_box_shows_project_paths_and_says_reloads_only_when_serving(make_site, tmp_path, caplog) -> None:
    folder = tmp_path / "tutorials"
    shutil.copytree(FIXTURES / "docusaurus-site", folder)
    (folder / "intro.md").write_text((folder / "intro.md").read_text().replace("installation.md", "instalation.md"))
    with caplog.at_level(logging.ERROR, logger="mkdocs.plugins.tutor"):
        built = make_site(folder, plugin={"fail_on_errors": False})
        served = make_site(folder, serve=True)
    for site, reloads in ((built, False), (served, True)):
        box = site.soup("tutorial/intro/").select_one(".tutor-lint-errors")
        assert box is not None
        text = box.get_text(" ")
        assert str(tmp_path) not in text and "intro.md:" in text
        assert ("reloads" in text) is reloads


def test_alternative_paths_are_tabs(make_site) -> None:
    site = make_site(Path(__file__).parent.parent / "fixtures" / "real-world" / "astro-paths", plugin={"fail_on_errors": False})
    soup = site.soup("tutorial/host-setup/")
    [tabs] = soup.select("article .tabbed-set")
    assert [label.get_text(strip=True) for label in tabs.select(".tabbed-labels label")] == [
        "Quick Start: Setup with Ansible", "Manual Setup"]
    blocks = tabs.select(".tabbed-block")
    assert len(blocks) == 2 and "install-ansible" in blocks[0].get_text() and "install-packages" in blocks[1].get_text()
    assert tabs.select_one("#manual-setup") is not None  # the path's heading keeps its id inside its tab
    assert "systemctl status" not in tabs.get_text()  # Troubleshooting follows the tabs, outside them
