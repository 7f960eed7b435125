"""A tutorial restored from the cache parses its blocks and steps again from its stored body:
on every tutorial of the project, the test corpora and the examples, that gives the very
model a parse of the file gives, each step pointing at the tutorial's own headings."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from tutor.cache import _blob, _Entry, _unpack
from tutor.loader import load_folder
from tutor.model import DEFERRED_FIELDS, Tutorial

ROOT = Path(__file__).resolve().parents[2]


def corpus_folders() -> list[Path]:
    files = [*(ROOT / "tutorials").glob("*.md"), *(ROOT / "tests").rglob("*.md"), *(ROOT / "examples").rglob("*.md")]
    return sorted({p.parent for p in files})


def restored(tutorial: Tutorial) -> Tutorial:
    """`tutorial` as a warm run reads it from the pack."""
    entry = _Entry(b"digest", pickle.loads(pickle.dumps(_blob(tutorial, []))))
    back = _unpack(entry, tutorial.path)
    assert back is not None
    return back


@pytest.mark.parametrize("folder", corpus_folders(), ids=lambda p: str(p.relative_to(ROOT)))
@pytest.mark.parametrize("anchors", ["mkdocs", "github"])
def test_a_restored_tutorial_parses_to_the_same_model(folder: Path, anchors: str) -> None:
    for slug, parsed in load_folder(folder, anchor_style=anchors).tutorials.items():
        back = restored(parsed)
        assert not any(name in object.__getattribute__(back, "__dataclass_fields__") and _is_set(back, name)
                       for name in DEFERRED_FIELDS if parsed.readable), slug  # nothing parsed before it is read
        assert back == parsed, slug  # dataclass equality reaches every block, step, path and variable
        for step in back.steps:
            assert any(step.heading is h for h in back.headings) or step.implicit, slug
            for substep in step.substeps:
                assert any(substep.heading is h for h in back.headings), slug
        for path in back.paths:
            assert path.heading is None or any(path.heading is h for h in back.headings), slug
            assert [s.number for s in path.steps] == [s.number for s in next(p for p in parsed.paths if p.name == path.name).steps]


def _is_set(tutorial: Tutorial, name: str) -> bool:
    try:
        object.__getattribute__(tutorial, name)
    except AttributeError:
        return False
    return True
