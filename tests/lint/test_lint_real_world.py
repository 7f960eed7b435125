"""Tutorial sets written for other sites: the lint's findings, one fixture file of expected lines per set.

Each `<set>.expected` beside the set lists `file:line: severity [rule]`, one per diagnostic: a new
case needs a new page and a new line, no new Python.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.lint import lint_set
from tutor.loader import load_folder

REAL_WORLD = Path(__file__).parent.parent / "fixtures" / "real-world"
SETS = sorted(p.stem for p in REAL_WORLD.glob("*.expected"))


@pytest.mark.parametrize("name", SETS)
def test_diagnostics_match_the_expected_lines(name: str) -> None:
    folder = REAL_WORLD / name
    report = lint_set(load_folder(folder))
    found = [f"{Path(d.path).name}:{d.line}: {d.severity.value} [{d.rule}]" for d in report.diagnostics]
    expected = (REAL_WORLD / f"{name}.expected").read_text(encoding="utf-8").split("\n")
    assert found == [line for line in expected if line.strip()]
