"""`tutor lint`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..exit_codes import ExitCode

from .common import fail, load_graph, path_argument, set_options, write_output


@click.command()
@path_argument
@set_options
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "junit"]), default="text", show_default=True,
              help="text for people, json for scripts, github for workflow annotations, junit for CI reports.")
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of standard output.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--fix", is_flag=True, help="Renumber stepNumber/totalSteps so each section follows its prerequisites.")
@click.option("--no-cache", is_flag=True,
              help="Parse every file again instead of reusing what the last run parsed (the cache is in $TUTOR_CACHE_DIR, "
                   "else ~/.cache/tutor/models).")
def lint(path: str, sections: str | None, anchors: str | None, fmt: str, output: str | None, strict: bool, fix: bool, no_cache: bool) -> None:
    """Check a tutorial folder: frontmatter, prerequisite order, numbering, links, code blocks.

    Unchanged files are not parsed again: the parsed files and their per-file findings are
    cached by content; rules across files always run over the whole set.

    \b
    The folder's tutor.yml (all keys optional; --sections and --anchors override it):
      sections:  [Setup, Deploy]        section order (sections.yml is still read)
      order:     [intro, install]       reading order for pages without section/stepNumber;
                 - Deploy: [kms, app]   a one-key mapping names a section of pages
      anchors:   github                 heading ids as GitHub makes them (default: mkdocs)
      defaults:  {section: Guide}       values for frontmatter keys a file leaves out; then a
                                        file may have no frontmatter (title: its first # heading)
      rules:     {links/unknown-anchor: warning, placeholders: error}
                                        rule id or family -> error, warning, info or off
      disable:   [frontmatter/unknown-key]
      overrides: [{files: ["draft-*.md"], rules: {numbering: off}}]

    \b
    Comments in a tutorial (rule ids or families, comma-separated; none: all):
      <!-- tutor: disable-next-line=links/unknown-anchor -->  the next line
      <!-- tutor: disable-line=blocks/parse -->  <!-- tutor: disable-file=numbering -->
      <!-- tutor: disable=links --> ... <!-- tutor: enable=links -->

    \b
    Exit codes: 0 no errors (warnings fail only with --strict),
                1 errors found, 2 usage error.
    """
    from .. import formats
    from ..cache import open_cache
    from ..folder_config import cache_options
    from ..lint import lint_set

    cache = open_cache(Path(path), cache_options(Path(path), anchors), enabled=not no_cache)
    graph = load_graph(path, sections, anchors, cache)
    if fix:
        graph = _fix(graph, path, sections, anchors, cache)
    report = lint_set(graph.set, graph, cache)
    if cache is not None:
        cache.save()
    count = len(graph.tutorials)
    if fmt == "json":
        text = formats.as_json(count, report.diagnostics)
    elif fmt == "github":
        text = formats.as_github(count, report.diagnostics)
    elif fmt == "junit":
        text = formats.as_junit([t.rel_path for t in graph.ordered()], report.diagnostics, strict)
    else:
        text = formats.as_text(count, report.diagnostics, color=output is None and sys.stdout.isatty())
    write_output(text, output)
    raise SystemExit(ExitCode.FAILED if report.failed(strict) else ExitCode.OK)


def _fix(graph, path: str, sections: str | None, anchors: str | None, cache):  # type: ignore[no-untyped-def]
    from ..fix import apply_change, plan_changes

    changes = plan_changes(graph)
    for change in changes:
        try:
            apply_change(change)
        except (OSError, ValueError) as exc:
            fail(f"cannot fix {change.tutorial.rel_path}: {exc}", "fix the file by hand")
        what = ", ".join(f"{key} {old} → {new}" for key, (old, new) in change.changes.items())
        click.echo(f"fixed {change.tutorial.rel_path}: {what}", err=True)
    if not changes:
        click.echo("nothing to fix", err=True)
        return graph
    return load_graph(path, sections, anchors, cache)
