"""Markdown parse backends side by side: speed, and agreement on what the model reads.

Compares markdown-it-py (what the engine uses: block parse, inline on demand) with
markdown-it-pyrs (markdown-it.rs, Rust) on the bodies of a synthetic set, and checks that
both give the same headings (level, text, line), fences (info, first line, content) and
links (href, line) on the project's tutorials and every test fixture. This is the
evidence for the engine's choice of markdown-it-pyrs (`tutor.tokens`); the test
tests/model/test_markdown_backends.py proves the whole model identical both ways.

    .venv/bin/python bench/parser_backends.py [--count 1000]
"""

from __future__ import annotations

import argparse
import bisect
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from lint_scale import make_folder  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

Feature = tuple[Any, ...]


def body_of(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5:]
    return text


def py_features(body: str) -> list[Feature]:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    out: list[Feature] = []
    tokens = md.parse(body)
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            out.append(("heading", int(token.tag[1]), _inline_text(tokens[i + 1].children), token.map[0]))
        elif token.type == "fence":
            out.append(("fence", token.info, token.map[0], token.content))
        elif token.type == "inline":
            line = token.map[0] if token.map else 0
            for child in token.children or []:
                if child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type == "link_open":
                    out.append(("link", child.attrs.get("href"), line))
    return sorted(out, key=repr)


def _inline_text(children: Any) -> str:
    parts = []
    for child in children or []:
        if child.type in ("text", "text_special", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(_inline_text(child.children))
        elif child.children:
            parts.append(_inline_text(child.children))
    return "".join(parts)


class Lines:
    """Byte offset (markdown-it.rs source maps) → 0-based line."""

    def __init__(self, body: str) -> None:
        data = body.encode("utf-8")
        self.starts = [0]
        at = data.find(b"\n")
        while at >= 0:
            self.starts.append(at + 1)
            at = data.find(b"\n", at + 1)

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1


def rs_features(body: str) -> list[Feature]:
    import markdown_it_pyrs

    md = markdown_it_pyrs.MarkdownIt("commonmark").enable("table")
    lines = Lines(body)
    out: list[Feature] = []
    for node in md.tree(body).walk():
        if node.name == "heading":
            out.append(("heading", node.meta["level"], _rs_text(node), lines.line(node.srcmap[0]) if node.srcmap else 0))
        elif node.name == "fence":
            out.append(("fence", node.meta.get("info", ""), lines.line(node.srcmap[0]) if node.srcmap else 0, node.meta.get("content", "")))
        elif node.name == "link":
            out.append(("link", node.meta.get("url"), lines.line(node.srcmap[0]) if node.srcmap else 0))
    return sorted(out, key=repr)


def _rs_text(node: Any) -> str:
    parts = []
    for child in node.children:
        if child.name in ("text", "code_inline", "text_special"):
            parts.append(child.meta.get("content", ""))
        elif child.name in ("softbreak", "hardbreak"):
            parts.append(" ")
        else:
            parts.append(_rs_text(child))
    return "".join(parts)


def corpus() -> list[Path]:
    files = sorted((ROOT / "tutorials").glob("*.md"))
    files += sorted((ROOT / "tests").rglob("*.md"))
    files += sorted((ROOT / "examples").rglob("*.md"))
    return files


def timed(label: str, bodies: list[str], parse: Any, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for body in bodies:
            parse(body)
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<44} {best:.3f} s")
    return best


def main() -> None:
    import markdown_it_pyrs
    from markdown_it import MarkdownIt

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    print(f"markdown-it-pyrs {markdown_it_pyrs.__version__}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_folder(Path(tmp), args.count)
        bodies = [body_of(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.md"))]
    block = MarkdownIt("commonmark").enable("table")
    block.core.ruler.disable(["inline", "text_join"])
    full = MarkdownIt("commonmark").enable("table")
    rs = markdown_it_pyrs.MarkdownIt("commonmark").enable("table")
    print(f"{args.count} synthetic bodies, best of {args.repeat}:")
    py_block = timed("markdown-it-py, block only (the engine)", bodies, block.parse, args.repeat)
    py_full = timed("markdown-it-py, block + inline", bodies, full.parse, args.repeat)
    rs_tree = timed("markdown-it-pyrs tree", bodies, rs.tree, args.repeat)
    rs_walk = timed("markdown-it-pyrs tree + walk every node", bodies, lambda b: sum(1 for _ in rs.tree(b).walk()), args.repeat)
    print(f"  pyrs tree+walk / py block = {rs_walk / py_block:.2f}x; pyrs tree / py full = {rs_tree / py_full:.2f}x")

    files = corpus()
    differ = []
    for path in files:
        body = body_of(path.read_text(encoding="utf-8", errors="replace"))
        a, b = py_features(body), rs_features(body)
        if a != b:
            differ.append((path, [x for x in a if x not in b][:3], [x for x in b if x not in a][:3]))
    print(f"agreement on headings/fences/links: {len(files) - len(differ)} of {len(files)} files")
    for path, only_py, only_rs in differ[:10]:
        print(f"  {path.relative_to(ROOT)}: only markdown-it-py {only_py}; only pyrs {only_rs}")


if __name__ == "__main__":
    main()
