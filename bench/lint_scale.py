"""Lint cost against a bare parse, at 100, 1,000 and 5,000 tutorials, in one run.

Each synthetic tutorial is about 8 KB, with prerequisites, links with anchors,
steps, shell/json/yaml/toml/verify blocks. "Bare parse" is python-frontmatter +
markdown-it-py over the same files and nothing else. Targets: lint ≤ 1.3× the bare
parse; the 5,000 lint ≤ 5.5× the 1,000 lint (linear). Also times `tutor --help`
and `tutor --version` (target ≤ 0.15 s).

    .venv/bin/python bench/lint_scale.py [--sizes 100,1000,5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SECTION_SIZE = 25
FILLER = (
    "The host keeps its state between steps, so read each command before you run it and check "
    "what it printed against the expected output. When something differs, stop and look at the "
    "troubleshooting notes at the end of the page before you go on. "
)


def tutorial_text(index: int, total: int, rng: random.Random) -> str:
    section = index // SECTION_SIZE
    first = section * SECTION_SIZE
    step = index - first + 1
    steps_in_section = min(SECTION_SIZE, total - first)
    earlier = list(range(max(first, index - 5), index))
    prerequisites = sorted(set(rng.sample(earlier, min(len(earlier), rng.randint(1, 3))))) if earlier else []
    if not earlier and index > 0:
        prerequisites = [index - 1]
    prereq_yaml = "".join(f"  - t{p:05}\n" for p in prerequisites) or "  []\n"
    lines = [
        "---",
        f'title: "Tutorial {index}: configure part {index}"',
        f"description: Set up part {index} of the synthetic deployment.",
        f'section: "Section {section:03}"',
        f"stepNumber: {step}",
        f"totalSteps: {steps_in_section}",
        "lastUpdated: 2026-11-22",
        "prerequisites:" + ("\n" + prereq_yaml.rstrip("\n") if prerequisites else " []"),
        "tags: [synthetic, bench]",
        "difficulty: intermediate",
        'estimatedTime: "15 minutes"',
        "variables:",
        "  PART_DIR:",
        f'    default: "/tmp/part-{index}"',
        "    description: where this part lives",
        "---",
        "",
        f"# Tutorial {index}",
        "",
        "## Prerequisites",
        "",
    ]
    lines += [f"- [Tutorial {p}](/tutorial/t{p:05}#step-1-prepare)" for p in prerequisites] or ["- A Linux host"]
    for s in range(1, 5):
        title = ["Prepare", "Write the configuration", "Start the service", "Check the result"][s - 1]
        lines += ["", f"## Step {s}: {title}", "", FILLER * 3, ""]
        lines += ["```bash {timeout=60}", 'mkdir -p "$PART_DIR"', f'echo "part {index} step {s}" > "$PART_DIR/step-{s}"', "```", ""]
        if s == 2:
            lines += ["```toml", "[core]", f'name = "part-{index}"', "port = 9080", "", "[core.limits]", "cpu = 2", "```", ""]
            lines += ["```json", '{"name": "part", "replicas": 2, "ports": [9080, 9081]}', "```", ""]
            lines += ["```yaml", "services:", "  web:", "    image: nginx", "    ports: ['8080:80']", "```", ""]
        lines += ["Expected output:", "", "```", f"part {index} step {s}", "```", ""]
        lines += ["```verify", f'- file: "$PART_DIR/step-{s}"', f'  contains: "step {s}"', "```", ""]
        lines += [FILLER * 2, ""]
    lines += ["## Troubleshooting", "", FILLER * 4, ""]
    if prerequisites:
        lines += [f"Go back to [the previous part](/tutorial/t{prerequisites[-1]:05}) if needed.", ""]
    return "\n".join(lines)


def make_folder(root: Path, count: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    folder = root / f"set-{count}"
    folder.mkdir()
    sections = (count + SECTION_SIZE - 1) // SECTION_SIZE
    (folder / "sections.yml").write_text("".join(f'- "Section {s:03}"\n' for s in range(sections)))
    for i in range(count):
        (folder / f"t{i:05}.md").write_text(tutorial_text(i, count, rng))
    return folder


def bare_parse(folder: Path) -> float:
    import frontmatter
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark")
    start = time.perf_counter()
    for path in sorted(folder.glob("*.md")):
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        md.parse(post.content)
    return time.perf_counter() - start


def full_lint(folder: Path) -> tuple[float, float, int]:
    """(seconds to load the model, seconds for graph + rules, errors found)."""
    from tutor.lint import lint_set
    from tutor.loader import load_folder

    start = time.perf_counter()
    tutorial_set = load_folder(folder)
    loaded = time.perf_counter()
    report = lint_set(tutorial_set)
    return loaded - start, time.perf_counter() - loaded, report.errors


def command_time(args: list[str], repeat: int = 7) -> float:
    tutor = Path(sys.executable).with_name("tutor")
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([str(tutor), *args], capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    root = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    try:
        lint_times: dict[int, float] = {}
        print(f"{'tutorials':>10} {'KB/file':>8} {'bare parse s':>13} {'load s':>7} {'rules s':>8} {'lint s':>7} {'lint/parse':>11} {'errors':>7}")
        for size in sizes:
            folder = make_folder(root, size)
            kb = sum(p.stat().st_size for p in folder.glob("*.md")) / size / 1024
            parse_best = lint_best = load_best = rules_best = float("inf")
            errors = 0
            for _ in range(args.repeat):  # interleaved, best of N
                parse_best = min(parse_best, bare_parse(folder))
                load, rules, errors = full_lint(folder)
                load_best, rules_best = min(load_best, load), min(rules_best, rules)
                lint_best = min(lint_best, load + rules)
            lint_times[size] = lint_best
            print(f"{size:>10} {kb:>8.1f} {parse_best:>13.3f} {load_best:>7.3f} {rules_best:>8.3f} {lint_best:>7.3f}"
                  f" {lint_best / parse_best:>10.2f}x {errors:>7}")
        if 1000 in lint_times and 5000 in lint_times:
            print(f"linearity: lint(5000) / lint(1000) = {lint_times[5000] / lint_times[1000]:.2f} (target ≤ 5.5)")
        print(f"tutor --help:    {command_time(['--help']):.3f} s (target ≤ 0.15)")
        print(f"tutor --version: {command_time(['--version']):.3f} s (target ≤ 0.15)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
