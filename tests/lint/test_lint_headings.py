"""Headings whose id the site cannot use: an id of more than MAX_ANCHOR characters is an error at
its line. The finding: `## Step 1 {#1111…}` with 4,300+ digits next to a heading that repeats a
counted id made Python-Markdown's toc raise ValueError in `mkdocs build`."""

from __future__ import annotations

from tutor.anchors import MAX_ANCHOR, site_slugify_for

DIGITS = "1" * 4_400


def test_a_huge_explicit_id_is_an_error_at_its_line(folder, only):
    folder.sections("Basics")
    folder.tutorial("huge", stepNumber=1, totalSteps=1, body=(
        f"# Huge\n\n## Step 1: Start {{#{DIGITS}}}\n\ntext\n\n## Fine {{#fine}}\n"))
    found = only(folder.lint(), "headings/long-id")
    assert [d.line for d in found] == [12]
    assert "4,400 characters long" in found[0].message and f"at most {MAX_ANCHOR}" in found[0].message
    assert len(found[0].message) < 200  # an excerpt of the id, never the whole of it


def test_a_huge_id_made_from_heading_text_is_an_error_too(folder, only):
    folder.sections("Basics")
    folder.tutorial("huge", stepNumber=1, totalSteps=1, body=f"# Huge\n\n## a_{DIGITS}\n\n## a_{DIGITS}\n")
    assert [d.line for d in only(folder.lint(), "headings/long-id")] == [12, 14]


def test_ids_up_to_the_bound_are_fine(folder, only):
    folder.sections("Basics")
    folder.tutorial("fine", stepNumber=1, totalSteps=1, body=(
        f"# Fine\n\n## Step 1: Go {{#{'x' * MAX_ANCHOR}}}\n\n## {'Word ' * 30}\n"))
    assert only(folder.lint(), "headings/long-id") == []


def test_the_site_cuts_ids_made_from_text_at_the_bound():
    for style in ("mkdocs", "github"):
        slugify = site_slugify_for(style)
        assert slugify("Short title", "-") == "short-title"
        assert len(slugify("a_" + DIGITS, "-")) == MAX_ANCHOR
