"""Where a command shows the reader's value: only where bash would expand the variable."""

from __future__ import annotations

import re

import pytest

from tutor.site.shellwords import Quoting, quoted, references

CASES = [
    # (command, the references bash expands, as (text, quoting))
    ('cd $D && ls "${D}/x"', [("$D", "none"), ("${D}", "double")]),
    ("echo '$D' \\$D # $D", []),
    ("cat <<EOF\nat $D\nEOF\ncat <<'EOF'\n$D\nEOF\necho $D", [("$D", "heredoc"), ("$D", "none")]),
    ("echo $(ls $D) `pwd $D` ${D:-x} ${#D} $DX", [("$D", "none"), ("$D", "none")]),
    ("D=/own; echo $D", []),
    ("export D=1\necho $D", []),
    ("for D in a b; do echo $D; done", []),
    ("read -r D; echo $D", []),
    ("echo $'it''s $D' $D", [("$D", "none")]),
]


@pytest.mark.parametrize(("command", "expected"), CASES)
def test_references_follow_the_shells_quoting(command: str, expected: list[tuple[str, str]]) -> None:
    found = references(command, {"D"})
    assert [(command[r.start : r.end], r.quoting.value) for r in found] == expected


@pytest.mark.parametrize(("value", "quoting", "shown"), [
    ("/opt/dstack", Quoting.NONE, "/opt/dstack"),
    ("curl jq", Quoting.NONE, "curl jq"),          # two words, as the shell splits it
    ("a;b it's", Quoting.NONE, "'a;b' 'it'\"'\"'s'"),
    ('say "$x"', Quoting.DOUBLE, 'say \\"\\$x\\"'),
    ("a$b`c", Quoting.HEREDOC, "a\\$b\\`c"),
    ("it's", Quoting.SINGLE, "'it'\\''s'"),
])
def test_values_are_escaped_for_their_context(value: str, quoting: Quoting, shown: str) -> None:
    assert quoted(value, quoting) == shown


def test_generated_sentences_never_show_a_raw_variable(real_site, real_graph) -> None:
    for tutorial in real_graph.ordered():
        soup = real_site.soup(f"tutorial/{tutorial.slug}/")
        for box in soup.select(".tutor-verify, .tutor-prerequisites, .tutor-how"):
            assert not re.search(r"\$\{[A-Za-z_]", box.get_text()), tutorial.slug


def test_the_site_shows_each_blocks_labels_in_the_vocabularys_words(real_site, real_graph) -> None:
    from tutor.markings import Marking, labels

    tutorial = next(t for t in real_graph.ordered() if any(b.options.prompts for b in t.blocks))
    expect, send = next(b.options.prompts[0] for b in tutorial.blocks if b.options.prompts)
    words = [" · ".join(label.text for label in labels(b)) for b in tutorial.blocks if b.is_shell and labels(b)]
    assert any(f"the script asks `{expect}`: answer `{send}`" in line for line in words)
    shown = [p.get_text() for p in real_site.soup(f"tutorial/{tutorial.slug}/").select(".tutor-how")]
    assert shown == [(line[:1].upper() + line[1:]).replace("`", "") for line in words]
    assert Marking.LONG in {label.marking for b in tutorial.blocks for label in labels(b)}
