"""Small Markdown building blocks shared by the page renderers.

Text from a tutorial goes in through `text`, `code` or `link` (which escape it, see
`tutor.escape`); `cell` is for Markdown the engine itself wrote, such as rule summaries.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from ..escape import markdown_code, markdown_text

_TABLE_UNSAFE = re.compile(r"[|\n\r]")

text = markdown_text
"""Text from a tutorial as Markdown inline content: shown as written, never markup."""

code = markdown_code
"""Inline code on one line that survives backticks in the text."""


def cell(text: str) -> str:
    """The engine's own Markdown made safe inside a table cell: no line breaks, pipes escaped."""
    return _TABLE_UNSAFE.sub(lambda m: "\\|" if m.group(0) == "|" else " ", text).strip()


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; cells are Markdown already made safe with `cell`."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return "\n".join(lines) + "\n"


def link(label: str, slug: str, anchor: str | None = None, folder: str = "") -> str:
    """A link to a tutorial page, its label shown as text. Tutorial pages sit side by side, so
    from one another the target is `<slug>.md`; another page gives the `folder` of the tutorial
    pages relative to it."""
    label = markdown_text(label)
    target = f"{folder.rstrip('/') + '/' if folder else ''}{slug}.md" + (f"#{anchor}" if anchor else "")
    return f"[{label}]({target})"


def admonition(kind: str, title: str, body: str, prefix: str = "", css_class: str = "") -> str:
    """A `!!! kind "title"` box; `prefix` is the indentation of the place it goes."""
    quoted = title.replace('"', "'")
    classes = f"{kind} {css_class}" if css_class else kind
    lines = [f'{prefix}!!! {classes} "{quoted}"', prefix.rstrip()]
    for line in body.rstrip("\n").split("\n"):
        lines.append(f"{prefix}    {line}" if line.strip() else prefix.rstrip())
    return "\n".join(lines) + "\n"
