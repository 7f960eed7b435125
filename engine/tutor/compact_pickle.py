"""Model classes pickled as their constructor and field values, in order.

The cache pickles every parsed tutorial (`cache._blob`). By default a slotted dataclass is
pickled with a dict of its slots, names included, and a frozen one through dataclasses'
own `__getstate__`, a Python function per object; a tuple of the values in field order,
read by one C call (`operator.attrgetter`), packs a tutorial in two thirds of the time and
makes each entry smaller. Only for classes whose every field is an `__init__` argument,
in order, and whose objects hold no cycle (the values are pickled before the object).
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, TypeVar

T = TypeVar("T")


def pickled_as_fields(cls: type[T]) -> type[T]:
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    if any(not f.init or f.kw_only for f in fields):
        raise TypeError(f"{cls.__name__}: every field must be a positional __init__ argument")
    if len(fields) < 2:  # attrgetter of one name returns the value, not a tuple
        raise TypeError(f"{cls.__name__}: needs two fields or more")
    values = operator.attrgetter(*(f.name for f in fields))

    def __reduce__(self: Any) -> tuple[type[T], tuple[Any, ...]]:
        return cls, values(self)

    cls.__reduce__ = __reduce__  # type: ignore[assignment, method-assign]
    return cls
