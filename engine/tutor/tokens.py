"""The Markdown token stream the parser reads: markdown-it-pyrs (Rust) when installed, else markdown-it-py.

markdown-it-pyrs parses a body in about a sixth of the time markdown-it-py takes for the
block parse alone (`bench/parser_backends.py`), but it returns a tree with byte source
maps, not markdown-it-py's flat token list with line maps. `RustTokens` turns the tree into
the part of that list `parse.py` reads: `heading_open` (tag, map) + `inline` (content,
children) + `heading_close`; `paragraph_open` + `inline` + `paragraph_close` (also for the
tight paragraphs of list items); `fence` (info, content, map); an `inline` per table cell;
`<name>_open`/`<name>_close` around containers; one token for any other block. Inline
children: text, text_special, code_inline, softbreak/hardbreak, link_open (href)/link_close,
image (children), `<name>_open`/`_close` around emphasis and the like.

Most of a parse's cost was this turning (a token per node, a line search per token), so
only what the parser reads is made: an `inline`'s children when it reads them (`_Inline`),
and closing tokens shared, as it reads only their type. Closing and `paragraph_open`
tokens carry no line map.

The two give the same model on the project's tutorials, every test corpus and edge cases
(tests/model/test_markdown_backends.py); a change in what `parse.py` reads must keep that.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_CONTAINERS = frozenset({"blockquote", "bullet_list", "ordered_list", "list_item", "table", "thead", "tbody", "trow"})
_INLINE = frozenset({"text", "softbreak", "hardbreak", "code_inline", "em", "strong", "link", "image", "text_special",
                     "html_inline", "autolink"})


def python_tokens() -> Any:
    """markdown-it-py, with inline parsing left to the parser (it reads few inline tokens)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    md.core.ruler.disable(["inline", "text_join"])
    return md


def fastest_tokens() -> Any:
    """`RustTokens` when markdown-it-pyrs imports, else `python_tokens()`."""
    try:
        return RustTokens()
    except ImportError:
        return python_tokens()


class Token:
    """The fields of a markdown-it-py token that the parser reads."""

    __slots__ = ("type", "tag", "map", "content", "info", "children", "attrs")

    def __init__(self, type: str, tag: str = "", map: list[int] | None = None, content: str = "", info: str = "",
                 children: list[Token] | None = None, attrs: dict[str, str] | None = None) -> None:
        self.type, self.tag, self.map, self.content, self.info = type, tag, map, content, info
        self.children = children
        self.attrs = attrs or {}


class _NoInline:
    """Inline children are always filled in, so nothing is left to parse on demand."""

    def parse(self, *args: Any) -> list[Token]:
        return []


class RustTokens:
    inline = _NoInline()

    def __init__(self) -> None:
        import markdown_it_pyrs

        self._md = markdown_it_pyrs.MarkdownIt("commonmark").enable("table")

    def parse(self, body: str, env: dict[str, Any] | None = None) -> list[Any]:
        try:
            with _quiet_stderr():
                tree = self._md.tree(body)
        except BaseException as exc:  # a Rust panic is a BaseException, not an Exception
            if type(exc).__name__ != "PanicException":
                raise
            # markdown-it-pyrs panics on some input (an odd backtick in link text: [`](x)):
            # markdown-it-py reads the body instead, with its inline children filled in.
            return _full_python_tokens().parse(body, env if env is not None else {})
        source = _Source(body)
        out: list[Token | _Inline] = []
        _blocks(tree.children, out, source)
        return out


def _full_python_tokens() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table")


