"""What the operator sees of a command's output: at a terminal, as it comes (a `\\r` progress bar
redrawn in place, colours, a status line naming the command running now); in a pipe and in the
transcript, each line as the terminal leaves it."""

from __future__ import annotations

import re

import pexpect

from .conftest import Host

BAR_STEPS = [f"{i:3d}% [{'#' * (i // 10):<10}]" for i in range(0, 101, 10)]


def _terminal_run(host: Host, *args: str) -> tuple[int, str]:
    """Run `tutor run …` on a pty; returns its exit status and every byte it wrote to the terminal."""
    argv = host.command("run", *args)
    child = pexpect.spawn(argv[0], argv[1:], env=host.env(), cwd=str(host.root), encoding="utf-8",
                          codec_errors="replace", timeout=90, dimensions=(40, 160))
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus or 0, child.before or ""


def test_a_progress_bar_redraws_in_place_and_colours_reach_the_terminal(host: Host) -> None:
    folder = host.copy("behaviours")
    code, shown = _terminal_run(host, "live-output", str(folder), "--until", "1")
    assert code == 0, shown
    # One line, redrawn: each state of the bar after a \r, none of them on a line of its own.
    heading = re.search(r"\nDownloading\r*\n", shown)
    assert heading is not None, shown
    start = heading.end()
    bar = shown[start:shown.index(BAR_STEPS[-1], start) + len(BAR_STEPS[-1])]
    assert "\n" not in bar
    assert all(f"\r{step}" in bar for step in BAR_STEPS)
    assert "\x1b[31mred text\x1b[0m" in shown  # the colour, as the command wrote it
    assert "\x1b]52" not in shown and "the clipboard left alone" in shown
    transcript = next(host.logs.glob("*.log")).read_text()
    assert f"\n{BAR_STEPS[-1]}\n" in transcript and BAR_STEPS[5] not in transcript  # the final state only
    assert "\r" not in transcript and "\x1b" not in transcript
    assert "red text and the clipboard left alone\n" in transcript
    cast = next(host.logs.glob("*.cast")).read_text()
    assert "\\u001b[31mred text" in cast and "\\u001b]52" not in cast  # played back on a terminal: no clipboard either


def test_the_status_line_names_the_command_running_now(host: Host) -> None:
    folder = host.copy("behaviours")
    code, shown = _terminal_run(host, "live-output", str(folder))
    assert code == 0, shown
    statuses = re.findall(r"\r\x1b\[2K(\S) ([^\r\n]*?)  \x1b\[2m([0-9.]+ s)", shown)
    assert statuses, shown
    labels = {label for _, label, _ in statuses}
    # Not the block's first line, `echo …`. In the instant between two commands only builtins run,
    # and a redraw then falls back to where the block is: allowed, and seen on a loaded machine.
    assert "sleep 2.5" in labels and labels <= {"sleep 2.5", "running the block at behaviours/live-output.md:21"}, labels
    # It is drawn under the output so far, and taken away before the next output.
    assert shown.index("first line of the block") < shown.index("sleep 2.5  ") < shown.rindex("after the sleep")


def test_a_pipe_gets_each_line_as_the_terminal_leaves_it(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "live-output", str(folder), "--until", "1")
    assert result.code == 0, result.output
    assert f"Downloading\n{BAR_STEPS[-1]}\n" in result.stdout
    assert "red text and the clipboard left alone\n" in result.stdout
    assert "\r" not in result.stdout and "\x1b" not in result.stdout
