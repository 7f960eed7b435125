"""Lint diagnostics through MkDocs: errors abort, warnings are logged (so --strict fails), info is debug.

While `mkdocs serve` previews, an error does not abort: a failed rebuild would leave the
browser waiting on the last good build. The build goes on and every page shows the errors.
"""

from __future__ import annotations

import html
import logging

from mkdocs.exceptions import PluginError

from dataclasses import replace
from pathlib import Path

from tutor.diagnostics import Diagnostic, Severity
from tutor.formats import location
from tutor.loader import project_path

log = logging.getLogger("mkdocs.plugins.tutor")

BANNER_CLASS = "tutor-lint-errors"


def line(d: Diagnostic) -> str:
    text = f"{location(d)}: {d.message} [{d.rule}]"
    return f"{text}\n  hint: {d.hint}" if d.hint else text


def report(diagnostics: list[Diagnostic], *, fail_on_errors: bool, serving: bool, project: Path) -> list[str]:
    """Log every diagnostic; raise PluginError on errors when the build must stop.

    Paths are shown relative to the `project` (mkdocs.yml's folder). Returns the errors that
    were let through, to be shown on the pages.
    """
    diagnostics = [replace(d, path=project_path(d.path, project)) for d in diagnostics]
    errors = [line(d) for d in diagnostics if d.severity is Severity.ERROR]
    if errors and fail_on_errors and not serving:
        count = f"{len(errors)} lint error{'s' if len(errors) != 1 else ''}"
        raise PluginError(f"tutor: {count} in the tutorials:\n" + "\n".join(errors))
    for d in diagnostics:
        if d.severity is Severity.ERROR:
            log.error(line(d))
        elif d.severity is Severity.WARNING:
            log.warning(line(d))
        else:
            log.debug(line(d))
    return errors


def user_error(message: str, *, serving: bool, shown: list[str]) -> None:
    """A mistake in the tutorials or docs: abort the build, or while serving log it and show it."""
    if not serving:
        raise PluginError(message)
    log.error(message)
    shown.append(message)


def with_banner(page_html: str, errors: list[str], *, serving: bool) -> str:
    """The page with an error box at the top of its content (or of its body)."""
    items = "".join(
        "<li>" + "<br>".join(html.escape(part.strip()) for part in error.split("\n")) + "</li>" for error in errors
    )
    count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
    next_step = "fix them and this page reloads" if serving else "fix them and build the site again"
    box = (
        f'<div class="admonition failure {BANNER_CLASS}"><p class="admonition-title">'
        f"The tutorials or docs have {count}; {next_step}</p><ul>{items}</ul></div>"
    )
    for marker in ("<article", "<body"):
        start = page_html.find(marker)
        if start >= 0:
            end = page_html.find(">", start) + 1
            return page_html[:end] + box + page_html[end:]
    return box + page_html