_devnull: int | None = None


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Rust prints a panic to file descriptor 2 before Python can catch it. In the main thread,
    that text goes nowhere (the panic is handled: see `RustTokens.parse`); other threads keep
    their stderr, as they may be writing to it."""
    global _devnull
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        if _devnull is None:
            _devnull = os.open(os.devnull, os.O_WRONLY | os.O_CLOEXEC)
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        os.dup2(_devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


class _Source:
    """The body and its UTF-8 bytes (source maps are byte offsets into them).

    Nodes come in document order, so each line number is counted on from the last one
    (`bytes.count` over the gap), not searched for; an ASCII body is sliced as text directly."""

    __slots__ = ("body", "data", "ascii", "_offset", "_line")

    def __init__(self, body: str) -> None:
        self.body = body
        self.data = body.encode("utf-8")
        self.ascii = len(self.data) == len(body)
        self._offset = self._line = 0

    def line(self, offset: int) -> int:
        if offset < self._offset:
            self._offset = self._line = 0
        self._line += self.data.count(b"\n", self._offset, offset)
        self._offset = offset
        return self._line

    def line_start(self, offset: int) -> int:
        return self.data.rfind(b"\n", 0, offset) + 1

    def text(self, start: int, end: int) -> str:
        return self.body[start:end] if self.ascii else self.data[start:end].decode("utf-8")


class _Inline:
    """An `inline` token whose children are made from the Rust nodes only when read: the
    parser reads them for headings with markup and for text that may hold a link."""

    __slots__ = ("map", "content", "_nodes", "_children")
    type = "inline"
    tag = info = ""

    def __init__(self, map: list[int], content: str, nodes: Any) -> None:
        self.map, self.content, self._nodes = map, content, nodes
        self._children: list[Token] | None = None

    @property
    def children(self) -> list[Token]:
        if self._children is None:
            self._children = _inlines(self._nodes)
        return self._children

    @children.setter
    def children(self, value: list[Token]) -> None:
        self._children = value


_HEADING_CLOSE, _PARAGRAPH_OPEN, _PARAGRAPH_CLOSE = Token("heading_close"), Token("paragraph_open"), Token("paragraph_close")
_TD_CLOSE = Token("td_close")
_CLOSE = {name: Token(name + "_close") for name in _CONTAINERS}
"""Tokens the parser reads only the type of are shared."""


def _line(node: Any, source: _Source, default: int = 0) -> int:
    srcmap = node.srcmap
    return source.line(srcmap[0]) if srcmap else default


def _blocks(nodes: Any, out: list[Token | _Inline], source: _Source) -> None:
    """The tokens of a list of block nodes (a body, or a container's children).

    One loop for all of them, the most common nodes (paragraphs, fences, headings) first:
    this is per node of every tutorial, and a call per node was most of its cost."""
    append = out.append
    for node in nodes:
        name = node.name
        srcmap = node.srcmap
        line = source.line(srcmap[0]) if srcmap else 0
        if name == "paragraph":
            if srcmap and source.ascii and "\n" not in (text := source.body[srcmap[0]:srcmap[1]]):
                append(_PARAGRAPH_OPEN)  # one line: nothing to strip but its ends
                append(_Inline([line], text.strip(), node.children))
                append(_PARAGRAPH_CLOSE)
            else:
                _paragraph(node.children, srcmap, out, source, line)
        elif name == "fence":
            meta = node.meta
            append(Token("fence", "", [line], meta.get("content", ""), meta.get("info", "")))
        elif name == "heading" or name == "lheading":
            append(Token("heading_open", f"h{node.meta['level']}", [line]))
            append(_Inline([line], _heading_content(name, node, source), node.children))
            append(_HEADING_CLOSE)
        elif name in _CONTAINERS:
            append(Token(name + "_open", "", [line]))
            _container(node.children, out, source, line)
            append(_CLOSE[name])
        elif name == "tcell":
            content = source.text(*srcmap).strip() if srcmap else ""
            append(Token("td_open", "", [line]))
            append(_Inline([line], content, node.children))
            append(_TD_CLOSE)
        else:
            append(Token(name, "", [line]))


def _container(children: Any, out: list[Token | _Inline], source: _Source, line: int) -> None:
    """A container's children; the inline nodes of a tight list item become a paragraph, as in markdown-it-py."""
    run: list[Any] = []
    for child in [*children, None]:
        if child is not None and child.name in _INLINE:
            run.append(child)
            continue
        if run:
            span = (run[0].srcmap[0], run[-1].srcmap[1]) if run[0].srcmap and run[-1].srcmap else None
            _paragraph(run, span, out, source, _line(run[0], source, line))
            run = []
        if child is not None:
            _blocks((child,), out, source)


def _heading_content(name: str, node: Any, source: _Source) -> str:
    raw = source.text(*node.srcmap) if node.srcmap else ""
    if name == "lheading":  # the lines above the underline
        return "\n".join(line.strip() for line in raw.split("\n")[:-1]).strip()
    raw = raw.lstrip(" ").lstrip("#").strip()
    closed = raw.rstrip("#")
    if closed != raw and (closed == "" or closed.endswith((" ", "\t"))):
        raw = closed.strip()  # a closing sequence of #s
    return raw


def _paragraph(children: Any, span: tuple[int, int] | None, out: list[Token | _Inline], source: _Source, line: int) -> None:
    if span is None:
        content = ""
    else:
        text = source.text(*span)
        # markdown-it-py strips the container's indent from each continuation line.
        indent = span[0] - source.line_start(span[0]) if "\n" in text else 0
        if indent == 0:
            content = text.strip()
        else:
            first, *rest = text.split("\n")
            content = "\n".join([first, *(r[min(indent, len(r) - len(r.lstrip(" "))):] for r in rest)]).strip()
    out.append(_PARAGRAPH_OPEN)
    out.append(_Inline([line], content, children))
    out.append(_PARAGRAPH_CLOSE)


def _inlines(nodes: Any) -> list[Token]:
    out: list[Token] = []
    for node in nodes:
        _inline(node, out)
    return out


def _inline(node: Any, out: list[Token]) -> None:
    name = node.name
    if name in ("text", "text_special"):
        out.append(Token(name, content=node.meta.get("content", "")))
    elif name in ("softbreak", "hardbreak"):
        out.append(Token(name))
    elif name == "code_inline":
        out.append(Token("code_inline", content="".join(c.meta.get("content", "") for c in node.children)))
    elif name in ("link", "autolink"):
        out.append(Token("link_open", attrs={"href": node.meta.get("url", "")}))
        for child in node.children:
            _inline(child, out)
        out.append(Token("link_close"))
    elif name == "image":
        out.append(Token("image", children=_inlines(node.children)))
    else:
        out.append(Token(name + "_open"))
        for child in node.children:
            _inline(child, out)
        out.append(Token(name + "_close"))
