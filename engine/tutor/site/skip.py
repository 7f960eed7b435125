"""Material's "Skip to content" link, pointed at the page title instead of the first heading after it.

Material links the skip link to the first table-of-contents entry. On a tutorial page that
is the first `##` heading, below the generated boxes, so a keyboard reader skipped the
prerequisites. The content, title first, starts at the `<article>`: an empty anchor opens it
(not an id on the article itself, since Material names each code block after its nearest
ancestor's id, and one shared name would make every Copy button copy the first block).
"""

from __future__ import annotations

import re

CONTENT_ID = "tutor-content"

_SKIP = re.compile(r'<a href="[^"]*" class="md-skip">')
_ARTICLE = re.compile(r'<article class="md-content__inner[^"]*"[^>]*>')


def skip_to_title(page_html: str) -> str:
    """The page with its skip link aimed at the start of the content, where the title is."""
    skip = _SKIP.search(page_html)
    article = _ARTICLE.search(page_html, skip.end()) if skip else None
    if skip is None or article is None:
        return page_html
    tagged = article.group(0) + f'<span id="{CONTENT_ID}" tabindex="-1"></span>'
    return (page_html[: skip.start()] + f'<a href="#{CONTENT_ID}" class="md-skip">'
            + page_html[skip.end() : article.start()] + tagged + page_html[article.end():])
