"""Bounded work on hostile input, counted (times are in bench/adversarial.py), and the same answers as before."""

from __future__ import annotations

import random

from markdown.extensions.toc import unique as python_markdown_unique

from tutor.anchors import AnchorAllocator
from tutor.fragments import _asks_for_a_change, _expansions_as_values
from tutor.parse import _explicit_id, _introduces_expected_output
from tutor.suggest import BUDGET, SHORTLIST, SuggestionIndex
from tutor.suppress import _comments


def test_identical_headings_cost_a_few_probes_each():
    allocator = AnchorAllocator()
    ids = [allocator.allocate("Same") for _ in range(20_000)]
    assert ids[:3] == ["same", "same_1", "same_2"] and ids[-1] == "same_19999"
    assert allocator.probes < 3 * 20_000  # counting up from 1 each time was 200 million


def test_repeated_counted_ids_cost_a_few_probes_each():
    allocator = AnchorAllocator()
    ids = [allocator.allocate("", explicit="x_5") for _ in range(5_000)]
    assert ids[:3] == ["x_5", "x_6", "x_7"]
    assert allocator.probes < 10 * 5_000


def test_anchor_ids_are_python_markdowns():
    rng = random.Random(8)
    words = ["a", "a_1", "a_2", "a_1_1", "", "b", "a-1", "a_3", "_1"]
    for _ in range(500):
        sequence = [rng.choice(words) for _ in range(rng.randint(1, 25))]
        allocator, ids = AnchorAllocator(), set()
        mine = [allocator.allocate("", explicit=w) if w else allocator.allocate("") for w in sequence]
        assert mine == [python_markdown_unique(w, ids) for w in sequence], sequence


def test_github_ids_count_on_per_original_id():
    allocator = AnchorAllocator("github")
    assert [allocator.allocate(t) for t in ["A", "A", "A-1", "A", "A"]] == ["a", "a-1", "a-1-1", "a-2", "a-3"]
    many = AnchorAllocator("github")
    for _ in range(10_000):
        many.allocate("Same")
    assert many.probes < 3 * 10_000


def test_suggestions_over_many_anchors_read_a_shortlist():
    anchors = [f"step-{i}-configure-part-{i}" for i in range(5_000)]
    index = SuggestionIndex(anchors)
    assert index.closest("step-4321-configre-part-4321") == "step-4321-configure-part-4321"
    assert index.comparisons <= SHORTLIST
    for i in range(3_000):
        index.closest(f"nothing-like-{i}")
    assert index.comparisons <= BUDGET  # difflib over every anchor would be 15 million
    assert index.closest("step-4321-configre-part-4321") == "step-4321-configure-part-4321"  # remembered


def test_short_lists_are_compared_in_full():
    assert SuggestionIndex(["target", "other"]).did_you_mean("targt") == " (did you mean `target`?)"
    assert SuggestionIndex(["target"]).did_you_mean("x" * 5_000) == ""


def test_heading_ids_and_expected_output_as_before():
    assert _explicit_id("Install {#install .big}").group(1) == "install"
    assert _explicit_id("Install {#a {b}  ").group(1) == "a"
    assert _explicit_id("Install {#a} then {#b}").group(1) == "b"
    assert _explicit_id("Set {x}") is None and _explicit_id("{#a} b") is None
    assert _introduces_expected_output("You should see.\n**Expected output:**")
    assert _introduces_expected_output("Expected output :  ")
    assert not _introduces_expected_output("Expected output is below, see")


def test_change_prose_expansions_and_suppression_comments_as_before():
    assert _asks_for_a_change("Then set the value of port. Done.")
    assert not _asks_for_a_change("Set. The value is below.")
    assert _expansions_as_values('"${X}", $(date), $HOME, $ $( ${ x') == '"0", 0, 0, $ $( ${ x'
    assert list(_comments("x <!-- tutor:disable links/unknown-anchor --> <!-- tutor: enable=a,b -->")) == [
        ("disable", "links/unknown-anchor"), ("enable", "a,b")]
    assert list(_comments("<!-- <!-- tutor:disable-line -->")) == [("disable-line", "")]
    assert list(_comments("<!-- tutor:disable " + " " * 10_000)) == []
