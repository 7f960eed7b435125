"""`yamlplain.read_plain` reads what libyaml reads, or gives up.

Whenever the fast reader takes a document, libyaml (`yamlsource.load_located`) must take it
too and give the same value, key lines and item lines. Checked on generated documents (block
mappings and sequences, flow lists, every kind of scalar, then the same lines mangled) and on
every frontmatter and verify block of the project, the test corpora and the examples.
"""

from __future__ import annotations

import datetime
import os
import math
import random
from pathlib import Path
from typing import Any

import pytest

from tutor.parse import _split_frontmatter
from tutor.yamlplain import read_plain
from tutor.yamlsource import Located, YamlProblem, load_located, load_lines

ROOT = Path(__file__).resolve().parents[2]

SCALARS = [
    "plain", "two words", "Tutorial 3: configure", "/etc/hosts", "$PART_DIR/step-1", "${VAR}/x", "http://127.0.0.1:8080/",
    "a#b", "a # comment", "it's", 'say "hi"', "8080", "-5", "+5", "0x1F", "0o17", "017", "1_000", "190:20:30", "1e3", "1.5",
    ".inf", "-.inf", ".nan", "true", "True", "yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "2026-11-22",
    "2026-02-30", "2001-12-14t21:59:43.10-05:00", "2026-11-22 10:00:00", "<<", "=", "'quoted'", "'it''s'", '"double"',
    '"esc \\" aped"', '"a: b"', '"#"', "''", '""', "[a, b]", "[]", "[ ]", "['8080:80', x]", "[a, [b]]", "[a, ]", "[a:b]",
    "{a: 1}", "&anchor x", "*alias", "!!str 5", "!tag x", "|", ">", "|-", "@at", "`tick`", "%pct", "? q", ": c", "-", "- x",
    "a: b", "ends:", "x\tTab", "é ü 🎉", "\u2028", "\x85", "\ufeffbom", "\x07", "key:value", "value   ", "'a' b", '"a" # c',
    "[x, 'y'] # c", "5 # five", "", '"a \\"q\\" b"', '"back\\\\slash"', '"\\/"', '"\\n"', '"\\x41"', '"\\"', '"a\\"',
    '"\\\\\\""', '["x\\"y", b]',
]
COMMON = SCALARS[:45]
"""The scalars tutorials write: most generated values are one of them, so that many documents are taken."""
KEYS = ["title", "file", "contains", "a", "b_c", "x.y", "x-y", "_k", "true", "null", "yes", "1", "<<", "two words", "k:", "é"]


def scalar(rng: random.Random) -> str:
    return rng.choice(COMMON if rng.random() < 0.8 else SCALARS)


def random_document(rng: random.Random) -> str:
    lines: list[str] = []

    def block(indent: int, depth: int) -> None:
        pad = " " * indent
        if rng.random() < 0.4 and depth < 3:  # a sequence
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.5:
                    keys = rng.sample(KEYS[:8], rng.randint(1, 3)) if rng.random() < 0.9 else ["a", "a"]
                    lines.append(f"{pad}- {keys[0]}: {scalar(rng)}")
                    for key in keys[1:]:
                        lines.append(f"{pad}  {key}: {scalar(rng)}")
                else:
                    lines.append(f"{pad}- {scalar(rng)}")
            return
        keys = rng.sample(KEYS, rng.randint(1, 4))
        if rng.random() < 0.05:
            keys.append(keys[0])
        for key in keys:
            if rng.random() < 0.25 and depth < 3:
                lines.append(f"{pad}{key}:")
                block(indent + rng.choice([0, 2, 2, 4]), depth + 1)
            else:
                lines.append(f"{pad}{key}: {scalar(rng)}")
        if rng.random() < 0.1:
            lines.append(f"{pad}# a comment")
        if rng.random() < 0.1:
            lines.append("")

    block(rng.choice([0, 0, 0, 2]), 0)
    return "\n" + "\n".join(lines) + "\n" if rng.random() < 0.5 else "\n".join(lines)


