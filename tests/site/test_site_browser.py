"""The built site in a real browser: headless Debian Chromium driven by Playwright.

Screenshots go to each test's temp folder. Without Chromium or Playwright these tests skip;
never run `playwright install` (it downloads a browser): use Debian's package.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="module")
def base_url(real_site, serve_site) -> Iterator[str]:
    """The real site served on 127.0.0.1 from a thread, for this module's tests."""
    with serve_site(real_site.root) as url:
        yield url


@pytest.fixture
def page(browser, base_url, open_shadow_roots) -> Iterator[Any]:
    """A fresh page that records every URL it requests."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(open_shadow_roots)
    tab = context.new_page()
    tab.requested = []
    tab.on("request", lambda request: tab.requested.append(request.url))
    try:
        yield tab
    finally:
        context.close()


def test_sidebar_lists_sections_and_tutorials_in_reading_order(page, base_url, real_graph, tmp_path: Path) -> None:
    first = real_graph.ordered()[0]
    page.goto(f"{base_url}tutorial/{first.slug}/")
    groups = page.evaluate("""() => {
        const part = [...document.querySelectorAll('nav.md-nav--primary > ul > li.md-nav__item--nested')]
            .find(li => li.querySelector(':scope > nav > label.md-nav__title').innerText.trim() === 'Tutorials');
        return [...part.querySelectorAll(':scope > nav > ul > li.md-nav__item--nested')].map(li => [
            li.querySelector(':scope > nav > label.md-nav__title').innerText.trim(),
            [...li.querySelectorAll(':scope > nav > ul > li > a.md-nav__link')].map(a => a.innerText.trim()),
        ]);
    }""")
    page.screenshot(path=str(tmp_path / "sidebar.png"))
    sections = [s for s in real_graph.sections_in_order() if real_graph.in_section(s)]
    expected = [[s, [t.title for t in real_graph.in_section(s)]] for s in sections]
    assert groups == expected
    assert all(url.startswith(base_url) for url in page.requested), "the page fetched something off the site"


def test_a_prerequisite_link_opens_the_prerequisite(page, base_url, real_graph, tmp_path: Path) -> None:
    tutorial = next(t for t in real_graph.ordered() if t.prerequisites)
    prerequisite = real_graph.tutorials[real_graph.direct_prerequisites(tutorial.slug)[0]]
    page.goto(f"{base_url}tutorial/{tutorial.slug}/")
    assert page.locator(".tutor-meta__step").inner_text() in (f"Step {tutorial.step_number} of "
                                                             f"{real_graph.step_count(tutorial.section)}", "Appendix")
    page.screenshot(path=str(tmp_path / "tutorial.png"), full_page=True)
    page.locator(".tutor-prerequisites a", has_text=prerequisite.title).first.click()
    page.wait_for_url(f"{base_url}tutorial/{prerequisite.slug}/")
    assert page.locator("article h1").first.inner_text().strip() == prerequisite.title
    page.screenshot(path=str(tmp_path / "prerequisite.png"))


def test_commands_have_copy_buttons_and_output_has_none(page, base_url, real_graph) -> None:
    tutorial = next(t for t in real_graph.ordered() if any(b.is_expected_output for b in t.blocks))
    page.goto(f"{base_url}tutorial/{tutorial.slug}/")
    page.locator(".tutor-run button.md-code__button[data-md-type=copy]").wait_for(timeout=10_000)
    assert page.locator(".tutor-run button.md-code__button[data-md-type=copy]").count() == 1
    assert page.locator(".tutor-output").count() > 0
    assert page.locator(".tutor-output button.md-code__button[data-md-type=copy]").count() == 0


def test_the_map_renders_an_svg_whose_nodes_open_tutorials(page, base_url, real_graph, tmp_path: Path) -> None:
    page.goto(f"{base_url}tutorial/")
    svg = page.locator(".tutor-map__svg svg")
    svg.wait_for(timeout=20_000)
    page.screenshot(path=str(tmp_path / "map.png"), full_page=True)
    assert page.locator(".tutor-map__svg svg g.node").count() == len(real_graph.tutorials)
    assert all(url.startswith(base_url) for url in page.requested), "Mermaid came from off the site"
    first = real_graph.ordered()[0]
    page.locator(f".tutor-map__svg svg a:has(g.node[id*='t_{first.slug.replace('-', '_')}'])").first.click()
    page.wait_for_url(f"{base_url}tutorial/{first.slug}/")


# ---- the reader's side: values, progress, labels, phone width, accessibility ----

SCREENSHOTS = Path("/tmp/tutor-site-screenshots")
"""Also kept outside the test's temp folder, so a person can look at them after a run."""


