"""`tutor.yml`: what a tutorial folder needs that its files do not say, in one place.

    sections: [Host Setup, KMS]          # section order (as in sections.yml)
    order:                               # or: the reading order itself, for sets without
      - install                          #   section/stepNumber frontmatter; a string is a
      - Advanced: [tuning, scaling]      #   tutorial, a one-key mapping a section of them
    anchors: github                      # mkdocs (default) or github
    defaults:                            # values for frontmatter keys a file leaves out
      section: Guide
    rules:                               # rule id or family → error | warning | info | off
      links/unknown-anchor: warning
    disable: [frontmatter/unknown-key]   # the same as `rule: off`
    overrides:                           # by file glob (relative to the folder), in order
      - files: ["drafts-*.md"]
        rules: {numbering: off}

Nothing here raises for bad input: a bad entry is a `config/invalid` diagnostic at its line
and is left out. Command-line options (`--sections`, `--anchors`) override the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .anchors import ANCHOR_STYLES
from .diagnostics import Diagnostic, Severity
from .folder_files import Refused, read_folder_file
from .model import Section
from .yamlsource import YamlProblem, load_located

CONFIG_FILENAMES = ("tutor.yml", "tutor.yaml")
KEYS: dict[str, str] = {
    "sections": "the section order: a list of names, or of `{name, description}`",
    "order": "the reading order: tutorial slugs, or `Section: [slugs]` mappings",
    "anchors": f"how heading ids are computed: {' or '.join(ANCHOR_STYLES)}",
    "defaults": "values for frontmatter keys a file leaves out, e.g. `section: Guide`",
    "rules": "rule id or family → error, warning, info or off",
    "disable": "rule ids or families to turn off",
    "overrides": "a list of `{files: [globs], rules: {…}}`, applied in order to matching files",
}
"""Every top-level key of tutor.yml and what it holds (shown in `tutor lint --help` and the guide)."""
OFF = "off"
SEVERITY_WORDS = ("error", "warning", "info", OFF)


@dataclass(frozen=True, slots=True)
class Override:
    files: tuple[str, ...]
    """Globs, matched against the file's path relative to the tutorials folder."""
    rules: dict[str, Severity | None]
    line: int = 0


@dataclass(slots=True)
class FolderConfig:
    """The folder's tutor.yml, read and validated; empty when the folder has none."""

    path: str = ""
    """The file as diagnostics show it; '' without one."""
    sections: list[Section] | None = None
    order: list[tuple[str, list[str]]] | None = None
    """(section name, slugs in reading order); the name is '' for slugs outside any section."""
    order_lines: dict[str, int] = field(default_factory=dict)
    anchors: str | None = None
    defaults: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, Severity | None] = field(default_factory=dict)
    """Rule id or family → severity; None turns the rule off."""
    overrides: list[Override] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)
    fingerprint: str = ""
    """Hash of the file's bytes, for caches of what the config shapes."""

    def file_defaults(self, slug: str) -> dict[str, Any]:
        """The defaults one file gets: `defaults`, then its place in `order`."""
        values = dict(self.defaults)
        for name, slugs in self.order or ():
            if slug in slugs:
                section = name or str(self.defaults.get("section") or "")
                if section:
                    values["section"] = section
                values["stepNumber"] = slugs.index(slug) + 1
                values["totalSteps"] = len(slugs)
        return values

    def order_sections(self) -> list[Section]:
        names = [name or str(self.defaults.get("section") or "") for name, _ in self.order or ()]
        return [Section(name=name) for name in dict.fromkeys(n for n in names if n)]


def cache_options(root: Path, anchors: str | None) -> tuple[str, ...]:
    """What a model cache of this folder must be keyed on besides the files: the options and tutor.yml."""
    path = find_config_file(root)
    try:
        digest = hashlib.sha256(read_folder_file(path)).hexdigest()[:16] if path is not None else ""
    except (OSError, Refused):
        digest = "unreadable"
    return (anchors or "", digest)


def anchor_style(root: Path, option: str | None) -> str:
    """The anchor style a folder's pages use: the option, else tutor.yml's `anchors`, else mkdocs."""
    if option:
        return option
    return read_folder_config(root).anchors or "mkdocs"


def find_config_file(root: Path) -> Path | None:
    for name in CONFIG_FILENAMES:
        candidate = root / name
        if candidate.is_file():
            return candidate
    return None


