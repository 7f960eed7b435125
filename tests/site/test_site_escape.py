"""The escaping helpers: a tutorial's strings are text in HTML, Markdown and Mermaid."""

from __future__ import annotations

import markdown
import pytest

from tutor.escape import html_text, markdown_code, markdown_text, mermaid_text

HOSTILE = [
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "**bold** _em_ ~~del~~ ==mark== ^sup^ [link](javascript:alert(1)) ![i](x)",
    "a | b\n\n<script>alert(1)</script>",
    "`code` ``more`` {: .attr } &amp; &lt; \\*",
    "1. not a list",
    "# not a heading",
    "<https://example.com> http://example.com",
]


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list", "admonition", "pymdownx.tasklist"])


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_renders_as_the_text_itself(text: str) -> None:
    import html

    rendered = render("- " + markdown_text(text))
    inner = rendered.removeprefix("<ul>\n<li>").removesuffix("</li>\n</ul>")
    assert "<" not in inner.replace("&lt;", "")
    assert html.unescape(inner) == " ".join(text.split("\n")).replace("  ", " ").strip() or "\n" in text


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_code_stays_one_code_span(text: str) -> None:
    rendered = render("- " + markdown_code(text))
    assert rendered.count("<code>") == 1 and "<script" not in rendered and "<img" not in rendered


@pytest.mark.parametrize("text", HOSTILE)
def test_html_text_has_no_markup(text: str) -> None:
    escaped = html_text(text)
    assert not any(c in escaped for c in "<>\"'\n")


@pytest.mark.parametrize("text", HOSTILE)
def test_mermaid_text_cannot_close_a_label_or_start_markup(text: str) -> None:
    escaped = mermaid_text(text)
    assert not any(c in escaped for c in "<>\"`[]\n*_")


def test_the_run_box_quotes_the_slug(folder) -> None:
    from tutor.site.header import run_box

    class Stub:
        slug = "a'b"

    assert "tutor run 'a'\"'\"'b'" in run_box(Stub())  # type: ignore[arg-type]
