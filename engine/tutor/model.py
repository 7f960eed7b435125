"""The typed model of a tutorial set: what the parser produces and everything downstream reads."""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .attributes import DEFAULT_OPTIONS, SCOPES, FenceOptions, OptionProblem
from .compact_pickle import pickled_as_fields
from .diagnostics import Diagnostic
from .transcript import Command

if TYPE_CHECKING:
    from .folder_config import FolderConfig
    from .probes import Probe, ProbeSpecError

SHELL_LANGUAGES = frozenset({"bash", "sh", "shell", "console"})
VERIFY_LANGUAGE = "verify"
DIFFICULTIES = ("beginner", "intermediate", "advanced")
"""Where a tutorial or block runs in a fleet: every host, one host for the deployment, the operator's machine."""
_SHELL_COMMENT = re.compile(r"(?:^|\s)#.*$")
"""A `# comment` to the end of a shell line (approximate: a `#` inside quotes also starts one)."""
PREREQUISITE_HEADINGS = ("prerequisites", "before you begin", "requirements")
"""Heading texts (any level, case-insensitive) that open the body's prerequisites section."""


REFERENCE_HEADINGS = (
    "troubleshooting", "next steps", "what's next", "what next", "further reading", "see also", "references",
    "reference", "faq", "faqs", "frequently asked questions", "common issues", "known issues", "getting help",
    "related", "related tutorials", "resources", "key points", "summary", "appendix",
)
"""Heading texts (any level, case-insensitive, after an optional leading word like "Common") of
reference sections: their blocks are not steps, and no warning says they are outside one."""
DEFERRED_FIELDS = ("blocks", "steps", "paths", "variables")
"""Tutorial fields a cached tutorial parses from its body when first read (see `deferred`)."""
DEFAULT_PATH_KEY = "defaultPath"
"""Frontmatter key naming the path `tutor run` takes when --path is not given."""


def is_prerequisites_heading(text: str) -> bool:
    return text.strip().rstrip(":").lower() in PREREQUISITE_HEADINGS


_REFERENCE_AFFIX = re.compile("|".join(
    [rf"\A{re.escape(h)} " for h in REFERENCE_HEADINGS] + [rf" {re.escape(h)}\Z" for h in REFERENCE_HEADINGS]))
"""A reference heading's words that start or end the text: one search instead of a test per heading."""


def is_reference_heading(text: str) -> bool:
    words = text.strip().rstrip(":").lower()
    return words in REFERENCE_HEADINGS or is_prerequisites_heading(words) or _REFERENCE_AFFIX.search(words) is not None


@pickled_as_fields
@dataclass(slots=True)
class Block:
    """A fenced code block, with the typed options from `{…}` in its info string."""

    language: str
    """Lower-cased first word of the info string; '' for an untagged fence."""
    code: str
    line: int
    """1-based line of the opening fence in the file."""
    info: str = ""
    options: FenceOptions = DEFAULT_OPTIONS
    option_problems: tuple[OptionProblem, ...] = ()
    """What `attributes.parse_info` found wrong with the `{…}` list (reported by lint)."""
    expected_output: Block | None = None
    """The "Expected output:" fence that follows this block, if any."""
    is_expected_output: bool = False
    probes: tuple[Probe, ...] = ()
    """A verify fence's probes, parsed once by the parser."""
    probe_problem: ProbeSpecError | None = None
    """Why a verify fence's probes could not be read (its `line` is 0-based in the code)."""
    lead: str = ""
    """Text of the paragraph right before the fence ('' when something else comes first)."""
    trail: str = ""
    """Text of the paragraph right after the fence ("Replace VM_ID with …")."""
    section: int = -1
    """Index in `Tutorial.headings` of the closest heading above the block; -1 for none."""
    commands: list[Command] = field(default_factory=list)
    """For a console transcript (see `transcript`): its prompt lines, each with its output."""

    @property
    def is_shell(self) -> bool:
        return self.language in SHELL_LANGUAGES

    @property
    def is_verify(self) -> bool:
        return self.language == VERIFY_LANGUAGE

    @property
    def code_line(self) -> int:
        """Line of the first line of code (the line after the fence)."""
        return self.line + 1

    @property
    def attributes(self) -> dict[str, str]:
        """The attributes as written, by name (for a repeated name the last value)."""
        return self.options.attributes

    @property
    def prompts(self) -> list[tuple[str, str]]:
        """`expect`/`send` pairs, in the order written."""
        return list(self.options.prompts)

    @property
    def is_transcript(self) -> bool:
        return bool(self.commands)

    @property
    def script(self) -> str:
        """Exactly what the runner sends to the shell: the code, or a transcript's commands."""
        if not self.commands:
            return self.code
        return "".join(c.text + "\n" for c in self.commands)

    @property
    def transcript_output(self) -> str | None:
        """The output lines a transcript shows, or None when it shows none."""
        shown = "\n".join(c.output for c in self.commands if c.output)
        return shown or None

    def script_lines(self) -> list[tuple[int, str]]:
        """(file line, text) of every line sent to the shell."""
        if not self.commands:
            return [(self.code_line + i, text) for i, text in enumerate(self.code.rstrip("\n").split("\n"))]
        return [(c.line + i, text) for c in self.commands for i, text in enumerate(c.text.split("\n"))]

    def command_lines(self) -> list[tuple[int, str]]:
        """`script_lines` without `# comments`: the text the shell reads as commands."""
        return [(line, _SHELL_COMMENT.sub("", text)) for line, text in self.script_lines()]


