"""Heading ids, computed exactly as the site computes them.

The lint checks `#anchor` links with these functions and the site plugin hands the
same function to MkDocs' `toc` extension, so the two can never disagree.

- ``mkdocs`` (default): Python-Markdown's `toc` slugify: NFKD to ASCII, drop every
  character that is not a word character, space or hyphen, lower-case, and fold runs
  of spaces and hyphens into one hyphen. "TDX & SGX" → ``tdx-sgx``. Repeats get
  ``_1``, ``_2``…
- ``github``: GitHub's rule, for folders written for another site: lower-case, drop
  punctuation but keep hyphens and underscores, each space becomes a hyphen (no folding).
  "TDX & SGX" → ``tdx--sgx``. Repeats get ``-1``, ``-2``…
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

ANCHOR_STYLES = ("mkdocs", "github")

_NOT_WORD_SPACE_HYPHEN = re.compile(r"[^\w\s-]")
_SPACES_AND_HYPHENS = re.compile(r"[-\s]+")
_GITHUB_DROP = re.compile(r"[^\w\- ]", re.UNICODE)
_COUNTED = re.compile(r"^(.*)_([0-9]+)$")


def mkdocs_slugify(text: str, separator: str = "-") -> str:
    value = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = _NOT_WORD_SPACE_HYPHEN.sub("", value).strip().lower()
    return re.sub(rf"[{re.escape(separator)}\s]+", separator, value)


def github_slugify(text: str, separator: str = "-") -> str:
    value = _GITHUB_DROP.sub("", text.strip().lower())
    return value.replace(" ", separator)


def slugify_for(style: str) -> Callable[[str, str], str]:
    """The slugify function of an anchor style, with Python-Markdown's signature."""
    if style == "github":
        return github_slugify
    return mkdocs_slugify


class AnchorAllocator:
    """Hands out unique ids for the headings of one page, in order."""

    def __init__(self, style: str = "mkdocs") -> None:
        self.style = style
        self._slugify = slugify_for(style)
        self._ids: set[str] = set()

    def allocate(self, text: str, explicit: str | None = None) -> str:
        anchor = explicit if explicit else self._slugify(text, "-")
        if self.style == "github":
            return self._unique_github(anchor)
        return self._unique_mkdocs(anchor)

    def _unique_mkdocs(self, anchor: str) -> str:
        if anchor in self._ids or not anchor:
            match = _COUNTED.match(anchor)
            base, count = (match.group(1), int(match.group(2))) if match else (anchor, 0)
            count += 1
            while f"{base}_{count}" in self._ids:
                count += 1
            anchor = f"{base}_{count}"
        self._ids.add(anchor)
        return anchor

    def _unique_github(self, anchor: str) -> str:
        candidate, count = anchor, 0
        while candidate in self._ids:
            count += 1
            candidate = f"{anchor}-{count}"
        self._ids.add(candidate)
        return candidate
