"""A folder of tutorials → a `TutorialSet`.

Tutorials are the `*.md` files directly in the folder; `README.md`, `index.md` and files
whose name starts with `_` are not tutorials. The folder's `tutor.yml` (see `folder_config`)
gives defaults for missing frontmatter keys, the anchor style and the rule settings.
The order of sections comes from, in turn: the `--sections` option, tutor.yml's `sections`,
the sections file, the sections of tutor.yml's `order`, or the prerequisite edges between
sections (with a warning that says so).
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .anchors import ANCHOR_STYLES
from .diagnostics import Diagnostic, Severity
from .errors import UsageError
from .folder_config import FolderConfig, find_config_file, read_folder_config
from .memory import collector_paused
from .model import Section, Tutorial, TutorialSet
from .parse import parse_file
from .sections import find_sections_file, parse_sections_option, read_sections_file
from .workers import parse_ahead

if TYPE_CHECKING:
    from .cache import ModelCache

NOT_TUTORIALS = frozenset({"readme.md", "index.md"})
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
"""What a tutorial's slug (its file name without `.md`) may be: it goes into URLs, shell commands and HTML."""


def display_path(path: Path) -> str:
    """A path as diagnostics show it: relative to the working directory when below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def project_path(path: str, project: Path) -> str:
    """A diagnostic's path as the site shows it: relative to the project (mkdocs.yml's folder),
    else the path as given when it is relative, else only the file name: never the build
    machine's absolute path."""
    target = Path(path)
    absolute = target if target.is_absolute() else Path.cwd() / target
    try:
        return _resolved_folder(str(absolute.parent), str(project)).joinpath(absolute.name).as_posix()
    except ValueError:
        return path if not target.is_absolute() and not path.startswith("..") else target.name


@lru_cache(maxsize=256)
def _resolved_folder(folder: str, project: str) -> Path:
    """`folder` relative to `project`, both resolved (raises ValueError when it is outside): one
    resolve per folder, not per diagnostic (a large set's warnings cost a rebuild 0.2 s)."""
    return Path(folder).resolve().relative_to(Path(project).resolve())


def tutorial_files(root: Path, problems: list[Diagnostic] | None = None) -> list[Path]:
    """The tutorials of a folder. A file with a name that is not a slug, or a symbolic link
    that leads out of the folder, is left out, with a diagnostic added to `problems`."""
    with os.scandir(root) as entries:
        candidates = sorted(
            (e.name, e.is_symlink()) for e in entries
            if e.name.endswith(".md") and e.name != ".md" and e.name.lower() not in NOT_TUTORIALS
            and not e.name.startswith("_") and e.is_file()
        )
    found = []
    inside: Path | None = None
    for name, linked in candidates:
        path = root / name
        if not is_slug(name[: -len(".md")]):
            refused: Diagnostic | None = _not_a_slug(path)
        elif linked:
            inside = inside or root.resolve()
            refused = None if path.resolve().is_relative_to(inside) else _leaves_folder(path)
        else:
            refused = None
        if refused is None:
            found.append(path)
        elif problems is not None:
            problems.append(refused)
    return found


def is_slug(text: str) -> bool:
    return SLUG.fullmatch(text) is not None


def _not_a_slug(path: Path) -> Diagnostic:
    from .lint.registry import rule
    from .textsafe import excerpt

    return rule("file/name").at(
        display_path(path.parent / excerpt(path.name)), 0,
        f"the file name {excerpt(path.name)!r} is not a slug, so it is not loaded",
        "rename it to letters, digits, `.`, `_` and `-` (starting with a letter or digit)")


def _leaves_folder(path: Path) -> Diagnostic:
    from .lint.registry import rule

    return rule("file/symlink").at(
        display_path(path), 0, "the file is a symbolic link to a file outside the tutorials folder, so it is not loaded",
        "copy the file into the folder, or link to a file inside it")


