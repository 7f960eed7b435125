"""The `tutor` command. Subcommands are imported only when they run, so `tutor --help` stays fast."""

from __future__ import annotations

import importlib
import sys

import click

from .. import __version__
from ..exit_codes import ExitCode

# name → (module, attribute); the order here is the order of `tutor --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("tutor.cli.lint_cmd", "lint"),
    "order": ("tutor.cli.order_cmd", "order"),
    "graph": ("tutor.cli.graph_cmd", "graph"),
    "run": ("tutor.cli.run_cmd", "run"),
    "plan": ("tutor.cli.run_cmd", "plan"),
    "verify": ("tutor.cli.verify_cmd", "verify"),
    "status": ("tutor.cli.status_cmd", "status"),
    "next": ("tutor.cli.status_cmd", "next_tutorial"),
    "doctor": ("tutor.cli.doctor_cmd", "doctor"),
    "export": ("tutor.cli.export_cmd", "export"),
}

EPILOG = """\b
Exit codes:
  0    success (`tutor run`: the tutorial is done)
  1    lint found errors (or warnings with --strict); a run step failed
  2    usage error or an invalid tutorial set
  3    `tutor run`: pre-flight failed (a missing prerequisite or `requires` check)
  4    `tutor run`: a verification failed; `tutor verify`: a check failed
  5    `tutor run`: the host must reboot before the tutorial goes on
  130  `tutor run`: interrupted (Ctrl-C)
"""


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        """The one place a `TutorError` (bad input, from anywhere below) becomes a message and exit 2."""
        from ..errors import TutorError

        try:
            return super().invoke(ctx)
        except TutorError as exc:
            click.echo(f"tutor: {exc}", err=True)
            raise SystemExit(ExitCode.USAGE) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module = importlib.import_module(target[0])
        return getattr(module, target[1])


@click.group(cls=LazyGroup, epilog=EPILOG, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="tutor")
def cli() -> None:
    """Markdown tutorials as a validated graph: lint them, list their order, run them on a host.

    Tutorials are the *.md files of a folder (default: ./tutorials), each with YAML
    frontmatter: title, description, section, stepNumber, totalSteps, prerequisites, …
    The order of sections comes from sections.yml in that folder.
    """


def main() -> None:
    try:
        cli.main(prog_name="tutor")
    except KeyboardInterrupt:
        sys.exit(ExitCode.INTERRUPTED)
