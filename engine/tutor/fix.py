"""`tutor lint --fix`: renumber each section so that its order respects the prerequisites.

Inside a section, the numbered tutorials are sorted topologically along the
prerequisite edges between them; current numbers (then titles) break ties. Two
tutorials that shared a number and do not depend on each other keep sharing one
(parallel tracks). Only the values of `stepNumber` and `totalSteps` change: the rest
of each file, comments, quoting and key order included, stays byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .atomic import write_atomically
from .graph import TutorialGraph
from .model import Tutorial
from .yamlsource import Located, YamlProblem, load_located


@dataclass
class FileChange:
    tutorial: Tutorial
    changes: dict[str, tuple[object, int]]
    """key → (old value, new value)."""


def planned_numbers(graph: TutorialGraph) -> dict[str, dict[str, int]]:
    """slug → {"stepNumber": n, "totalSteps": k} for every numbered tutorial of a fixable section."""
    import networkx as nx

    plan: dict[str, dict[str, int]] = {}
    sections: dict[str, list[Tutorial]] = {}
    for t in graph.ordered():
        if t.readable and t.section and not t.is_appendix:
            sections.setdefault(t.section, []).append(t)
    for tutorials in sections.values():
        slugs = {t.slug for t in tutorials}
        sub = graph.dag.subgraph(slugs)
        if not nx.is_directed_acyclic_graph(sub):
            continue  # a cycle has no order to number; lint reports it
        by_slug = {t.slug: t for t in tutorials}

        order = list(nx.lexicographical_topological_sort(sub, key=lambda slug, by_slug=by_slug: _tie_break(by_slug[slug])))
        numbers: dict[str, int] = {}
        number = 0
        group: list[str] = []
        for slug in order:
            old = by_slug[slug].step_number
            parallel = (
                group and old is not None and by_slug[group[0]].step_number == old
                and not any(nx.has_path(sub, g, slug) or nx.has_path(sub, slug, g) for g in group)
            )
            if parallel:
                group.append(slug)
            else:
                number += 1
                group = [slug]
            numbers[slug] = number
        for slug, n in numbers.items():
            plan[slug] = {"stepNumber": n, "totalSteps": number}
    return plan


def _tie_break(t: Tutorial) -> tuple[float, str, str]:
    """Current number first, then title: the order an author already chose wins where edges allow."""
    return (float(t.step_number) if t.step_number is not None else float("inf"), t.title.lower(), t.slug)


def plan_changes(graph: TutorialGraph) -> list[FileChange]:
    changes: list[FileChange] = []
    for slug, values in planned_numbers(graph).items():
        t = graph.tutorials[slug]
        current = {"stepNumber": t.meta.get("stepNumber"), "totalSteps": t.meta.get("totalSteps")}
        diff = {k: (current[k], v) for k, v in values.items() if current[k] != v or isinstance(current[k], bool)}
        if diff:
            changes.append(FileChange(t, diff))
    return changes


def apply_change(change: FileChange) -> None:
    path = change.tutorial.path
    raw = path.read_bytes().decode("utf-8")
    crlf = "\r\n" in raw
    bom = raw.startswith("\ufeff")
    text = raw.lstrip("\ufeff").replace("\r\n", "\n")
    new_text = rewrite_frontmatter(text, {k: new for k, (_, new) in change.changes.items()})
    if crlf:
        new_text = new_text.replace("\n", "\r\n")
    if bom:
        new_text = "\ufeff" + new_text
    write_atomically(path, new_text)


def rewrite_frontmatter(text: str, values: dict[str, int]) -> str:
    """Set top-level integer keys of the frontmatter, touching nothing else."""
    start = text.find("\n")
    end = _frontmatter_end(text, start + 1)
    yaml_text = text[start:end]
    try:
        located = load_located(yaml_text)
    except YamlProblem as exc:
        raise ValueError(f"frontmatter does not parse: {exc.message}") from None
    edits: list[tuple[int, int, str]] = []
    inserts: list[str] = []
    for key, value in values.items():
        node = located.value_node(key)
        if node is None:
            inserts.append(f"{key}: {value}\n")
            continue
        edits.append((start + node.start_mark.index, start + node.end_mark.index, str(value)))
    for begin, finish, replacement in sorted(edits, reverse=True):
        text = text[:begin] + replacement + text[finish:]
        end += len(replacement) - (finish - begin)
    if inserts:
        anchor = _line_after_key(text, start, end, located, "section")
        text = text[:anchor] + "".join(inserts) + text[anchor:]
    return text


def _frontmatter_end(text: str, pos: int) -> int:
    while pos < len(text):
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if line.rstrip() in ("---", "..."):
            return pos
        if nl < 0:
            break
        pos = nl + 1
    return len(text)


def _line_after_key(text: str, start: int, end: int, located: Located, key: str) -> int:
    node = located.value_node(key)
    if node is None:
        return end
    nl = text.find("\n", start + node.end_mark.index)
    return end if nl < 0 or nl >= end else nl + 1

