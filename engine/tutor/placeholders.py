"""Placeholders: text in a command that the reader is told to replace before running it.

What counts (documented in the authoring guide), on the lines a block sends to the shell,
outside `# comments`:

- `<your-token>`, `<server-ip>`: a word in angle brackets (letters, digits, `-`, `_`, `.`),
  not a heredoc (`<<EOF`), a redirection (`<file`, `< file`), process substitution (`<(…)`)
  or markup whose closing tag is on the same line (`<title>…</title>`);
- `YOUR_SERVER_IP`, `your-domain`, `yourdomain.com`: a word that starts with "your";
- `example.com`, `api.example.org`: a host of the reserved example domains;
- `VM_ID`: an upper-case word with `_` written bare (not `$VM_ID`, not `VM_ID=`, standing alone
  between spaces, quotes, `/`, `:` or `@`) that the paragraph right before or right after the
  block names ("replace VM_ID with …").

Declared variables are never placeholders: write `$NAME` and declare NAME under `variables`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import Block, Tutorial

_ANGLE = re.compile(r"(?<![<\w])<([A-Za-z][\w.-]*)>")
_YOUR = re.compile(r"(?<![\w$/{<-])(your[\w.-]*|YOUR_[A-Z0-9_]+|Your[A-Z]\w*)", re.IGNORECASE)
_EXAMPLE_HOST = re.compile(r"(?<![\w.-])((?:[a-z0-9-]+\.)*example\.(?:com|org|net))(?![\w-])", re.IGNORECASE)
_UPPER = re.compile(r"(?:^|(?<=[\s\"'/:@]))([A-Z][A-Z0-9]*_[A-Z0-9_]+)(?=$|[\s\"'/:])")
"""A bare upper-case word standing alone as an argument (not inside a pattern like `(A|B)=`)."""
_ASSIGNED = re.compile(r"(?<![\w$])([A-Z][A-Z0-9_]*)=")
_REPLACE_WORD = re.compile(r"\b(?:replac|substitut|fill(?:ing)? in|put in|your own|swap)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n\s*\n")
_MAYBE = re.compile(r"<|your|example\.", re.IGNORECASE)
"""What a line needs for `_ANGLE`, `_YOUR` or `_EXAMPLE_HOST` to find anything in it."""


@dataclass(frozen=True)
class Placeholder:
    line: int
    text: str
    variable: str
    """The variable name to declare instead, e.g. SERVER_IP for YOUR_SERVER_IP."""


def suggest_variable(text: str) -> str:
    word = text.strip("<>")
    if _EXAMPLE_HOST.fullmatch(word) or word.lower().startswith(("yourdomain", "your-domain", "your_domain")):
        return "DOMAIN"
    word = re.sub(r"^your[-_]?", "", word, flags=re.IGNORECASE)
    name = re.sub(r"[^A-Za-z0-9]+", "_", word).strip("_").upper()
    return name or "VALUE"


def find_placeholders(tutorial: Tutorial, block: Block) -> list[Placeholder]:
    declared = set(tutorial.variables)
    pointed: set[str] | None = None  # read only once a line has a bare upper-case word
    found: list[Placeholder] = []
    for line, text in block.command_lines():
        if not text.strip():
            continue
        hits: list[str] = []
        if _MAYBE.search(text):  # one scan that every hit of the three patterns below needs
            hits += [f"<{m.group(1)}>" for m in _ANGLE.finditer(text)
                     if text[m.start() + 1 : m.start() + 2] not in "(<" and f"</{m.group(1)}>" not in text]  # <title>…</title> is markup
            hits += [m.group(1) for m in _YOUR.finditer(text) if _looks_placeholder(m.group(1))]
            hits += [m.group(1) for m in _EXAMPLE_HOST.finditer(text)]
        upper = _UPPER.findall(text) if "_" in text else []
        if upper:
            if pointed is None:
                pointed = _pointed_at(block.lead) | _pointed_at(block.trail)
                if pointed:
                    pointed -= declared | set(_ASSIGNED.findall(block.script))
            hits += [w for w in upper if w in pointed]
        if hits:
            found += [Placeholder(line, hit, suggest_variable(hit)) for hit in dict.fromkeys(hits) if hit not in declared]
    return found


def _pointed_at(paragraph: str) -> set[str]:
    """Upper-case names in the sentences of `paragraph` that ask the reader to replace something."""
    if not _REPLACE_WORD.search(paragraph):
        return set()
    return {name for sentence in _SENTENCE_END.split(paragraph) if _REPLACE_WORD.search(sentence)
            for name in _UPPER.findall(sentence)}


def _looks_placeholder(word: str) -> bool:
    lowered = word.lower()
    # "your" alone, or a file such as yourapp.conf, stays text; upper case, a hyphenated or
    # underscored name, or a domain (yoursite.com) is a placeholder.
    return word.isupper() or lowered.startswith(("your-", "your_", "yourdomain", "your.")) or (
        lowered.startswith("your") and lowered.endswith((".com", ".org", ".net", ".io", ".dev")))