@pickled_as_fields
@dataclass(slots=True)
class Heading:
    level: int
    text: str
    anchor: str
    line: int


@pickled_as_fields
@dataclass(slots=True)
class SubStep:
    """A `Step N.M: …` heading: part M of step N, run in order inside it."""

    number: int
    """M, the part after the dot."""
    title: str
    heading: Heading
    blocks: list[Block] = field(default_factory=list)


@pickled_as_fields
@dataclass(slots=True)
class Step:
    """A `Step N: …` heading and the blocks under it (its sub-headings and sub-steps included)."""

    number: int
    title: str
    heading: Heading
    blocks: list[Block] = field(default_factory=list)
    substeps: list[SubStep] = field(default_factory=list)
    implicit: bool = False
    """True for a section of a page without Step headings that holds shell blocks."""

    @property
    def shell_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.is_shell]

    @property
    def verify_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.is_verify]


@pickled_as_fields
@dataclass(slots=True)
class StepPath:
    """One of several alternative step sequences of a page ("with Ansible" / "Manual")."""

    name: str
    """The id (anchor) of the heading that holds the path's steps."""
    title: str
    heading: Heading | None
    steps: list[Step] = field(default_factory=list)


@pickled_as_fields
@dataclass(slots=True)
class Link:
    """A link in the body that points at a tutorial or an anchor."""

    href: str
    line: int
    slug: str | None
    """Target tutorial; None for a same-page `#anchor`."""
    anchor: str | None
    text: str = ""
    in_prerequisites_section: bool = False


@pickled_as_fields
@dataclass(slots=True)
class Variable:
    name: str
    default: str | None = None
    description: str = ""
    required: bool = False
    secret: bool = False
    line: int = 0


@pickled_as_fields
@dataclass(slots=True)
class Condition:
    """An entry of `requires` or `provides`: a capability name, a probe, or both.

    `requires: [guest-images]` names a capability another tutorial provides;
    `provides: [{id: guest-images, file: …}]` names one and says how to check it.
    """

    line: int
    name: str | None = None
    probe: dict[str, Any] | None = None
    """The probe mapping as written, when the entry has one."""
    parsed: Probe | None = None
    """The probe, parsed once by the parser; None without a probe or when it does not parse."""
    problem: ProbeSpecError | None = None
    """Why the probe mapping could not be read."""


