"""A cached tutorial's body, blocks, steps, paths and variables, read again when first used.

The cache serves `tutor lint`, and on a warm run the rules that run again (those across
files) read the frontmatter, headings, links and the facts the per-file rules left for them
(`Tutorial.lint_facts`), never the body, a block or a step. So an entry stores the tutorial
without them: pickling the blocks and steps was most of the cost of packing an entry on a
cold run (about 86 of 100 us per tutorial), and the body most of its size. Whoever reads the
body of a restored tutorial (`Tutorial.__getattr__`) gets it from the file, checked against the
digest the tutorial was parsed from; whoever reads a deferred field gets all of them from one
parse of that body (`parse.reparse_body`), with the same engine code: the cache key holds its
fingerprint.

The steps of the new parse point at the tutorial's own headings, so that
`step.heading is tutorial.headings[i]` holds as it does after a parse.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from .model import DEFERRED_FIELDS, Heading, Tutorial

_LIGHT_FIELDS = tuple(f.name for f in fields(Tutorial) if f.name not in (*DEFERRED_FIELDS, "_unparsed", "_body_digest", "path", "body"))

Packed = dict[str, Any]
"""A tutorial as the cache stores it: its fields but the deferred ones, `path` (which the reader
knows) and `body`, by name. The body is most of a tutorial's text, and no rule of a warm lint reads
it: stored, it made the pack four times larger, and the writing of a large pack the slowest part
of a cold lint of 5,000 files; the file holds it, and the entry's digest says whether it still does."""


def pack(tutorial: Tutorial) -> Packed:
    """`tutorial` without its deferred fields and its body.

    Not a Tutorial with unset slots: pickling one reads every slot, which would parse it again.
    """
    return {name: getattr(tutorial, name) for name in _LIGHT_FIELDS}


def restore(packed: Packed, path: Path, digest: bytes) -> Tutorial:
    """The tutorial `pack` packed, read from `path` when its content had `digest`; its body and
    deferred fields are read when first used.

    Raises KeyError or TypeError when `packed` is not what `pack` makes.
    """
    tutorial = Tutorial.__new__(Tutorial)
    tutorial.path = path
    for name in _LIGHT_FIELDS:
        setattr(tutorial, name, packed[name])
    tutorial._body_digest = digest
    tutorial._unparsed = tutorial.readable  # an unreadable file's body was never parsed: its fields stay empty
    if not tutorial.readable:
        tutorial.blocks, tutorial.steps, tutorial.paths, tutorial.variables = [], [], [], {}
    return tutorial


def read_body(tutorial: Tutorial) -> bool:
    """Set the body of a restored tutorial from its file; False when it has it already.

    Raises TutorError when the file no longer holds what the tutorial was parsed from (it was
    written after this run read it): its blocks and steps would be another file's."""
    digest = tutorial._body_digest
    if digest is None:
        return False
    from .cache import read_file
    from .errors import TutorError
    from .parse import body_of

    hint = "run the command again: it reads the file anew"
    try:
        data, now, _ = read_file(tutorial.path)
    except OSError as exc:
        raise TutorError(f"{tutorial.rel_path} can no longer be read: {exc.strerror or exc}", hint, tutorial.rel_path) from None
    if now != digest:
        raise TutorError(f"{tutorial.rel_path} changed while tutor was reading the folder", hint, tutorial.rel_path)
    tutorial.body = body_of(data, tutorial)
    tutorial._body_digest = None
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
