"""`tutor run` and `tutor plan`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from .common import path_argument, set_options

F = TypeVar("F", bound=Callable[..., Any])


def selection_options(func: F) -> F:
    """Options shared by `run` and `plan`: what to run, with which values, against which state."""
    for decorator in reversed((
        click.option("--var", "variables", multiple=True, metavar="K=V",
                     help="Set a variable (repeatable). Wins over the environment and the tutorial's default."),
        click.option("--path", "step_path", metavar="NAME",
                     help="On a page with alternative paths (e.g. 'with Ansible' / 'Manual'), run this one: "
                          "the id of its heading. Without it the `defaultPath` frontmatter key decides; "
                          "with neither, the paths are listed and nothing runs (exit 2)."),
        click.option("--ignore-lint", is_flag=True,
                     help="Go ahead despite lint errors in the tutorial or its prerequisites (printed as a warning). "
                          "Errors in other tutorials never block."),
        click.option("--from", "start", metavar="STEP", help="Start at this step (a step number or a block id)."),
        click.option("--only", metavar="STEP", help="Run only this step."),
        click.option("--until", metavar="STEP", help="Stop after this step."),
        click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="S",
                     help="Seconds a block may run when it sets no timeout= of its own."),
        click.option("--state-dir", metavar="DIR",
                     help="Where the host's state lives [default: $TUTOR_STATE_DIR, $XDG_STATE_HOME/tutor, "
                          "/var/lib/tutor as root, else ~/.local/state/tutor]."),
        click.option("--base-url", metavar="URL",
                     help="Prefix of tutorial pages in messages, e.g. https://dstack.info "
                          "[default: $TUTOR_BASE_URL, else site_url of a mkdocs.yml beside the tutorials]."),
    )):
        func = decorator(func)
    return func


RUN_HELP = """Run a tutorial's steps on this host, checking each one.

\b
Before step 1: the tutorial and its prerequisites are linted (errors in
other tutorials do not matter), prerequisites must be done on this host,
the tutorial's `requires` checks must pass, and no step about to run may
hold a placeholder (`<your-token>`, `YOUR_SERVER_IP`), a block the page
puts elsewhere, or an editor or pager when no terminal is attached.
Followers (`tail -f`, `journalctl -f`) stop after 30 s unless timeout=
says otherwise. Then each step's
shell blocks run in one bash session (cd and export carry over), its
`verify` probes are checked, and the state file records the step.

\b
Run again, it runs the steps that are not done, whose commands changed,
or that use a variable whose value changed (`tutor plan` shows which);
a done tutorial runs nothing and re-checks what it provides. A resumed
run starts in the folder, with the exports (PATH and sourced files
included, secrets never), where the last done step left the shell, and
restarts the backgrounds of done steps that later steps follow. --from
and --only start where the step before ended, and refuse when it is not
done on this host.

\b
A block's output is compared with the "Expected output:" fence after it,
tolerantly by default: spaces and blank lines do not matter, and each
expected line must appear in an output line, in order (`...` matches any
text). A mismatch is a warning; --strict-output makes it a failure. The
fence's `match=exact|contains|regex` attribute picks another rule.

\b
At a terminal, what you type while a block runs goes to its command
(a password, an answer, an editor), and a prompt the tutorial does not
answer waits for you ("waiting for your input: ..."); without one, such
a prompt fails the run at once. When the selected steps use sudo, one
`sudo -v` asks for your password before step 1 (not as root, nor when
sudo needs no password).

\b
Exit codes:
  0    done
  1    a step failed
  2    usage error or an invalid tutorial set
  3    pre-flight failed (a prerequisite, a `requires` check, a block
       that cannot run as written, no saved folder for --from/--only,
       or `sudo -v` before step 1 did not succeed)
  4    a verification failed (a verify probe; expected output with
       --strict-output; a done step's check or a done tutorial's
       `provides` that no longer holds)
  5    a step is done and the host must reboot (a `reboot` block); run it
       again after the reboot to go on
  130  interrupted (Ctrl-C, SIGTERM or SIGHUP)
"""


@click.command(help=RUN_HELP)
@click.argument("slug")
@path_argument
@set_options
@selection_options
@click.option("--yes", "-y", is_flag=True, help="Answer yes to blocks that ask for confirmation; stop at manual blocks.")
@click.option("--skip-manual", is_flag=True, help="Go on past blocks marked manual instead of waiting for a person.")
@click.option("--with-prerequisites", is_flag=True, help="Run the missing prerequisites first, in reading order.")
@click.option("--restart", is_flag=True, help="Run every selected step again, done or not (from step 1 unless --from/--only say otherwise).")
@click.option("--junit", metavar="FILE", help="Write a JUnit report: one test case per step and per probe.")
@click.option("--report", metavar="FILE", help="Write a JSON run report: steps, checks, durations, host (schema in the CLI reference).")
@click.option("--log-dir", metavar="DIR", help="Where transcripts and event logs go [default: <state dir>/logs].")
@click.option("--log-limit", type=click.FloatRange(min=0, min_open=True), metavar="MB",
              help="Megabytes of command output one run's transcript and cast keep; past that, a 'truncated' "
                   "mark and no more output (events are still written) [default: 64].")
@click.option("--quiet", "-q", is_flag=True, help="Show step headers and results, not the commands' output.")
@click.option("--strict-output", is_flag=True, help="Fail a step whose output does not match its expected output.")
@click.option("--dry-run", is_flag=True, help="Print the plan (as `tutor plan` does) and run nothing.")
def run(**options: Any) -> None:
    raise SystemExit(_execute(options))


@click.command()
@click.argument("slug")
@path_argument
@set_options
@selection_options
@click.option("--format", "format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: the plan as a stable machine-readable document (schema in the CLI reference).")
def plan(**options: Any) -> None:
    """Print what `tutor run SLUG` would do, and do nothing.

    \b
    The steps, every command as it would run (secrets masked), which ones use
    sudo or ask for confirmation, the prompts it answers, the probes it checks,
    and each variable's value and where it comes from (--var, environment,
    default, or asked for). No command, probe or file write happens.

    \b
    A page with alternative paths runs one: --path NAME, else its
    `defaultPath`; with neither, the paths are listed (exit 2).
    --format json prints the same plan as a versioned document (see the
    CLI reference, "tutor plan --format json").
    """
    raise SystemExit(_execute({**options, "dry_run": True}))


def _execute(options: dict[str, Any]) -> int:
    from ..runner.chain import run
    from ..runner.request import Request
    from ..runner.display import Display
    from ..runner.variables import parse_var_options

    display = Display(quiet=bool(options.get("quiet")))
    options["variables"] = parse_var_options(options.get("variables") or ())
    request = Request(**{k: v for k, v in options.items() if v is not None})
    return run(request, display)
