"""Console transcripts: blocks that show a prompt, the command typed after it, and what it printed.

The rule (documented in the authoring guide):

- A `console` fence is a transcript when one of its lines starts with a prompt.
  A `bash`/`sh`/`shell` fence is a transcript only when its first non-blank line starts
  with `$ ` (or is a lone `$`), so an ordinary bash block whose first line is a `# comment`
  stays an ordinary block.
- Inside a transcript, a line starting with `$ ` or `# ` (root's prompt) is a command, with the
  prompt stripped. A following line starting with `> `, or any line after one ending in `\\`,
  continues it. Every other line is output of the command above it.
- Only the commands reach the shell; the output lines are the expected output, compared by
  the same tolerant rules as an "Expected output:" fence.
"""

from __future__ import annotations

from dataclasses import dataclass

from .compact_pickle import pickled_as_fields

_PROMPTS = ("$ ", "# ")


@pickled_as_fields
@dataclass(slots=True)
class Command:
    """One prompt line of a transcript (with its continuations) and the output shown under it."""

    line: int
    """1-based file line of the prompt."""
    text: str
    """The command with its prompt stripped; continuation lines joined with newlines."""
    output: str = ""


def _is_prompt(line: str) -> bool:
    return line.startswith(_PROMPTS) or line.rstrip() == "$"


def is_transcript(language: str, code: str) -> bool:
    if language == "console":
        return any(_is_prompt(line) for line in code.split("\n"))
    if language not in ("bash", "sh", "shell"):
        return False
    for line in code.split("\n"):
        if line.strip():
            return line.startswith("$ ") or line.rstrip() == "$"
    return False


def parse_transcript(code: str, first_line: int) -> list[Command]:
    """The commands of a transcript block whose first code line is file line `first_line`."""
    commands: list[Command] = []
    output: list[str] = []
    continuing = False
    for offset, line in enumerate(code.rstrip("\n").split("\n")):
        if commands and (continuing or line.startswith("> ") or line.rstrip() == ">") and not output:
            part = line[2:] if line.startswith("> ") else ("" if line.rstrip() == ">" else line)
            commands[-1].text += "\n" + part
            continuing = part.endswith("\\")
            continue
        if _is_prompt(line):
            _close(commands, output)
            text = line[2:] if len(line) > 1 else ""
            commands.append(Command(first_line + offset, text))
            continuing = text.endswith("\\")
            continue
        continuing = False
        if commands:
            output.append(line)
    _close(commands, output)
    return commands


def _close(commands: list[Command], output: list[str]) -> None:
    if commands and output:
        commands[-1].output = "\n".join(output).strip("\n")
    output.clear()
