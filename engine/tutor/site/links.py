"""Links of the form `/tutorial/<slug>` and `/tutorial/<slug>#anchor`.

Tutorials link to each other by their canonical URL. Left as is, such a link works only
when the site is served at the root of a host and with the default URL prefix, so the
site rewrites each one: in a tutorial's Markdown to the page file `<slug>.md` (MkDocs then
checks it and makes it relative), and in HTML (raw HTML, docs pages) to a relative URL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

_HREF = re.compile(r'(?P<attr>\shref=)(?P<quote>["\'])/tutorial/(?P<slug>[A-Za-z0-9_.-]+)/?(?:#(?P<anchor>[^"\']*))?(?P=quote)')

_MARKDOWN_DESTINATION = re.compile(
    r"(?P<lead>\]\(\s*<?|^[ ]{0,3}\[[^\]]+\]:\s*<?)/tutorial/(?P<slug>[A-Za-z0-9_.-]+)/?(?:#(?P<anchor>[^\s)>\"']*))?"
)

Resolve = Callable[[str, "str | None"], "str | None"]
"""(slug, anchor) → the URL to use, or None to leave the link as written."""


def rewrite_tutorial_links(html: str, resolve: Resolve) -> str:
    def replace(match: re.Match[str]) -> str:
        url = resolve(match.group("slug"), match.group("anchor") or None)
        if url is None:
            return match.group(0)
        quote = match.group("quote")
        return f"{match.group('attr')}{quote}{url}{quote}"

    return _HREF.sub(replace, html)


def relative_markdown_links(text: str, slugs: Collection[str]) -> str:
    """`[x](/tutorial/a#b)` and `[x]: /tutorial/a` → `a.md#b`, for the slugs given."""

    def replace(match: re.Match[str]) -> str:
        slug = match.group("slug")
        if slug not in slugs:
            return match.group(0)
        anchor = match.group("anchor")
        return f"{match.group('lead')}{slug}.md" + (f"#{anchor}" if anchor else "")

    return _MARKDOWN_DESTINATION.sub(replace, text)
