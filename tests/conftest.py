"""Shared helpers: write small tutorial folders for a test and lint them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml


@pytest.fixture(autouse=True, scope="session")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the lint cache of every test (and of the processes tests start) out of the user's cache."""
    import os

    os.environ["TUTOR_CACHE_DIR"] = str(tmp_path_factory.mktemp("tutor-cache"))


def frontmatter_text(meta: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True) + "---\n"


def tutorial_text(slug: str, body: str = "", **meta: Any) -> str:
    fields: dict[str, Any] = {
        "title": slug.replace("-", " ").title(),
        "description": f"About {slug}.",
        "section": "Basics",
        "stepNumber": 1,
        "totalSteps": 1,
        "prerequisites": [],
    }
    fields.update(meta)
    fields = {k: v for k, v in fields.items() if v is not ...}
    if not body:
        body = f"# {fields.get('title', slug)}\n"
        prerequisites = fields.get("prerequisites") or []
        if isinstance(prerequisites, list) and prerequisites:
            body += "\n## Prerequisites\n\n" + "".join(f"- [{p}](/tutorial/{p})\n" for p in prerequisites if isinstance(p, str))
    return frontmatter_text(fields) + "\n" + body


class Folder:
    """A tutorial folder under tmp_path, written one file at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def sections(self, *names: str) -> Folder:
        (self.root / "sections.yml").write_text("".join(f"- {n}\n" for n in names), encoding="utf-8")
        return self

    def tutorial(self, slug: str, body: str = "", **meta: Any) -> Path:
        path = self.root / f"{slug}.md"
        path.write_text(tutorial_text(slug, body, **meta), encoding="utf-8")
        return path

    def raw(self, name: str, content: str | bytes) -> Path:
        path = self.root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def lint(self, sections: str | None = None):  # type: ignore[no-untyped-def]
        from tutor.lint import lint_set
        from tutor.loader import load_folder

        return lint_set(load_folder(self.root, sections=sections))


@pytest.fixture
def folder(tmp_path: Path) -> Folder:
    return Folder(tmp_path / "tutorials")


def _only(report: Any, rule: str) -> list[Any]:
    return [d for d in report.diagnostics if d.rule == rule]


@pytest.fixture
def only() -> Any:
    """`only(report, rule)`: the diagnostics of one rule."""
    return _only
