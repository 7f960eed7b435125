"""The folder's rule settings applied to what the rules found.

In order: the rule's own severity; tutor.yml's `rules` and `disable` (a rule id wins over its
family); each `overrides` entry whose glob matches the file, later ones winning; then the
file's suppression comments drop what they cover. A rule that is off yields nothing.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping
from dataclasses import replace

from ..diagnostics import Diagnostic, Severity
from ..folder_config import FolderConfig
from ..model import Tutorial, TutorialSet
from ..suppress import Directive, directives

_UNSET = object()


def _level(rules: Mapping[str, Severity | None], rule_id: str) -> object:
    if rule_id in rules:
        return rules[rule_id]
    family = rule_id.split("/", 1)[0]
    return rules.get(family, _UNSET)


def severity_for(config: FolderConfig, rule_id: str, default: Severity, file_name: str) -> Severity | None:
    """The severity a finding of `rule_id` in `file_name` (relative to the folder) gets; None: off."""
    level = _level(config.rules, rule_id)
    severity = default if level is _UNSET else level
    for override in config.overrides:
        if any(fnmatch.fnmatch(file_name, glob) for glob in override.files):
            level = _level(override.rules, rule_id)
            if level is not _UNSET:
                severity = level
    return severity  # type: ignore[return-value]


def apply_settings(tutorial_set: TutorialSet, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    config = tutorial_set.config
    by_path = {t.rel_path: t for t in tutorial_set.tutorials.values()}
    comments: dict[str, list[Directive]] = {}
    found: list[Diagnostic] = []
    for tutorial in tutorial_set.tutorials.values():
        if tutorial.readable:
            marks, problems = directives(tutorial)
            if marks:
                comments[tutorial.rel_path] = marks
            found.extend(problems)
    kept: list[Diagnostic] = []
    for diagnostic in [*diagnostics, *found]:
        owner = by_path.get(diagnostic.path)
        severity: Severity | None = diagnostic.severity
        if config is not None and (config.rules or config.overrides):
            severity = severity_for(config, diagnostic.rule, diagnostic.severity, _file_name(diagnostic.path, owner))
        if severity is None:
            continue
        if owner is not None and _suppressed(comments.get(owner.rel_path, ()), diagnostic):
            continue
        kept.append(diagnostic if severity is diagnostic.severity else replace(diagnostic, severity=severity))
    kept.extend(_unused(comments, config))
    return kept


def _file_name(path: str, tutorial: Tutorial | None) -> str:
    return tutorial.path.name if tutorial is not None else os.path.basename(path)


def _suppressed(marks: list[Directive] | tuple[()], diagnostic: Diagnostic) -> bool:
    hit = False
    for mark in marks:
        if mark.covers(diagnostic.rule, diagnostic.line):
            mark.used = True
            hit = True
    return hit


def _unused(comments: dict[str, list[Directive]], config: FolderConfig | None) -> list[Diagnostic]:
    result = []
    for path, marks in comments.items():
        for mark in marks:
            if mark.used or mark.action == "enable":
                continue
            what = ", ".join(mark.rules) or "every rule"
            finding = Diagnostic("suppress/unused", Severity.INFO, path, mark.line,
                                 f"`{mark.action}` of {what} suppresses nothing here", "remove the comment if the problem is gone")
            severity = severity_for(config, finding.rule, finding.severity, os.path.basename(path)) if config else finding.severity
            if severity is not None:
                result.append(finding if severity is finding.severity else replace(finding, severity=severity))
    return result
