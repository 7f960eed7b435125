"""Exports of a tutorial set: the graph (Mermaid, DOT, JSON) and, in `ansible/`, an Ansible project."""

from __future__ import annotations

from .graph_formats import order_rows, to_dot, to_json, to_mermaid

__all__ = ["order_rows", "to_dot", "to_json", "to_mermaid"]
