"""Rule family 9: files that cannot be read as tutorials, and hostile input."""

from __future__ import annotations

import subprocess
import sys


def test_each_kind_of_bad_file_is_one_diagnostic(folder, only):
    folder.sections("Basics")
    folder.tutorial("good")
    folder.raw("empty.md", "")
    folder.raw("plain.md", "# No frontmatter here\n")
    folder.raw("latin1.md", "---\ntitle: caf\xe9\n---\n".encode("latin-1"))
    folder.raw("binary.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    report = folder.lint()
    by_file = {d.path.rsplit("/", 1)[-1]: d for d in report.diagnostics}
    assert by_file["empty.md"].rule == "file/empty"
    assert by_file["plain.md"].rule == "file/no-frontmatter"
    assert by_file["latin1.md"].rule == "file/encoding" and by_file["latin1.md"].line == 2
    assert by_file["binary.md"].rule == "file/binary"
    assert "good.md" not in by_file
    assert report.errors == 4


def test_non_tutorial_files_are_ignored(folder):
    folder.sections("Basics")
    folder.tutorial("good")
    folder.raw("README.md", "# About these tutorials\n")
    folder.raw("index.md", "")
    folder.raw("_draft.md", "nothing")
    folder.raw("notes.txt", "x")
    report = folder.lint()
    assert report.diagnostics == [] and list(report.set.tutorials) == ["good"]


def test_yaml_bomb_is_refused(folder, only):
    folder.sections("Basics")
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    folder.raw("bomb.md", "---\n" + "\n".join(bomb) + "\n---\n# x\n")
    [d] = only(folder.lint(), "frontmatter/yaml")
    assert "YAML bomb" in d.message


def test_five_megabyte_file_is_refused(folder, only):
    folder.sections("Basics")
    folder.raw("huge.md", "---\ntitle: x\n---\n" + ("word " * 1_000_000))
    [d] = only(folder.lint(), "file/too-large")
    assert "MiB" in d.message


def test_cycle_of_fifty(folder, only):
    folder.sections("Basics")
    n = 50
    for i in range(n):
        folder.tutorial(f"t{i:02}", stepNumber=i + 1, totalSteps=n, prerequisites=[f"t{(i - 1) % n:02}"])
    [d] = only(folder.lint(), "prerequisites/cycle")
    assert d.message.count("→") == n


def test_bad_inputs_through_the_cli_exit_1_without_traceback(folder):
    folder.sections("Basics")
    folder.raw("empty.md", "")
    folder.raw("binary.md", b"\x00\x01")
    folder.raw("yaml.md", "---\ntitle: [\n---\n")
    result = subprocess.run([sys.executable, "-m", "tutor.cli", "lint", str(folder.root)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "3 errors" in result.stdout


def test_a_file_name_that_is_not_a_slug_is_an_error_and_not_loaded(folder, only):
    from tutor.loader import load_folder

    folder.sections("Basics")
    folder.tutorial("good")
    folder.raw("setup; touch x #.md", "---\ntitle: x\n---\n")
    folder.raw("javascript:alert(1).md", "---\ntitle: x\n---\n")
    folder.raw("new\nline.md", "---\ntitle: x\n---\n")
    folder.raw("-flag.md", "---\ntitle: x\n---\n")
    report = folder.lint()
    refused = only(report, "file/name")
    assert len(refused) == 4
    assert all("\n" not in d.path and "\n" not in d.message for d in refused)
    assert list(load_folder(folder.root).tutorials) == ["good"]


def test_a_symlink_that_leaves_the_folder_is_refused(folder, only, tmp_path):
    from tutor.loader import load_folder

    folder.sections("Basics")
    folder.tutorial("good")
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\n---\n", encoding="utf-8")
    (folder.root / "leak.md").symlink_to(outside)
    (folder.root / "alias.md").symlink_to(folder.root / "good.md")
    [refused] = only(folder.lint(), "file/symlink")
    assert refused.path.endswith("leak.md")
    assert sorted(load_folder(folder.root).tutorials) == ["alias", "good"]


def test_a_sections_file_or_tutor_yml_that_leaves_the_folder_is_not_read(folder, only, tmp_path):
    from tutor.loader import load_folder

    folder.tutorial("good")
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "sections.yml").write_text("- Basics\n- Leaked section name\n", encoding="utf-8")
    (outside / "tutor.yml").write_text("anchors: github\n", encoding="utf-8")
    (folder.root / "sections.yml").symlink_to(outside / "sections.yml")
    (folder.root / "tutor.yml").symlink_to(outside / "tutor.yml")
    refused = only(folder.lint(), "file/symlink")
    assert sorted(d.path.rsplit("/", 1)[-1] for d in refused) == ["sections.yml", "tutor.yml"]
    assert all("not read" in d.message for d in refused)
    loaded = load_folder(folder.root)
    assert loaded.sections == [] and loaded.anchor_style == "mkdocs"  # neither file's content was used


def test_a_sections_file_linked_inside_the_folder_is_read(folder, only):
    from tutor.loader import load_folder

    folder.tutorial("good")
    (folder.root / "order.yml").write_text("- Basics\n", encoding="utf-8")
    (folder.root / "sections.yml").symlink_to(folder.root / "order.yml")
    assert only(folder.lint(), "file/symlink") == []
    assert [s.name for s in load_folder(folder.root).sections] == ["Basics"]


def test_a_huge_sections_file_is_refused_unread(folder, only):
    folder.tutorial("good")
    folder.raw("sections.yml", "- Basics\n" + "#" * (3 * 1024 * 1024))
    [refused] = only(folder.lint(), "file/too-large")
    assert refused.path.endswith("sections.yml")


def _frontmatter(line: str) -> str:
    return f"---\ntitle: A\ndescription: d\nsection: Basics\n{line}\ntotalSteps: 1\n---\n# A\n"


def test_scalars_yaml_cannot_build_are_a_diagnostic_at_their_line(folder, only):
    folder.sections("Basics")
    cases = {
        "date.md": ("lastUpdated: 2024-02-30", "`2024-02-30`"),
        "empty-int.md": ('stepNumber: !!int ""', "an empty value"),
        "timestamp.md": ("lastUpdated: !!timestamp soon", "`soon`"),
        "huge-int.md": ("stepNumber: " + "9" * 5000, "`9999"),
    }
    for name, (line, _) in cases.items():
        folder.raw(name, _frontmatter(line))
    found = {d.path.rsplit("/", 1)[-1]: d for d in only(folder.lint(), "frontmatter/yaml")}
    for name, (_, shown) in cases.items():
        assert found[name].line == 5 and shown in found[name].message, found[name]
        assert len(found[name].message) < 300  # an excerpt, never the whole value


def test_a_huge_step_number_is_refused_without_allocating(folder):
    folder.sections("Basics")
    folder.raw("big.md", _frontmatter("stepNumber: 100000000"))
    report = folder.lint()  # before the cap this allocated a list of 10**8 numbers
    [d] = [d for d in report.diagnostics if "at most 10,000" in d.message]
    assert d.line == 5


def test_aliases_repeating_a_long_string_are_a_yaml_bomb(folder, only):
    folder.sections("Basics")
    long = "x" * 100_000
    lines = [f"a: &a \"{long}\""] + [f"k{i}: *a" for i in range(60)]  # 6 MB of text from 6 KB of aliases
    folder.raw("strings.md", "---\n" + "\n".join(lines) + "\n---\n# x\n")
    [d] = only(folder.lint(), "frontmatter/yaml")
    assert "YAML bomb" in d.message


def test_a_repeated_frontmatter_key_is_an_error_naming_both_lines(folder, only):
    folder.sections("Basics")
    folder.raw("twice.md", "---\ntitle: A\ndescription: d\nsection: Basics\nstepNumber: 1\n"
                           "totalSteps: 1\nstepNumber: 2\n---\n# A\n")
    [d] = only(folder.lint(), "frontmatter/yaml")
    assert "`stepNumber` appears twice, on lines" in d.message and d.line == 7
