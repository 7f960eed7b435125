"""Fence info strings: ```` ```bash {id=deploy timeout=900 expect="Continue? [y/N]" send=y} ````.

The language is the first word; attributes sit in one pair of braces after it.
A value is a bare word or a quoted string ("…" or '…', backslash escapes the quote);
a bare name is a flag whose value is "true". Names may repeat (`expect`/`send` pairs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

KNOWN_ATTRIBUTES: dict[str, str] = {
    "id": "a name for the block, used by --from/--only/--until and in reports",
    "timeout": "seconds the block may run before its process group is killed",
    "expect": "a prompt the block prints (text); answered by the `send` after it",
    "send": "what to type at the prompt named by the `expect` before it",
    "background": "start a long-running process and keep it for later steps",
    "keep": "with `background`: leave the process running when the run ends",
    "confirm": "ask before running the block (`--yes` answers)",
    "manual": "the reader does this by hand; the runner says what and waits",
    "run": "`run=false`: shown on the site, never run",
    "cwd": "directory to run the block in",
    "match": "on an expected-output fence: `exact`, `contains` or `regex`",
    "validate": "`validate=false`: do not parse-check a json/yaml/toml block",
    "title": "a caption shown above the block on the site",
    "scope": "where the block runs in a fleet: host (default), once (one host), local (the operator's machine)",
    "creates": "guard: skip the block when this path exists",
    "removes": "guard: skip the block when this path does not exist",
    "unless": "guard: skip the block when this command succeeds",
    "reboot": "reboot the host after the block; the step is marked done first and the next run continues",
}

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


@dataclass
class InfoString:
    language: str
    pairs: list[tuple[str, str]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def attributes(self) -> dict[str, str]:
        return dict(self.pairs)

    def prompts(self) -> list[tuple[str, str]]:
        """`expect`/`send` pairs in order; a `send` with no `expect` before it is an error."""
        result: list[tuple[str, str]] = []
        pending: str | None = None
        for name, value in self.pairs:
            if name == "expect":
                if pending is not None:
                    result.append((pending, ""))
                pending = value
            elif name == "send":
                if pending is None:
                    self.errors.append("`send` without an `expect` before it")
                    continue
                result.append((pending, value))
                pending = None
        if pending is not None:
            result.append((pending, ""))
        return result


def parse_info(info: str) -> InfoString:
    info = info.strip()
    brace = info.find("{")
    head = info if brace < 0 else info[:brace]
    words = head.split()
    language = words[0].lower() if words else ""
    parsed = InfoString(language=language)
    if brace < 0:
        return parsed
    if len(words) > 1:
        parsed.errors.append(f"unexpected text before the attributes: {' '.join(words[1:])!r}")
    body = info[brace + 1 :]
    close = _find_closing_brace(body)
    if close < 0:
        parsed.errors.append("the attribute list has no closing `}`")
        return parsed
    trailing = body[close + 1 :].strip()
    if trailing:
        parsed.errors.append(f"unexpected text after the attributes: {trailing!r}")
    _parse_pairs(body[:close], parsed)
    return parsed


def _find_closing_brace(body: str) -> int:
    quote: str | None = None
    i = 0
    while i < len(body):
        char = body[i]
        if quote:
            if char == "\\":
                i += 2
                continue
            if char == quote:
                quote = None
        elif char in "\"'":
            quote = char
        elif char == "}":
            return i
        i += 1
    return -1


def _parse_pairs(text: str, parsed: InfoString) -> None:
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace() or text[i] == ",":
            i += 1
            continue
        match = _NAME.match(text, i)
        if not match:
            parsed.errors.append(f"cannot read an attribute name at {text[i:]!r}")
            return
        name = match.group(0)
        i = match.end()
        if i < n and text[i] == "=":
            value, i, error = _read_value(text, i + 1)
            if error:
                parsed.errors.append(f"attribute `{name}`: {error}")
                return
        else:
            value = "true"
        parsed.pairs.append((name, value))


def _read_value(text: str, i: int) -> tuple[str, int, str]:
    if i >= len(text):
        return "", i, "has no value after `=`"
    quote = text[i]
    if quote not in "\"'":
        end = i
        while end < len(text) and not text[end].isspace() and text[end] != ",":
            end += 1
        return text[i:end], end, ""
    out: list[str] = []
    j = i + 1
    while j < len(text):
        char = text[j]
        if char == "\\" and j + 1 < len(text) and text[j + 1] in (quote, "\\"):
            out.append(text[j + 1])
            j += 2
            continue
        if char == quote:
            return "".join(out), j + 1, ""
        out.append(char)
        j += 1
    return "", j, "the quoted value is not closed"


def strip_attributes(info: str) -> str:
    """The info string without its `{…}` part, for rendering."""
    brace = info.find("{")
    return info if brace < 0 else info[:brace].rstrip()