def shot(page: Any, tmp_path: Path, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    for folder in (tmp_path, SCREENSHOTS):
        page.screenshot(path=str(folder / f"{name}.png"), full_page=False)


@pytest.fixture
def reader(browser, base_url) -> Iterator[Any]:
    """A fresh browser profile (empty storage) that may read the clipboard."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    tab = context.new_page()
    tab.requested = []
    tab.on("request", lambda request: tab.requested.append(request.url))
    try:
        yield tab
    finally:
        context.close()


def storage(page: Any) -> str:
    return page.evaluate("() => JSON.stringify(Object.entries(window.localStorage))")


def test_a_value_set_on_one_page_shows_and_copies_on_another(reader, base_url, tmp_path: Path) -> None:
    reader.goto(f"{base_url}tutorial/kms-bootstrap/")
    field = reader.get_by_label("KMS_DOMAIN", exact=False)
    field.fill("kms.reader.test")
    shot(reader, tmp_path, "values-panel")
    reader.goto(f"{base_url}tutorial/vmm-gateway-integration/")
    shown = reader.locator(".language-bash [data-tutor-var=KMS_DOMAIN]").first
    assert shown.inner_text() == "kms.reader.test"
    block = reader.locator(".language-bash", has=reader.locator("[data-tutor-var=KMS_DOMAIN]")).first
    block.hover()
    block.locator("button.md-code__button[data-md-type=copy]").click()
    copied = reader.evaluate("() => navigator.clipboard.readText()")
    assert "kms.reader.test" in copied and "$KMS_DOMAIN" not in copied
    assert copied.strip() == block.locator("code").inner_text().strip()
    # The export block carries it, single-quoted.
    export = reader.locator(".tutor-values__export code").inner_text()
    assert "export KMS_DOMAIN='kms.reader.test'" in export
    assert all(url.startswith(base_url) for url in reader.requested)


def test_a_secret_is_never_stored_nor_shown(reader, base_url, real_graph) -> None:
    from tutor.secret_names import is_secret

    tutorial = next(t for t in real_graph.ordered() if any(is_secret(v) for v in t.variables.values()))
    secret = next(name for name, v in tutorial.variables.items() if is_secret(v))
    reader.goto(f"{base_url}tutorial/{tutorial.slug}/")
    assert reader.locator(f"[data-tutor-input={secret}]").count() == 0
    for field in reader.locator("input[data-tutor-input]").all():
        field.fill("reader-value")
    # A secret that got into storage some other way is dropped, never shown.
    key = reader.evaluate("() => Object.keys(localStorage).find(k => k.endsWith(':values'))")
    reader.evaluate("([key, name]) => { const v = JSON.parse(localStorage.getItem(key)); v[name] = 'leaked-secret';"
                    " localStorage.setItem(key, JSON.stringify(v)); }", [key, secret])
    reader.reload()
    assert "leaked-secret" not in storage(reader) and secret not in storage(reader)
    assert "leaked-secret" not in reader.content()
    assert f"export {secret}=" not in reader.locator(".tutor-values__export code").inner_text()


def test_mark_as_done_shows_in_the_sidebar_and_continue_moves_on(reader, base_url, real_graph, tmp_path: Path) -> None:
    first, second = real_graph.ordered()[:2]
    reader.goto(base_url)
    assert reader.locator("[data-tutor-continue]").first.inner_text() == f"Continue: {first.title}"
    reader.goto(f"{base_url}tutorial/{first.slug}/")
    button = reader.get_by_role("button", name="Mark as done")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    reader.reload()
    assert reader.get_by_role("button", name="Mark as done").get_attribute("aria-pressed") == "true"
    reader.goto(f"{base_url}tutorial/{second.slug}/")
    link = reader.locator(f"nav.md-nav--primary a.md-nav__link[href$='{first.slug}/']").first
    assert "tutor-is-done" in (link.get_attribute("class") or "") and "(done)" in link.inner_text()
    shot(reader, tmp_path, "done-sidebar")
    for page in ("", "tutorial/"):
        reader.goto(base_url + page)
        go = reader.locator("[data-tutor-continue]").first
        assert go.inner_text() == f"Continue: {second.title}"
        assert go.get_attribute("href").endswith(f"tutorial/{second.slug}/")
    reader.goto(f"{base_url}tutorial/{second.slug}/")
    if first.slug in real_graph.direct_prerequisites(second.slug):
        item = reader.locator(".tutor-prerequisites li", has_text=first.title).first
        assert "— done" in item.inner_text()
    reader.goto(f"{base_url}progress/")
    section = reader.locator(f"[data-tutor-count='{first.section}']")
    assert section.inner_text() == f"1 of {len(real_graph.in_section(first.section))} done"
    shot(reader, tmp_path, "progress")
    reader.once("dialog", lambda dialog: dialog.accept())
    reader.get_by_role("button", name="Start over").click()
    assert section.inner_text().startswith("0 of ")


def test_a_check_tick_survives_a_reload(reader, base_url, real_graph) -> None:
    tutorial = next(t for t in real_graph.ordered() if any(b.is_verify for b in t.blocks))
    reader.goto(f"{base_url}tutorial/{tutorial.slug}/")
    box = reader.locator(".tutor-verify input[type=checkbox]").first
    name = box.get_attribute("aria-label")
    assert name and len(name) > 5
    box.focus()
    reader.keyboard.press("Space")
    assert box.is_checked()
    reader.reload()
    assert reader.locator(".tutor-verify input[type=checkbox]").first.is_checked()


def test_a_manual_block_has_its_label_and_no_copy_button(reader, base_url, real_graph, tmp_path: Path) -> None:
    tutorial = next(t for t in real_graph.ordered() if any(b.options.manual for b in t.blocks))
    reader.goto(f"{base_url}tutorial/{tutorial.slug}/")
    reader.locator("button.md-code__button[data-md-type=copy]").first.wait_for()
    manual = reader.locator(".tutor-manual").first
    manual.scroll_into_view_if_needed()
    assert manual.locator("button.md-code__button[data-md-type=copy]").count() == 0
    label = reader.locator(".tutor-how--manual").first
    assert label.inner_text().strip().endswith("Do this by hand")
    shot(reader, tmp_path, "manual-block")


@pytest.mark.parametrize("path", ["", "tutorial/vmm-service-setup/", "tutorial/", "values/"])
def test_at_phone_width_nothing_scrolls_the_page_sideways(browser, base_url, path: str, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        tab = context.new_page()
        tab.goto(base_url + path)
        assert tab.evaluate("() => document.documentElement.scrollWidth") <= 390
        shot(tab, tmp_path, f"phone-{path.strip('/').replace('/', '-') or 'home'}")
    finally:
        context.close()


CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
      .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const over = (top, under) => { const a = top.length > 3 ? top[3] : 1; return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)); };
  const background = el => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor); if (c.length && (c.length < 4 || c[3] > 0)) layers.push(c); if (c.length === 3 || c[3] === 1) break; }
    return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255]);
  };
  const pairs = [];
  for (const el of document.querySelectorAll(".tutor-meta > span, .tutor-how, .tutor-manual code, .tutor-manual code span, .tutor-values__default, .tutor-done__state, .tutor-output code")) {
    const bg = background(el);
    const fg = over(rgb(getComputedStyle(el).color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    pairs.push([el.className || el.tagName, Math.round((a + 0.05) / (b + 0.05) * 100) / 100]);
  }
  const output = document.querySelector(".tutor-output");
  if (output) {
    const bg = background(output);
    const fg = over(rgb(getComputedStyle(output, "::before").color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    pairs.push(["output label", Math.round((a + 0.05) / (b + 0.05) * 100) / 100]);
  }
  return pairs;
}"""

UNLABELLED = """() => [...document.querySelectorAll('input, button, select, textarea')]
  .filter(e => e.offsetParent !== null || e.closest('.task-list-control'))
  .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')
               && !(e.textContent || '').trim() && !e.title && e.type !== 'hidden')
  .map(e => e.outerHTML.slice(0, 120))"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "tutorial/kms-bootstrap/", "tutorial/gateway-cvm-deployment/", "tutorial/"])
def test_accessibility_contrast_labels_and_focus(browser, base_url, path: str, scheme: str, tmp_path: Path) -> None:
    """Our own checks, in place of axe-core: every tutor colour pair is computed against WCAG AA,
    every control has an accessible name, a focused checkbox shows an outline, skip lands on the title."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, color_scheme=scheme)
    try:
        tab = context.new_page()
        tab.goto(base_url + path)
        expected = "slate" if scheme == "dark" else "default"
        assert tab.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == expected
        low = [(name, ratio) for name, ratio in tab.evaluate(CONTRAST) if ratio < 4.5]
        assert not low, f"colour pairs under 4.5:1 on /{path} ({scheme}): {low}"
        assert tab.evaluate(UNLABELLED) == []
        skip = tab.locator("a.md-skip").get_attribute("href")
        # The skip target opens the content: the title comes next, before any generated box.
        assert tab.evaluate("""(id) => { const t = document.querySelector(id), h1 = document.querySelector('article h1');
            const box = document.querySelector('article .admonition') || h1;
            return !!t && !!(t.compareDocumentPosition(h1) & 4) && !(box.compareDocumentPosition(h1) & 4); }""", skip)
        boxes = tab.locator(".tutor-verify input[type=checkbox]")
        if boxes.count():
            boxes.first.focus()
            tab.keyboard.press("Shift+Tab")
            tab.keyboard.press("Tab")
            outline = tab.evaluate("""() => getComputedStyle(document.activeElement.nextElementSibling, '::before').outlineStyle""")
            assert outline == "solid"
        shot(tab, tmp_path, f"a11y-{scheme}-{path.strip('/').replace('/', '-') or 'home'}")
    finally:
        context.close()
