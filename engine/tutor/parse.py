"""One Markdown file → one `Tutorial`: frontmatter with line numbers, headings, steps, blocks, links.

Rules the parser applies (documented in the authoring guide):

- The frontmatter is the YAML between a first line `---` and the next line `---` (or `...`).
- Steps, sub-steps, alternative paths and implicit steps come from the headings (`steps`).
- A console transcript's prompt lines are its commands (`transcript`).
- An untagged fence right after a paragraph ending in "Expected output:" is the expected
  output of the closest shell block before it in the same section.
- A "Prerequisites" (or "Before you begin") heading opens the body's prerequisites section,
  which runs until the next heading of the same or a higher level.

Nothing here raises for bad input: problems become `Diagnostic`s on the tutorial.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from .anchors import AnchorAllocator
from .attributes import parse_info
from .diagnostics import Diagnostic, Severity
from .model import DEFAULT_PATH_KEY, Block, Condition, Heading, Link, Tutorial, Variable, is_prerequisites_heading
from .probes.parser import parse_probe, parse_probe_list
from .probes.spec import ProbeSpecError
from .schema import FIELDS, as_date, type_problem
from .steps import STEP_HEADING, build_steps
from .tokens import fastest_tokens
from .transcript import is_transcript, parse_transcript
from .yamlsource import YamlProblem, load_lines

MAX_FILE_BYTES = 2 * 1024 * 1024

_EXPLICIT_ID_OPEN = re.compile(r"\{\s*#([\w.:-]+)")
"""The opening of a heading's trailing `{#id …}` (see `_explicit_id`)."""
_EXPECTED_OUTPUT = "expected output"
_PLAIN = re.compile(r"[^`*_\[\]!<&\\]*")
"""Heading text with none of these characters reads the same before and after inline parsing."""
_TUTORIAL_HREF = re.compile(r"^/tutorial/([A-Za-z0-9_.-]+)/?(?:#(.*))?$")
"""Absolute URLs (`https://host/tutorial/x`) point at another site and are not checked."""
_RELATIVE_MD = re.compile(r"^(?:\./)?([A-Za-z0-9_.-]+)\.md(?:#(.*))?$")


@lru_cache(maxsize=1)
def _markdown() -> Any:
    # markdown-it-pyrs through an adapter, else markdown-it-py (see tokens.py). With
    # markdown-it-py, inline content is parsed on demand (`_children`): only headings,
    # paragraphs that may hold a link, and the paragraph before a fence are read.
    return fastest_tokens()


def _children(token: Any, env: dict[str, Any]) -> list[Any]:
    if not token.children:
        md = _markdown()
        token.children = md.inline.parse(token.content, md, env, [])
    return token.children


def parse_file(path: Path, rel_path: str, anchor_style: str = "mkdocs",
               defaults: Mapping[str, Any] | None = None, data: bytes | None = None) -> Tutorial:
    """The tutorial in `path`; from `data` when the caller has read the file already (the cache)."""
    tutorial = Tutorial(slug=path.stem, path=path, rel_path=rel_path)
    text = _read_text(path, tutorial, data)
    if text is None:
        tutorial.readable = False
        return tutorial
    parse_text(text, tutorial, anchor_style, defaults)
    return tutorial


def parse_text(text: str, tutorial: Tutorial, anchor_style: str = "mkdocs",
               defaults: Mapping[str, Any] | None = None) -> None:
    """Fill `tutorial` from the text of its file.

    `defaults` (from the folder's tutor.yml) fill the frontmatter keys the file leaves out;
    with them, a file without frontmatter is read as if it had an empty one, and a missing
    title is the body's first `# ` heading, as on GitHub.
    """
    split = _split_frontmatter(text)
    if split is None and defaults is not None:
        split = ("", text, 1)
    if split is None:
        tutorial.readable = False
        _problem(tutorial, "file/no-frontmatter", 1, "the file has no YAML frontmatter",
                 "start the file with a line `---`, the frontmatter keys (title, description, section, …), and a closing `---`")
        return
    yaml_text, body, body_start = split
    tutorial.body_start = body_start
    tutorial.body = body
    try:
        located = load_lines(yaml_text)
    except YamlProblem as problem:
        tutorial.readable = False
        _problem(tutorial, "frontmatter/yaml", problem.line + 1, f"the frontmatter is not valid YAML: {problem.message}",
                 "fix the YAML syntax at that line (a common cause is an unquoted ':' or a tab for indentation)")
        return
    if located.value is None:
        located.value = {}
    if not isinstance(located.value, dict):
        tutorial.readable = False
        _problem(tutorial, "frontmatter/yaml", 2, "the frontmatter must be a mapping of keys to values",
                 "write one `key: value` per line between the `---` lines")
        return
    # The YAML text starts right after the opening '---', so YAML line L is file line L + 1.
    tutorial.meta = located.value
    tutorial.key_lines = {k: line + 1 for k, line in located.key_lines().items()}
    tutorial.frontmatter_start = 1
    tutorial.item_lines = {k: [line + 1 for line in located.item_lines(k)] for k, v in located.value.items() if isinstance(v, (list, dict))}
    for key, value in (defaults or {}).items():
        tutorial.meta.setdefault(key, value)
    _fill_fields(tutorial, located)
    _parse_body(tutorial, body, body_start, AnchorAllocator(anchor_style))
    if defaults is not None and "title" not in tutorial.meta and tutorial.headings and tutorial.headings[0].level == 1:
        first = tutorial.headings[0]
        tutorial.meta["title"] = tutorial.title = first.text
        tutorial.key_lines["title"] = first.line


