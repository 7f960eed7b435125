"""A cached tutorial's blocks, steps, paths and variables, parsed again from its body when first read.

The cache serves `tutor lint`, and on a warm run the rules that run again (those across
files) read the frontmatter, headings, links and the facts the per-file rules left for them
(`Tutorial.lint_facts`), never a block or a step. So an entry stores the tutorial without its
deferred fields: pickling them was most of the cost of packing an entry on a cold run (about
86 of 100 us per tutorial) and half of its size, for fields a warm lint never read. Whoever
reads one of them on a restored tutorial (`Tutorial.__getattr__`) gets all of them from one
parse of the stored body (`parse.reparse_body`), with the same engine code: the cache key
holds its fingerprint.

The steps of the new parse point at the tutorial's own headings, so that
`step.heading is tutorial.headings[i]` holds as it does after a parse.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from .model import DEFERRED_FIELDS, Heading, Tutorial

_LIGHT_FIELDS = tuple(f.name for f in fields(Tutorial) if f.name not in (*DEFERRED_FIELDS, "_unparsed", "_body_utf8", "path", "body"))

Packed = dict[str, Any]
"""A tutorial as the cache stores it: its fields but the deferred ones and `path` (which the reader knows), by name;
`body` as UTF-8 (unpickling a str decodes it: 4 us of the 28 an entry costs, for a field a warm lint never reads)."""


def pack(tutorial: Tutorial) -> Packed:
    """`tutorial` without its deferred fields.

    Not a Tutorial with unset slots: pickling one reads every slot, which would parse it again.
    """
    state = {name: getattr(tutorial, name) for name in _LIGHT_FIELDS}
    state["body"] = tutorial.body.encode("utf-8", "surrogatepass")
    return state


def restore(packed: Packed, path: Path) -> Tutorial:
    """The tutorial `pack` packed, read from `path`; its deferred fields are parsed when first read.

    Raises KeyError or TypeError when `packed` is not what `pack` makes.
    """
    tutorial = Tutorial.__new__(Tutorial)
    tutorial.path = path
    for name in _LIGHT_FIELDS:
        setattr(tutorial, name, packed[name])
    body = packed["body"]
    if not isinstance(body, bytes):
        raise TypeError("the body is not stored as UTF-8")
    tutorial._body_utf8 = body
    tutorial._unparsed = tutorial.readable  # an unreadable file's body was never parsed: its fields stay empty
    if not tutorial.readable:
        tutorial.blocks, tutorial.steps, tutorial.paths, tutorial.variables = [], [], [], {}
    return tutorial


def decode_body(tutorial: Tutorial) -> bool:
    """Set the body of a restored tutorial from its stored bytes; False when it has none."""
    stored = tutorial._body_utf8
    if stored is None:
        return False
    tutorial.body = stored.decode("utf-8", "surrogatepass")
    tutorial._body_utf8 = None
    return True


def unpack(tutorial: Tutorial) -> bool:
    """Fill the deferred fields of a restored tutorial from its body; False when they are filled already."""
    if not tutorial._unparsed:
        return False
    from .parse import reparse_body

    parsed = reparse_body(tutorial)
    own = {id(h): tutorial.headings[i] for i, h in enumerate(parsed.headings) if i < len(tutorial.headings)}
    for name in DEFERRED_FIELDS:
        setattr(tutorial, name, getattr(parsed, name))
    for holder in _heading_holders(tutorial):
        if isinstance(holder.heading, Heading):
            holder.heading = own.get(id(holder.heading), holder.heading)
    tutorial._unparsed = False
    return True


def _heading_holders(tutorial: Tutorial) -> list[Any]:
    holders: list[Any] = []
    for step in tutorial.steps:
        holders.append(step)
        holders.extend(step.substeps)
    holders.extend(tutorial.paths)
    return holders
