"""Heading ids, computed exactly as the site computes them.

The lint checks `#anchor` links with these functions and the site plugin hands the
same function to MkDocs' `toc` extension, so the two can never disagree (the site's copy cuts
ids at `MAX_ANCHOR` characters; lint reports a longer one as an error).

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
MAX_ANCHOR = 200
"""The longest heading id lint accepts (`headings/long-id`). The site cuts an id made from a
heading's text to this length: Python-Markdown's toc reads the digits after the `_` of a
repeated id as an int, and Python refuses to convert 4,300 digits or more (a traceback)."""

_NOT_WORD_SPACE_HYPHEN = re.compile(r"[^\w\s-]")
_SPACES_AND_HYPHENS = re.compile(r"[-\s]+")
_GITHUB_DROP = re.compile(r"[^\w\- ]", re.UNICODE)
_COUNTED = re.compile(r"^(.*)_([0-9]+)$")


def mkdocs_slugify(text: str, separator: str = "-") -> str:
    value = text if text.isascii() else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    value = _NOT_WORD_SPACE_HYPHEN.sub("", value).strip().lower()
    if separator == "-":
        return _SPACES_AND_HYPHENS.sub("-", value)
    return re.sub(rf"[{re.escape(separator)}\s]+", separator, value)


def github_slugify(text: str, separator: str = "-") -> str:
    value = _GITHUB_DROP.sub("", text.strip().lower())
    return value.replace(" ", separator)


def site_slugify_for(style: str) -> Callable[[str, str], str]:
    """`slugify_for(style)` cut at `MAX_ANCHOR` characters: what the site hands to `toc`."""
    return _bounded_github if style == "github" else _bounded_mkdocs


def _bounded_mkdocs(text: str, separator: str = "-") -> str:
    return mkdocs_slugify(text, separator)[:MAX_ANCHOR]


def _bounded_github(text: str, separator: str = "-") -> str:
    return github_slugify(text, separator)[:MAX_ANCHOR]


def slugify_for(style: str) -> Callable[[str, str], str]:
    """The slugify function of an anchor style, with Python-Markdown's signature."""
    if style == "github":
        return github_slugify
    return mkdocs_slugify


class AnchorAllocator:
    """Hands out unique ids for the headings of one page, in order.

    The ids are the ones Python-Markdown (mkdocs) or GitHub would give. Both add a counter to
    a repeated id; counting up from 1 for each repeat made 20,000 identical headings cost
    200 million probes (27 s), so each base remembers how far it has counted.
    """

    def __init__(self, style: str = "mkdocs") -> None:
        self.style = style
        self._slugify = slugify_for(style)
        self._ids: set[str] = set()
        self._jumps: dict[str, dict[int, int]] = {}
        """mkdocs: base → {taken count → a later count, every one between them taken}."""
        self._occurrences: dict[str, int] = {}
        """github: github-slugger's counter per original id."""
        self.probes = 0
        """Candidate ids tried, in all: the work done (a test reads it)."""

    def allocate(self, text: str, explicit: str | None = None) -> str:
        anchor = explicit if explicit else self._slugify(text, "-")
        if self.style == "github":
            return self._unique_github(anchor)
        return self._unique_mkdocs(anchor)

    def _unique_mkdocs(self, anchor: str) -> str:
        # Python-Markdown: while taken (or empty), `x_N` becomes `x_{N+1}` and `x` becomes `x_1`:
        # the first free `base_k` with k above the anchor's own count.
        self.probes += 1
        if anchor in self._ids or not anchor:
            match = _COUNTED.match(anchor)
            # (a count too long for int() is not a count: Python refuses 4,300+ digits)
            base, count = (match.group(1), int(match.group(2))) if match and len(match.group(2)) < 100 else (anchor, 0)
            anchor = f"{base}_{self._first_free(base, count + 1)}"
        self._ids.add(anchor)
        return anchor

    def _first_free(self, base: str, count: int) -> int:
        """The first k ≥ count with `base_k` free. Each taken k remembers a k' such that every
        count from k to k' is taken (shortened on each visit), so repeats cost nearly nothing."""
        jumps = self._jumps.setdefault(base, {})
        visited = []
        while f"{base}_{count}" in self._ids:
            self.probes += 1
            visited.append(count)
            count = jumps.get(count, count + 1)
        for taken in visited:
            jumps[taken] = count
        return count

    def _unique_github(self, anchor: str) -> str:
        # github-slugger: one occurrence counter per original slug, never reset.
        self.probes += 1
        candidate = anchor
        while candidate in self._ids:
            self.probes += 1
            count = self._occurrences.get(anchor, 0) + 1
            self._occurrences[anchor] = count
            candidate = f"{anchor}-{count}"
        self._ids.add(candidate)
        return candidate
