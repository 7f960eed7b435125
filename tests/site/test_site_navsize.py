"""A big set's sidebar: the page's own section in full, other sections by their first page (site/navsize.py)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from tutor.site.navsize import compact_navigation


def _sections(soup: BeautifulSoup) -> dict[str, list[str]]:
    nav = soup.select_one("nav.md-nav--primary")
    found = {}
    for section in nav.select("li.md-nav__item--nested"):
        label = section.select_one(":scope > label, :scope > a, :scope > div").get_text(" ", strip=True)
        found[label] = [a["href"] for a in section.select(":scope > nav > ul > li > a")]
    return found


def test_other_sections_keep_their_first_page_and_the_rest_of_the_page_is_unchanged(basic_site) -> None:
    before = basic_site.html("tutorial/open-firewall/")
    after = compact_navigation(before)
    assert len(after) < len(before)
    full, cut = _sections(BeautifulSoup(before, "html.parser")), _sections(BeautifulSoup(after, "html.parser"))
    assert set(full) == set(cut) and "Host" in full, full
    assert full["Host"] == cut["Host"] and len(full["Host"]) == 2  # the page's own section, in full
    assert len(full["Service"]) == 2 and cut["Service"] == full["Service"][:1]
    for href in cut["Service"] + cut["Host"]:
        assert basic_site.path(basic_site.resolve("tutorial/open-firewall/", href)).is_file()
    soup_before, soup_after = BeautifulSoup(before, "html.parser"), BeautifulSoup(after, "html.parser")
    soup_before.select_one("nav.md-nav--primary").decompose()
    soup_after.select_one("nav.md-nav--primary").decompose()
    assert str(soup_before) == str(soup_after)


def test_a_page_without_material_navigation_is_left_alone() -> None:
    assert compact_navigation("<html><nav class='x'></nav><p>  a  </p></html>") == "<html><nav class='x'></nav><p>  a  </p></html>"
    assert compact_navigation('<nav class="md-nav md-nav--primary"><ul>') == '<nav class="md-nav md-nav--primary"><ul>'


# Above `full_navigation_limit` tutorials the theme renders a trimmed navigation (site_plugins/navtrim.py)
# and the search index is bounded (tutor/site/searchsize.py). A limit of 1 makes the 4-tutorial
# `basic` set a big site.

def _big_site(make_site, tutorials, **plugin):
    return make_site(tutorials, nav=[{"Home": "index.md"}], plugin={"full_navigation_limit": 1, **plugin})


def _sidebar(site, url: str) -> list[tuple[str, str]]:
    nav = site.soup(url).select_one("nav.md-nav--primary")
    return [(" ".join(a.get_text().split()), site.resolve(url, a["href"])) for a in nav.select("a.md-nav__link")]


def test_a_big_sites_sidebar_shows_the_pages_section_in_full_and_others_as_one_link(make_site, fixtures_dir) -> None:
    site = _big_site(make_site, fixtures_dir / "basic")
    links = dict(_sidebar(site, "tutorial/open-firewall/"))
    assert links["Prepare the Host"] == "tutorial/prepare-host/" and "Open the Firewall" in links  # its section
    assert links["Service"] == "tutorial/start-service/"  # the other section: one link, to its first page
    assert "Start the Service" not in links and "Service FAQ" not in links
    assert dict(_sidebar(site, "tutorial/service-faq/"))["Host"] == "tutorial/prepare-host/"
    values = dict(_sidebar(site, "values/"))  # in the Tutorials part, in no section
    assert values["Host"] == "tutorial/prepare-host/" and values["Service"] == "tutorial/start-service/"
    assert "Open the Firewall" not in values
    for url in ("tutorial/prepare-host/", "tutorial/start-service/"):
        assert site.path(url).is_file()


def test_a_small_sites_sidebar_lists_every_tutorial(basic_site) -> None:
    links = dict(_sidebar(basic_site, "tutorial/open-firewall/"))
    assert {"Prepare the Host", "Open the Firewall", "Start the Service", "Service FAQ"} <= set(links)
    assert "Service" not in links


def test_a_section_name_stays_text_as_a_link(make_site, fixture_copy) -> None:
    payload = '<img src=x onerror="window.hit=1">Service'
    sections = fixture_copy / "sections.yml"
    sections.write_text(sections.read_text().replace("name: Service", f"name: '{payload}'"))
    for tutorial in ("start-service.md", "service-faq.md"):
        path = fixture_copy / tutorial
        path.write_text(path.read_text().replace("section: Service", f"section: '{payload}'"))
    site = _big_site(make_site, fixture_copy)
    nav = site.soup("tutorial/open-firewall/").select_one("nav.md-nav--primary")
    assert nav.select("img") == []
    assert payload in [" ".join(a.get_text().split()) for a in nav.select("a.md-nav__link")]


def _with_search(config_file):
    import yaml

    config = yaml.safe_load(config_file.read_text())
    config["plugins"].insert(0, "search")
    config_file.write_text(yaml.safe_dump(config, sort_keys=False))
    return config_file


def _search_index(site_config, build, tmp_path, tutorials, **plugin) -> list[dict]:
    import json

    config = _with_search(site_config(tmp_path / "project", tutorials, plugin=plugin))
    site = build(config, tmp_path / "project" / "site")
    return json.loads((site.root / "search" / "search_index.json").read_text())["docs"]


def test_a_big_sites_search_index_keeps_every_title_and_a_bounded_text(site_config, build_site, tmp_path, fixtures_dir) -> None:
    from tutor.site.searchsize import SEARCH_TEXT_LIMIT

    full = _search_index(site_config, build_site, tmp_path / "full", fixtures_dir / "basic")
    bounded = _search_index(site_config, build_site, tmp_path / "bounded", fixtures_dir / "basic", full_navigation_limit=1)
    assert [(e["location"], e["title"]) for e in bounded] == [(e["location"], e["title"]) for e in full]
    assert ("tutorial/open-firewall/", "Open the Firewall") in [(e["location"], e["title"]) for e in bounded]
    assert any(len(e["text"]) > SEARCH_TEXT_LIMIT + 1 for e in full)
    assert all(len(e["text"]) <= SEARCH_TEXT_LIMIT + 1 for e in bounded)
    for cut, whole in zip(bounded, full):
        assert cut["text"] == whole["text"] or whole["text"].startswith(cut["text"].removesuffix("…").rstrip())


def test_a_cut_never_ends_inside_a_tag_or_a_character_reference() -> None:
    from tutor.site.searchsize import text_prefix

    assert text_prefix("<p>one two</p> <code>three</code>", 20) == "<p>one two</p>…"
    assert text_prefix("<p>a &amp; b &amp; c</p>", 14) == "<p>a &amp; b…"
    assert text_prefix("plain words here", 11) == "plain words…"
