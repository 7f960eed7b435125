"""A tutorial page shows its metadata: position, boxes, variables, checks and output blocks."""

from __future__ import annotations


def text(element) -> str:  # type: ignore[no-untyped-def]
    return " ".join(element.get_text().split())


def test_pages_live_at_tutorial_slug(basic_site) -> None:
    for slug in ("prepare-host", "open-firewall", "start-service", "service-faq"):
        assert basic_site.path(f"tutorial/{slug}/").is_file()
    assert basic_site.path("tutorial/").is_file()  # the map


def test_meta_line_shows_section_step_difficulty_time_and_date(basic_site) -> None:
    meta = basic_site.soup("tutorial/open-firewall/").select_one(".tutor-meta")
    assert [text(span) for span in meta.find_all("span")] == [
        "Host", "Step 2 of 2", "Intermediate", "5 minutes", "Updated 2026-01-16",
    ]
    appendix = basic_site.soup("tutorial/service-faq/").select_one(".tutor-meta")
    assert "Appendix" in text(appendix)


def test_prerequisite_links_resolve_to_the_right_pages(basic_site) -> None:
    page = "tutorial/start-service/"
    box = basic_site.soup(page).select_one(".admonition.tutor-prerequisites")
    links = [(text(a), basic_site.resolve(page, a["href"])) for a in box.find_all("a")]
    assert links[:2] == [
        ("Prepare the Host", "tutorial/prepare-host/"),
        ("Open the Firewall", "tutorial/open-firewall/"),
    ]
    for title, url in links:
        target = basic_site.soup(url)
        assert target.find("h1").get_text(strip=True).rstrip("¶") == title


def test_requires_read_as_plain_sentences(basic_site) -> None:
    page = "tutorial/start-service/"
    box = basic_site.soup(page).select_one(".admonition.tutor-prerequisites")
    items = [text(li) for li in box.find_all("li")]
    assert "port-open (provided by Open the Firewall)" in items
    assert "The file /etc/service.toml contains [server]." in items
    provider = [a for a in box.find_all("a") if text(a) == "Open the Firewall"][-1]
    assert basic_site.resolve(page, provider["href"]) == "tutorial/open-firewall/"


def test_a_first_tutorial_says_it_has_no_prerequisites(basic_site) -> None:
    box = basic_site.soup("tutorial/prepare-host/").select_one(".tutor-prerequisites")
    assert "None: you can start here." in text(box)


def test_run_box_has_the_exact_command(basic_site) -> None:
    box = basic_site.soup("tutorial/start-service/").select_one(".admonition.tutor-run")
    assert "Run this tutorial" in text(box)
    assert box.find("code").get_text().strip() == "tutor run start-service"


def test_values_panel_labels_each_input_and_never_shows_a_secret_default(basic_site) -> None:
    html = basic_site.html("tutorial/start-service/")
    panel = basic_site.soup("tutorial/start-service/").select_one(".tutor-values")
    inputs = panel.select("input[data-tutor-input]")
    assert [i["data-tutor-input"] for i in inputs] == ["SERVICE_PORT"]
    label = panel.select_one(f"label[for='{inputs[0]['id']}']")
    assert text(label) == "SERVICE_PORT — Port the service listens on. (default: 8080)"
    secrets = [item["data-tutor-secret"] for item in panel.select("[data-tutor-secret]")]
    assert secrets == ["API_TOKEN", "ADMIN_PASSWORD"]
    assert "s3cr3t-default-value" not in html
    export = panel.select_one(".tutor-values__export code").get_text()
    assert export.split("\n") == [
        "export SERVICE_PORT='8080'",
        "read -rsp 'API_TOKEN: ' API_TOKEN && echo && export API_TOKEN",
        "read -rsp 'ADMIN_PASSWORD: ' ADMIN_PASSWORD && echo && export ADMIN_PASSWORD",
    ]
    # A pipe in a description is text, never a table cell boundary.
    prepare = basic_site.soup("tutorial/prepare-host/").select_one(".tutor-values label")
    assert "Packages to install | space-separated." in text(prepare)


def test_fence_attributes_are_stripped_and_a_title_becomes_a_caption(basic_site) -> None:
    html = basic_site.html("tutorial/prepare-host/")
    soup = basic_site.soup("tutorial/prepare-host/")
    assert "timeout=" not in html and "{id=" not in html
    # The default shows where the shell reads the variable, split into words as the shell splits it.
    assert "sudo apt-get install -y curl jq" in text(soup)
    value = soup.select_one(".language-bash [data-tutor-var=PACKAGES]")
    assert value["data-tutor-quote"] == "none" and value["data-tutor-ref"] == "$PACKAGES"
    caption = soup.select_one(".highlight .filename")
    assert caption is not None and text(caption) == "Install the packages"
    assert "expect=" not in basic_site.html("tutorial/start-service/")


def test_verify_fences_become_checklists_of_probe_sentences(basic_site) -> None:
    soup = basic_site.soup("tutorial/start-service/")
    checks = soup.select(".admonition.tutor-verify")
    assert len(checks) == 1
    items = [text(li) for li in checks[0].select("li.task-list-item")]
    assert items == [
        "Something is listening on 127.0.0.1:8080 (within 30 s).",
        "http://127.0.0.1:8080/health answers with status 200.",
    ]
    assert all(li.find("input", type="checkbox") for li in checks[0].select("li.task-list-item"))
    assert "language-verify" not in basic_site.html("tutorial/start-service/")


def test_a_verify_fence_inside_a_list_item_stays_in_it(basic_site) -> None:
    soup = basic_site.soup("tutorial/prepare-host/")
    nested = soup.select("ol li .admonition.tutor-verify")
    assert [text(li) for box in nested for li in box.select("li.task-list-item")] == [
        "At least 5 GB is free on /var/lib."
    ]


def test_expected_output_is_styled_as_output_without_copy(basic_site) -> None:
    soup = basic_site.soup("tutorial/open-firewall/")
    output = soup.select_one(".tutor-output")
    assert output is not None and "no-copy" in output["class"]
    assert text(output) == "Rule added"
    command = soup.select(".highlight")[-2]
    assert "tutor-output" not in command.get("class", [])


def test_body_links_to_tutorials_become_relative_and_resolve(basic_site) -> None:
    page = "tutorial/start-service/"
    soup = basic_site.soup(page)
    hrefs = {text(a): a["href"] for a in soup.select("article a") if not a.get("class")}
    assert not any(href.startswith("/tutorial/") for href in hrefs.values())
    assert basic_site.resolve(page, hrefs["disk check"]) == "tutorial/prepare-host/#step-2-check-the-disk"
    assert basic_site.resolve(page, hrefs["the firewall step"]) == "tutorial/open-firewall/#step-1-allow-the-port"
    assert hrefs["the top"] == "#start-the-service"
    code_block = soup.select(".highlight")[-1]
    assert "[x](/tutorial/prepare-host)" in text(code_block)


def test_heading_ids_are_the_engines_anchors(basic_site, fixtures_dir) -> None:
    from tutor.loader import load_folder

    tutorials = load_folder(fixtures_dir / "basic").tutorials
    for slug, tutorial in tutorials.items():
        soup = basic_site.soup(f"tutorial/{slug}/")
        ids = [h["id"] for h in soup.select("article h1, article h2, article h3, article h4") if h.get("id")]
        assert ids == [h.anchor for h in tutorial.headings], slug
    assert "notes_1" in [h.anchor for h in tutorials["prepare-host"].headings]
