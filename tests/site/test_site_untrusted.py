"""A tutorial set from a stranger: every text field carries a script payload.

The site is built (lint errors let through, as `mkdocs serve` does) and opened in headless
Chromium; no payload may run on any page, and each shows as text where its field goes.
Without Chromium or Playwright these tests skip (the `browser` fixture in conftest.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Each payload calls __x(field) if it ever runs; the page records the calls.
RECORD = "window.__hits = []; window.__x = (field) => window.__hits.push(field);"


def payload(field: str) -> str:
    """Markup that runs script in HTML, in an attribute, in Markdown and in a Mermaid label."""
    return f"\"'><img src=x onerror=__x('{field}')><script>__x('{field}')</script>`**{field}**`"


FIELDS = {
    "title": "title", "description": "description", "section": "section", "estimated": "estimatedTime",
    "section-description": "the sections file", "var-default": "a variable default",
    "var-description": "a variable description", "check-subject": "a check subject",
    "check-description": "a check description", "command": "a check command", "capability": "a capability name",
    "missing-prerequisite": "an unknown prerequisite", "block-title": "a fence title",
    "file-contains": "a file check's text", "dir-subject": "a folder check's path", "http-subject": "an http check's URL",
    "service-subject": "a service check's name", "process-subject": "a process check's pattern",
    "log-subject": "a log check's path", "log-contains": "a log check's text", "disk-subject": "a disk check's path",
    "port-host": "a port check's host", "requires-probe": "a pre-flight check's path",
}
NOT_SLUGS = ["<img src=x onerror=__x('file-name')>.md", "javascript:__x('file-link').md",
             "new\nline<img src=x onerror=__x('file-newline')>.md", "setup; touch pwned #.md"]


def q(text: str) -> str:
    return json.dumps(text)  # JSON strings are YAML strings


def write_tutorials(folder: Path) -> None:
    folder.mkdir()
    section = payload("section")
    (folder / "sections.yml").write_text(
        f"- name: {q(section)}\n  description: {q(payload('section-description'))}\n", encoding="utf-8")
    block_title = payload("block-title").replace('"', "").replace("'", "")
    (folder / "first.md").write_text(f"""---
title: {q(payload('title'))}
description: {q(payload('description'))}
section: {q(section)}
stepNumber: 1
totalSteps: 2
lastUpdated: 2026-01-01
estimatedTime: {q(payload('estimated'))}
prerequisites: [{q(payload('missing-prerequisite'))}]
provides:
  - id: {q(payload('capability'))}
    file: /etc/hosts
variables:
  GREETING:
    default: {q(payload('var-default'))}
    description: {q(payload('var-description'))}
---

## Step 1: Greet

```bash {{id=greet title="{block_title}"}}
echo "$GREETING"
```

```verify
- file: {q(payload('check-subject'))}
- file: /etc/hosts
  contains: {q(payload('file-contains'))}
- command: {q(payload('command'))}
- port: 80
  description: {q(payload('check-description'))}
- port: 81
  host: {q(payload('port-host'))}
- dir: {q(payload('dir-subject'))}
- http: {q('http://127.0.0.1/' + payload('http-subject'))}
- service: {q(payload('service-subject'))}
- process: {q(payload('process-subject'))}
- log: {q(payload('log-subject'))}
- log: /var/log/x
  contains: {q(payload('log-contains'))}
- disk: {q(payload('disk-subject'))}
  free: 1GB
```
""", encoding="utf-8")
    (folder / "second.md").write_text(f"""---
title: Second
description: Needs the first.
section: {q(section)}
stepNumber: 2
totalSteps: 2
lastUpdated: 2026-01-01
prerequisites: [first]
requires:
  - {q(payload('capability'))}
  - file: {q(payload('requires-probe'))}
---

## Step 1: Nothing

