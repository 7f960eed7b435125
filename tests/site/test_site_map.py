"""The map page: the reading-order table, and the whole graph as Mermaid source drawn later."""

from __future__ import annotations

import re


def test_map_has_the_graph_as_a_mermaid_diagram(basic_site) -> None:
    soup = basic_site.soup("tutorial/")
    diagram = soup.select_one("[data-tutor-diagram] pre.tutor-map__source")
    assert diagram is not None
    source = diagram.get_text()
    assert 'subgraph s0["Host"]' in source and 'subgraph s1["Service"]' in source
    assert "t_prepare_host --> t_open_firewall" in source
    assert "t_open_firewall --> t_start_service" in source
    clicks = dict(re.findall(r'click (\w+) "([^"]+)"', source))
    assert clicks["t_start_service"] == "start-service/"
    for target in clicks.values():
        assert basic_site.path(basic_site.resolve("tutorial/", target)).is_file()


def test_map_page_does_not_wait_for_mermaid(basic_site) -> None:
    soup = basic_site.soup("tutorial/")
    # No page loads Mermaid up front: the page script fetches it from the site after the page is up.
    assert not [s for s in soup.find_all("script", src=True) if "mermaid" in s["src"]]
    assert not soup.select(".mermaid")  # so Material does not load it from a CDN either
    assert basic_site.path("assets/tutor/mermaid.min.js").is_file()
    assert "assets/tutor/mermaid.min.js" in basic_site.path("assets/tutor/tutor.js").read_text()


def test_map_lists_the_reading_order(basic_site) -> None:
    soup = basic_site.soup("tutorial/")
    rows = [[" ".join(td.get_text().split()) for td in tr.find_all("td")] for tr in soup.select("article table tr")[1:]]
    assert rows == [
        ["1", "Host", "1 of 2", "Prepare the Host", "—"],
        ["2", "Host", "2 of 2", "Open the Firewall", "Prepare the Host"],
        ["3", "Service", "1 of 1", "Start the Service", "Open the Firewall, Prepare the Host"],
        ["4", "Service", "appendix", "Service FAQ", "Start the Service"],
    ]
    link = soup.select("article table tr")[3].find_all("td")[3].find("a")
    assert basic_site.resolve("tutorial/", link["href"]) == "tutorial/start-service/"


def test_map_page_can_be_turned_off(make_site, fixtures_dir) -> None:
    site = make_site(fixtures_dir / "basic", plugin={"map_page": False})
    assert not site.path("tutorial/").exists()
    assert site.path("tutorial/prepare-host/").is_file()


def test_real_map_links_every_tutorial(real_site, real_graph) -> None:
    source = real_site.soup("tutorial/").select_one("pre.tutor-map__source").get_text()
    clicks = dict(re.findall(r'click (\w+) "([^"]+)"', source))
    assert sorted(clicks.values()) == sorted(f"{slug}/" for slug in real_graph.tutorials)
    assert real_site.path("assets/tutor/mermaid.min.js").stat().st_size > 1_000_000


def _chain(folder, count: int, per_section: int = 20):
    from tutor.graph import TutorialGraph
    from tutor.loader import load_folder

    folder.mkdir()
    sections = (count + per_section - 1) // per_section
    (folder / "sections.yml").write_text("".join(f"- Part {s}\n" for s in range(sections)))
    for i in range(count):
        section, step = divmod(i, per_section)
        needs = f"[t{i - 1:04}]" if i else "[]"
        (folder / f"t{i:04}.md").write_text(
            f"---\ntitle: Tutorial {i}\ndescription: d\nsection: Part {section}\nstepNumber: {step + 1}\n"
            f"totalSteps: {min(per_section, count - section * per_section)}\nprerequisites: {needs}\n---\n# T\n")
    return TutorialGraph(load_folder(folder))


def test_a_map_too_big_to_draw_is_a_list_by_section(tmp_path) -> None:
    from tutor.site import render_map
    from tutor.site.map import MAX_DIAGRAM_ARROWS

    graph = _chain(tmp_path / "big", MAX_DIAGRAM_ARROWS + 100)
    page = render_map(graph)
    assert "data-tutor-diagram" not in page and "tutor-map__source" not in page
    assert "## By section" in page and f"{MAX_DIAGRAM_ARROWS + 100} tutorials and {MAX_DIAGRAM_ARROWS + 99} arrows" in page
    listed = re.findall(r"^- \*\*Part (\d+)\*\* \((\d+)\): (.*)$", page, re.M)
    assert [int(n) for n, _, _ in listed] == list(range(30)) and sum(int(c) for _, c, _ in listed) == MAX_DIAGRAM_ARROWS + 100
    assert listed[0][2].startswith("[Tutorial 0](t0000.md) · [Tutorial 1](t0001.md)")
    assert page.count("](t0") >= 2 * (MAX_DIAGRAM_ARROWS + 100)  # every tutorial in the table and in the list


def test_a_map_within_mermaids_limits_is_drawn(tmp_path) -> None:
    from tutor.site import render_map

    page = render_map(_chain(tmp_path / "small", 40))
    assert "data-tutor-diagram" in page and "## By section" not in page
