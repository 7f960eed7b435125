"""The reader's values: variables shown with a value on the page, and the panel to set them.

Code blocks keep `$NAME` in the Markdown; after rendering, `personalise` puts the default
value where bash would expand the name (see `shellwords`), inside a span that the page's
script refills with the reader's own value. Generated sentences (checks, conditions,
labels) carry a marker instead of `${NAME}`, replaced the same way, so without JavaScript
a page shows defaults and never a raw `${NAME}`. Secret variables are never given a value:
they stay `$NAME`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..model import Tutorial, Variable
from ..secret_names import is_secret
from .shellwords import Quoting, quoted, references

VAR_CLASS = "tutor-var"
PANEL_CLASS = "tutor-values"
SHELL_LANGUAGES = ("bash", "sh", "shell", "console")

_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_MARKER = re.compile(f"{_MARK_OPEN}([A-Za-z_][A-Za-z0-9_]*){_MARK_CLOSE}")
_CODE = re.compile(
    r'(<div class="language-(?P<lang>[\w-]+)[^"]*\bhighlight\b[^"]*"[^>]*>(?:(?!</div>).)*?<code[^>]*>)'
    r"(?P<code>.*?)(</code>)",
    re.S,
)
_PIECE = re.compile(r"<[^>]*>|&#?\w+;|[^<&]+|[<&]")


@dataclass(frozen=True, slots=True)
class Shown:
    """A variable as the page shows it before the reader sets anything."""

    name: str
    default: str | None
    secret: bool


def shown_variables(variables: Iterable[Variable]) -> dict[str, Shown]:
    return {v.name: Shown(v.name, v.default, is_secret(v)) for v in variables}


def markers(variables: Mapping[str, Shown]) -> dict[str, str]:
    """Values to hand to `describe` for sentences: each name becomes a marker `personalise` replaces."""
    return {name: f"{_MARK_OPEN}{name}{_MARK_CLOSE}" for name in variables}


def personalise(page_html: str, variables: Mapping[str, Shown]) -> str:
    """Shell code blocks and marked sentences with each variable's default in a refillable span."""
    if not variables:
        return _MARKER.sub(lambda m: html.escape("$" + m.group(1)), page_html)
    substitutable = {name for name, v in variables.items() if not v.secret}

    def block(match: re.Match[str]) -> str:
        if match.group("lang") not in SHELL_LANGUAGES or not substitutable:
            return match.group(0)
        return match.group(1) + _code(match.group("code"), match.group("lang"), variables, substitutable) + match.group(4)

    page_html = _CODE.sub(block, page_html)
    return _MARKER.sub(lambda m: _sentence_value(m.group(1), variables), page_html)


def span(name: str, value: str | None, quoting: Quoting, reference: str | None = None) -> str:
    """A value the page script can refill; with no value (no default) it shows the `reference` as written."""
    written = reference if reference is not None else f"${name}"
    shown = written if value is None else quoted(value, quoting)
    return (f'<span class="{VAR_CLASS}" data-tutor-var="{html.escape(name)}" data-tutor-quote="{quoting.value}" '
            f'data-tutor-ref="{html.escape(written)}" title="${html.escape(name)}">{html.escape(shown, quote=False)}</span>')


def _sentence_value(name: str, variables: Mapping[str, Shown]) -> str:
    variable = variables.get(name)
    if variable is None or variable.secret:
        return f'<span class="{VAR_CLASS} {VAR_CLASS}--name">${html.escape(name)}</span>'
    return span(name, variable.default, Quoting.TEXT)


def _code(code_html: str, language: str, variables: Mapping[str, Shown], names: set[str]) -> str:
    pieces = _PIECE.findall(code_html)
    texts = [html.unescape(p) if not p.startswith("<") or p == "<" else None for p in pieces]
    plain = "".join(t for t in texts if t is not None)
    scanned = _console_commands(plain) if language == "console" else plain
    found = references(scanned, names)
    if not found:
        return code_html
    out: list[str] = []
    offset, next_ref = 0, 0
    for piece, text in zip(pieces, texts):
        if text is None:
            out.append(piece)
            continue
        for char in text:
            while next_ref < len(found) and found[next_ref].end <= offset:
                next_ref += 1
            ref = found[next_ref] if next_ref < len(found) else None
            if ref is not None and ref.start <= offset < ref.end:
                if offset == ref.start:
                    out.append(span(ref.name, variables[ref.name].default, ref.quoting, plain[ref.start : ref.end]))
            else:
                out.append(html.escape(char, quote=False))
            offset += 1
    return "".join(out)


def _console_commands(text: str) -> str:
    """A console transcript with everything but the commands after `$ ` blanked (offsets kept)."""
    lines = []
    for line in text.split("\n"):
        if line.startswith("$ "):
            lines.append("  " + line[2:])
        else:
            lines.append(" " * len(line))
    return "\n".join(lines)


def declared_in_order(tutorials: Iterable[Tutorial]) -> dict[str, tuple[Variable, list[Tutorial]]]:
    """Every declared variable of the set, first declaration in reading order, with its users."""
    found: dict[str, tuple[Variable, list[Tutorial]]] = {}
    for tutorial in tutorials:
        for name, variable in tutorial.variables.items():
            found.setdefault(name, (variable, []))[1].append(tutorial)
    return found
