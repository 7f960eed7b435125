"""Bounded work on hostile input: lint (and expected-output matching) on the adversarial cases of issue 8.

Each case runs at two sizes, 4× apart, in a child process with a time limit. The last column
is the growth exponent, log(t_large / t_small) / log(size ratio): about 1 for linear work,
2 for quadratic. A case that hits the limit shows `>LIMIT`.

Cases (the large size; the small one is a quarter of it; sizes shown are the file's bytes):

- links-missing-anchors: 98 KB: 1,000 headings and 2,500 links to anchors that do not exist;
- identical-headings: 20,000 headings with the same text;
- regex-*: 40 KB aimed at each pattern that had overlapping quantifiers, through the lint
  (heading `{#id}`, "Expected output", change prose before a config fragment, heredoc
  expansions, suppression comments, editor and follower commands, sizes in checks);
- expected-wildcard: the `...` wildcard against a 400-character line (and 1,600), and an
  output of 40 KB of OSC openers;
- mixed-2mb: a 2 MB file made of all of the above (the size cap), and a 512 KB one.

    .venv/bin/python bench/adversarial.py [--limit 120] [--only NAME]
"""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HEAD = ("---\ntitle: Hostile\ndescription: Adversarial input.\nsection: Basics\nstepNumber: 1\n"
        "totalSteps: 1\nlastUpdated: 2026-12-01\n---\n\n# Hostile\n\n")


def links_missing_anchors(size: int) -> str:
    headings = size // 98
    links = size * 25 // 1000
    parts = [f"## Heading number {i}\n\n" for i in range(headings)]
    parts += [f"[x](#heading-numbr-{i}x) " for i in range(links)]
    return "".join(parts)


def identical_headings(size: int) -> str:
    return "## Same\n\n" * (size // 9)


def spaces_in_heading_id(size: int) -> str:
    return "## Title {" + " " * size + "x\n\n## B {#a " + "{#a " * (size // 4) + "}x\n"


def expected_output_spaces(size: int) -> str:
    return "```bash\necho hi\n```\n\nExpected output" + " " * size + "x\n\n```\nhi\n```\n"


def change_prose(size: int) -> str:
    return "Add " + "add " * (size // 4) + "\n\n```yaml\n  key: [\n```\n"


def heredoc_expansions(size: int) -> str:
    return "```bash\ncat > /tmp/x.json <<EOF\n" + "${" * (size // 2) + "\nEOF\n```\n"


def suppression_comment(size: int) -> str:
    return "<!-- tutor: disable" + " " * size + "x\n\n<!-- tutor:disable " + "<!-- " * (size // 5) + "\n"


def editor_and_follower(size: int) -> str:
    quarter = size // 4
    return ("```bash\nsudo" + " " * quarter + "x\n```\n\n```bash\ntail -" + "f" * quarter + "1\n```\n\n"
            "```bash\n" + "journalctl " * (quarter // 11) + "\n```\n\n```bash\n" + "docker logs " * (quarter // 12) + "\n```\n")


def size_in_check(size: int) -> str:
    return '```bash\ntrue\n```\n\n```verify\n- disk: /\n  free: "1' + " " * size + 'x"\n```\n'


def mixed(size: int) -> str:
    pieces = [links_missing_anchors, identical_headings, spaces_in_heading_id, expected_output_spaces,
              change_prose, heredoc_expansions, suppression_comment, editor_and_follower, size_in_check]
    share = size // len(pieces)
    while len(text := "\n\n".join(piece(share) for piece in pieces).encode()) > size:
        share = share * 9 // 10
    return text.decode()


LINT_CASES: dict[str, tuple[Callable[[int], str], int]] = {
    "links-missing-anchors": (links_missing_anchors, 98_000),
    "identical-headings": (identical_headings, 180_000),
    "regex-heading-id": (spaces_in_heading_id, 40_000),
    "regex-expected-output": (expected_output_spaces, 40_000),
    "regex-change-prose": (change_prose, 40_000),
    "regex-heredoc-expansion": (heredoc_expansions, 40_000),
    "regex-suppression": (suppression_comment, 40_000),
    "regex-editor-follower": (editor_and_follower, 40_000),
    "regex-size": (size_in_check, 40_000),
    "mixed-2mb": (mixed, 2 * 1024 * 1024 - 4096),
}


def lint_seconds(body: str) -> tuple[float, int]:
    from tutor.lint import lint_set
    from tutor.loader import load_folder

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "sections.yml").write_text("- Basics\n")
        (folder / "hostile.md").write_text(HEAD + body)
        start = time.perf_counter()
        report = lint_set(load_folder(folder))
        seconds = time.perf_counter() - start
        assert not any(d.rule == "file/too-large" for d in report.diagnostics), "the case must be read, not refused"
        return seconds, len((HEAD + body).encode())


def expected_seconds(size: int) -> tuple[float, int]:
    from tutor.runner.expected import compare

    line, wildcards = "a" * size, "...".join(["a"] * (size // 8)) + "b"  # never matches
    osc = "\x1b]" * (size * 25)
    start = time.perf_counter()
    for _ in range(20):
        compare(wildcards, line)
        compare("x", osc)
    return time.perf_counter() - start, size


def measure(name: str, size: int) -> tuple[float, int]:
    if name == "expected-wildcard":
        return expected_seconds(size)
    build, _ = LINT_CASES[name]
    return lint_seconds(build(size))


def in_child(name: str, size: int, limit: float) -> tuple[float | None, int]:
    try:
        done = subprocess.run([sys.executable, __file__, "--child", name, str(size)], capture_output=True, text=True,
                              timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return None, size
    seconds, length = done.stdout.split()
    return float(seconds), int(length)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=120.0, help="seconds per run before it counts as unbounded")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        seconds, length = measure(args.child[0], int(args.child[1]))
        print(seconds, length)
        return
    cases = [(name, full) for name, (_, full) in LINT_CASES.items()] + [("expected-wildcard", 1600)]
    print(f"{'case':<24} {'bytes':>9} {'s':>8} {'bytes':>9} {'s':>8} {'growth':>7}")
    for name, full in cases:
        if args.only not in name:
            continue
        small, large = full // 4, full
        t_small, small = in_child(name, small, args.limit)
        t_large, large = in_child(name, large, args.limit) if t_small is not None else (None, large)
        show = [f"{t:8.3f}" if t is not None else f">{args.limit:.0f}".rjust(8) for t in (t_small, t_large)]
        growth = math.log(t_large / t_small) / math.log(large / small) if t_small and t_large else float("nan")
        print(f"{name:<24} {small:>9,} {show[0]} {large:>9,} {show[1]} {growth:7.2f}", flush=True)


if __name__ == "__main__":
    main()
