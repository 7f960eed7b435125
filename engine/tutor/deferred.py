"""A cached tutorial's blocks, steps, paths and variables, kept packed until something reads them.

A warm `tutor lint` reads every tutorial from the cache, but the rules that run again (those
across files) read only the frontmatter, headings and links. Unpickling the blocks and steps
is most of the cost of an entry, so `pack` leaves them as bytes on the tutorial and
`Tutorial.__getattr__` unpacks them the first time one of them is read.

The packed part holds its own copy of the headings (steps point at headings); `unpack`
points the steps back at the tutorial's headings, so `step.heading is tutorial.headings[i]`
holds as it does after a parse.
"""

from __future__ import annotations

import pickle
import zlib
from dataclasses import fields
from pathlib import Path
from typing import Any

from .model import DEFERRED_FIELDS, Heading, Tutorial


_LIGHT_FIELDS = tuple(f.name for f in fields(Tutorial) if f.name not in (*DEFERRED_FIELDS, "_packed", "path"))

Packed = tuple[dict[str, Any], bytes, int]
"""A tutorial as the cache stores it: its other fields by name (but `path`, which the reader
knows), the deferred ones pickled, and their CRC-32: they are read only when used, so damage
to them must show when the entry is read, to make it a miss."""


def pack(tutorial: Tutorial) -> Packed:
    """`tutorial` with its deferred fields pickled apart.

    Not a Tutorial with unset slots: pickling one reads every slot, which would unpack it.
    """
    parts = tuple(getattr(tutorial, name) for name in DEFERRED_FIELDS)
    state = {name: getattr(tutorial, name) for name in _LIGHT_FIELDS}
    packed = pickle.dumps((tutorial.headings, parts), protocol=pickle.HIGHEST_PROTOCOL)
    return state, packed, zlib.crc32(packed)


def restore(packed: Packed, path: Path) -> Tutorial:
    """The tutorial `pack` packed, read from `path`, its deferred fields left packed until read.

    Raises ValueError when the deferred part is damaged.
    """
    state, parts, crc = packed
    if zlib.crc32(parts) != crc:
        raise ValueError("the deferred fields are damaged")
    tutorial = Tutorial.__new__(Tutorial)
    tutorial.path = path
    for name in _LIGHT_FIELDS:
        setattr(tutorial, name, state[name])
    tutorial._packed = parts
    return tutorial


def unpack(tutorial: Tutorial) -> bool:
    """Fill the deferred fields from `tutorial._packed`; False when it has none.

    Packs are written atomically, so a part that does not unpickle means a damaged disk: the
    fields are then empty, never an exception (the per-file findings were stored beside them).
    """
    packed = tutorial._packed
    if packed is None:
        return False
    try:
        headings, parts = pickle.loads(packed)
        if not isinstance(parts, tuple) or len(parts) != len(DEFERRED_FIELDS):
            raise ValueError("not the deferred fields")
    except Exception:
        headings, parts = [], ([], [], [], {})
    own = {id(h): tutorial.headings[i] for i, h in enumerate(headings) if i < len(tutorial.headings)}
    for name, value in zip(DEFERRED_FIELDS, parts):
        setattr(tutorial, name, value)
    for holder in _heading_holders(tutorial):
        if isinstance(holder.heading, Heading):
            holder.heading = own.get(id(holder.heading), holder.heading)
    tutorial._packed = None
    return True


def _heading_holders(tutorial: Tutorial) -> list[Any]:
    holders: list[Any] = []
    for step in tutorial.steps:
        holders.append(step)
        holders.extend(step.substeps)
    holders.extend(tutorial.paths)
    return holders
