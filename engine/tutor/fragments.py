"""Config blocks that are pieces of a larger file, and config files written by heredocs.

The rule (documented in the authoring guide): a json, yaml or toml block that does not parse
is a **fragment**, not an error, when

- the paragraph before it says to find or change something ("find the line", "change it to",
  "replace … with", "look for", "edit", "update", "set … to", "add … to") and the block has at
  most `FRAGMENT_LINES` lines; or
- (json) it parses once wrapped as members of an object: `"port": 9080,` → `{"port": 9080}`; or
- (yaml) it parses once its common indentation is removed.

A complete document — a json block that starts with `{` or `[` and is not after such prose —
that does not parse is still an error. So is the json that a shell block writes with a heredoc
(`cat > app.json <<EOF … EOF`): it is checked as bash would write it, with an unquoted
heredoc's backslash escapes applied and `$VARIABLES` read as a value.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass

from .model import Block
from .yamlsource import YamlProblem, check_syntax

FRAGMENT_LINES = 5
_CHANGE_VERB = re.compile(
    r"\b(?:find|look for|locate|change|replace|edit|update|modify|set|add|append|insert|uncomment|comment out)\b", re.IGNORECASE)
_CHANGE_OBJECT = re.compile(r"(?:line|lines|it|this|value|entry|setting|section|field|key|block|following|to|with)\b", re.IGNORECASE)
_HEREDOC = re.compile(r"""<<(-?)\s*(["']?)(\w+)\2""")
_JSON_TARGET = re.compile(r"""(?:>>?|\btee\s+(?:-a\s+)?)\s*["']?([^\s;&|<>"']+\.json)\b""")
_WORD = re.compile(r"\w+")


def is_fragment(block: Block) -> bool:
    """True when a config block that does not parse is a piece of a larger file (see module doc)."""
    code = block.code
    lines = [line for line in code.split("\n") if line.strip()]
    if len(lines) <= FRAGMENT_LINES and _asks_for_a_change(block.lead):
        return True
    if block.language == "json":
        if code.lstrip().startswith(("{", "[")):
            return False
        members = code.strip().rstrip(",")
        try:
            json.loads("{" + members + "}")
        except json.JSONDecodeError:
            return False
        return True
    if block.language in ("yaml", "yml"):
        dedented = textwrap.dedent(code)
        if dedented == code:
            return False
        try:
            check_syntax(dedented)
        except YamlProblem:
            return False
        return True
    return False


@dataclass(frozen=True)
class Heredoc:
    line: int
    """File line of the heredoc's first content line."""
    target: str
    text: str


def json_heredocs(block: Block) -> list[Heredoc]:
    """The .json files a shell block writes with a heredoc, as bash would write them."""
    if "<<" not in block.code or ".json" not in block.code:
        return []
    lines = block.code.split("\n")
    found: list[Heredoc] = []
    index = 0
    while index < len(lines):
        match = _HEREDOC.search(lines[index])
        target = _JSON_TARGET.search(lines[index])
        index += 1
        if match is None or target is None:
            continue
        dash, quoted, word = match.group(1) == "-", bool(match.group(2)), match.group(3)
        start = index
        body: list[str] = []
        while index < len(lines) and (lines[index].lstrip("\t") if dash else lines[index]) != word:
            body.append(lines[index].lstrip("\t") if dash else lines[index])
            index += 1
        if index >= len(lines):
            break  # no closing word: bash would warn; not ours to guess
        index += 1
        text = "\n".join(body)
        if not quoted:
            text = _unquoted_heredoc(text)
        found.append(Heredoc(block.code_line + start, target.group(1), text))
    return found


def _unquoted_heredoc(text: str) -> str:
    """What bash writes for an unquoted heredoc: `\\\\`, `\\$`, `\\``` unescaped; expansions become a value."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text) and text[i + 1] in "\\$`\n":
            if text[i + 1] != "\n":
                out.append("\0" if text[i + 1] == "$" else text[i + 1])
            i += 2
            continue
        out.append(char)
        i += 1
    return _expansions_as_values("".join(out)).replace("\0", "$")


def _asks_for_a_change(prose: str) -> bool:
    """A sentence (text between dots) with a verb like "change" and then a word like "line".
    Per sentence, the first verb is enough: a later verb could only see fewer words after it.
    (One `verb[^.]*?object` regex rescanned the rest of the sentence from every verb.)"""
    for sentence in prose.split("."):
        verb = _CHANGE_VERB.search(sentence)
        if verb and _CHANGE_OBJECT.search(sentence, verb.end()):
            return True
    return False


def _expansions_as_values(text: str) -> str:
    """`${…}`, `$(…)` and `$name` each become `0`, left to right (what the regex
    `\\$\\{[^}]*\\}|\\$\\([^)]*\\)|\\$\\w+` did), in one pass: once no `}` (or `)`) is left,
    no later `${` (or `$(`) looks for one again."""
    out: list[str] = []
    closers = {"{": "}", "(": ")"}
    unclosed: set[str] = set()
    i = 0
    while (dollar := text.find("$", i)) >= 0:
        out.append(text[i:dollar])
        opener = text[dollar + 1: dollar + 2]
        if opener in closers:
            close = -1 if opener in unclosed else text.find(closers[opener], dollar + 2)
            if close < 0:
                unclosed.add(opener)
                out.append("$")
                i = dollar + 1
                continue
            out.append("0")
            i = close + 1
            continue
        word = _WORD.match(text, dollar + 1)
        out.append("0" if word else "$")
        i = word.end() if word else dollar + 1
    out.append(text[i:])
    return "".join(out)
