"""markdown-it-pyrs (through `tokens.RustTokens`) and markdown-it-py give the very same model.

Every tutorial of the project, of every test corpus and of the examples, a synthetic set like
the benchmark's, and a set of Markdown edge cases are parsed both ways and compared field by
field (dataclass equality reaches every heading, block, link, step and diagnostic).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from tutor import parse
from tutor.loader import load_folder
from tutor.tokens import RustTokens, python_tokens

ROOT = Path(__file__).resolve().parents[2]

FRONTMATTER = "---\ntitle: T\ndescription: d\nsection: Basics\nstepNumber: 1\ntotalSteps: 1\nprerequisites: [other]\n---\n"
EDGE_CASES = {
    "setext": "Step 1: Setext heading\n===\n\npara with [link](/tutorial/other) and\n  continued [x](other.md#a)\n\n"
              "Step 2: two\n---\n\n```bash\necho hi\n```\n",
    "closing": "## Step 1: Closing hashes ##\n\n### Heading with `code` and *em* and [a link](#step-1-closing-hashes) ###\n\n"
               "#\n\n## C# language\n\n## Ends with # #\n",
    "quote": "> ## Prerequisites\n>\n> - [Other](/tutorial/other)\n> - continued\n>   lazy line\n>\n> Expected output:\n>\n"
             "> ```\n> out\n> ```\n",
    "lists": "## Step 1: Lists\n\n1. First item with [link](/tutorial/other)\n   continued line\n\n   Expected output:\n\n"
             "   ```\n   x\n   ```\n2. second\n   - nested [n](#lists)\n     more\n\n- loose\n\n- list\n\n```bash {id=a timeout=5}\ntrue\n```\n",
    "table": "## Step 1: Table\n\n| a | b |\n|---|---|\n| [x](/tutorial/other) | `y` |\n| \\| esc | ![img *alt*](p.png) |\n\n"
             "<div>\nhtml [not](/tutorial/x)\n</div>\n\n    indented code\n\nText <span>inline</span> &amp; &copy; \\* "
             "[l](<other.md> \"t\")\n",
    "unicode": "## Step 1: Ünïcödé – dash 🎉\n\nParagraph é with [link é](/tutorial/other#ä)\nsecond line\\\nhard break "
               "[b](other.md)\n\n~~~ sh\nls\n~~~\n\n````\nnested ```\n````\n",
    "references": "## Step 1: Auto <https://example.com/tutorial/x>\n\nSee <https://x.y> and [ref][r] and [other].\n\n"
                  "[r]: /tutorial/other\n[other]: other.md#z\n\n***\n\nExpected output:\n```\nfoo\n```\n",
    "crlf": "## Step 1: CRLF\r\n\r\nLine [a](/tutorial/other)\r\n\r\n```bash\r\necho\r\n```\r\n",
    "lazy": "## Step 1: Lazy lines\n\nA paragraph [a](/tutorial/other)\n   indented continuation\n\n- item [b](other.md)\n"
            "continued at column 0\n  and indented\n\n> quoted [c](#x)\nlazy in the quote\n\n  Indented paragraph\n  second line\n"
            "\nExpected output:\n\n```\nout\n```\n",
    "console": "## Step 1: Transcript\n\n```console\n$ echo one\none\n$ ls \\\n  -l\n```\n\n### Option A: first\n\n```bash\ntrue\n```\n",
}


def corpus_folders() -> list[Path]:
    files = [*(ROOT / "tutorials").glob("*.md"), *(ROOT / "tests").rglob("*.md"), *(ROOT / "examples").rglob("*.md")]
    return sorted({p.parent for p in files})


def both_ways(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], dict[str, Any]]:
    monkeypatch.setattr(parse, "_markdown", python_tokens)
    reference = load_folder(folder).tutorials
    rust = RustTokens()
    monkeypatch.setattr(parse, "_markdown", lambda: rust)
    fast = load_folder(folder).tutorials
    monkeypatch.undo()
    return reference, fast


def assert_same(reference: dict[str, Any], fast: dict[str, Any]) -> None:
    assert list(fast) == list(reference)
    for slug, tutorial in reference.items():
        other = fast[slug]
        for name in tutorial.__dataclass_fields__:
            assert getattr(other, name) == getattr(tutorial, name), f"{tutorial.rel_path}: `{name}` differs"


@pytest.mark.parametrize("folder", corpus_folders(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_corpus_parses_the_same_both_ways(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reference, fast = both_ways(folder, monkeypatch)
    assert reference
    assert_same(reference, fast)


def test_edge_cases_parse_the_same_both_ways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, body in EDGE_CASES.items():
        (tmp_path / f"{name}.md").write_bytes((FRONTMATTER + body).encode("utf-8"))
    (tmp_path / "other.md").write_text(FRONTMATTER.replace("[other]", "[]") + "# Other\n", encoding="utf-8")
    reference, fast = both_ways(tmp_path, monkeypatch)
    assert len(reference) == len(EDGE_CASES) + 1 and any(t.links for t in reference.values())
    assert_same(reference, fast)


def test_a_synthetic_set_like_the_benchmark_parses_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = importlib.util.spec_from_file_location("lint_scale", ROOT / "bench" / "lint_scale.py")
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    folder = bench.make_folder(tmp_path, 60)
    reference, fast = both_ways(folder, monkeypatch)
    assert_same(reference, fast)


def test_the_engine_uses_the_rust_backend() -> None:
    assert isinstance(parse._markdown(), RustTokens)


def test_a_body_that_makes_the_rust_parser_panic_is_read_by_markdown_it_py(tmp_path, capfd):
    # markdown-it-pyrs 0.4 panics (index out of bounds in code_pair) on an odd backtick in
    # link text; lint must read the page anyway, and print no Rust panic.
    folder = tmp_path / "tutorials"
    folder.mkdir()
    (folder / "sections.yml").write_text("- Basics\n")
    (folder / "other.md").write_text(FRONTMATTER.replace("prerequisites: [other]\n", "") + "# Other\n")
    (folder / "page.md").write_text(FRONTMATTER + "# Page\n\nSee [`](/tutorial/other) and [x](/tutorial/missing).\n")
    tutorial = load_folder(folder).tutorials["page"]
    assert [link.slug for link in tutorial.links] == ["other", "missing"]
    assert "panicked" not in capfd.readouterr().err