def _explicit_id(heading: str) -> re.Match[str] | None:
    """The `{#id …}` that ends a heading (attr_list), found without a backtracking search:
    the last `}` must end the text, and the `{#` is the first one after the `}` before it.
    (A `\\s*\\{…\\}\\s*$` search was quadratic in a heading's spaces and braces.)"""
    end = len(heading.rstrip())
    if not end or heading[end - 1] != "}":
        return None
    return _EXPLICIT_ID_OPEN.search(heading, heading.rfind("}", 0, end - 1) + 1, end - 1)


def _introduces_expected_output(paragraph: str) -> bool:
    """The paragraph ends with "Expected output", a colon optional (emphasis marks around it too)."""
    tail = paragraph.strip().strip("*_").rstrip()
    tail = tail.removesuffix(":").rstrip()
    return tail[-len(_EXPECTED_OUTPUT):].lower() == _EXPECTED_OUTPUT


def _read_text(path: Path, tutorial: Tutorial, data: bytes | None = None) -> str | None:
    if data is None:
        try:
            with open(path, "rb") as handle:
                data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            _problem(tutorial, "file/unreadable", 1, f"cannot read the file: {exc.strerror or exc}",
                     "check that the file exists and is readable")
            return None
    if len(data) > MAX_FILE_BYTES:
        size = path.stat().st_size
        _problem(tutorial, "file/too-large", 1, f"the file is {size / 1048576:.1f} MiB; tutorials are read up to {MAX_FILE_BYTES // 1048576} MiB",
                 "split the tutorial into several, or move large data out of the Markdown")
        return None
    if not data or data.isspace():
        _problem(tutorial, "file/empty", 1, "the file is empty", "write the frontmatter and the tutorial, or delete the file")
        return None
    if b"\0" in data:
        _problem(tutorial, "file/binary", 1, "the file is binary (it contains NUL bytes), not Markdown",
                 "move non-Markdown files out of the tutorials folder")
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        _problem(tutorial, "file/encoding", line, f"the file is not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                 "save the file as UTF-8")
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _split_frontmatter(text: str) -> tuple[str, str, int] | None:
    """(yaml text, body, 1-based line where the body starts), or None without frontmatter."""
    if not (text.startswith("---\n") or text.rstrip() == "---" or text.startswith("--- ")):
        return None
    first_newline = text.find("\n")
    if first_newline < 0:
        return None
    pos = first_newline + 1
    line_no = 2
    while pos <= len(text):
        end = text.find("\n", pos)
        line = text[pos:] if end < 0 else text[pos:end]
        if line.rstrip() in ("---", "..."):
            yaml_text = text[first_newline:pos]  # begins with '\n' so YAML line 0 is file line 1
            body = "" if end < 0 else text[end + 1 :]
            return yaml_text, body, line_no + 1
        if end < 0:
            return None
        pos = end + 1
        line_no += 1
    return None


def _problem(tutorial: Tutorial, rule: str, line: int, message: str, hint: str, severity: Severity = Severity.ERROR) -> None:
    tutorial.problems.append(Diagnostic(rule, severity, tutorial.rel_path, line, message, hint))


def _fill_fields(tutorial: Tutorial, located: Any) -> None:
    """Typed fields from the raw mapping; a value of the wrong type is left at its default (lint reports it)."""
    meta = tutorial.meta

    def ok(key: str) -> bool:
        return key in meta and meta[key] is not None and type_problem(FIELDS[key], meta[key]) is None

    if ok("title"):
        tutorial.title = str(meta["title"]).strip()
    if ok("description"):
        tutorial.description = str(meta["description"]).strip()
    if ok("section"):
        tutorial.section = str(meta["section"]).strip()
    if ok("stepNumber"):
        tutorial.step_number = meta["stepNumber"]
    if ok("totalSteps"):
        tutorial.total_steps = meta["totalSteps"]
    if ok("isAppendix"):
        tutorial.is_appendix = meta["isAppendix"]
    if "lastUpdated" in meta:
        tutorial.last_updated = as_date(meta["lastUpdated"])
    if ok("prerequisites"):
        tutorial.prerequisites = [p.strip() for p in meta["prerequisites"]]
    if ok("tags"):
        tutorial.tags = list(meta["tags"])
    if ok("difficulty"):
        tutorial.difficulty = str(meta["difficulty"]).strip().lower()
    if ok("estimatedTime"):
        tutorial.estimated_time = str(meta["estimatedTime"])
    if ok(DEFAULT_PATH_KEY):
        tutorial.default_path = str(meta[DEFAULT_PATH_KEY]).strip()
    for key, target in (("requires", tutorial.requires), ("provides", tutorial.provides)):
        if ok(key):
            for index, item in enumerate(meta[key]):
                target.append(_condition(item, tutorial.line_of_item(key, index)))
    tutorial.variables = _variables(tutorial)


def _variables(tutorial: Tutorial) -> dict[str, Variable]:
    """The `variables` frontmatter key, typed ({} when it is not a mapping: lint reports it)."""
    settings_by_name = tutorial.meta.get("variables")
    if settings_by_name is None or type_problem(FIELDS["variables"], settings_by_name) is not None:
        return {}
    return {str(name): _variable(str(name), settings, tutorial.line_of_item("variables", index))
            for index, (name, settings) in enumerate(settings_by_name.items())}


def _condition(item: object, line: int) -> Condition:
    if isinstance(item, str):
        return Condition(line=line, name=item.strip())
    probe = dict(item) if isinstance(item, dict) else {}
    name = probe.get("id")
    condition = Condition(line=line, name=str(name) if name is not None else None, probe=probe)
    try:
        condition.parsed = parse_probe(probe)
    except ProbeSpecError as exc:
        condition.problem = exc
    return condition


def _variable(name: str, settings: object, line: int) -> Variable:
    if not isinstance(settings, dict):
        # `NAME: value` is shorthand for a default.
        return Variable(name=name, default=None if settings is None else str(settings), line=line)
    default = settings.get("default")
    return Variable(
        name=name,
        default=None if default is None else str(default),
        description=str(settings.get("description") or ""),
        required=bool(settings.get("required", False)),
        secret=bool(settings.get("secret", False)),
        line=line,
    )


def _inline_text(children: list[Any]) -> str:
    parts: list[str] = []
    for child in children or []:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children))
    return "".join(parts)