def mangled(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    index = rng.randrange(len(lines))
    line = lines[index]
    choice = rng.random()
    if choice < 0.3:
        lines[index] = " " * rng.randint(0, 3) + line.lstrip(" ")
    elif choice < 0.6 and line:
        at = rng.randrange(len(line))
        lines[index] = line[:at] + rng.choice([":", " ", "-", "#", "'", '"', "[", "]", "\t", "  ", ": "]) + line[at + 1:]
    elif choice < 0.8:
        lines.insert(index, rng.choice(["  continued", "- item", "key: v", "---", "...", "  - nested", "? x"]))
    else:
        del lines[index]
    return "\n".join(lines)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def assert_agrees(text: str) -> bool:
    """True when the fast reader took `text` (and agreed with libyaml)."""
    fast = read_plain(text)
    if fast is None:
        return False
    try:
        reference = load_located(text)
    except YamlProblem as problem:
        raise AssertionError(f"the fast reader took a document libyaml refuses ({problem.message}):\n{text}") from None
    assert same(fast.value, reference.value), text
    assert fast.key_lines() == reference.key_lines(), text
    for key in reference.key_lines():
        assert fast.item_lines(key) == reference.item_lines(key), (key, text)
    assert fast.root_item_lines() == reference.root_item_lines(), text
    return True


def test_generated_documents_read_the_same_or_are_left_to_libyaml() -> None:
    rng = random.Random(20261204)
    taken = 0
    for _ in range(int(os.environ.get("TUTOR_FUZZ_EXAMPLES", "0")) * 100 or 6000):
        text = random_document(rng)
        taken += assert_agrees(text)
        for _ in range(2):
            text = mangled(text, rng)
            taken += assert_agrees(text)
    assert taken > 2000  # the generator makes plenty the fast reader takes


def corpus_documents() -> list[str]:
    from tutor.loader import load_folder

    files = [*(ROOT / "tutorials").glob("*.md"), *(ROOT / "tests").rglob("*.md"), *(ROOT / "examples").rglob("*.md")]
    documents = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        split = _split_frontmatter(text.replace("\r\n", "\n"))
        if split is not None:
            documents.append(split[0])
    for folder in sorted({p.parent for p in files}):
        for tutorial in load_folder(folder).tutorials.values():
            documents.extend(b.code for b in tutorial.blocks if b.is_verify)
    return documents


def test_every_frontmatter_and_verify_block_of_the_corpus_reads_the_same() -> None:
    documents = corpus_documents()
    taken = sum(assert_agrees(text) for text in documents)
    assert len(documents) > 150 and taken > len(documents) * 0.8


@pytest.mark.parametrize("text, value", [
    ('\ntitle: "T: x"\nstepNumber: 2\nlastUpdated: 2026-11-22\ntags: [a, b]\nvariables:\n  V:\n    default: "/tmp"\n',
     {"title": "T: x", "stepNumber": 2, "lastUpdated": datetime.date(2026, 11, 22), "tags": ["a", "b"],
      "variables": {"V": {"default": "/tmp"}}}),
    ('- file: "$D/step-1"\n  contains: "step 1"\n- port: 8080 # the web server\n',
     [{"file": "$D/step-1", "contains": "step 1"}, {"port": 8080}]),
])
def test_the_shapes_tutorials_use_are_read_fast(text: str, value: Any) -> None:
    fast = read_plain(text)
    assert fast is not None and same(fast.value, value)


@pytest.mark.parametrize("text", [
    "a: |\n  block\n", "a: 'it''s'\n", 'a: "tab\\t"\n', "a: &x 1\nb: *x\n", "a: 1\na: 2\n", "a:\nb: 1\n",
    "a: long\n  folded\n", "a: {b: 1}\n", "- a\nb: c\n", "a: 2026-02-30\n", "a: x\tb\n", "---\na: 1\n", "a: !!int 5\n",
])
def test_other_shapes_are_left_to_libyaml(text: str) -> None:
    assert read_plain(text) is None
    assert isinstance(_located_or_problem(text), (Located, YamlProblem))


def _located_or_problem(text: str) -> Located | YamlProblem:
    try:
        return load_lines(text)  # type: ignore[return-value]
    except YamlProblem as problem:
        return problem
