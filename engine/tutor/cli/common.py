"""Options and loading shared by the subcommands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ..exit_codes import ExitCode

if TYPE_CHECKING:
    from ..cache import ModelCache
    from ..graph import TutorialGraph
    from ..model import TutorialSet

F = TypeVar("F", bound=Callable[..., Any])

DEFAULT_PATH = "tutorials"


def path_argument(func: F) -> F:
    return click.argument("path", required=False, default=DEFAULT_PATH, metavar="[PATH]")(func)


def set_options(func: F) -> F:
    func = click.option("--sections", metavar='"A,B,C"',
                        help="Section order, overriding the folder's tutor.yml and sections.yml.")(func)
    func = click.option("--anchors", type=click.Choice(["mkdocs", "github"]), default=None,
                        help="How heading ids are computed for #anchor links, overriding tutor.yml's "
                             "`anchors` (default: mkdocs).")(func)
    return func


def fail(message: str, hint: str = "", code: int = ExitCode.USAGE) -> None:
    """The one way a command stops with a message (a `TutorError` raised anywhere ends the same way, in `main`)."""
    click.echo(f"tutor: {message}", err=True)
    if hint:
        click.echo(f"  hint: {hint}", err=True)
    raise SystemExit(code)


def load_set(path: str, sections: str | None, anchors: str | None, cache: ModelCache | None = None) -> TutorialSet:
    from ..loader import load_folder

    return load_folder(Path(path), sections=sections, anchor_style=anchors, cache=cache)


def load_graph(path: str, sections: str | None, anchors: str | None, cache: ModelCache | None = None) -> TutorialGraph:
    from ..graph import TutorialGraph

    return TutorialGraph(load_set(path, sections, anchors, cache))


def write_output(text: str, output: str | None) -> None:
    if output is None:
        click.echo(text, nl=False)
        return
    from ..atomic import write_atomically

    try:
        write_atomically(Path(output), text)
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc}", "choose a path in a folder you can write")
