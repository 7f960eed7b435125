"""A folder of tutorials → a `TutorialSet`.

Tutorials are the `*.md` files directly in the folder; `README.md`, `index.md` and files
whose name starts with `_` are not tutorials. The order of sections comes from, in turn:
the `--sections` option, the sections file, or the prerequisite edges between sections
(with a warning that says so).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .anchors import ANCHOR_STYLES
from .diagnostics import Diagnostic, Severity
from .errors import UsageError
from .memory import collector_paused
from .model import Section, Tutorial, TutorialSet
from .parse import parse_file
from .sections import find_sections_file, parse_sections_option, read_sections_file

if TYPE_CHECKING:
    from .cache import ModelCache

NOT_TUTORIALS = frozenset({"readme.md", "index.md"})


def display_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working directory when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def tutorial_files(root: Path) -> list[Path]:
    with os.scandir(root) as entries:
        names = sorted(
            e.name for e in entries
            if e.name.endswith(".md") and e.name != ".md" and e.name.lower() not in NOT_TUTORIALS and not e.name.startswith("_") and e.is_file()
        )
    return [root / name for name in names]


def load_folder(root: Path | str, sections: str | None = None, anchor_style: str = "mkdocs",
                cache: ModelCache | None = None) -> TutorialSet:
    """Parse the folder's tutorials; with a `cache`, unchanged files come from it instead."""
    root = Path(root)
    if not root.exists():
        raise UsageError(f"no such folder: {root}", "give the folder that holds the tutorials, e.g. `tutor lint tutorials`")
    if not root.is_dir():
        raise UsageError(f"not a folder: {root}", "give the folder that holds the tutorials, not a single file")
    if anchor_style not in ANCHOR_STYLES:
        raise UsageError(f"unknown anchor style {anchor_style!r}", f"use one of: {', '.join(ANCHOR_STYLES)}")
    tutorials: dict[str, Tutorial] = {}
    with collector_paused():
        shown = display_path(root)
        for path in tutorial_files(root):
            rel_path = path.name if shown == "." else os.path.join(shown, path.name)
            if cache is None:
                tutorial = parse_file(path, rel_path, anchor_style)
            else:
                tutorial = cache.tutorial(path, rel_path, lambda: parse_file(path, rel_path, anchor_style))
            tutorials[tutorial.slug] = tutorial
    if cache is not None:
        cache.keep_only({t.rel_path for t in tutorials.values()})
    tutorial_set = TutorialSet(root=root, tutorials=tutorials, sections=[], sections_source="", anchor_style=anchor_style)
    _attach_sections(tutorial_set, sections)
    return tutorial_set


def _attach_sections(tutorial_set: TutorialSet, option: str | None) -> None:
    if option is not None:
        tutorial_set.sections = parse_sections_option(option)
        tutorial_set.sections_source = "option"
        if not tutorial_set.sections:
            raise UsageError("--sections names no section", 'give the section names in order, separated by commas: --sections "A,B,C"')
        return
    path = find_sections_file(tutorial_set.root)
    if path is not None:
        rel = display_path(path)
        sections, problems = read_sections_file(path, rel)
        tutorial_set.sections = sections
        tutorial_set.sections_source = "file"
        tutorial_set.sections_path = rel
        tutorial_set.problems.extend(problems)
        return
    tutorial_set.sections = infer_sections(tutorial_set.tutorials)
    tutorial_set.sections_source = "inferred"
    if tutorial_set.sections:
        names = ", ".join(s.name for s in tutorial_set.sections)
        tutorial_set.problems.append(Diagnostic(
            "sections/inferred", Severity.WARNING, display_path(tutorial_set.root), 0,
            f"no sections file; the section order was inferred from prerequisites: {names}",
            f"write this order to {display_path(tutorial_set.root / 'sections.yml')} (one `- name` per line), or pass --sections",
        ))


def infer_sections(tutorials: dict[str, Tutorial]) -> list[Section]:
    """Sections ordered so that prerequisite edges between sections point forward (ties by name)."""
    import networkx as nx

    graph: nx.DiGraph = nx.DiGraph()
    for tutorial in tutorials.values():
        if tutorial.section:
            graph.add_node(tutorial.section)
    for tutorial in tutorials.values():
        for prerequisite in tutorial.prerequisites:
            other = tutorials.get(prerequisite)
            if other and other.section and tutorial.section and other.section != tutorial.section:
                graph.add_edge(other.section, tutorial.section)
    try:
        names = list(nx.lexicographical_topological_sort(graph))
    except nx.NetworkXUnfeasible:
        names = sorted(graph.nodes)
    return [Section(name=name) for name in names]
