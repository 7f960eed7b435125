"""`tutor verify`: re-check what done tutorials set up on this host, running no step."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..exit_codes import ExitCode
from .common import DEFAULT_PATH, fail, load_graph, set_options, write_output
from .status_cmd import STATE_DIR_HELP

VERIFY_HELP = """Is this host still healthy? Re-check the tutorials done here, running no step.

\b
For each tutorial done on this host (or each SLUG named), in reading order:
every step's `verify` checks, then its `provides` checks, with the values
its last run used (--var and the environment win) and what its steps
exported. Each check is tried once; --wait gives it its `within` window.
Nothing runs and nothing is written but the report asked for. The last
argument is the tutorial folder when it is one (default ./tutorials).

\b
Exit codes:
  0    every check passed (or nothing is done on this host)
  2    usage error or an invalid tutorial set
  4    a check failed, or a SLUG named is not done on this host
"""


@click.command(help=VERIFY_HELP)
@click.argument("args", nargs=-1, metavar="[SLUG]... [PATH]")
@set_options
@click.option("--var", "variables", multiple=True, metavar="K=V",
              help="Set a variable (repeatable). Wins over the environment and the last run's value.")
@click.option("--state-dir", metavar="DIR", help=STATE_DIR_HELP)
@click.option("--format", "format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: the results as a stable document (schema in the CLI reference).")
@click.option("--junit", metavar="FILE", help="Also write a JUnit report: one test case per check, named with the host.")
@click.option("--wait", is_flag=True, help="Retry a failing check for its `within` window instead of trying it once.")
def verify(args: tuple[str, ...], sections: str | None, anchors: str | None, variables: tuple[str, ...],
           state_dir: str | None, format: str, junit: str | None, wait: bool) -> None:
    from ..runner.redact import Redactor
    from ..runner.state import StateStore, settle_killed, state_dir as locate
    from ..runner.variables import parse_var_options
    from ..runner.verify import chosen_tutorials, verify as check
    from ..runner.verify_output import render_json, render_junit, render_text

    slugs, path = _slugs_and_path(args)
    given = parse_var_options(variables)
    graph = load_graph(path, sections, anchors)
    store = StateStore(locate(state_dir))
    records = {slug: settle_killed(record, store.directory) for slug, record in store.load().items()}
    tutorials = chosen_tutorials(graph, slugs, records)
    report = check(tutorials, records, given, dict(os.environ), state=str(store.path), wait=wait)
    redact = Redactor(report.secret_values).redact
    if junit:
        write_output(render_junit(report, redact), junit)
    click.echo(render_json(report, redact) if format == "json" else render_text(report, redact), nl=False)
    raise SystemExit(ExitCode.OK if report.passed else ExitCode.VERIFY)


def _slugs_and_path(args: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    if args and Path(args[-1]).is_dir():
        return args[:-1], args[-1]
    if not Path(DEFAULT_PATH).is_dir():
        fail(f"no tutorial folder: ./{DEFAULT_PATH} does not exist", "give the folder as the last argument: tutor verify [SLUG]... PATH")
    return args, DEFAULT_PATH
