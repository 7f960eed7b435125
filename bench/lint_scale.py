"""Lint cost against a bare parse, at 100, 1,000 and 5,000 tutorials, in one run.

Each synthetic tutorial is about 8 KB, with prerequisites, links with anchors,
steps, shell/json/yaml/toml/verify blocks. "Bare parse" is python-frontmatter +
markdown-it-py over the same files and nothing else, in this process. Measured interleaved,
best of N, imports done before the clock starts for every row; each lint in a new process,
as the command runs (`LINT_CHILD`):

- cold lint: load + rules + writing the cache, with an empty cache, as `tutor lint` runs it
  (with a forked parse worker only when a core is spare, by the load and the tasks running now: `tutor.workers`);
- cold forked: the same with the worker forced, whatever the load (on a busy machine the
  processes share the same cores, so this shows what an idle 2-core machine gains only there);
- warm lint: the same again, nothing changed;
- one-file lint: one tutorial edited since the last run;
- plugin rebuild: the MkDocs plugin's `on_files` (load, graph, lint, nav, pages) in a
  `mkdocs serve` rebuild after one tutorial was saved.

Targets: cold ≤ 0.7× and warm ≤ 0.1× the bare parse; cold lint(5,000) / lint(1,000) ≤ 5.5.
Also times `tutor --help` and `tutor --version` (target ≤ 0.15 s).

    .venv/bin/python bench/lint_scale.py [--sizes 100,1000,5000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

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


LINT_CHILD = """
import json, sys, time
from pathlib import Path
from tutor import workers
from tutor.cache import open_cache
from tutor.lint import lint_set
from tutor.loader import load_folder
if sys.argv[2] == "forced":
    workers.spare_cores = lambda: float(workers.usable_cores())
