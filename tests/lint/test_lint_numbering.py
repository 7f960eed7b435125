"""Rule family 3: sections and step numbers."""

from __future__ import annotations


def test_missing_step_number(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=...)
    [d] = only(folder.lint(), "numbering/missing")
    assert "no stepNumber" in d.message and "isAppendix" in d.hint


def test_duplicate_numbers_when_one_depends_on_the_other(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=1)
    folder.tutorial("b", stepNumber=1, totalSteps=1, prerequisites=["a"])
    [d] = only(folder.lint(), "numbering/duplicate")
    assert d.path.endswith("b.md") and "both step 1" in d.message and "--fix" in d.hint


def test_parallel_tracks_are_info(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=2)
    folder.tutorial("b", stepNumber=1, totalSteps=2)
    folder.tutorial("c", stepNumber=2, totalSteps=2, prerequisites=["a", "b"])
    report = folder.lint()
    [d] = only(report, "numbering/parallel")
    assert d.severity.value == "info" and "parallel tracks" in d.message
    assert not report.failed(strict=True)


def test_gap_and_start(folder, only):
    folder.sections("Basics", "More")
    folder.tutorial("a", stepNumber=1, totalSteps=2)
    folder.tutorial("b", stepNumber=3, totalSteps=2)
    folder.tutorial("c", section="More", stepNumber=2, totalSteps=1)
    report = folder.lint()
    [gap] = only(report, "numbering/gap")
    assert gap.path.endswith("b.md") and "no step 2" in gap.message
    [start] = only(report, "numbering/start")
    assert start.path.endswith("c.md") and "starts at step 2" in start.message


def test_total_steps_must_equal_the_section_count(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=3)
    folder.tutorial("b", stepNumber=2, totalSteps=2)
    [d] = only(folder.lint(), "numbering/total")
    assert d.path.endswith("a.md") and d.line == 6
    assert "totalSteps is 3" in d.message and "has 2 step(s)" in d.message


def test_appendix_with_a_step_number(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=1)
    folder.tutorial("faq", isAppendix=True, stepNumber=2, totalSteps=None)
    [d] = only(folder.lint(), "numbering/appendix")
    assert d.path.endswith("faq.md") and "stepNumber: null" in d.hint


def test_appendix_without_numbers_is_fine_and_comes_last(folder):
    folder.sections("Basics")
    folder.tutorial("zz", stepNumber=1, totalSteps=1)
    folder.tutorial("faq", isAppendix=True, stepNumber=None, totalSteps=None)
    report = folder.lint()
    assert report.diagnostics == []
    assert report.graph.order == ["zz", "faq"]


def test_section_not_in_the_sections_file(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", section="Basic")
    [d] = only(folder.lint(), "sections/unknown")
    assert "'Basic' is not listed in the sections file" in d.message and d.line == 4


def test_section_with_no_tutorials_is_a_warning(folder, only):
    folder.sections("Basics", "Empty")
    folder.tutorial("a")
    [d] = only(folder.lint(), "sections/empty")
    assert d.severity.value == "warning" and d.path.endswith("sections.yml") and d.line == 2


def test_sections_option_overrides_the_file(folder, only):
    folder.sections("Zeta", "Alpha")
    folder.tutorial("a", section="Alpha", stepNumber=1)
    folder.tutorial("z", section="Zeta", stepNumber=1, prerequisites=["a"])
    assert only(folder.lint(), "prerequisites/order")
    report = folder.lint(sections="Alpha,Zeta")
    assert report.diagnostics == [] and report.graph.order == ["a", "z"]


def test_without_sections_file_the_order_is_inferred_with_a_warning(folder, only):
    folder.tutorial("deploy", section="Deploy", prerequisites=["install"])
    folder.tutorial("install", section="Install")
    report = folder.lint()
    [d] = only(report, "sections/inferred")
    assert "Install, Deploy" in d.message and "sections.yml" in d.hint
    assert report.graph.order == ["install", "deploy"]
    assert only(report, "prerequisites/order") == []
