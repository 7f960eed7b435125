"""YAML for Ansible, written by PyYAML: `Unsafe` text becomes `!unsafe`, code becomes a literal block.

Ansible templates every string it reads; tutorial text (`${#VAR}`, `{{ .Names }}` in a docker
format string) must reach the host byte for byte, so it is tagged `!unsafe` and never templated.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from ...fix import write_atomically


class Unsafe(str):
    """Text Ansible must not template."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        # Lists indented under their key, as yamllint's default `indentation` rule expects.
        super().increase_indent(flow, False)


MAX_LINE = 150
"""Longer lines go double-quoted, which the emitter folds (yamllint allows 160 columns)."""


def _style(data: str) -> str | None:
    if "\n" not in data:
        return None
    if any(len(line) > MAX_LINE for line in data.split("\n")) or not _literal_ok(data):
        return '"'
    return "|"


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=_style(data))


def _unsafe(dumper: yaml.SafeDumper, data: Unsafe) -> yaml.ScalarNode:
    return dumper.represent_scalar("!unsafe", str(data), style=_style(data))


def _literal_ok(text: str) -> bool:
    # A literal block cannot hold trailing spaces on a line, tabs or control characters faithfully.
    return all(line == line.rstrip() for line in text.split("\n")) and all(c.isprintable() or c == "\n" for c in text)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Unsafe, _unsafe)


def dump(data: Any) -> str:
    """A YAML document that starts with `---`, keys in the order given."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, explicit_start=True, allow_unicode=True, width=100)


def write_yaml(path: Path, data: Any, header: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, header + dump(data))


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text)
