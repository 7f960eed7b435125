"""Heading ids on the site are exactly the engine's anchors, so the lint's #anchor check holds."""

from __future__ import annotations


def page_ids(soup) -> list[str]:  # type: ignore[no-untyped-def]
    return [h["id"] for h in soup.select("article h1, article h2, article h3, article h4, article h5, article h6")
            if h.get("id")]


def test_every_heading_id_equals_the_engines_anchor(real_site, real_graph) -> None:
    for tutorial in real_graph.ordered():
        ids = page_ids(real_site.soup(f"tutorial/{tutorial.slug}/"))
        assert ids == [heading.anchor for heading in tutorial.headings], tutorial.slug


def test_every_link_between_tutorials_lands_on_a_page_and_heading(real_site, real_graph) -> None:
    checked = 0
    for tutorial in real_graph.ordered():
        page = f"tutorial/{tutorial.slug}/"
        soup = real_site.soup(page)
        for link in soup.select("article a[href]"):
            href = link["href"]
            if "://" in href or href.startswith(("mailto:", "#")) or "headerlink" in link.get("class", []):
                continue
            assert not href.startswith("/"), f"{page}: {href} was left absolute"
            target = real_site.resolve(page, href)
            url, _, anchor = target.partition("#")
            assert real_site.path(url).is_file(), f"{page}: {href}"
            if anchor:
                assert anchor in page_ids(real_site.soup(url)), f"{page}: {href}"
            checked += 1
    assert checked > 0


def test_anchor_style_is_the_plugins_choice(basic_site, make_site, fixtures_dir) -> None:
    assert "logs-metrics" in page_ids(basic_site.soup("tutorial/service-faq/"))
    site = make_site(fixtures_dir / "basic", plugin={"anchor_style": "github"})
    assert "logs--metrics" in page_ids(site.soup("tutorial/service-faq/"))
