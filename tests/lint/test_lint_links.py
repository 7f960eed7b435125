"""Rule families 5 and 6: links resolve, and the body's Prerequisites agree with the frontmatter."""

from __future__ import annotations

TARGET_BODY = "# Target\n\n## Step 1: TDX & SGX\n\ntext\n\n## Configure `vmm.toml`\n"


def test_link_to_unknown_tutorial_by_url_and_by_file(folder, only):
    folder.sections("Basics")
    folder.tutorial("target", body=TARGET_BODY, stepNumber=1, totalSteps=2)
    folder.tutorial("source", stepNumber=2, totalSteps=2, body="# S\n\nSee [x](/tutorial/targt) and\n[y](targe.md).\n")
    found = only(folder.lint(), "links/unknown-tutorial")
    assert [d.line for d in found] == [12, 13]
    assert "did you mean `target`" in found[0].message


def test_anchor_must_exist_on_the_target_page(folder, only):
    folder.sections("Basics")
    folder.tutorial("target", body=TARGET_BODY, stepNumber=1, totalSteps=2)
    folder.tutorial("source", stepNumber=2, totalSteps=2, body=(
        "# S\n\n[ok](/tutorial/target#step-1-tdx-sgx) [ok2](target.md#configure-vmmtoml)\n"
        "[bad](/tutorial/target/#step-1-tdx--sgx) [self](#s) [badself](#nope)\n"))
    found = only(folder.lint(), "links/unknown-anchor")
    assert [d.message.split("`")[1] for d in found] == ["/tutorial/target/#step-1-tdx--sgx", "#nope"]
    assert "did you mean `step-1-tdx-sgx`" in found[0].message


def test_github_anchor_style_is_selectable(folder, only):
    from tutor.lint import lint_set
    from tutor.loader import load_folder

    folder.sections("Basics")
    folder.tutorial("target", body=TARGET_BODY, stepNumber=1, totalSteps=2)
    folder.tutorial("source", stepNumber=2, totalSteps=2, body="# S\n\n[gh](/tutorial/target#step-1-tdx--sgx)\n")
    assert only(folder.lint(), "links/unknown-anchor")
    report = lint_set(load_folder(folder.root, anchor_style="github"))
    assert only(report, "links/unknown-anchor") == []


def test_body_prerequisites_section_links_undeclared_tutorial(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=3)
    folder.tutorial("b", stepNumber=2, totalSteps=3)
    folder.tutorial("c", stepNumber=3, totalSteps=3, prerequisites=["a"],
                    body="# C\n\n## Prerequisites\n\n- [A](/tutorial/a)\n- [B](/tutorial/b)\n\n## Step 1: Go\n\nSee [B](/tutorial/b).\n")
    [d] = only(folder.lint(), "body/prerequisite-not-declared")
    assert d.severity.value == "warning" and "`b`" in d.message and d.line == 16


def test_body_never_mentions_a_declared_prerequisite(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=2)
    folder.tutorial("b", stepNumber=2, totalSteps=2, prerequisites=["a"], body="# B\n\n## Prerequisites\n\n- a TDX host\n")
    [d] = only(folder.lint(), "body/prerequisite-not-mentioned")
    assert "`a` is not linked from the body's Prerequisites section" in d.message
    assert "[A](/tutorial/a)" in d.hint


def test_transitive_prerequisite_may_be_linked(folder, only):
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=3)
    folder.tutorial("b", stepNumber=2, totalSteps=3, prerequisites=["a"])
    folder.tutorial("c", stepNumber=3, totalSteps=3, prerequisites=["b"],
                    body="# C\n\n## Prerequisites\n\n- [A](/tutorial/a)\n- [B](/tutorial/b)\n")
    assert folder.lint().diagnostics == []
