"""How messages point at a tutorial: its page on the docs site and the command that runs it."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model import Tutorial

DEFAULT_PATH = "tutorials"
_SITE_URL = re.compile(r"^site_url\s*:\s*['\"]?([^'\"#\s]+)", re.MULTILINE)


def base_url(option: str | None, root: Path, environ: Mapping[str, str] | None = None) -> str:
    """--base-url, else $TUTOR_BASE_URL, else the `site_url` of a mkdocs.yml next to the tutorials, else ''."""
    env = os.environ if environ is None else environ
    if option:
        return option.rstrip("/")
    if env.get("TUTOR_BASE_URL"):
        return env["TUTOR_BASE_URL"].rstrip("/")
    for folder in (root, root.parent):
        config = folder / "mkdocs.yml"
        try:
            match = _SITE_URL.search(config.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        if match:
            return match.group(1).rstrip("/")
    return ""


@dataclass
class Links:
    """How messages point at a tutorial: its page and the command that runs it."""

    base: str
    path: str

    def page(self, tutorial: Tutorial) -> str:
        return f"{self.base}{tutorial.url_path}"

    def command(self, slug: str, *extra: str) -> str:
        path = "" if self.path.rstrip("/") in (DEFAULT_PATH, f"./{DEFAULT_PATH}") else f" {_quote(self.path)}"
        return " ".join([f"tutor run {_quote(slug)}{path}", *extra]).strip()


def _quote(text: str) -> str:
    return shlex.quote(text)


def short_time(stamp: str | None) -> str:
    """'2025-12-07 10:03' from an ISO time; '' when unknown."""
    if not stamp:
        return "at an unknown time"
    return stamp[:16].replace("T", " ")
