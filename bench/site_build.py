"""The site plugin's overhead: MkDocs + Material with the tutor plugin against the same pages built plain.

For each tutorial set (the dstack set in tutorials/, and synthetic sets from
bench/lint_scale.py), two projects are built side by side, alternating, best of N:

- plugin:   mkdocs.yml with `plugins: [search, tutor]`, pages generated from the folder;
- baseline: the very same pages pre-rendered into docs/ as plain Markdown, with a static
            `nav:` and the same theme, extensions and assets, and no tutor plugin.

The difference is what the plugin costs: loading and linting the set, rendering the
pages, the navigation and the link rewriting. Target: plugin ≤ 1.15× baseline.

    .venv/bin/python bench/site_build.py [--sizes 1000] [--repeat 3]

(The dstack set, which builds in about half a second, always gets at least 10 rounds.)
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
TARGET = 1.15


def lint_scale() -> Any:
    spec = importlib.util.spec_from_file_location("lint_scale", Path(__file__).with_name("lint_scale.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def common_config(name: str) -> dict[str, Any]:
    return {
        "site_name": name,
        "docs_dir": "docs",
        "theme": {
            "name": "material",
            "font": False,
            "features": ["navigation.tabs", "navigation.sections", "navigation.indexes",
                         "navigation.footer", "content.code.copy"],
        },
    }


def plugin_project(folder: Path, tutorials: Path, mermaid_js: Path) -> Path:
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Home\n\nBench.\n")
    config = common_config("plugin")
    config["nav"] = [{"Home": "index.md"}]
    config["plugins"] = ["search", {"tutor": {"tutorials": str(tutorials), "mermaid_js": str(mermaid_js)}}]
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return folder / "mkdocs.yml"


def baseline_project(folder: Path, tutorials: Path, mermaid_js: Path) -> Path:
    """The plugin's pages, written out once as plain Markdown, and a static nav."""
    from site_plugins import nav, pages
    from tutor.graph import TutorialGraph
    from tutor.loader import load_folder
    from tutor.site import render_map, render_tutorial

    docs = folder / "docs"
    (docs / "tutorial").mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n\nBench.\n")
    graph = TutorialGraph(load_folder(tutorials))
    (docs / "tutorial" / "index.md").write_text(render_map(graph))
    for tutorial in graph.ordered():
        (docs / "tutorial" / f"{tutorial.slug}.md").write_text(render_tutorial(tutorial, graph))
    assets = docs / "assets" / "tutor"
    assets.mkdir(parents=True)
    shutil.copy(pages.ASSETS / "tutor.css", assets / "tutor.css")
    shutil.copy(mermaid_js, assets / "mermaid.min.js")
    config = common_config("baseline")
    config["nav"] = [{"Home": "index.md"}, dict(nav.tutorials_part(graph, "tutorial/", with_map=True))]
    config["plugins"] = ["search"]
    config["extra_css"] = [pages.CSS_URI]
    config["markdown_extensions"] = [
        {"toc": {"permalink": True, "slugify": "SLUGIFY"}},
        "tables", "attr_list", "admonition", "pymdownx.highlight",
        {"pymdownx.superfences": {"custom_fences": [{"name": "mermaid", "class": "mermaid", "format": "FENCE"}]}},
        {"pymdownx.tasklist": {"custom_checkbox": True, "clickable_checkbox": True}},
    ]
    text = yaml.safe_dump(config, sort_keys=False)
    text = text.replace("SLUGIFY", "!!python/name:tutor.anchors.mkdocs_slugify")
    text = text.replace("FENCE", "!!python/name:pymdownx.superfences.fence_code_format")
    (folder / "mkdocs.yml").write_text(text)
    return folder / "mkdocs.yml"


def build_time(config_file: Path, site_dir: Path) -> float:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    start = time.perf_counter()
    config = load_config(config_file=str(config_file), site_dir=str(site_dir))
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    config.plugins.on_shutdown()
    return time.perf_counter() - start


def compare(name: str, tutorials: Path, work: Path, mermaid_js: Path, repeat: int) -> float:
    pages = len(list(tutorials.glob("*.md")))
    plugin = plugin_project(work / f"{name}-plugin", tutorials, mermaid_js)
    baseline = baseline_project(work / f"{name}-baseline", tutorials, mermaid_js)
    best = {"plugin": float("inf"), "baseline": float("inf")}
    for _ in range(repeat):  # interleaved, best of N
        best["baseline"] = min(best["baseline"], build_time(baseline, work / "out-baseline"))
        best["plugin"] = min(best["plugin"], build_time(plugin, work / "out-plugin"))
    ratio = best["plugin"] / best["baseline"]
    verdict = "ok" if ratio <= TARGET else "OVER TARGET"
    print(f"{name:>16} {pages:>6} {best['baseline']:>11.2f} {best['plugin']:>9.2f} {ratio:>7.2f}x  {verdict}", flush=True)
    return ratio


def quiet_mkdocs() -> str:
    """MkDocs made quiet for a benchmark, the project's plugin importable; returns the vendored
    mermaid.min.js the benchmark's sites use (no network)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    sys.path.insert(0, str(ROOT))
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    from site_plugins.mermaid import vendored_mermaid

    return vendored_mermaid()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000", help="synthetic set sizes, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    mermaid_js = quiet_mkdocs()
    work = Path(tempfile.mkdtemp(prefix="tutor-site-bench-"))
    try:
        print(f"{'set':>16} {'pages':>6} {'baseline s':>11} {'plugin s':>9} {'ratio':>8}   (target ≤ {TARGET}x)")
        # A small set builds in well under a second: more rounds make its figure steady.
        compare("dstack", ROOT / "tutorials", work, mermaid_js, max(args.repeat, 10))
        synthetic = lint_scale()
        for size in (int(s) for s in args.sizes.split(",") if s):
            folder = synthetic.make_folder(work, size)
            compare(f"synthetic-{size}", folder, work, mermaid_js, args.repeat)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
