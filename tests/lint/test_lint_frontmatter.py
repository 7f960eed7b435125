"""Rule family 1: frontmatter keys, types and values."""

from __future__ import annotations


def test_clean_tutorial_has_no_diagnostics(folder):
    folder.sections("Basics")
    folder.tutorial("intro", body="# Intro\n")
    report = folder.lint()
    assert report.diagnostics == []


def test_missing_required_key_points_at_first_line(folder, only):
    folder.sections("Basics")
    folder.tutorial("intro", title=...)
    [d] = only(folder.lint(), "frontmatter/required")
    assert d.path.endswith("intro.md") and d.line == 1
    assert "`title`" in d.message and "missing" in d.message
    assert "add `title:" in d.hint


def test_empty_required_value_is_reported_at_its_line(folder, only):
    folder.sections("Basics")
    folder.tutorial("intro", description="   ")
    [d] = only(folder.lint(), "frontmatter/required")
    assert d.line == 3 and "empty" in d.message


def test_wrong_types_name_the_key_and_the_type(folder, only):
    folder.sections("Basics")
    folder.tutorial("intro", stepNumber="one", isAppendix="yes", tags="a,b")
    found = {d.message.split("`")[1]: d for d in only(folder.lint(), "frontmatter/type")}
    assert set(found) == {"stepNumber", "isAppendix", "tags"}
    assert "whole number" in found["stepNumber"].message and found["stepNumber"].line == 5
    assert "true or false" in found["isAppendix"].message


def test_difficulty_outside_the_enum(folder, only):
    folder.sections("Basics")
    folder.tutorial("intro", difficulty="expert")
    [d] = only(folder.lint(), "frontmatter/difficulty")
    assert "expert" in d.message and "beginner" in d.hint


def test_description_over_200_characters(folder, only):
    folder.sections("Basics")
    folder.tutorial("intro", description="x" * 201)
    [d] = only(folder.lint(), "frontmatter/description-length")
    assert "201 characters" in d.message and d.line == 3


def test_description_of_exactly_200_characters_is_fine(folder, only):
    folder.sections("Basics")
    folder.tutorial("intro", description="x" * 200)
    assert only(folder.lint(), "frontmatter/description-length") == []


def test_last_updated_must_be_a_date(folder, only):
    folder.sections("Basics")
    folder.tutorial("good", lastUpdated="2025-12-07")
    folder.tutorial("bad", lastUpdated="last week", stepNumber=1)
    [d] = only(folder.lint(), "frontmatter/date")
    assert d.path.endswith("bad.md") and "YYYY-MM-DD" in d.message


def test_unknown_key_is_a_warning_with_did_you_mean(folder, only):
    folder.sections("Basics")
    folder.tutorial("intro", prerequisite=["x"])
    [d] = only(folder.lint(), "frontmatter/unknown-key")
    assert d.severity.value == "warning"
    assert "did you mean `prerequisites`" in d.message


def test_empty_list_and_missing_prerequisites_both_mean_none(folder):
    folder.sections("Basics")
    folder.tutorial("a", prerequisites=[], stepNumber=1, totalSteps=2)
    folder.tutorial("b", prerequisites=..., stepNumber=2, totalSteps=2)
    report = folder.lint()
    assert report.diagnostics == []
    assert report.set.tutorials["b"].prerequisites == []


def test_yaml_syntax_error_gives_the_line_in_the_file(folder, only):
    folder.sections("Basics")
    folder.raw("broken.md", "---\ntitle: Broken\ndescription: one: two: three\nsection: Basics\n---\n# x\n")
    [d] = only(folder.lint(), "frontmatter/yaml")
    assert d.path.endswith("broken.md") and d.line == 3


def test_variables_entries_are_checked(folder, only):
    folder.sections("Basics")
    folder.tutorial("intro", variables={"GOOD": {"default": "1"}, "1BAD": {"default": "x"}, "ODD": {"defualt": "x"}})
    messages = [d.message for d in only(folder.lint(), "frontmatter/variables")]
    assert any("`1BAD`" in m for m in messages)
    assert any("defualt" in m for m in messages)
    assert not any("GOOD" in m for m in messages)
