"""tutor.yml and suppression comments: a folder written for another site lints without edits to its files."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "any-folder"


def tutor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor.cli", *args], capture_output=True, text=True, timeout=60)


def lint_lines(folder: Path, *args: str) -> list[str]:
    """`path:line: severity [rule]` of each finding, paths relative to the folder."""
    result = tutor("lint", "--no-cache", str(folder), *args)
    assert result.returncode in (0, 1), result.stderr
    found = []
    for line in result.stdout.splitlines():
        where, _, rest = line.partition(" ")
        if where.endswith(":") and ".md:" in where:
            severity, rule = rest.split(" ", 2)[:2]
            found.append(f"{Path(where).name} {severity} {rule}")
    return found


def copy(name: str, tmp_path: Path, config: str | None = None) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target)
    if config is None:
        (target / "tutor.yml").unlink()
    elif config != "keep":
        (target / "tutor.yml").write_text(config, encoding="utf-8")
    return target


@pytest.mark.parametrize("name", ["github-set", "carpentries-lesson", "docusaurus-site"])
def test_each_foreign_set_is_clean_with_its_tutor_yml_and_not_without(name: str, tmp_path: Path) -> None:
    result = tutor("lint", "--no-cache", "--strict", str(FIXTURES / name))
    assert result.returncode == 0 or ("warning" in result.stdout and "0 errors" in result.stdout), result.stdout
    assert " 0 errors" in result.stdout.splitlines()[-1]
    without = tutor("lint", "--no-cache", str(copy(name, tmp_path)))
    assert without.returncode == 1 and "error [" in without.stdout


def test_github_set_order_anchors_and_no_frontmatter(tmp_path: Path) -> None:
    from tutor.graph import TutorialGraph
    from tutor.loader import load_folder

    graph = TutorialGraph(load_folder(FIXTURES / "github-set"))
    assert [(t.slug, t.title, t.section, t.step_number, t.total_steps) for t in graph.ordered()] == [
        ("prepare-host", "Prepare the host", "Guide", 1, 2), ("install", "Install the service", "Guide", 2, 2)]
    assert graph.set.anchor_style == "github"
    # The same folder with mkdocs ids: the GitHub-style anchors no longer resolve.
    folder = copy("github-set", tmp_path, (FIXTURES / "github-set" / "tutor.yml").read_text().replace("anchors: github\n", ""))
    assert lint_lines(folder) == ["install.md:3: error [links/unknown-anchor]", "install.md:12: info [steps/implicit]",
                                  "prepare-host.md:14: error [links/unknown-anchor]", "prepare-host.md:16: info [steps/implicit]"]
    # --anchors on the command line overrides tutor.yml.
    assert "[links/unknown-anchor]" not in " ".join(lint_lines(folder, "--anchors", "github"))


def test_carpentries_overrides_by_glob_and_inline_suppression(tmp_path: Path) -> None:
    assert lint_lines(FIXTURES / "carpentries-lesson") == [
        "01-navigation.md:12: info [steps/implicit]", "02-pipes.md:6: info [steps/implicit]", "02-pipes.md:17: warning [blocks/parse]"]
    folder = copy("carpentries-lesson", tmp_path, "keep")
    page = folder / "01-navigation.md"
    page.write_text(page.read_text().replace("<!-- tutor: disable-next-line=links/unknown-anchor -->\n", ""))
    assert "01-navigation.md:21: error [links/unknown-anchor]" in lint_lines(folder)


def test_docusaurus_order_with_sections(tmp_path: Path) -> None:
    from tutor.graph import TutorialGraph
    from tutor.loader import load_folder

    graph = TutorialGraph(load_folder(FIXTURES / "docusaurus-site"))
    assert graph.set.section_names() == ["Getting Started", "Guides"]
    assert [(t.slug, t.section, t.step_number) for t in graph.ordered()] == [
        ("intro", "Getting Started", 1), ("installation", "Getting Started", 2), ("configuration", "Guides", 1)]


def test_the_config_is_validated_with_lines(folder, tmp_path: Path) -> None:
    folder.sections("Basics")
    folder.tutorial("a")
    folder.raw("tutor.yml", (
        "anchors: gitlab\n"
        "rules:\n"
        "  links/unknown-ancor: warning\n"
        "  numbering: loud\n"
        "  frontmatter: off\n"
        "ordr: [a]\n"
        "defaults:\n"
        "  colour: red\n"
        "  stepNumber: two\n"
        "order: [a, ghost]\n"
        "overrides:\n"
        "  - rules: {numbering: off}\n"))
    found = [(d.line, d.rule, d.message) for d in folder.lint().diagnostics if d.rule.startswith("config/")]
    assert [(line, rule) for line, rule, _ in found] == [
        (1, "config/invalid"), (3, "config/invalid"), (4, "config/invalid"), (6, "config/invalid"),
        (8, "config/invalid"), (9, "config/invalid"), (10, "config/order"), (12, "config/invalid")]
    messages = " | ".join(message for _, _, message in found)
    assert "did you mean `links/unknown-anchor`" in messages and "'loud' is not a severity" in messages
    assert "unknown key `ordr` in tutor.yml (did you mean `order`?)" in messages and "no ghost.md" in messages


def test_rule_severities_raise_lower_and_turn_off(folder, only) -> None:
    folder.sections("Basics")
    folder.tutorial("a", body="# A\n\n```bash\necho hi\n```\n", colour="x")
    assert only(folder.lint(), "steps/implicit")[0].severity.value == "info"
    folder.raw("tutor.yml", "rules:\n  steps/implicit: error\n  frontmatter: off\n")
    report = folder.lint()
    assert only(report, "steps/implicit")[0].severity.value == "error"
    assert not only(report, "frontmatter/unknown-key")
    folder.raw("tutor.yml", "rules: {steps: error}\noverrides:\n  - files: [a.md]\n    rules: {steps/implicit: off}\n"
               "  - files: ['b-*.md']\n    rules: {steps: info}\n")
    assert not only(folder.lint(), "steps/implicit")


def test_suppression_comments(folder, only) -> None:
    folder.sections("Basics")
    folder.tutorial("a", body=(
        "# A\n\n"
        "<!-- tutor: disable-next-line=links/unknown-anchor -->\n\n"
        "[one](#nowhere-1)\n"
        "[two](#nowhere-2) <!-- tutor: disable-line=links -->\n"
        "<!-- tutor: disable=links/unknown-anchor -->\n"
        "[three](#nowhere-3)\n"
        "<!-- tutor: enable=links/unknown-anchor -->\n"
        "[four](#nowhere-4)\n"
        "<!-- tutor: disable-next-line=links/unknown-ancor -->\n"
        "<!-- tutor: disabel=links -->\n"
        "<!-- tutor: disable-next-line=numbering -->\n"
        "\n```markdown\n<!-- tutor: disable-file -->\n```\n"))
    report = folder.lint()
    assert [d.message.split("`")[1] for d in only(report, "links/unknown-anchor")] == ["#nowhere-4"]
    unknown = only(report, "suppress/unknown")
    assert [(d.line, "did you mean `links/unknown-anchor`" in d.message or "disabel" in d.message) for d in unknown] == [
        (20, True), (21, True)]
    assert [d.line for d in only(report, "suppress/unused")] == [22]
    folder.raw("a.md", (folder.root / "a.md").read_text() + "<!-- tutor: disable-file=links -->\n")
    assert not only(folder.lint(), "links/unknown-anchor")


def test_sections_yml_is_still_honoured_and_tutor_yml_sections_win(folder) -> None:
    folder.sections("Basics", "Later")
    folder.tutorial("a")
    assert folder.lint().set.section_names() == ["Basics", "Later"]
    folder.raw("tutor.yml", "sections: [Basics]\n")
    report = folder.lint()
    assert report.set.section_names() == ["Basics"] and report.set.sections_path.endswith("tutor.yml")
    assert folder.lint(sections="Basics,Other").set.section_names() == ["Basics", "Other"]


def test_editing_tutor_yml_invalidates_the_lint_cache(folder, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    folder.sections("Basics")
    folder.raw("a.md", "# A\n\nNo frontmatter.\n")
    env_run = lambda: subprocess.run([sys.executable, "-m", "tutor.cli", "lint", str(folder.root)],  # noqa: E731
                                     capture_output=True, text=True, timeout=60, env={**__import__("os").environ})
    assert "file/no-frontmatter" in env_run().stdout
    folder.raw("tutor.yml", "defaults: {description: A page., section: Basics, stepNumber: 1, totalSteps: 1}\n")
    second = env_run()
    assert "file/no-frontmatter" not in second.stdout and second.returncode == 0, second.stdout
