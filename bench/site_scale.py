"""The site of a big tutorial set: build time, total size, and what the bytes are.

Builds the synthetic sets of bench/lint_scale.py (about 8 KB per tutorial, 25 per section)
with MkDocs + Material + the tutor plugin, once per size, and reports the build time, the
site's total size, the search index, the map page, and an average tutorial page with the
share of it that is navigation. Issue 8 measured 1.1 GB for 2,000 tutorials; with the sidebar
cut in the HTML (navsize.py) it was 220 MB, an 18 MB search index and ~850 s; with the trimmed
navigation (site_plugins/navtrim.py) and the bounded index (searchsize.py), on a loaded 2-core
machine: 500 tutorials 53 s, 27 MB, index 1.0 MB; 2,000 tutorials 238 s, 108 MB, index 3.8 MB
(a page is ~49 KB: ~17 KB of sidebar, the rest its own content and the theme's header).

    .venv/bin/python bench/site_scale.py [--sizes 500,2000]
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def lint_scale() -> Any:
    spec = importlib.util.spec_from_file_location("lint_scale", Path(__file__).with_name("lint_scale.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def project(folder: Path, tutorials: Path, mermaid_js: Path) -> Path:
    """The same theme features as the project's own mkdocs.yml."""
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "index.md").write_text("# Home\n\nBench.\n")
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text().replace("!!python/name:", ""))
    config = {
        "site_name": "scale", "docs_dir": "docs", "theme": config["theme"], "nav": [{"Home": "index.md"}],
        "plugins": ["search", {"tutor": {"tutorials": str(tutorials), "mermaid_js": str(mermaid_js), "fail_on_errors": False}}],
    }
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    return folder / "mkdocs.yml"


def build(config_file: Path, site_dir: Path) -> float:
    """One timed `mkdocs build`, as bench/site_build.py times it."""
    from site_build import build_time

    return build_time(config_file, site_dir)


def megabytes(size: int) -> str:
    return f"{size / 1e6:,.1f} MB"


def report(size: int, seconds: float, site: Path) -> None:
    from tutor.site import navsize

    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    search = site / "search" / "search_index.json"
    pages = sorted((site / "tutorial").glob("t*/index.html"))
    average = sum(p.stat().st_size for p in pages) // max(len(pages), 1)
    sample = pages[len(pages) // 2].read_text(encoding="utf-8") if pages else ""
    start = sample.find('<nav class="md-nav md-nav--primary')
    nav = navsize._closing(sample, start) - start if start >= 0 else 0
    map_page = site / "tutorial" / "index.html"
    map_text = map_page.read_text(encoding="utf-8") if map_page.exists() else ""
    drawn = "tutor-map__source" in map_text
    print(f"{size:>6} tutorials: build {seconds:6.1f} s, site {megabytes(total)}, search index "
          f"{megabytes(search.stat().st_size if search.exists() else 0)}, map page {megabytes(len(map_text.encode()))} "
          f"({'diagram' if drawn else 'list, no diagram'}), tutorial page {average / 1e3:,.0f} KB "
          f"(navigation {nav / 1e3:,.0f} KB of it)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,2000", help="synthetic set sizes, comma-separated")
    args = parser.parse_args()
    from site_build import quiet_mkdocs

    mermaid_js = quiet_mkdocs()
    work = Path(tempfile.mkdtemp(prefix="tutor-site-scale-"))
    try:
        for size in (int(s) for s in args.sizes.split(",") if s):
            folder = lint_scale().make_folder(work, size)
            config = project(work / f"project-{size}", folder, mermaid_js)
            site = work / f"site-{size}"
            report(size, build(config, site), site)
            shutil.rmtree(site, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
