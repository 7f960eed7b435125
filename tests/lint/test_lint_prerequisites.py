"""Rule family 2: prerequisites exist, are not self or cyclic, and come first in reading order."""

from __future__ import annotations


def test_unknown_prerequisite_with_did_you_mean(folder, only):
    folder.sections("Basics")
    folder.tutorial("install-rust", stepNumber=1, totalSteps=2)
    folder.tutorial("build", stepNumber=2, totalSteps=2, prerequisites=["install-rustt"])
    [d] = only(folder.lint(), "prerequisites/unknown")
    assert d.path.endswith("build.md") and d.line == 8
    assert "install-rustt" in d.message and "did you mean `install-rust`" in d.message


def test_self_reference(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", prerequisites=["a"])
    [d] = only(folder.lint(), "prerequisites/self")
    assert "lists itself" in d.message


def test_cycle_is_printed(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=3, prerequisites=["c"])
    folder.tutorial("b", stepNumber=2, totalSteps=3, prerequisites=["a"])
    folder.tutorial("c", stepNumber=3, totalSteps=3, prerequisites=["b"])
    [d] = only(folder.lint(), "prerequisites/cycle")
    assert "a → b → c → a" in d.message
    assert d.path.endswith("a.md")


def test_prerequisite_later_in_reading_order_names_both_with_section_and_step(folder, only):
    folder.sections("Setup", "Apps")
    folder.tutorial("deploy", section="Setup", prerequisites=["images"])
    folder.tutorial("images", section="Apps")
    [d] = only(folder.lint(), "prerequisites/order")
    assert d.severity.value == "error" and d.path.endswith("deploy.md")
    assert "`deploy` (Setup, step 1)" in d.message
    assert "`images` (Apps, step 1)" in d.message
    assert "later in reading order" in d.message


def test_same_section_order_by_step_number(folder, only):
    folder.sections("Basics")
    folder.tutorial("first", stepNumber=1, totalSteps=2, prerequisites=["second"])
    folder.tutorial("second", stepNumber=2, totalSteps=2)
    [d] = only(folder.lint(), "prerequisites/order")
    assert "`first` (Basics, step 1) needs `second` (Basics, step 2)" in d.message


def test_implied_prerequisite_is_info(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=3)
    folder.tutorial("b", stepNumber=2, totalSteps=3, prerequisites=["a"])
    folder.tutorial("c", stepNumber=3, totalSteps=3, prerequisites=["a", "b"])
    report = folder.lint()
    [d] = only(report, "prerequisites/implied")
    assert d.severity.value == "info" and "`a` is already implied by `b`" in d.message
    assert not report.failed(strict=True)


def test_duplicate_prerequisite(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=2)
    folder.tutorial("b", stepNumber=2, totalSteps=2, prerequisites=["a", "a"])
    [d] = only(folder.lint(), "prerequisites/duplicate")
    assert d.line == 9
