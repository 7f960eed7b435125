"""The sidebar of a big site, cut to what a reader can use, so the site grows linearly.

Material writes the whole navigation into every page, indented: about 400 bytes per
tutorial, so 2,000 tutorials made 2,000 pages of 800 KB of navigation each (1.1 GB). For a
set above `FULL_NAVIGATION_LIMIT` tutorials, each page's primary sidebar keeps

- the section it is in, in full;
- the other sections (and collapsible groups) with only their first page, which lists its
  own section in full;

and its runs of whitespace become one space (as the browser reads them anyway; the sidebar
has no <pre>). Everything else on the page is left as Material wrote it. (The plugin also
hands the theme a trimmed navigation for such a set, site_plugins/navtrim.py, so that the
entries cut here are mostly never rendered: that made the build quadratic.)
"""

from __future__ import annotations

import re

FULL_NAVIGATION_LIMIT = 200
_PRIMARY = '<nav class="md-nav md-nav--primary'
_NAV_TAG = re.compile(r"<(/?)nav\b")
_LIST_TAG = re.compile(r"<(/?)(ul|li)\b")
_INACTIVE_SECTION = re.compile(r'<li class="md-nav__item(?: md-nav__item--section)? md-nav__item--nested">')
_WHITESPACE = re.compile(r"\s+")


def compact_navigation(page_html: str) -> str:
    start = page_html.find(_PRIMARY)
    if start < 0:
        return page_html
    end = _closing(page_html, start)
    if end < 0:
        return page_html
    nav = _WHITESPACE.sub(" ", _first_items_only(page_html[start:end]))
    return page_html[:start] + nav + page_html[end:]


def _closing(text: str, start: int) -> int:
    """The end of the <nav> that opens at `start` (after its closing tag), or -1."""
    depth = 0
    for match in _NAV_TAG.finditer(text, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            close = text.find(">", match.end())
            return -1 if close < 0 else close + 1
    return -1


def _first_items_only(nav: str) -> str:
    """Each section that is not the page's own keeps the first item of its list."""
    out: list[str] = []
    at = 0
    for section in _INACTIVE_SECTION.finditer(nav):
        if section.start() < at:
            continue  # inside a section already cut
        items = nav.find('<ul class="md-nav__list"', section.end())
        if items < 0:
            break
        list_end = _list_closing(nav, items, "ul")
        first = nav.find("<li", nav.find(">", items))
        if list_end < 0 or first < 0 or first > list_end:
            continue
        first_end = _list_closing(nav, first, "li")
        if first_end < 0:
            continue
        closing_ul = nav.rfind("</ul>", 0, list_end)
        out.append(nav[at:first_end])
        at = closing_ul
    out.append(nav[at:])
    return "".join(out)


def _list_closing(text: str, start: int, name: str) -> int:
    depth = 0
    for match in _LIST_TAG.finditer(text, start):
        if match.group(2) != name:
            continue
        depth += -1 if match.group(1) else 1
        if depth == 0:
            close = text.find(">", match.end())
            return -1 if close < 0 else close + 1
    return -1
