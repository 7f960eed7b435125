"""`tutor lint`, `tutor order`, `tutor graph` end to end through the entry point."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest


def tutor(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor.cli", *args], capture_output=True, text=True, timeout=60, cwd=cwd)


@pytest.fixture
def broken(folder):  # type: ignore[no-untyped-def]
    folder.sections("Basics")
    folder.tutorial("a", stepNumber=1, totalSteps=2)
    folder.tutorial("b", stepNumber=2, totalSteps=2, prerequisites=["a", "nope"], difficulty="expert", colour="x")
    return folder


@pytest.fixture
def warn_only(folder):  # type: ignore[no-untyped-def]
    folder.sections("Basics", "Unused")
    folder.tutorial("a")
    return folder


def test_text_format_lines_hint_and_summary(broken):
    result = tutor("lint", str(broken.root))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(l.endswith("b.md:9: error [prerequisites/unknown] prerequisite `nope` is not a tutorial of this folder") for l in lines)
    assert any(l.startswith("    hint: ") for l in lines)
    assert lines[-1] == "2 tutorials: 3 errors, 1 warning, 0 info"


def test_json_format_is_stable(broken):
    result = tutor("lint", str(broken.root), "--format", "json")
    data = json.loads(result.stdout)
    assert data["tutorials"] == 2
    assert {tuple(sorted(d)) for d in data["diagnostics"]} == {("hint", "line", "message", "path", "rule", "severity")}
    assert {d["rule"] for d in data["diagnostics"]} == {"prerequisites/unknown", "links/unknown-tutorial",
                                                       "frontmatter/difficulty", "frontmatter/unknown-key"}


def test_github_annotations_are_escaped(folder):
    folder.sections("Basics")
    folder.raw("a,b.md", "---\ntitle: x\ndescription: y\nsection: Nope\nstepNumber: 1\ntotalSteps: 1\n---\n# x\n")
    result = tutor("lint", str(folder.root), "--format", "github")
    [line] = [l for l in result.stdout.splitlines() if "file/name" in l]
    assert line.startswith("::error file=") and "a%2Cb.md" in line and "title=file/name::" in line
    assert "%0A" in line and "\n" not in line


def test_junit_report_written_to_a_file(broken, tmp_path):
    out = tmp_path / "lint.xml"
    result = tutor("lint", str(broken.root), "--format", "junit", "--output", str(out))
    assert result.returncode == 1 and result.stdout == ""
    suite = ET.parse(out).getroot()
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    failing = [c for c in suite.iter("testcase") if c.find("failure") is not None]
    assert [c.get("name").rsplit("/", 1)[-1] for c in failing] == ["b.md"]
    assert "prerequisites/unknown" in failing[0].find("failure").text


def test_warnings_fail_only_with_strict(warn_only):
    assert tutor("lint", str(warn_only.root)).returncode == 0
    strict = tutor("lint", str(warn_only.root), "--strict")
    assert strict.returncode == 1 and "sections/empty" in strict.stdout


def test_usage_errors_exit_2_with_a_message(tmp_path):
    missing = tutor("lint", str(tmp_path / "nowhere"))
    assert missing.returncode == 2 and "no such folder" in missing.stderr and "Traceback" not in missing.stderr
    bad_flag = tutor("lint", "--format", "xml")
    assert bad_flag.returncode == 2 and "xml" in bad_flag.stderr


def test_path_defaults_to_tutorials_in_the_working_directory(warn_only):
    result = tutor("lint", cwd=warn_only.root.parent)
    assert result.returncode == 0 and "1 tutorial:" in result.stdout


def test_order_and_graph(folder):
    folder.sections("Setup", "Apps")
    folder.tutorial("install", section="Setup", title="Install it")
    folder.tutorial("app", section="Apps", prerequisites=["install"])
    folder.tutorial("faq", section="Apps", isAppendix=True, stepNumber=None, totalSteps=None)
    table = tutor("order", str(folder.root))
    assert table.returncode == 0
    rows = [l for l in table.stdout.splitlines() if "│" in l]
    assert [r.split("│")[4].strip() for r in rows] == ["install", "app", "faq"]
    as_json = json.loads(tutor("order", str(folder.root), "--format", "json").stdout)
    assert [(r["slug"], r["step"]) for r in as_json] == [("install", 1), ("app", 1), ("faq", None)]
    mermaid = tutor("graph", str(folder.root)).stdout
    assert mermaid.startswith("flowchart TD") and 'subgraph s0["Setup"]' in mermaid and "t_install --> t_app" in mermaid
    dot = tutor("graph", str(folder.root), "--format", "dot").stdout
    assert '"install" -> "app";' in dot and 'label="Apps";' in dot
    graph = json.loads(tutor("graph", str(folder.root), "--format", "json").stdout)
    assert graph["edges"] == [{"from": "install", "to": "app"}] and graph["sections"] == ["Setup", "Apps"]


def test_help_and_version():
    from tutor import __version__

    assert tutor("--version").stdout.strip() == f"tutor, version {__version__}"
    help_text = tutor("--help").stdout
    for command in ("lint", "order", "graph"):
        assert command in help_text
    assert "Exit codes" in tutor("lint", "--help").stdout
