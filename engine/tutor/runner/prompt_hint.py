"""What a run without a terminal says about a prompt nobody answered: never "put the password in the file"."""

from __future__ import annotations

import re

__all__ = ["looks_secret", "unanswered_prompt"]

_SECRET = re.compile(r"pass(?:word|phrase)|secret|token|\bpin\b|credential|private key", re.IGNORECASE)


def looks_secret(prompt: str) -> bool:
    """A prompt that asks for something that must not be written into a tutorial."""
    return bool(_SECRET.search(prompt))


def unanswered_prompt(where: str, prompt: str) -> str:
    """The failure for a block (at `where`, file:line) that stopped at `prompt` with no terminal to type into."""
    head = f"the block at {where} stopped at a prompt the tutorial does not answer: {prompt.strip()!r}"
    if looks_secret(prompt):
        return (f"{head}\n  hint: run tutor in a terminal and type it there when the block asks (it is never stored); "
                f"or make the command non-interactive (a credential file, an environment variable)")
    return (f"{head}\n  hint: run tutor in a terminal and type the answer when the block asks, add "
            f"expect=\"…\" send=\"…\" to the block's attributes for an answer that is always the same, "
            f"or make the command non-interactive")