def load_folder(root: Path | str, sections: str | None = None, anchor_style: str | None = None,
                cache: ModelCache | None = None) -> TutorialSet:
    """Parse the folder's tutorials; with a `cache`, unchanged files come from it instead.

    `sections` and `anchor_style` (the command-line options) override tutor.yml; a cache must
    be opened with `folder_config.cache_options` so that editing tutor.yml invalidates it.
    """
    root = Path(root)
    if not root.exists():
        raise UsageError(f"no such folder: {root}", "give the folder that holds the tutorials, e.g. `tutor lint tutorials`")
    if not root.is_dir():
        raise UsageError(f"not a folder: {root}", "give the folder that holds the tutorials, not a single file")
    if anchor_style is not None and anchor_style not in ANCHOR_STYLES:
        raise UsageError(f"unknown anchor style {anchor_style!r}", f"use one of: {', '.join(ANCHOR_STYLES)}")
    shown = display_path(root)
    config_path = find_config_file(root)
    config = read_folder_config(root, display_path(config_path) if config_path else None)
    style = anchor_style or config.anchors or "mkdocs"
    tutorials: dict[str, Tutorial] = {}
    refused: list[Diagnostic] = []
    if cache is not None:
        cache.new_run()

    def parse(path: Path, rel_path: str, data: bytes | None = None) -> Tutorial:
        return parse_file(path, rel_path, style, config.file_defaults(path.stem) if config.path else None, data)

    with collector_paused():
        files = [(path, path.name if shown == "." else os.path.join(shown, path.name)) for path in tutorial_files(root, refused)]
        if cache is not None:
            parse_ahead(cache, files, parse)
        for path, rel_path in files:
            if cache is None:
                tutorial = parse(path, rel_path)
            else:
                tutorial = cache.tutorial(path, rel_path, lambda data: parse(path, rel_path, data))
            tutorials[tutorial.slug] = tutorial
    if cache is not None:
        cache.keep_only({t.rel_path for t in tutorials.values()})
    tutorial_set = TutorialSet(root=root, tutorials=tutorials, sections=[], sections_source="", anchor_style=style,
                               config=config)
    tutorial_set.problems.extend(config.problems)
    tutorial_set.problems.extend(refused)
    for slug, line in config.order_lines.items():
        if slug not in tutorials:
            tutorial_set.problems.append(Diagnostic(
                "config/order", Severity.ERROR, config.path, line, f"`order` names `{slug}`, but there is no {slug}.md",
                "fix the slug (the file name without .md) or remove the entry"))
    _attach_sections(tutorial_set, sections, config)
    return tutorial_set


def _attach_sections(tutorial_set: TutorialSet, option: str | None, config: FolderConfig) -> None:
    if option is not None:
        tutorial_set.sections = parse_sections_option(option)
        tutorial_set.sections_source = "option"
        if not tutorial_set.sections:
            raise UsageError("--sections names no section", 'give the section names in order, separated by commas: --sections "A,B,C"')
        return
    if config.sections is not None:
        tutorial_set.sections, tutorial_set.sections_source, tutorial_set.sections_path = config.sections, "file", config.path
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
    from_order = config.order_sections()
    if from_order:
        tutorial_set.sections, tutorial_set.sections_source, tutorial_set.sections_path = from_order, "file", config.path
        return
    tutorial_set.sections = infer_sections(tutorial_set.tutorials)
    tutorial_set.sections_source = "inferred"
    if tutorial_set.sections:
        names = ", ".join(s.name for s in tutorial_set.sections)
        tutorial_set.problems.append(Diagnostic(
            "sections/inferred", Severity.WARNING, display_path(tutorial_set.root), 0,
            f"no sections file; the section order was inferred from prerequisites: {names}",
            f"write this order to {display_path(tutorial_set.root / 'sections.yml')} (one `- name` per line) "
            "or under `sections:` in tutor.yml, or pass --sections",
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
