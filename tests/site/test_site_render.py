"""`tutor.site` renders pages as Markdown with no MkDocs: the transforms, one by one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tutor.graph import TutorialGraph
from tutor.loader import load_folder
from tutor.site import render_tutorial, rewrite_tutorial_links
from tutor.site.body import render_body
from tutor.site.links import relative_markdown_links


def one(folder, body: str, **meta):  # type: ignore[no-untyped-def]
    folder.sections("Basics")
    folder.tutorial("other", body="# Other\n\n## Step 1: Go\n", stepNumber=1, totalSteps=2)
    folder.tutorial("page", body=body, stepNumber=2, totalSteps=2, prerequisites=["other"], **meta)
    graph = TutorialGraph(load_folder(folder.root))
    return graph.tutorials["page"], graph


def test_attributes_leave_the_info_string_and_title_stays(folder) -> None:
    tutorial, graph = one(folder, '# P\n\n## Step 1: Run\n\n```bash {id=a timeout=9 title="Say \\"hi\\""}\necho hi\n```\n')
    body = render_body(tutorial, graph.tutorials)
    assert "```bash title=\"Say 'hi'\"\necho hi\n```" in body
    assert "timeout" not in body


def test_a_fence_in_a_blockquote_keeps_its_quote_marks(folder) -> None:
    tutorial, graph = one(folder, "# P\n\n> ```bash {id=q}\n> ls\n> ```\n")
    assert "> ```bash\n> ls\n> ```" in render_body(tutorial, graph.tutorials)


def test_verify_becomes_a_checklist_and_a_broken_one_stays_as_written(folder) -> None:
    tutorial, graph = one(folder, (
        "# P\n\n## Step 1: Run\n\n```verify\n- port: 80\n- file: /etc/hosts\n```\n\n"
        "```verify\n- nonsense: 1\n```\n"
    ))
    body = render_body(tutorial, graph.tutorials)
    assert '!!! success tutor-verify "Check"\n\n    - [ ] Something is listening on 127.0.0.1:80.\n' \
           "    - [ ] The file /etc/hosts exists.\n" in body
    assert "```verify\n- nonsense: 1\n```" in body


def test_an_unclosed_verify_fence_ends_the_body(folder) -> None:
    tutorial, graph = one(folder, "# P\n\n## Step 1: Run\n\n```verify\n- port: 80\n")
    body = render_body(tutorial, graph.tutorials)
    assert body.rstrip().endswith("- [ ] Something is listening on 127.0.0.1:80.")
    assert "```" not in body


def test_expected_output_gets_the_output_class(folder) -> None:
    body = "# P\n\n## Step 1: Run\n\n```bash\nls\n```\n\nExpected output:\n\n```{match=contains}\nx\n```\n"
    tutorial, graph = one(folder, body)
    assert "```{ .text .tutor-output .no-copy }\nx\n```" in render_body(tutorial, graph.tutorials)


def test_tutorial_links_become_page_files_outside_code(folder) -> None:
    tutorial, graph = one(folder, (
        "# P\n\nSee [o](/tutorial/other#step-1-go), [r][ref] and [gone](/tutorial/gone).\n\n"
        "[ref]: /tutorial/other/\n\n```md\n[o](/tutorial/other)\n```\n"
    ))
    body = render_body(tutorial, graph.tutorials)
    assert "[o](other.md#step-1-go)" in body
    assert "[ref]: other.md\n" in body
    assert "[gone](/tutorial/gone)" in body
    assert "```md\n[o](/tutorial/other)\n```" in body


def test_markdown_links_leave_other_sites_alone() -> None:
    text = "[a](https://example.com/tutorial/other) [b](/tutorial/other)"
    assert relative_markdown_links(text, {"other"}) == "[a](https://example.com/tutorial/other) [b](other.md)"


def test_html_links_are_resolved_by_the_caller() -> None:
    html = '<a href="/tutorial/a#x">A</a> <a href="/tutorial/b/">B</a> <a href="/docs/">C</a>'
    rewritten = rewrite_tutorial_links(html, lambda slug, anchor: None if slug == "b" else f"../{slug}/#{anchor}")
    assert rewritten == '<a href="../a/#x">A</a> <a href="/tutorial/b/">B</a> <a href="/docs/">C</a>'


def test_boxes_carry_no_headings_so_ids_stay_the_bodys(folder) -> None:
    tutorial, graph = one(folder, "Intro.\n\n## Step 1: Run\n", variables={"X": {"default": "1"}}, requires=["missing"])
    page = render_tutorial(tutorial, graph)
    headings = [line for line in page.split("\n") if line.startswith("#")]
    assert headings == ["## Step 1: Run"]
    assert "[Other](other.md)" in page
    assert "`missing`" in page


def test_the_engine_never_imports_mkdocs() -> None:
    code = (
        "import sys, tutor.site, tutor.site.reference as r, tutor.lint, tutor.export;"
        "[f(r.PageContext()) for f in r.PLACEHOLDERS.values()];"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('mkdocs', 'material', 'pymdownx')], 'mkdocs imported';"
        "assert not [m for m in sys.modules if m.startswith('tutor.cli')], 'the site imported the CLI'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).parent)
