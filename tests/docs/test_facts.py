"""docs/facts.md follows the tutorials: every row's tutorial line still states its fact."""

from __future__ import annotations

import html
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "facts.md"
ROW = re.compile(r"^\| (?P<fact>.+?) \| `(?P<file>tutorials/[\w.-]+\.md):(?P<line>\d+)` \| <code>(?P<text>.*)</code> \| (?P<ref>.+) \|$")
REFERENCE = re.compile(r"^(`(dstack-v0\.5\.6|reference)/[\w./-]+:\d+`|seed 001.*)$")


def rows() -> list[dict[str, str]]:
    found = []
    for number, line in enumerate(TABLE.read_text().splitlines(), 1):
        if line.startswith("| ") and not line.startswith(("| fact |", "|---")):
            match = ROW.match(line)
            assert match, f"docs/facts.md:{number}: a row must read | fact | `tutorials/x.md:N` | <code>text</code> | ref |"
            found.append(match.groupdict() | {"row": str(number)})
    return found


def test_the_table_has_the_non_obvious_facts() -> None:
    table = rows()
    assert len(table) >= 60
    files = {row["file"] for row in table}
    for slug in ("gateway-cvm-deployment", "kms-build-configuration", "vmm-configuration", "attestation-verification"):
        assert f"tutorials/{slug}.md" in files


def test_every_tutorial_line_still_states_its_fact() -> None:
    stale = []
    for row in rows():
        lines = (ROOT / row["file"]).read_text().splitlines()
        text = html.unescape(row["text"]).replace("\\|", "|")
        index = int(row["line"]) - 1
        if index >= len(lines) or text not in lines[index]:
            moved = [n + 1 for n, line in enumerate(lines) if text in line]
            where = f"now on line {moved[0]}" if moved else "no longer in the file"
            stale.append(f"docs/facts.md:{row['row']}: {row['file']}:{row['line']} should contain {text!r} ({where})")
    assert not stale, "\n".join(stale)


def test_every_fact_names_its_source() -> None:
    for row in rows():
        assert REFERENCE.match(row["ref"]), f"docs/facts.md:{row['row']}: the reference must be a file:line or seed 001"
