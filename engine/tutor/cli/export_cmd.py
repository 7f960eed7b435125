"""`tutor export ansible`."""

from __future__ import annotations

from pathlib import Path

import click

from .common import fail, load_graph, path_argument, set_options


@click.group()
def export() -> None:
    """Export the tutorials for another tool (Ansible)."""


@export.command()
@path_argument
@set_options
@click.option("--output", "-o", metavar="DIR", help="Folder to write the Ansible project into (created if missing).")
@click.option("--site-url", default="", metavar="URL", help="Base URL of the docs site, for the links in pre-flight messages.")
@click.option("--check-drift", "drift_dir", metavar="DIR",
              help="Write nothing: compare an exported DIR's manifest with the tutorials and list what changed (exit 1 on drift).")
def ansible(path: str, sections: str | None, anchors: str, output: str | None, site_url: str, drift_dir: str | None) -> None:
    """Write an Ansible project: a role and a playbook per tutorial, site.yml in reading order.

    \b
    Run it with:  ansible-playbook -i inventory.yml site.yml   (--check: which steps would run, per host)
    Only one tutorial:  ansible-playbook -i inventory.yml site.yml --tags SLUG
    Only the checks:    ansible-playbook -i inventory.yml site.yml --tags verify
    """
    from ..errors import TutorError
    from ..export.ansible import check_drift, export_project

    graph = load_graph(path, sections, anchors)
    if drift_dir is not None:
        try:
            report = check_drift(graph, Path(drift_dir))
        except TutorError as exc:
            fail(exc.message, exc.hint)
        for change in report.changes:
            click.echo(change)
        if report.drifted:
            click.echo(f"{len(report.changes)} change(s) since {drift_dir} was exported: run `tutor export ansible -o {drift_dir}` again.")
            raise SystemExit(1)
        click.echo(f"{drift_dir} matches the tutorials.")
        return
    if output is None:
        fail("give the folder to write to with -o DIR", "e.g. tutor export ansible tutorials -o ansible")
        return
    result = export_project(graph, Path(output), site_url=site_url)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for item in result.not_exported:
        click.echo(f"not exported: {item}", err=True)
    click.echo(f"Wrote {len(result.tutorials)} tutorial(s) to {output}: ansible-playbook -i inventory.yml {output}/site.yml")
