"""The expected-output rule: tolerant by default, exact, contains and regex on request."""

from __future__ import annotations

import pytest

from tutor.attributes import MatchMode
from tutor.runner.expected import compare

OUTPUT = "\x1b[32mServing HTTP on 127.0.0.1 port 8765\x1b[0m\n\n  total   3 files\r\nready at 10:02:03\n"


@pytest.mark.parametrize("expected", [
    "Serving HTTP on 127.0.0.1 port 8765",            # colour codes and CRLF do not matter
    "total 3 files",                                  # runs of spaces count as one
    "Serving HTTP\n...\nready at ...",                 # `...` lines and in-line wildcards
    "Serving HTTP on ... port 8765\nready",            # each line may be part of an output line
    "\n\n   total 3 files   \n\n",                     # blank lines and indentation are ignored
])
def test_tolerant_matches(expected: str) -> None:
    assert compare(expected, OUTPUT) is None


@pytest.mark.parametrize("expected", [
    "ready at\nServing HTTP",                          # order matters
    "Serving HTTPS",
    "total 4 files",
])
def test_tolerant_mismatches_say_which_line(expected: str) -> None:
    mismatch = compare(expected, OUTPUT)
    assert mismatch is not None and "not found" in mismatch.message


def test_exact_ignores_only_trailing_spaces_and_outer_blank_lines() -> None:
    assert compare("a\nb  \n\n", "\na\nb\n", MatchMode.EXACT) is None
    mismatch = compare("a\nb", "a\nc", MatchMode.EXACT)
    assert mismatch is not None and "line 2" in mismatch.message


def test_contains_and_regex() -> None:
    assert compare("port   8765\nready", "x port 8765 ready y", MatchMode.CONTAINS) is None
    assert compare("port 9999", OUTPUT, MatchMode.CONTAINS) is not None
    assert compare(r"^ready at \d\d:\d\d:\d\d$", OUTPUT, MatchMode.REGEX) is None
    assert compare(r"^listening", OUTPUT, MatchMode.REGEX) is not None
    assert "not a valid regular expression" in compare("(", OUTPUT, MatchMode.REGEX).message  # type: ignore[union-attr]
