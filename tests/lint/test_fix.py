"""`tutor lint --fix`: renumbering that respects prerequisites and touches nothing else."""

from __future__ import annotations

from tutor.fix import apply_change, plan_changes, rewrite_frontmatter
from tutor.graph import TutorialGraph
from tutor.loader import load_folder


def fix(root):  # type: ignore[no-untyped-def]
    for change in plan_changes(TutorialGraph(load_folder(root))):
        apply_change(change)
    return load_folder(root).tutorials


def test_renumbers_in_prerequisite_order_with_current_numbers_breaking_ties(folder):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=2, prerequisites=["b"])
    folder.tutorial("b", stepNumber=2, totalSteps=2)
    folder.tutorial("c", stepNumber=3, totalSteps=2)
    tutorials = fix(folder.root)
    assert {s: (t.step_number, t.total_steps) for s, t in tutorials.items()} == {"b": (1, 3), "a": (2, 3), "c": (3, 3)}


def test_parallel_tracks_keep_sharing_a_number(folder):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=2, totalSteps=3)
    folder.tutorial("b", stepNumber=2, totalSteps=3)
    folder.tutorial("c", stepNumber=3, totalSteps=3, prerequisites=["a", "b"])
    tutorials = fix(folder.root)
    assert {s: (t.step_number, t.total_steps) for s, t in tutorials.items()} == {"a": (1, 2), "b": (1, 2), "c": (2, 2)}


def test_missing_keys_are_inserted_after_section(folder):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=..., totalSteps=...)
    tutorials = fix(folder.root)
    assert (tutorials["a"].step_number, tutorials["a"].total_steps) == (1, 1)
    text = (folder.root / "a.md").read_text()
    assert "section: Basics\nstepNumber: 1\ntotalSteps: 1\n" in text


def test_appendices_are_left_alone(folder):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=4, totalSteps=4)
    path = folder.tutorial("faq", isAppendix=True, stepNumber=None, totalSteps=None)
    before = path.read_text()
    fix(folder.root)
    assert path.read_text() == before


def test_rewrite_keeps_crlf_comments_and_quoting(folder):
    folder.sections("Basics")
    path = folder.raw("a.md", '---\r\ntitle: "A"  # quoted\r\nsection: Basics\r\nstepNumber: 7 # was seven\r\ntotalSteps: 9\r\n---\r\n# A\r\n')
    fix(folder.root)
    assert path.read_bytes() == b'---\r\ntitle: "A"  # quoted\r\nsection: Basics\r\nstepNumber: 1 # was seven\r\ntotalSteps: 1\r\n---\r\n# A\r\n'


def test_rewrite_frontmatter_replaces_only_the_value():
    text = "---\ntitle: x\nstepNumber: null\n---\nstepNumber: 5\n"
    assert rewrite_frontmatter(text, {"stepNumber": 2}) == "---\ntitle: x\nstepNumber: 2\n---\nstepNumber: 5\n"


def test_a_cyclic_section_is_not_renumbered(folder):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=5, totalSteps=1, prerequisites=["b"])
    folder.tutorial("b", stepNumber=6, totalSteps=1, prerequisites=["a"])
    tutorials = fix(folder.root)
    assert (tutorials["a"].step_number, tutorials["b"].step_number) == (5, 6)