def read_folder_config(root: Path, shown: str | None = None) -> FolderConfig:
    """The folder's tutor.yml (an empty config without one). `shown`: the path for diagnostics."""
    path = find_config_file(root)
    if path is None:
        return FolderConfig()
    config = FolderConfig(path=shown or str(path))
    try:
        data = read_folder_file(path)
        text = data.decode("utf-8")
    except Refused as refused:
        config.problems.append(Diagnostic(refused.rule, Severity.ERROR, config.path, 1, refused.message, refused.hint))
        return config
    except (OSError, UnicodeDecodeError) as exc:
        config.problems.append(_problem(config, 1, f"cannot read {path.name}: {exc}", "save it as UTF-8 text"))
        return config
    config.fingerprint = hashlib.sha256(data).hexdigest()[:16]
    try:
        located = load_located(text)
    except YamlProblem as exc:
        config.problems.append(_problem(config, exc.line + 1, f"{path.name} is not valid YAML: {exc.message}", "fix the YAML at that line"))
        return config
    if located.value is None:
        return config
    if not isinstance(located.value, dict) or not isinstance(located.node, yaml.MappingNode):
        config.problems.append(_problem(config, 1, f"{path.name} must be a mapping of keys to values",
                                        "write `key: value` lines; the keys are " + ", ".join(KEYS)))
        return config
    _Reader(config).read(located.node)
    return config