def body_of(data: bytes, tutorial: Tutorial) -> str:
    """The `body` that `parse_text` set for `tutorial` from a file of content `data`."""
    text = _read_text(tutorial.path, Tutorial(slug=tutorial.slug, path=tutorial.path, rel_path=tutorial.rel_path), data)
    if text is None:
        return ""
    split = _split_frontmatter(text)
    if split is not None:
        return split[1]
    return text if tutorial.readable else ""  # read as a page without frontmatter (a folder with defaults)


def reparse_body(tutorial: Tutorial) -> Tutorial:
    """A tutorial with the blocks, steps, paths and variables of `tutorial`, parsed again from
    its body and frontmatter; its headings have the anchors `tutorial`'s have (see `deferred`)."""
    scratch = Tutorial(slug=tutorial.slug, path=tutorial.path, rel_path=tutorial.rel_path, body_start=tutorial.body_start)
    # The title as it was when the body was parsed (implicit steps are named after it): not
    # yet the one a folder with defaults takes from the first heading after the parse.
    scratch.title = "" if _title_from_heading(tutorial) else tutorial.title
    _parse_body(scratch, tutorial.body, tutorial.body_start, _Replay([h.anchor for h in tutorial.headings]))
    scratch.variables = _variables(tutorial)
    return scratch


def _title_from_heading(tutorial: Tutorial) -> bool:
    line = tutorial.key_lines.get("title")
    return line is not None and line >= tutorial.body_start and bool(tutorial.headings) and tutorial.headings[0].line == line


class _Replay:
    """Hands out the anchors a tutorial's headings already have, in order (see `parse_deferred`)."""

    def __init__(self, anchors: list[str]) -> None:
        self._anchors = iter(anchors)

    def allocate(self, text: str, explicit: str | None = None) -> str:
        return next(self._anchors, "")