@dataclass(slots=True)
class Tutorial:
    slug: str
    path: Path
    rel_path: str
    """Path as shown in diagnostics (relative to the folder's parent when possible)."""
    meta: dict[str, Any] = field(default_factory=dict)
    key_lines: dict[str, int] = field(default_factory=dict)
    """1-based line of each frontmatter key."""
    item_lines: dict[str, list[int]] = field(default_factory=dict)
    """1-based line of each item of list-valued keys (prerequisites, requires, …)."""
    frontmatter_start: int = 1
    body_start: int = 1
    """1-based line where the Markdown body starts."""

    title: str = ""
    description: str = ""
    section: str = ""
    step_number: int | None = None
    total_steps: int | None = None
    is_appendix: bool = False
    last_updated: _dt.date | None = None
    prerequisites: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    difficulty: str | None = None
    estimated_time: str | None = None
    requires: list[Condition] = field(default_factory=list)
    provides: list[Condition] = field(default_factory=list)
    variables: dict[str, Variable] = field(default_factory=dict)

    headings: list[Heading] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    """Every step in document order: the Step headings of all paths, or the implicit steps."""
    paths: list[StepPath] = field(default_factory=list)
    """Alternative step sequences; empty when the page has one sequence."""
    default_path: str | None = None
    """The `defaultPath` frontmatter key: the path `tutor run` takes without --path."""
    blocks: list[Block] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    body: str = ""

    problems: list[Diagnostic] = field(default_factory=list)
    """What the parser found wrong with this file (reported by lint)."""
    readable: bool = True
    """False when the file could not be parsed at all (no frontmatter, binary, …)."""
    lint_facts: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """What the tutorial's blocks and steps tell the rules across files, by rule family (see
    `lint.FILE_FACTS`): cached with the tutorial, so that a warm lint reads no block or step."""
    _unparsed: bool = field(default=False, init=False, repr=False, compare=False)
    """True for a tutorial the cache restored: `DEFERRED_FIELDS` are parsed from the body on first read (see `deferred`)."""
    _body_digest: bytes | None = field(default=None, init=False, repr=False, compare=False)
    """For a tutorial the cache restored: the digest of the content it was parsed from. Its
    `body` is read from the file on first read, and must be that content (see `deferred`)."""

    if not TYPE_CHECKING:  # kept from mypy, which would otherwise accept any attribute name
        def __getattr__(self, name: str) -> Any:
            # Reached only for an unset slot: a field a cached tutorial has not parsed yet.
            from .deferred import read_body, unpack

            if (name in DEFERRED_FIELDS and unpack(self)) or (name == "body" and read_body(self)):
                return object.__getattribute__(self, name)
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.frontmatter_start)

    def line_of_item(self, key: str, index: int) -> int:
        lines = self.item_lines.get(key, [])
        return lines[index] if index < len(lines) else self.line_of(key)

    @property
    def implicit_steps(self) -> bool:
        return bool(self.steps) and self.steps[0].implicit

    def path_named(self, name: str) -> StepPath | None:
        return next((p for p in self.paths if p.name == name), None)

    @property
    def url_path(self) -> str:
        return f"/tutorial/{self.slug}"

    @property
    def has_prerequisites_section(self) -> bool:
        return any(is_prerequisites_heading(h.text) for h in self.headings)

    @property
    def anchors(self) -> set[str]:
        return {h.anchor for h in self.headings}

    @property
    def position_label(self) -> str:
        """'KMS Deployment, step 5' or 'KMS Deployment, appendix'."""
        if self.is_appendix or self.step_number is None:
            return f"{self.section}, appendix"
        return f"{self.section}, step {self.step_number}"


@dataclass(slots=True)
class Section:
    name: str
    description: str = ""
    line: int = 0


@dataclass(slots=True)
class TutorialSet:
    """Every tutorial of a folder and its sections, as parsed; the graph is built from this."""

    root: Path
    tutorials: dict[str, Tutorial]
    sections: list[Section]
    sections_source: str
    """'file' (the sections file or tutor.yml), 'option' (--sections) or 'inferred'."""
    sections_path: str = ""
    problems: list[Diagnostic] = field(default_factory=list)
    """Set-level findings of the loader (sections file errors, inferred order)."""
    anchor_style: str = "mkdocs"
    config: FolderConfig | None = None
    """The folder's tutor.yml (None when the set was not loaded from a folder)."""

    def section_names(self) -> list[str]:
        return [s.name for s in self.sections]
