"""`tutor status` and `tutor next`: what is done on this host, and what to run next."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .common import DEFAULT_PATH, fail, load_graph, path_argument, set_options

if TYPE_CHECKING:
    from ..graph import TutorialGraph
    from ..runner.state import StateStore, TutorialRecord

STATE_DIR_HELP = ("Where the host's state lives [default: $TUTOR_STATE_DIR, $XDG_STATE_HOME/tutor, "
                  "/var/lib/tutor as root, else ~/.local/state/tutor].")


def _store(state_dir: str | None) -> StateStore:
    from ..runner.state import StateStore, state_dir as locate

    return StateStore(locate(state_dir))


def _records(store: StateStore) -> dict[str, TutorialRecord]:
    from ..runner.state import settle_killed

    return {slug: settle_killed(record, store.directory) for slug, record in store.load().items()}


@click.command()
@click.argument("args", nargs=-1, metavar="[SLUG] [PATH]")
@set_options
@click.option("--state-dir", metavar="DIR", help=STATE_DIR_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the state entries as JSON.")
def status(args: tuple[str, ...], sections: str | None, anchors: str | None, state_dir: str | None, as_json: bool) -> None:
    """What is done on this host, per tutorial and step, with times.

    \b
    With PATH (default ./tutorials when it exists) the tutorials are listed in
    reading order, those never run included, and a step whose commands changed
    since it was done is marked so.
    """
    if len(args) > 2:
        fail("too many arguments", "usage: tutor status [SLUG] [PATH]")
    slug, path = _slug_and_path(args)
    store = _store(state_dir)
    records = _records(store)
    graph = load_graph(path, sections, anchors) if path is not None else None
    if slug is not None and slug not in records and (graph is None or slug not in graph.tutorials):
        fail(f"no tutorial `{slug}` in the state of this host ({store.path})" + (f" nor in {path}" if path else ""),
             "run `tutor status` to list what this host has done")
    if as_json:
        import json

        chosen = {s: r.as_dict() for s, r in records.items() if slug is None or s == slug}
        click.echo(json.dumps({"state": str(store.path), "tutorials": chosen}, indent=2, ensure_ascii=False))
        return
    click.echo(_status_text(store, records, graph, slug), nl=False)


def _slug_and_path(args: tuple[str, ...]) -> tuple[str | None, str | None]:
    if len(args) == 2:
        return args[0], args[1]
    if len(args) == 1:
        if Path(args[0]).is_dir():
            return None, args[0]
        return args[0], DEFAULT_PATH if Path(DEFAULT_PATH).is_dir() else None
    return None, DEFAULT_PATH if Path(DEFAULT_PATH).is_dir() else None


def _status_text(store: StateStore, records: dict[str, TutorialRecord], graph: TutorialGraph | None, slug: str | None) -> str:
    from ..runner.owned import OwnedFile
    from ..runner.status import Status
    from ..runner.plan import step_hash
    from ..runner.links import short_time

    lines = [f"State of this host: {store.path}"]
    if not records:
        lines.append("Nothing has been run on this host yet.")
    order = [t.slug for t in graph.ordered()] if graph is not None else []
    slugs = [s for s in order if s in records or graph is not None] + sorted(s for s in records if s not in order)
    if slug is not None:
        slugs = [slug]
    for name in slugs:
        record = records.get(name)
        tutorial = graph.tutorials.get(name) if graph is not None else None
        title = tutorial.title if tutorial else (record.title if record else name)
        lines.append("")
        if record is None:
            lines.append(f"{name}  {title}: not run")
            continue
        lines.append(f"{name}  {title}: {record.status}, started {short_time(record.started)}"
                     + (f", ended {short_time(record.ended)}" if record.ended else ""))
        current = {s.number: (s, step_hash(s)) for s in tutorial.steps} if tutorial else {}
        numbers = sorted(set(current) | {s.number for s in record.steps})
        for number in numbers:
            saved = record.step(number)
            step, digest = current.get(number, (None, None))
            step_title = (step.title if step else saved.title if saved else "") or f"Step {number}"
            if saved is None:
                lines.append(f"  Step {number}: {step_title}: not run")
                continue
            changed = ", changed since" if digest is not None and saved.hash != digest else ""
            gone = ", no longer in the tutorial" if tutorial is not None and step is None else ""
            exit_code = f", exit {saved.exit_code}" if saved.exit_code not in (None, 0) else ""
            when = f"{(saved.started or '?')[:19].replace('T', ' ')} → {saved.ended[11:19] if saved.ended else '…'}"
            lines.append(f"  Step {number}: {step_title}: {saved.status}{exit_code}{changed}{gone}  ({when})")
            checks = saved.probes
            if checks:
                passed = sum(1 for p in checks if p.passed)
                lines.append(f"      checks: {passed}/{len(checks)} passed")
            if saved.reason and saved.status != Status.DONE:
                lines.append("      " + saved.reason.split("\n", 1)[0].removeprefix("tutor: "))
        for kept in OwnedFile(store.directory, name).kept_alive():
            lines.append(f"  kept running: {kept.name} (pid {kept.pid})" + (f", log {kept.log}" if kept.log else ""))
    return "\n".join(lines) + "\n"


@click.command(name="next")
@path_argument
@set_options
@click.option("--state-dir", metavar="DIR", help=STATE_DIR_HELP)
@click.option("--base-url", metavar="URL", help="Prefix of tutorial pages, e.g. https://dstack.info [default: $TUTOR_BASE_URL].")
def next_tutorial(path: str, sections: str | None, anchors: str | None, state_dir: str | None, base_url: str | None) -> None:
    """The first tutorial in reading order that is not done on this host, with its prerequisites' state.

    \b
    "Done" here is what the state file says (and no step changed since); `tutor run`
    also re-checks the `provides` probes before it counts a prerequisite as done.
    """
    import os

    from ..runner.links import Links, base_url as find_base_url
    from ..runner.preflight import readiness

    graph = load_graph(path, sections, anchors)
    records = _records(_store(state_dir))
    links = Links(find_base_url(base_url, Path(path)), path)
    env: dict[str, Any] = dict(os.environ)
    for tutorial in graph.ordered():
        state = readiness(tutorial, records.get(tutorial.slug), {}, env, check_probes=False)
        if state.done:
            continue
        click.echo(f"Next: {tutorial.title} ({tutorial.slug}), {tutorial.position_label}")
        click.echo(f"  state: {state.reason}")
        click.echo(f"  page:  {links.page(tutorial)}")
        click.echo(f"  run:   {links.command(tutorial.slug)}")
        prerequisites = graph.all_prerequisites(tutorial.slug)
        if prerequisites:
            click.echo("  prerequisites:")
            for slug in prerequisites:
                other = readiness(graph.tutorials[slug], records.get(slug), {}, env, check_probes=False)
                click.echo(f"    {'✓' if other.done else '✗'} {slug}: {other.reason}")
        return
    click.echo(f"All {len(graph.tutorials)} tutorials of {path} are done on this host.")
