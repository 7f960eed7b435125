"""A tutorial body as the site renders it: links and fences rewritten from what the parser found.

- Links written `/tutorial/<slug>#anchor` become `<slug>.md#anchor`, which MkDocs resolves,
  checks and turns into a relative URL (outside code blocks only).
- Brace attributes leave the info string (` ```bash {id=x timeout=9} ` → ` ```bash `);
  a `title` attribute stays as the caption Material shows above the block.
- An expected-output fence gets the `tutor-output` class and no copy button.
- A `verify` fence becomes a checklist: one sentence per probe, the probe vocabulary's own.
- A list written right after a paragraph line gets a blank line before it: CommonMark and
  GitHub start a list there, Python-Markdown would run it into the paragraph.
- A shell block with run attributes gets its labels above it, in `tutor.markings`' words;
  a `manual` block also loses its copy button and looks different.
- Variables in sentences and labels become the markers of `tutor.site.values`, which the
  page shows as values.

The parser gives each block's opening line; rewriting goes from the last block up, so
earlier line numbers stay valid.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping

from ..markings import Label, Marking, labels
from ..model import Block, Tutorial
from ..probes.variables import expand
from .links import relative_markdown_links
from .markup import admonition
from .probes import sentences
from .values import markers, shown_variables

OUTPUT_CLASS = "tutor-output"
VERIFY_TITLE = "Check"
VERIFY_CLASS = "tutor-verify"
HOW_CLASS = "tutor-how"
MANUAL_CLASS = "tutor-manual"

_OPENING = re.compile(r"^(?P<prefix>(?:[ \t]*>)*[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def render_body(tutorial: Tutorial, slugs: Collection[str]) -> str:
    """The body to render; `slugs` are the tutorials that links may point at."""
    lines = tutorial.body.split("\n")
    tabs = path_tabs(tutorial, lines)
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
    values = markers(shown_variables(tutorial.variables.values()))
    for block, index, end, opening in sorted(fences, key=lambda f: f[1], reverse=True):
        prefix, fence = opening.group("prefix"), opening.group("fence")
        checklist = _checklist(block, _continuation(prefix), values) if block.is_verify else None
        if checklist is not None:
            lines[index : end + 1] = checklist.rstrip("\n").split("\n")
            continue
        found = labels(block) if block.is_shell else []
        manual = any(label.marking is Marking.MANUAL for label in found)
        if not found:
            lines[index] = f"{prefix}{fence}{_info(block)}"
            continue
        inner = _continuation(prefix)
        lines[index : index + 1] = [
            inner.rstrip(),
            f"{prefix}{_how(found, values)}",
            f"{inner}{{: .{HOW_CLASS}{' .' + HOW_CLASS + '--manual' if manual else ''} }}",
            inner.rstrip(),
            f"{inner}{fence}{_info(block, manual)}",
        ]
    for index, label in tabs.items():
        lines[index] = f'=== "{label}"\n\n{lines[index]}'
    return "\n".join(separate_lists("\n".join(lines).split("\n")))


def path_tabs(tutorial: Tutorial, lines: list[str]) -> dict[int, str]:
    """Alternative paths side by side as tabs (pymdownx.tabbed): indents each group of sibling
    path sections in `lines` and returns the tab label to put above each path's heading line.

    Line counts do not change here, so the fence rewrites after it keep their positions.
    """
    labels: dict[int, str] = {}
    spans: list[tuple[int, int, str]] = []
    for path in tutorial.paths:
        heading = path.heading
        if heading is None:
            continue
        later = [h.line for h in tutorial.headings if h.line > heading.line and h.level <= heading.level]
        start = heading.line - tutorial.body_start
        end = (later[0] if later else tutorial.body_start + len(lines)) - tutorial.body_start
        spans.append((start, end, path.title or path.name))
    groups: list[list[tuple[int, int, str]]] = []
    for span in sorted(spans):
        if groups and groups[-1][-1][1] == span[0]:
            groups[-1].append(span)
        else:
            groups.append([span])
    for group in groups:
        if len(group) < 2:
            continue
        for start, end, title in group:
            labels[start] = title.replace("\\", "\\\\").replace('"', "'")
            for i in range(start, min(end, len(lines))):
                if lines[i].strip():
                    lines[i] = "    " + lines[i]
    return labels


_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|1[.)])[ \t]+\S")
"""An item that may interrupt a paragraph in CommonMark (an ordered list only when it starts at 1)."""
_ANY_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])[ \t]+")
_NOT_PARAGRAPH = re.compile(r"^\s*(?:#|>|\||<|`{3}|~{3}|[-*_=]{3,}\s*$)|^ {4}|^\t")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def separate_lists(lines: list[str]) -> list[str]:
    """A blank line between a paragraph line and a list item right after it, outside fences."""
    out: list[str] = []
    fence: str | None = None
    in_paragraph = in_list = False
    for line in lines:
        opening = _FENCE.match(line)
        if fence is not None or opening:
            if fence is None:
                fence = opening.group(1) if opening else None
            elif opening and opening.group(1)[0] == fence[0] and len(opening.group(1)) >= len(fence):
                fence = None
            out.append(line)
            in_paragraph = in_list = False
            continue
        if not line.strip():
            in_paragraph = in_list = False
        elif _ANY_ITEM.match(line):
            if in_paragraph and not in_list and _LIST_ITEM.match(line):
                out.append("")
            in_list, in_paragraph = True, False
        elif not in_list:
            in_paragraph = not _NOT_PARAGRAPH.match(line)
        out.append(line)
    return out


def _how(found: list[Label], values: Mapping[str, str]) -> str:
    """The labels as one line of Markdown: 'Do this by hand · takes up to 15 minutes'."""
    text = " · ".join(expand(label.text, values.get, lenient=True) for label in found)
    return text[:1].upper() + text[1:]


def _info(block: Block, manual: bool = False) -> str:
    if block.is_expected_output:
        return "{ ." + (block.language or "text") + f" .{OUTPUT_CLASS} .no-copy }}"
    info = block.info.strip()
    brace = info.find("{")
    title = block.options.title
    caption = ' title="' + title.replace('"', "'") + '"' if title else ""
    if manual:
        return "{ ." + (block.language or "text") + f" .{MANUAL_CLASS} .no-copy{caption} }}"
    if brace < 0:
        return info
    return info[:brace].strip() + caption


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


def _checklist(block: Block, prefix: str, values: Mapping[str, str]) -> str | None:
    items = sentences(block, values)
    if items is None:
        return None
    body = "\n".join(f"- [ ] {item}" for item in items)
    blank = prefix.rstrip()
    return f"{blank}\n" + admonition("success", VERIFY_TITLE, body, prefix, css_class=VERIFY_CLASS) + f"{blank}\n"