folder = Path(sys.argv[1])
start = time.perf_counter()
cache = open_cache(folder, ("mkdocs",))
report = lint_set(load_folder(folder, cache=cache), cache=cache)
cache.save()
print(json.dumps([time.perf_counter() - start, cache.stats.misses, report.errors]))
"""
"""One `tutor lint` as the command runs it, in a process of its own (its imports done before the
clock starts): a parse worker is then forked from a process the size of the command's, not from
this one, which holds every set it made and the plugin (forking it cost more with each size)."""
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def cached_lint(folder: Path, forced: bool = False) -> tuple[float, int, int]:
    """(seconds for `tutor lint` with the cache in $TUTOR_CACHE_DIR, files parsed, errors found)."""
    done = subprocess.run([sys.executable, "-c", LINT_CHILD, str(folder), "forced" if forced else "as-is"],
                          capture_output=True, text=True, check=True,
                          env={**CHILD_ENV, "TUTOR_CACHE_DIR": os.environ["TUTOR_CACHE_DIR"]})
    seconds, misses, errors = json.loads(done.stdout)
    return seconds, misses, errors


def forced_workers_lint(folder: Path) -> float:
    seconds, parsed, _ = cached_lint(folder, forced=True)
    assert parsed == len(list(folder.glob("*.md"))), parsed
    return seconds


def edit_one(folder: Path, count: int, round_: int) -> None:
    """Change the prose of one tutorial, differently each round."""
    path = folder / f"t{count // 2:05}.md"
    text = path.read_text(encoding="utf-8")
    marker = "## Troubleshooting\n\n"
    head, tail = text.split(marker, 1)
    path.write_text(head + marker + f"(edit {round_}) " + tail.split(") ", 1)[-1] if tail.startswith("(edit") else
                    head + marker + f"(edit {round_}) " + tail, encoding="utf-8")


class PluginRebuild:
    """The tutor plugin as `mkdocs serve` holds it, for timing its part of one rebuild."""

    def __init__(self, root: Path, folder: Path) -> None:
        import os

        os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
        site = root / f"site-{folder.name}"
        (site / "docs").mkdir(parents=True)
        (site / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
        (site / "mermaid.js").write_text("/* stub */\n", encoding="utf-8")
        (site / "mkdocs.yml").write_text(
            "site_name: bench\ntheme: {name: material, font: false}\n"
            f"plugins:\n  - tutor: {{tutorials: '{folder}', mermaid_js: '{site / 'mermaid.js'}'}}\n", encoding="utf-8")
        self.config_file = site / "mkdocs.yml"
        config, files = self._fresh()
        config.plugins.on_startup(command="serve", dirty=False)
        self.plugin = config.plugins["tutor"]
        config.plugins.on_files(files, config=config)

    def _fresh(self) -> tuple[Any, Any]:
        from mkdocs.config import load_config
        from mkdocs.structure.files import get_files

        config = load_config(config_file=str(self.config_file))
        return config, get_files(config)

    def rebuild(self) -> tuple[float, int]:
        """(seconds in the plugin's on_files, files it parsed)."""
        config, files = self._fresh()
        start = time.perf_counter()
        config.plugins.on_files(files, config=config)
        return time.perf_counter() - start, self.plugin.models.stats.misses


def command_time(args: list[str], repeat: int = 7) -> float:
    tutor = Path(sys.executable).with_name("tutor")
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([str(tutor), *args], capture_output=True, check=True)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    root = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    try:
        cold_times: dict[int, float] = {}
        warm_times: dict[int, float] = {}
        print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
        print(f"{'tutorials':>9} {'KB/file':>7} {'bare parse s':>12} {'cold s':>7} {'forked s':>8} {'warm s':>7} {'1-file s':>8} {'plugin s':>8}"
              f" {'cold/parse':>10} {'forked/parse':>12} {'warm/parse':>10} {'1-file/parse':>12} {'plugin/parse':>12} {'errors':>6}")
        for size in sizes:
            folder = make_folder(root, size)
            kb = sum(p.stat().st_size for p in folder.glob("*.md")) / size / 1024
            plugin = PluginRebuild(root, folder)
            best = dict.fromkeys(("parse", "cold", "forked", "warm", "one", "plugin"), float("inf"))
            errors = 0
            for round_ in range(args.repeat):  # interleaved, best of N
                best["parse"] = min(best["parse"], bare_parse(folder))
                os.environ["TUTOR_CACHE_DIR"] = str(root / f"cache-{size}-{round_}")
                cold, parsed, errors = cached_lint(folder)
                assert parsed == size, parsed
                warm, parsed, _ = cached_lint(folder)
                assert parsed == 0, parsed
                os.environ["TUTOR_CACHE_DIR"] = str(root / f"cache-{size}-{round_}-forked")
                best["forked"] = min(best["forked"], forced_workers_lint(folder))
                os.environ["TUTOR_CACHE_DIR"] = str(root / f"cache-{size}-{round_}")
                edit_one(folder, size, round_)
                one, parsed, _ = cached_lint(folder)
                assert parsed == 1, parsed
                rebuild, parsed = plugin.rebuild()
                assert parsed == 1, parsed
                for key, value in (("cold", cold), ("warm", warm), ("one", one), ("plugin", rebuild)):
                    best[key] = min(best[key], value)
            cold_times[size], warm_times[size] = best["cold"], best["warm"]
            p = best["parse"]
            print(f"{size:>9} {kb:>7.1f} {p:>12.3f} {best['cold']:>7.3f} {best['forked']:>8.3f} {best['warm']:>7.3f} {best['one']:>8.3f} {best['plugin']:>8.3f}"
                  f" {best['cold'] / p:>9.2f}x {best['forked'] / p:>11.2f}x {best['warm'] / p:>9.3f}x {best['one'] / p:>11.3f}x {best['plugin'] / p:>11.3f}x {errors:>6}")
        if 1000 in cold_times and 5000 in cold_times:
            print(f"linearity: cold lint(5000) / lint(1000) = {cold_times[5000] / cold_times[1000]:.2f} (target ≤ 5.5); "
                  f"warm {warm_times[5000] / warm_times[1000]:.2f}")
        print(f"tutor --help:    {command_time(['--help']):.3f} s (target ≤ 0.15)")
        print(f"tutor --version: {command_time(['--version']):.3f} s (target ≤ 0.15)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
