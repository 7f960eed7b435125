"""Names in the exported project: roles, Ansible variables, and tutorial text turned into Jinja."""

from __future__ import annotations

import re
from collections.abc import Mapping

_NOT_NAME = re.compile(r"[^a-z0-9_]+")
_REFERENCE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*)|(\$))")


def role_name(slug: str) -> str:
    """`kms-cvm-deployment` → `kms_cvm_deployment` (a role name is `[a-z][a-z0-9_]*`)."""
    name = _NOT_NAME.sub("_", slug.lower()).strip("_") or "tutorial"
    return name if name[0].isalpha() else f"t_{name}"


def section_tag(section: str) -> str:
    return role_name(section).replace("_", "-")


def ansible_var(name: str) -> str:
    """The group_vars name of a tutorial variable: `DSTACK_DIR` → `tutor_dstack_dir`."""
    return "tutor_" + _NOT_NAME.sub("_", name.lower())


def _literal(text: str) -> str:
    return "{% raw %}" + text + "{% endraw %}" if any(t in text for t in ("{{", "{%", "{#", "}}")) else text


def jinja(text: str, declared: Mapping[str, str], *, regex: bool = False) -> str | None:
    """`${DSTACK_DIR}/x` → `{{ tutor_dstack_dir }}/x`; None when it reads a variable that is not declared.

    `declared` maps tutorial variable names to their Ansible names. In a regex field the
    value is inserted as literal text (`regex_escape`), as the runner does.
    """
    out: list[str] = []
    last = 0
    for match in _REFERENCE.finditer(text):
        out.append(_literal(text[last:match.start()]))
        last = match.end()
        if match.group(3):
            out.append("$")
            continue
        name = match.group(1) or match.group(2)
        if name not in declared:
            return None
        out.append("{{ " + declared[name] + (" | regex_escape" if regex else "") + " }}")
    out.append(_literal(text[last:]))
    return "".join(out)


def references(text: str) -> set[str]:
    return {m.group(1) or m.group(2) for m in _REFERENCE.finditer(text) if not m.group(3)}


def display_name(text: str) -> str:
    """A task or play name: one line, no Jinja delimiters (Ansible templates names), first letter capital."""
    text = " ".join(text.split())
    for token in ("{{", "}}", "{%", "%}", "{#", "#}"):
        text = text.replace(token, token[0] + " " + token[1])
    return text[:1].upper() + text[1:]
