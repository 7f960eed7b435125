"""The search index of a big site, bounded so that it grows by a fixed amount per heading.

The theme's search index holds the full text of every page, split at its headings: for
2,000 tutorials of 8 KB, 18 MB that each reader's browser downloads and indexes before the
first result. Above the plugin's `full_navigation_limit`, every entry keeps its location and
title (each page and each heading stays findable by its title) and the first
`SEARCH_TEXT_LIMIT` characters of its text, cut before any tag or character reference the
limit would split, so that the preview the theme shows stays well-formed.
"""

from __future__ import annotations

import json
from typing import Any

SEARCH_TEXT_LIMIT = 200


def bounded_search_index(index_json: str, limit: int = SEARCH_TEXT_LIMIT) -> str:
    """The index (Material's `search_index.json` text) with each entry's text cut to `limit`."""
    data: Any = json.loads(index_json)
    docs = data.get("docs") if isinstance(data, dict) else None
    if not isinstance(docs, list):
        return index_json
    for entry in docs:
        text = entry.get("text") if isinstance(entry, dict) else None
        if isinstance(text, str) and len(text) > limit:
            entry["text"] = text_prefix(text, limit)
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def text_prefix(html: str, limit: int) -> str:
    """The first `limit` characters of `html` and an ellipsis, never ending inside a tag or a
    character reference (`&amp;`)."""
    cut = html[:limit]
    for opening, closing in (("<", ">"), ("&", ";")):
        start = cut.rfind(opening)
        if start >= 0 and cut.find(closing, start) < 0:
            cut = cut[:start]
    return cut.rstrip() + "…"