Plain.
""", encoding="utf-8")
    for name in NOT_SLUGS:
        (folder / name).write_text("---\ntitle: Bad name\n---\n", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    import yaml
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from site_plugins.mermaid import VendorError, vendored_mermaid

    try:
        mermaid_js = vendored_mermaid()
    except VendorError as exc:
        pytest.skip(f"the map needs the real Mermaid to render: {exc}")
    folder = tmp_path_factory.mktemp("hostile")
    write_tutorials(folder / "tutorials")
    (folder / "docs").mkdir()
    (folder / "docs" / "index.md").write_text("# Home\n\n<!-- tutor:sections -->\n", encoding="utf-8")
    config = {
        "site_name": "Hostile", "docs_dir": "docs",
        "theme": {"name": "material", "font": False, "features": ["navigation.footer", "content.code.copy"]},
        "plugins": ["search", {"tutor": {"tutorials": str(folder / "tutorials"), "mermaid_js": str(mermaid_js),
                                         "fail_on_errors": False}}],
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    loaded = load_config(config_file=str(folder / "mkdocs.yml"), site_dir=str(folder / "site"))
    loaded.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(loaded)
    finally:
        loaded.plugins.on_shutdown()
    return folder / "site"


@pytest.fixture(scope="module")
def base_url(built: Path, serve_site: Any) -> Iterator[str]:
    with serve_site(built) as url:
        yield url


@pytest.fixture(scope="module")
def visited(browser: Any, base_url: str, open_shadow_roots: str) -> dict[str, dict[str, Any]]:
    """Each page of the site once: the payloads that ran and the text it shows (map labels included)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(open_shadow_roots)
    context.add_init_script(RECORD)
    requested: list[str] = []
    context.on("request", lambda r: requested.append(r.url))
    pages: dict[str, dict[str, Any]] = {}
    try:
        tab = context.new_page()
        for url in ("", "tutorial/", "tutorial/first/", "tutorial/second/"):
            tab.goto(base_url + url)
            if url == "tutorial/":
                tab.locator(".tutor-map__svg svg").first.wait_for(timeout=20_000)
            tab.wait_for_timeout(300)
            pages[url] = tab.evaluate("""() => ({
                hits: window.__hits,
                text: document.body.innerText,
                title: document.title,
                description: (document.querySelector('meta[name=description]') || {}).content || '',
                map: [...document.querySelectorAll(".tutor-map__svg, div.mermaid")].map(d => (d.shadowRoot || d).textContent).join(" "),
                links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
            })""")
        tab.goto(base_url + "tutorial/first/")
        tab.keyboard.press("s")  # Material's shortcut for the search box
        tab.locator("input.md-search__input").press_sequentially("onerror")
        tab.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        pages["search"] = tab.evaluate("() => ({hits: window.__hits, text: document.querySelector('.md-search-result').innerText})")
    finally:
        context.close()
    pages["requests"] = {"urls": requested}
    return pages


def test_no_payload_runs_on_any_page(visited: dict[str, dict[str, Any]], base_url: str) -> None:
    for url, seen in visited.items():
        if url != "requests":
            assert seen["hits"] == [], f"a payload ran on {url or 'the home page'}: {seen['hits']}"
    assert all(u.startswith(base_url) for u in visited["requests"]["urls"]), "a page fetched something off the site"


@pytest.mark.parametrize("field", [f for f in FIELDS if f not in ("description",)])
def test_each_field_shows_as_text(visited: dict[str, dict[str, Any]], field: str) -> None:
    shown = " ".join(seen.get("text", "") + " " + seen.get("map", "") for seen in visited.values())
    expected = payload(field) if field != "block-title" else payload(field).replace('"', "").replace("'", "")
    assert expected in shown, f"{FIELDS[field]} is not shown as written"


def test_title_and_description_are_text_in_the_head(visited: dict[str, dict[str, Any]]) -> None:
    first = visited["tutorial/first/"]
    assert first["title"].startswith(payload("title"))
    assert first["description"] == payload("description")


def test_the_map_labels_are_text(visited: dict[str, dict[str, Any]]) -> None:
    assert payload("title") in visited["tutorial/"]["map"]
    assert payload("section") in visited["tutorial/"]["map"]


def test_search_results_are_text(visited: dict[str, dict[str, Any]]) -> None:
    assert "<script>" in visited["search"]["text"]


def test_file_names_that_are_not_slugs_are_not_published(visited: dict[str, dict[str, Any]], built: Path) -> None:
    links = [href for seen in visited.values() for href in seen.get("links", [])]
    assert not any("javascript" in href or "file-" in href or "pwned" in href for href in links)
    assert sorted(p.name for p in (built / "tutorial").iterdir() if p.is_dir()) == ["first", "second"]
    shown = " ".join(seen.get("text", "") for seen in visited.values())
    assert "run setup" not in shown and "run 'setup" not in shown  # in no "tutor run …" box
    search = json.loads((built / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert not any("pwned" in doc["location"] or "file-" in doc["location"] for doc in search["docs"])
