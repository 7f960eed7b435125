"""`tutor doctor`."""

from __future__ import annotations

import click

from ..exit_codes import ExitCode


@click.command()
@click.option("--state-dir", metavar="DIR", help="Check this state folder instead of the default one.")
@click.option("--log-dir", metavar="DIR", help="Check this log folder instead of <state dir>/logs.")
def doctor(state_dir: str | None, log_dir: str | None) -> None:
    """Check this host for what the runner needs: bash, sudo, a pty, a writable state folder.

    \b
    Prints the versions it found. Creates nothing. Exit 0 when the runner can work
    here (warnings included), 1 when something it needs is missing.
    """
    from ..runner.doctor import FAIL, OK, run_checks

    findings = run_checks(state_dir, log_dir)
    width = max(len(f.name) for f in findings)
    marks = {OK: "✓", FAIL: "✗"}
    for finding in findings:
        click.echo(f"{marks.get(finding.status, '!')} {finding.name.ljust(width)}  {finding.detail}")
        if finding.hint and finding.status != OK:
            click.echo(f"  {' ' * width}  hint: {finding.hint}")
    failed = [f for f in findings if f.status == FAIL]
    click.echo("" if not failed else "\n", nl=False)
    if failed:
        click.echo(f"{len(failed)} problem(s): `tutor run` cannot work on this host until they are fixed.", err=True)
    raise SystemExit(ExitCode.FAILED if failed else ExitCode.OK)
