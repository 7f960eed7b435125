"""Frontmatter and verify YAML: the one-walk way of building plain documents gives what PyYAML gives."""

from __future__ import annotations

import pytest
import yaml

from tutor.yamlsource import YamlProblem, load_located

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

DOCUMENTS = [
    "title: T\nstepNumber: 3\ntotalSteps: 0o17\nother: 0x1F\nbig: 1_000\nsexagesimal: 1:30\n",
    "a: yes\nb: No\nc: on\nd: OFF\ne: true\nf: ~\ng: null\nh:\ni: ''\n",
    "f1: 1.5\nf2: .inf\nf3: -.Inf\nf4: 1e3\nf5: 6.8523015e+5\nf6: 1_0.5\n",
    "d1: 2026-11-22\nd2: 2026-11-22T10:20:30Z\nd3: 2001-12-14 21:59:43.10 -5\n",
    "prerequisites:\n  - a\n  - b\ntags: [x, 'y', \"z\"]\nvariables:\n  PART_DIR:\n    default: /tmp/x\n    required: false\n",
    "1: int key\ntrue: bool key\n~: null key\n2026-01-01: date key\n1.5: float key\n",
    "text: |\n  line one\n  line two\nfolded: >\n  a\n  b\nquoted: \"a\\tb\\u00e9\"\n",
    "- file: \"$PART_DIR/step-1\"\n  contains: \"step 1\"\n- port: 9080\n- command: echo hi\n  exit: 0\n",
    "nested: {a: [1, {b: [2, 3]}], c: {}}\nempty: []\n",
    "plain string document",
    "42",
    "key: value with # not a comment\nurl: http://x/y#z\n",
]


@pytest.mark.parametrize("text", DOCUMENTS)
def test_plain_documents_load_as_pyyaml_loads_them(text: str) -> None:
    expected = yaml.load(text, Loader=_Loader)
    value = load_located(text).value
    assert repr(value) == repr(expected)  # repr tells True from 1 and a date from a string


@pytest.mark.parametrize("text, line, words", [
    ("a: 1\nb: 2\na: 3\n", 2, "appears twice"),
    ("a:\n  x: 1\n  x: 2\n", 2, "appears twice"),
    ("d: 2024-02-30\n", 0, "cannot be read"),
    ("n: !!int ''\n", 0, "cannot be read"),
    ("? [a, b]\n: c\n", 0, "unhashable"),
])
def test_what_pyyaml_refuses_is_still_a_problem_at_its_line(text: str, line: int, words: str) -> None:
    with pytest.raises(YamlProblem) as caught:
        load_located(text)
    assert caught.value.line == line and words in caught.value.message


def test_aliases_merge_keys_and_tags_still_load() -> None:
    text = "base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\nset: !!set {a, b}\nseq: [*b, *b]\n"
    value = load_located(text).value
    assert value == yaml.load(text, Loader=_Loader)
    assert value["seq"][0] is value["seq"][1] is value["base"]
