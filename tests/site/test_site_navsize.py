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
