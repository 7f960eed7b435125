"""Text from a tutorial, made safe for each kind of output it goes into.

Every string a tutorial or the sections file supplies (titles, descriptions, section
names, variables, check subjects, slugs) is text, never markup. Renderers put such a
string into HTML, Markdown or Mermaid only through the helper for that output, so a new
field cannot forget: the helper is the one boundary.

- `html_text`: for raw HTML, attribute values included, and for values MkDocs' theme
  inserts into HTML unescaped (page title and description, nav section names).
- `markdown_text`: for Markdown inline text (list items, table cells, link labels);
  each punctuation mark that can start Markdown or HTML syntax, of any common extension,
  becomes a character reference.
- `markdown_code`: inline code on one line, which survives backticks in the text.
- `mermaid_text`: a Mermaid label in `"…"`, with Mermaid's own `#name;` entities.

Line breaks and other control characters become spaces (or visible symbols in code): a
line break in one-line context would end a table row, a list item or an HTML block.
"""

from __future__ import annotations

import html
import re

__all__ = ["html_text", "markdown_code", "markdown_text", "mermaid_text", "one_line"]

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
# Every ASCII punctuation mark that starts syntax in Markdown, its common extensions or HTML;
# `.,/:;?%'` start none inside a line and stay as they are, for readable pages and tests.
_PUNCTUATION = {ord(c): f"&#{ord(c)};" for c in "!\"#$&()*+-<=>@[\\]^_`{|}~"}
_VALUE_MARKER = re.compile("(\ue000[A-Za-z_][A-Za-z0-9_]*\ue001)")
_ORDERED = re.compile(r"^(\d+)\.(?=\s|$)")
_MERMAID = {ord(c): f"#{ord(c)};" for c in "#\"&<>`[](){}|;*_~"}


def one_line(text: str) -> str:
    """The text with each run of control characters (line breaks included) as one space."""
    return _CONTROL.sub(" ", text).strip()


def html_text(text: str) -> str:
    """Text for an HTML element's content or a quoted attribute value."""
    return html.escape(one_line(text), quote=True)


def markdown_text(text: str) -> str:
    """Text for Markdown inline content: shown exactly as written, never parsed."""
    pieces = _VALUE_MARKER.split(one_line(text))
    # The markers `tutor.site.values` puts where a variable's value goes stay as they are.
    text = "".join(piece if i % 2 else piece.translate(_PUNCTUATION) for i, piece in enumerate(pieces))
    return _ORDERED.sub(r"\1&#46;", text, count=1)  # `1. x` at the start would open a list


def markdown_code(text: str) -> str:
    """Inline code on one line; the fence is one backtick longer than any run in the text."""
    text = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if longest or text.startswith(" ") or text.endswith(" ") else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else '`""`'


def mermaid_text(text: str) -> str:
    """Text for a Mermaid label written `["…"]`: Mermaid turns `#NN;` into the character."""
    return one_line(text).translate(_MERMAID)
