"""The sections file: the one place that states the order of sections.

`tutorials/sections.yml` is a YAML list; each item is a section name, or a mapping
with `name` and an optional `description`:

    - Host Setup
    - name: dstack Installation
      description: Build and start the VMM, then fetch guest images.
"""

from __future__ import annotations

from pathlib import Path

from .diagnostics import Diagnostic, Severity
from .folder_files import Refused, read_folder_file
from .model import Section
from .yamlsource import YamlProblem, load_located

SECTIONS_FILENAMES = ("sections.yml", "sections.yaml")


def find_sections_file(root: Path) -> Path | None:
    for name in SECTIONS_FILENAMES:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def parse_sections_option(value: str) -> list[Section]:
    """`--sections "A,B,C"`."""
    return [Section(name=part.strip()) for part in value.split(",") if part.strip()]


def read_sections_file(path: Path, rel_path: str) -> tuple[list[Section], list[Diagnostic]]:
    def problem(line: int, message: str, hint: str) -> Diagnostic:
        return Diagnostic("sections/file", Severity.ERROR, rel_path, line, message, hint)

    try:
        text = read_folder_file(path).decode("utf-8")
    except Refused as refused:
        return [], [Diagnostic(refused.rule, Severity.ERROR, rel_path, 1, refused.message, refused.hint)]
    except (OSError, UnicodeDecodeError) as exc:
        return [], [problem(1, f"cannot read the sections file: {exc}", "save it as UTF-8 text")]
    try:
        located = load_located(text)
    except YamlProblem as exc:
        return [], [problem(exc.line + 1, f"the sections file is not valid YAML: {exc.message}", "fix the YAML at that line")]
    items = located.value
    if isinstance(items, dict) and isinstance(items.get("sections"), list):
        items = items["sections"]
        node = located.value_node("sections")
    else:
        node = located.node
    if not isinstance(items, list):
        return [], [problem(1, "the sections file must be a list of section names", "write one `- Section name` per line, in reading order")]
    lines = [item.start_mark.line + 1 for item in getattr(node, "value", [])]
    return sections_from_items(items, lines, rel_path)


def sections_from_items(items: list[object], lines: list[int], rel_path: str) -> tuple[list[Section], list[Diagnostic]]:
    """Sections from the list of a sections file (or tutor.yml's `sections`); `lines` are the items' lines."""
    def problem(line: int, message: str, hint: str) -> Diagnostic:
        return Diagnostic("sections/file", Severity.ERROR, rel_path, line, message, hint)

    sections: list[Section] = []
    problems: list[Diagnostic] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else 1
        if isinstance(item, str):
            name, description = item.strip(), ""
        elif isinstance(item, dict) and isinstance(item.get("name"), str):
            name, description = item["name"].strip(), str(item.get("description") or "")
        else:
            problems.append(problem(line, "a section must be a name or a mapping with `name`", "write `- Section name` or `- name: Section name`"))
            continue
        if name in seen:
            problems.append(problem(line, f"section {name!r} is listed twice", "keep one entry per section"))
            continue
        seen.add(name)
        sections.append(Section(name=name, description=description, line=line))
    return sections, problems
