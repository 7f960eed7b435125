"""A tutorial body as the site renders it: links and fences rewritten from what the parser found.

- Links written `/tutorial/<slug>#anchor` become `<slug>.md#anchor`, which MkDocs resolves,
  checks and turns into a relative URL (outside code blocks only).
- Brace attributes leave the info string (` ```bash {id=x timeout=9} ` → ` ```bash `);
  a `title` attribute stays as the caption Material shows above the block.
- An expected-output fence gets the `tutor-output` class and no copy button.
- A `verify` fence becomes a checklist: one sentence per probe, the probe vocabulary's own.

The parser gives each block's opening line; rewriting goes from the last block up, so
earlier line numbers stay valid.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from ..model import Block, Tutorial
from .links import relative_markdown_links
from .markup import admonition
from .probes import sentences

OUTPUT_CLASS = "tutor-output"
VERIFY_TITLE = "Check"
VERIFY_CLASS = "tutor-verify"

_OPENING = re.compile(r"^(?P<prefix>(?:[ \t]*>)*[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def render_body(tutorial: Tutorial, slugs: Collection[str]) -> str:
    """The body to render; `slugs` are the tutorials that links may point at."""
    lines = tutorial.body.split("\n")
    fences: list[tuple[Block, int, int, re.Match[str]]] = []
    for block in tutorial.blocks:
        index = block.line - tutorial.body_start
        opening = _OPENING.match(lines[index]) if 0 <= index < len(lines) else None
        if opening is not None:
            fences.append((block, index, _closing_index(lines, index, block, opening.group("fence")), opening))
    inside = {i for _, start, end, _ in fences for i in range(start, end + 1)}
    for i, line in enumerate(lines):
        if i not in inside and "/tutorial/" in line:
            lines[i] = relative_markdown_links(line, slugs)
    for block, index, end, opening in sorted(fences, key=lambda f: f[1], reverse=True):
        prefix, fence = opening.group("prefix"), opening.group("fence")
        checklist = _checklist(block, _continuation(prefix)) if block.is_verify else None
        if checklist is not None:
            lines[index : end + 1] = checklist.rstrip("\n").split("\n")
        else:
            lines[index] = f"{prefix}{fence}{_info(block)}"
    return "\n".join(lines)


def _info(block: Block) -> str:
    if block.is_expected_output:
        return "{ ." + (block.language or "text") + f" .{OUTPUT_CLASS} .no-copy }}"
    info = block.info.strip()
    brace = info.find("{")
    if brace < 0:
        return info
    info = info[:brace].strip()
    title = block.options.title
    if title:
        info += ' title="' + title.replace('"', "'") + '"'
    return info


def _continuation(prefix: str) -> str:
    """What starts each line of a block that replaces a fence: the quote marks, list markers as spaces."""
    return re.sub(r"(?:[-*+]|\d+[.)])[ \t]+$", lambda m: " " * len(m.group(0)), prefix)


def _closing_index(lines: list[str], index: int, block: Block, fence: str) -> int:
    """The line of the closing fence, or the last line of the code when the fence is not closed."""
    last_code = index + block.code.count("\n")
    candidate = last_code + 1
    if candidate < len(lines) and lines[candidate].strip().lstrip(">").strip().startswith(fence[0] * len(fence)):
        return candidate
    return min(last_code, len(lines) - 1)


def _checklist(block: Block, prefix: str) -> str | None:
    items = sentences(block)
    if items is None:
        return None
    body = "\n".join(f"- [ ] {item}" for item in items)
    blank = prefix.rstrip()
    return f"{blank}\n" + admonition("success", VERIFY_TITLE, body, prefix, css_class=VERIFY_CLASS) + f"{blank}\n"
