"""Model objects pickled as their field values (`compact_pickle`) read back equal, with shared
objects still shared, and the decorator refuses a class it would pickle wrongly."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path

import pytest

from tutor.attributes import FenceOptions
from tutor.compact_pickle import pickled_as_fields
from tutor.loader import load_folder

ROOT = Path(__file__).resolve().parents[2]


def test_the_project_tutorials_read_back_equal_and_shared() -> None:
    for tutorial in load_folder(ROOT / "tutorials").tutorials.values():
        parts = (tutorial.headings, tutorial.blocks, tutorial.steps, tutorial.paths, tutorial.links, tutorial.variables)
        headings, blocks, steps, paths, links, variables = pickle.loads(pickle.dumps(parts, protocol=pickle.HIGHEST_PROTOCOL))
        assert (headings, blocks, steps, paths, links, variables) == parts
        for step in steps:  # a step's heading is one of the tutorial's, not a copy
            assert any(step.heading is heading for heading in headings)
        assert all(isinstance(b.options, FenceOptions) for b in blocks)


def test_a_class_with_a_keyword_only_or_computed_field_is_refused() -> None:
    @dataclasses.dataclass
    class KeywordOnly:
        a: int
        b: int = dataclasses.field(default=0, kw_only=True)

    @dataclasses.dataclass
    class Computed:
        a: int
        b: int = dataclasses.field(default=0, init=False)

    for cls in (KeywordOnly, Computed):
        with pytest.raises(TypeError):
            pickled_as_fields(cls)
