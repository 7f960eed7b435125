"""Every lint rule: a stable id, a severity and one line that says what it checks.

The authoring guide's rule table is generated from `RULES`, so it cannot drift.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..anchors import MAX_ANCHOR
from ..diagnostics import Diagnostic, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    summary: str

    @property
    def family(self) -> str:
        return self.id.split("/", 1)[0]

    def at(self, path: str, line: int, message: str, hint: str = "") -> Diagnostic:
        return Diagnostic(self.id, self.severity, path, line, message, hint)


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        # files
        Rule("file/empty", E, "The file is empty."),
        Rule("file/no-frontmatter", E, "The file does not start with YAML frontmatter between `---` lines."),
        Rule("file/encoding", E, "The file is not UTF-8."),
        Rule("file/binary", E, "The file is binary, not Markdown."),
        Rule("file/too-large", E, "The file is larger than the 2 MiB a tutorial (or tutor.yml, the sections file) may be."),
        Rule("file/unreadable", E, "The file cannot be read."),
        Rule("file/name", E, "The file name is not a slug (`[A-Za-z0-9][A-Za-z0-9._-]*.md`), so the file is not loaded."),
        Rule("file/symlink", E, "The file (a tutorial, tutor.yml or the sections file) is a symbolic link that leaves the tutorials folder, so it is not read."),
        # frontmatter
        Rule("frontmatter/yaml", E, "The frontmatter is not valid YAML, is not a mapping, or expands aliases without bound."),
        Rule("frontmatter/required", E, "A required key (title, description, section) is missing or empty."),
        Rule("frontmatter/type", E, "A key has a value of the wrong type."),
        Rule("frontmatter/difficulty", E, "`difficulty` is not beginner, intermediate or advanced."),
        Rule("frontmatter/scope", E, "`scope` is not host, once or local."),
        Rule("frontmatter/description-length", E, "`description` is longer than 200 characters."),
        Rule("frontmatter/date", E, "`lastUpdated` is not a date written YYYY-MM-DD."),
        Rule("frontmatter/unknown-key", W, "A key the format does not define (often a typo)."),
        Rule("frontmatter/variables", E, "A `variables` entry is malformed."),
        # sections
        Rule("sections/file", E, "The sections file cannot be read or has a malformed entry."),
        Rule("sections/unknown", E, "A tutorial's section is not named in the sections file."),
        Rule("sections/empty", W, "A section of the sections file has no tutorials."),
        # the folder config and suppression comments
        Rule("config/invalid", E, "tutor.yml cannot be read, or has an unknown key, rule id or severity, or a bad value."),
        Rule("config/order", E, "tutor.yml's `order` names a tutorial that does not exist."),
        Rule("suppress/unknown", W, "A `<!-- tutor: … -->` comment has an unknown action or names an unknown rule."),
        Rule("suppress/unused", I, "A `<!-- tutor: disable… -->` comment suppresses nothing (the problem it hid is gone)."),
        Rule("sections/inferred", W, "There is no sections file, so the section order was inferred from prerequisites."),
        # prerequisites
        Rule("prerequisites/unknown", E, "A prerequisite names a tutorial that does not exist."),
        Rule("prerequisites/self", E, "A tutorial lists itself as a prerequisite."),
        Rule("prerequisites/duplicate", W, "A prerequisite is listed twice."),
        Rule("prerequisites/cycle", E, "Prerequisites form a cycle."),
        Rule("prerequisites/order", E, "A prerequisite comes later in reading order than the tutorial that needs it."),
        Rule("prerequisites/implied", I, "A prerequisite is already implied by another prerequisite."),
        # numbering
        Rule("numbering/missing", E, "A tutorial that is not an appendix has no stepNumber."),
        Rule("numbering/appendix", E, "An appendix has a stepNumber."),
        Rule("numbering/start", E, "A section's step numbers do not start at 1."),
        Rule("numbering/gap", E, "A section's step numbers skip a number."),
        Rule("numbering/duplicate", E, "Two tutorials of a section share a stepNumber although one depends on the other."),
        Rule("numbering/parallel", I, "Two tutorials of a section share a stepNumber and do not depend on each other (parallel tracks)."),
        Rule("numbering/total", E, "totalSteps is not the number of steps in the section."),
        # requires / provides
        Rule("capabilities/unprovided", E, "A required capability is provided by no tutorial."),
        Rule("capabilities/provider-not-prerequisite", E, "A required capability is provided by a tutorial that is not a (transitive) prerequisite."),
        Rule("capabilities/provider-later", E, "A required capability is provided by a tutorial that comes later in reading order."),
        Rule("capabilities/duplicate", E, "A capability is provided by more than one tutorial."),
        Rule("capabilities/unnamed", E, "A `provides` entry has no `id` to name the capability."),
        Rule("probes/invalid", E, "A probe (in requires, provides or a verify fence) is malformed."),
        Rule("probes/undeclared-variable", W, "A probe uses a ${VARIABLE} the tutorial does not declare under `variables`."),
        # links and body
        Rule("links/unknown-tutorial", E, "A link points at a tutorial that does not exist."),
        Rule("links/unknown-anchor", E, "A link's #anchor names no heading on the target page."),
        Rule("body/prerequisite-not-declared", W, "The body's Prerequisites section links a tutorial that is not a frontmatter prerequisite."),
        Rule("body/prerequisite-not-mentioned", W, "A frontmatter prerequisite is not linked from the body's Prerequisites section."),
        Rule("headings/long-id", E, f"A heading's id (its `{{#id}}`, or the one made from its text) is longer than {MAX_ANCHOR} characters."),
        # code blocks and steps
        Rule("blocks/parse", E, "A json, yaml or toml block does not parse."),
        Rule("blocks/unknown-attribute", E, "A fence has an attribute the runner does not know."),
        Rule("blocks/attribute-syntax", E, "A fence's `{…}` attribute list cannot be read."),
        Rule("blocks/attribute-value", E, "A fence attribute has a value that cannot be used."),
        Rule("blocks/control-character", W, "A code block holds a control character (an escape, a carriage return) that a terminal would interpret."),
        Rule("steps/numbering", E, "`Step N` headings (per path) or `Step N.M` parts (per step) are not numbered in order without gaps or repeats; a sequence may start at 0 or 1."),
        Rule("steps/outside", W, "A shell block on a page with steps lies in no step (nor in a reference section such as Troubleshooting), so `tutor run` skips it."),
        Rule("runner/placeholder", I, "A command that `tutor run` would run holds a placeholder (`<your-token>`, `YOUR_SERVER_IP`, `yourdomain.com`, an example.com host, a VM_ID the prose names); the runner refuses it."),
        Rule("runner/unattended", I, "A block that runs cannot run unattended (an editor or pager, a follower such as `tail -f`, or a block the prose puts on another machine) and is not marked manual, run=false, background or timeout."),
        Rule("backgrounds/not-ready", W, "A `{background}` block declares no readiness (`ready-port`, `ready-http`, `ready-log`), and a block runs right after it, with no check that waits in between."),
        Rule("backgrounds/not-kept", W, "A tutorial requires a capability that an earlier tutorial's background block serves, and that block is not `keep`: the earlier run stops it when it ends."),
        Rule("backgrounds/not-idempotent", W, "A background block that is not `keep` serves a port a later step of its tutorial uses: a second run (resume, or the Ansible export) repeats steps."),
        Rule("steps/implicit", I, "A page has commands but no `Step N:` headings: `tutor run` runs its sections with commands as steps, in order."),
    )
}


def rule(rule_id: str) -> Rule:
    return RULES[rule_id]


FAMILIES = frozenset(r.family for r in RULES.values())


def is_rule_selector(name: str) -> bool:
    """A rule id (`links/unknown-anchor`) or a family (`links`), as tutor.yml and comments name them."""
    return name in RULES or name in FAMILIES


def selects(selector: str, rule_id: str) -> bool:
    return selector == rule_id or rule_id.startswith(selector + "/")


def rule_suggestion(name: str) -> str:
    """' (did you mean `x`?)' for a misspelt rule id or family, else ''."""
    import difflib

    close = difflib.get_close_matches(name, [*RULES, *FAMILIES], n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""