def _parse_body(tutorial: Tutorial, body: str, body_start: int, allocator: AnchorAllocator | _Replay) -> None:
    env: dict[str, Any] = {}
    tokens = _markdown().parse(body, env)
    offset = body_start  # token.map[0] is 0-based in the body
    prereq_level: int | None = None
    paragraph: Any = None  # inline token of the paragraph just closed, if the last block was one
    last_shell: Block | None = None
    shell_level = 0  # level of the heading above `last_shell`
    i, count = 0, len(tokens)
    while i < count:
        token = tokens[i]
        kind = token.type
        if kind == "inline":
            if "]" in token.content:
                _collect_links(tutorial, token, _children(token, env), offset, prereq_level is not None)
            paragraph = token if tokens[i - 1].type == "paragraph_open" else None
            if paragraph is not None and i >= 2 and tokens[i - 2].type == "fence" and tutorial.blocks:
                tutorial.blocks[-1].trail = token.content
            i += 2 if paragraph is not None else 1  # skip paragraph_close
            continue
        if kind == "heading_open":
            level = int(token.tag[1])
            inline = tokens[i + 1]
            raw = inline.content if _PLAIN.fullmatch(inline.content) else _inline_text(_children(inline, env))
            explicit = _explicit_id(raw) if "{" in raw else None
            text = raw[: explicit.start()].strip() if explicit else raw.strip()
            line = token.map[0] + offset
            heading = Heading(level, text, allocator.allocate(text, explicit.group(1) if explicit else None), line)
            tutorial.headings.append(heading)
            if last_shell is not None and (level <= shell_level or STEP_HEADING.match(text)):
                last_shell = None
            if prereq_level is not None and level <= prereq_level:
                prereq_level = None
            if is_prerequisites_heading(text):
                prereq_level = level
            if "]" in inline.content:
                _collect_links(tutorial, inline, _children(inline, env), offset, prereq_level is not None)
            paragraph = None
            i += 3
            continue
        if kind == "fence":
            block = _block(token, offset)
            block.section = len(tutorial.headings) - 1
            if paragraph is not None:
                block.lead = paragraph.content
                if block.language == "" and _introduces_expected_output(paragraph.content):
                    block.is_expected_output = True
                    if last_shell is not None and last_shell.expected_output is None:
                        last_shell.expected_output = block
            tutorial.blocks.append(block)
            if block.is_shell:
                last_shell = block
                shell_level = tutorial.headings[-1].level if tutorial.headings else 0
        paragraph = None
        i += 1
    build_steps(tutorial)


def _block(token: Any, offset: int) -> Block:
    block = _fence(token, offset)
    if is_transcript(block.language, block.code):
        block.commands = parse_transcript(block.code, block.code_line)
    return block


_parse_info = lru_cache(maxsize=1024)(parse_info)
"""Tutorials repeat a few info strings (`bash {timeout=60}`); what parse_info returns is immutable."""


def _fence(token: Any, offset: int) -> Block:
    line = token.map[0] + offset
    if "{" not in token.info:
        words = token.info.split(None, 1)
        block = Block(language=words[0].lower() if words else "", code=token.content, line=line, info=token.info)
    else:
        info = _parse_info(token.info)
        block = Block(language=info.language, code=token.content, line=line, info=token.info,
                      options=info.options, option_problems=info.problems)
    if block.is_verify:
        try:
            block.probes = tuple(parse_probe_list(block.code))
        except ProbeSpecError as exc:
            block.probe_problem = exc
    return block


def _collect_links(tutorial: Tutorial, inline: Any, children: list[Any], offset: int, in_prereqs: bool) -> None:
    line = inline.map[0] + offset if inline.map else offset
    current: Link | None = None
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            line += 1
        elif child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            current = _link(href, line, in_prereqs)
            if current is not None:
                tutorial.links.append(current)
        elif child.type in ("text", "text_special", "code_inline") and current is not None:
            current.text += child.content
        elif child.type == "link_close":
            current = None


def _link(href: str, line: int, in_prereqs: bool) -> Link | None:
    if href.startswith("#"):
        return Link(href, line, None, href[1:] or None, in_prerequisites_section=in_prereqs)
    for pattern in (_TUTORIAL_HREF, _RELATIVE_MD):
        match = pattern.match(href)
        if match:
            return Link(href, line, match.group(1), match.group(2) or None, in_prerequisites_section=in_prereqs)
    return None