def _problem(config: FolderConfig, line: int, message: str, hint: str) -> Diagnostic:
    return Diagnostic("config/invalid", Severity.ERROR, config.path, line, message, hint)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _value(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


class _Reader:
    """Walks the YAML nodes (for their lines) and fills the config."""

    def __init__(self, config: FolderConfig) -> None:
        self.config = config

    def problem(self, node: yaml.Node, message: str, hint: str) -> None:
        self.config.problems.append(_problem(self.config, _line(node), message, hint))

    def read(self, root: yaml.MappingNode) -> None:
        from .lint.context import did_you_mean

        for key_node, value_node in root.value:
            key = str(key_node.value)
            reader = getattr(self, f"_{key}", None) if key in KEYS else None
            if reader is None:
                self.problem(key_node, f"unknown key `{key}` in tutor.yml{did_you_mean(key, list(KEYS))}",
                             "the keys are: " + ", ".join(KEYS))
                continue
            reader(value_node)

    def _sections(self, node: yaml.Node) -> None:
        from .sections import sections_from_items

        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, "`sections` must be a list of section names", "write one `- Section name` per line, in reading order")
            return
        sections, problems = sections_from_items(_value(node), [_line(item) for item in node.value], self.config.path)
        self.config.sections = sections
        self.config.problems.extend(problems)

    def _order(self, node: yaml.Node) -> None:
        hint = "write one `- slug` per tutorial, or `- Section name: [slug, slug]`"
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, "`order` must be a list of tutorial slugs", hint)
            return
        order: list[tuple[str, list[str]]] = []
        seen: set[str] = set()
        for item in node.value:
            if isinstance(item, yaml.ScalarNode):
                group, slugs = "", [item]
            elif (isinstance(item, yaml.MappingNode) and len(item.value) == 1
                  and isinstance(item.value[0][1], yaml.SequenceNode)):
                group, slugs = str(item.value[0][0].value), list(item.value[0][1].value)
            else:
                self.problem(item, "an `order` entry must be a slug or `Section name: [slugs]`", hint)
                continue
            names: list[str] = []
            for slug_node in slugs:
                slug = str(slug_node.value).strip().removesuffix(".md") if isinstance(slug_node, yaml.ScalarNode) else ""
                if not slug:
                    self.problem(slug_node, "a tutorial in `order` must be its slug (the file name without .md)", hint)
                elif slug in seen:
                    self.problem(slug_node, f"`{slug}` is listed twice in `order`", "keep one entry per tutorial")
                else:
                    seen.add(slug)
                    names.append(slug)
                    self.config.order_lines[slug] = _line(slug_node)
            if order and not group and not order[-1][0]:
                order[-1][1].extend(names)  # consecutive plain slugs form one sequence
            else:
                order.append((group, names))
        self.config.order = order

    def _anchors(self, node: yaml.Node) -> None:
        value = node.value if isinstance(node, yaml.ScalarNode) else None
        if value not in ANCHOR_STYLES:
            self.problem(node, f"`anchors` must be one of {', '.join(ANCHOR_STYLES)}, not {value!r}",
                         "use `anchors: github` for a set written for GitHub, else leave it out")
            return
        self.config.anchors = str(value)

    def _defaults(self, node: yaml.Node) -> None:
        from .lint.context import did_you_mean
        from .schema import FIELDS, type_problem

        if not isinstance(node, yaml.MappingNode):
            self.problem(node, "`defaults` must map frontmatter keys to values", "e.g. defaults: {section: Guide}")
            return
        for key_node, value_node in node.value:
            key = str(key_node.value)
            spec = FIELDS.get(key)
            if spec is None:
                self.problem(key_node, f"`defaults` names `{key}`, which is not a frontmatter key{did_you_mean(key, list(FIELDS))}",
                             "use the keys of the authoring guide's frontmatter table")
                continue
            value = _value(value_node)
            wrong = type_problem(spec, value) if value is not None else None
            if wrong:
                self.problem(value_node, f"default `{key}` {wrong}", f"write it as {spec.summary}")
                continue
            self.config.defaults[key] = value

    def _rules(self, node: yaml.Node) -> None:
        self.config.rules.update(self.severities(node, "rules"))

    def _disable(self, node: yaml.Node) -> None:
        items = node.value if isinstance(node, yaml.SequenceNode) else [node] if isinstance(node, yaml.ScalarNode) else None
        if items is None:
            self.problem(node, "`disable` must be a list of rule ids", "e.g. disable: [frontmatter/unknown-key]")
            return
        for item in items:
            selector = self.selector(item)
            if selector is not None:
                self.config.rules[selector] = None

    def _overrides(self, node: yaml.Node) -> None:
        hint = 'e.g. overrides: [{files: ["drafts-*.md"], rules: {numbering: off}}]'
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, "`overrides` must be a list of `{files, rules}` entries", hint)
            return
        for item in node.value:
            if not isinstance(item, yaml.MappingNode):
                self.problem(item, "an override must be a mapping with `files` and `rules`", hint)
                continue
            entry = {str(k.value): (k, v) for k, v in item.value}
            for key, (key_node, _) in entry.items():
                if key not in ("files", "rules", "disable"):
                    self.problem(key_node, f"unknown key `{key}` in an override", "an override has `files` and `rules` (or `disable`)")
            files_node = entry.get("files", (None, None))[1]
            globs = _value(files_node) if files_node is not None else None
            if isinstance(globs, str):
                globs = [globs]
            if not isinstance(globs, list) or not globs or not all(isinstance(g, str) and g for g in globs):
                self.problem(files_node or item, "an override needs `files`: a glob or a list of globs", hint)
                continue
            rules: dict[str, Severity | None] = {}
            if "rules" in entry:
                rules.update(self.severities(entry["rules"][1], "rules"))
            if "disable" in entry:
                disable = entry["disable"][1]
                for rule_node in disable.value if isinstance(disable, yaml.SequenceNode) else [disable]:
                    selector = self.selector(rule_node)
                    if selector is not None:
                        rules[selector] = None
            self.config.overrides.append(Override(tuple(globs), rules, _line(item)))

    def severities(self, node: yaml.Node, key: str) -> dict[str, Severity | None]:
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, f"`{key}` must map rule ids to a severity", "e.g. rules: {links/unknown-anchor: warning}")
            return {}
        found: dict[str, Severity | None] = {}
        for rule_node, severity_node in node.value:
            selector = self.selector(rule_node)
            word = str(_value(severity_node)).strip().lower() if isinstance(severity_node, yaml.ScalarNode) else ""
            if _value(severity_node) is False:
                word = OFF  # YAML reads an unquoted `off` as false
            if word not in SEVERITY_WORDS:
                self.problem(severity_node, f"{word or 'this'!r} is not a severity", "use error, warning, info or off")
                continue
            if selector is not None:
                found[selector] = None if word == OFF else Severity(word)
        return found

    def selector(self, node: yaml.Node) -> str | None:
        from .lint.registry import is_rule_selector, rule_suggestion

        name = str(node.value).strip() if isinstance(node, yaml.ScalarNode) else ""
        if not is_rule_selector(name):
            self.problem(node, f"`{name}` is not a rule id or family{rule_suggestion(name)}",
                         "the rules are listed by `tutor lint --help` and in the authoring guide")
            return None
        return name

