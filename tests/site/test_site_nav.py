"""Navigation: docs pages, then the Tutorials part in reading order; previous/next follows it."""

from __future__ import annotations

from typing import Any


def sidebar(soup: Any) -> list[Any]:
    """The primary navigation as nested (title, href | children) pairs.

    A group whose index page is attached to it (Material's navigation.indexes) lists that
    page first, under the group's own title.
    """

    def words(element: Any) -> str:
        return " ".join(element.get_text().split())

    def items(ul: Any) -> list[Any]:
        result = []
        for li in ul.find_all("li", class_="md-nav__item", recursive=False):
            if "md-nav__item--nested" in li.get("class", []):
                nested = li.find("nav", class_="md-nav", recursive=False)
                children = items(nested.find("ul", class_="md-nav__list", recursive=False))
                index = li.select_one(":scope > .md-nav__container > a.md-nav__link")
                if index is not None:
                    children.insert(0, (words(index), index["href"]))
                result.append((words(nested.find("label", class_="md-nav__title")), children))
            else:
                link = li.find("a", class_="md-nav__link", recursive=False)
                result.append((words(link), link["href"]))
        return result

    return items(soup.select_one("nav.md-nav--primary > ul.md-nav__list"))


def footer(soup: Any) -> dict[str, str]:
    """{'prev': href, 'next': href} of Material's previous/next footer."""
    links = {}
    for direction in ("prev", "next"):
        link = soup.select_one(f"a.md-footer__link--{direction}")
        if link is not None:
            links[direction] = link["href"]
    return links


def test_fixture_sidebar_is_docs_then_sections_in_order_with_appendix_last(basic_site) -> None:
    nav = sidebar(basic_site.soup("tutorial/start-service/"))
    assert nav[0] == ("Home", "../..")
    title, part = nav[1]
    assert title == "Tutorials"
    assert part[0] == ("Tutorial map", "../")
    assert [(section, [t for t, _ in pages]) for section, pages in part[1:-2]] == [
        ("Host", ["Prepare the Host", "Open the Firewall"]),
        ("Service", ["Start the Service", "Service FAQ"]),
    ]
    assert [title for title, _ in part[-2:]] == ["Your values", "Your progress"]


def test_previous_next_cross_the_section_boundary(basic_site) -> None:
    page = "tutorial/open-firewall/"
    links = footer(basic_site.soup(page))
    assert basic_site.resolve(page, links["prev"]) == "tutorial/prepare-host/"
    assert basic_site.resolve(page, links["next"]) == "tutorial/start-service/"
    last = "tutorial/service-faq/"
    assert basic_site.resolve(last, footer(basic_site.soup(last))["next"]) == "progress/"
    assert "next" not in footer(basic_site.soup("progress/"))


def test_next_from_home_starts_the_first_tutorial_and_author_pages_stay_out_of_the_path(real_site, real_graph) -> None:
    order = real_graph.ordered()
    home = footer(real_site.soup(""))
    assert real_site.resolve("", home["next"]) == f"tutorial/{order[0].slug}/"
    first = f"tutorial/{order[0].slug}/"
    assert real_site.resolve(first, footer(real_site.soup(first))["prev"]) == ""
    last = f"tutorial/{order[-1].slug}/"
    assert real_site.resolve(last, footer(real_site.soup(last))["next"]) == "progress/"
    # The map's Next starts the first tutorial too; the author pages link only to each other.
    assert real_site.resolve("tutorial/", footer(real_site.soup("tutorial/"))["next"]) == first
    authors = ("authoring/", "cli/", "facts/")
    for page in authors:
        for href in footer(real_site.soup(page)).values():
            assert real_site.resolve(page, href) in authors


def test_real_sidebar_follows_the_sections_file_and_reading_order(real_site, real_graph) -> None:
    first = real_graph.ordered()[0]
    page = f"tutorial/{first.slug}/"
    nav = sidebar(real_site.soup(page))
    assert [title for title, _ in nav] == ["Home", "Tutorials", "For authors"]
    assert [title for title, _ in nav[2][1]] == ["Authoring guide", "CLI reference", "Fact table"]
    part = nav[1][1]
    assert real_site.resolve(page, part[0][1]) == "tutorial/"  # the map is the part's index page
    expected = [
        (section, [t.title for t in real_graph.in_section(section)])
        for section in real_graph.sections_in_order() if real_graph.in_section(section)
    ]
    assert [(section, [t for t, _ in pages]) for section, pages in part[1:-2]] == expected
    assert [section for section, _ in expected] == [s.name for s in real_graph.set.sections if real_graph.in_section(s.name)]
    hrefs = [real_site.resolve(page, href) for _, pages in part[1:-2] for _, href in pages]
    assert hrefs == [f"tutorial/{t.slug}/" for t in real_graph.ordered()]


def test_real_previous_next_follow_reading_order_across_every_section(real_site, real_graph) -> None:
    order = real_graph.ordered()
    boundaries = [i for i in range(len(order) - 1) if order[i].section != order[i + 1].section]
    assert boundaries, "the real set has more than one section"
    for i in boundaries:
        page = f"tutorial/{order[i].slug}/"
        links = footer(real_site.soup(page))
        assert real_site.resolve(page, links["next"]) == f"tutorial/{order[i + 1].slug}/"
        following = f"tutorial/{order[i + 1].slug}/"
        back = footer(real_site.soup(following))
        assert real_site.resolve(following, back["prev"]) == page


def test_real_pages_show_step_n_of_m(real_site, real_graph) -> None:
    for tutorial in real_graph.ordered():
        meta = real_site.soup(f"tutorial/{tutorial.slug}/").select_one(".tutor-meta__step")
        if tutorial.is_appendix:
            assert meta.get_text() == "Appendix"
        else:
            assert meta.get_text() == f"Step {tutorial.step_number} of {real_graph.step_count(tutorial.section)}"


def test_url_prefix_is_configurable(make_site, fixtures_dir) -> None:
    site = make_site(fixtures_dir / "basic", plugin={"url_prefix": "/guides/"})
    assert site.path("guides/start-service/").is_file()
    soup = site.soup("guides/start-service/")
    link = next(a for a in soup.select("article a") if " ".join(a.get_text().split()) == "disk check")
    assert site.resolve("guides/start-service/", link["href"]) == "guides/prepare-host/#step-2-check-the-disk"
