"""The boxes at the top of a tutorial page, all from its frontmatter and the graph.

None of them contains a Markdown heading: heading ids on the page must stay exactly the
ones `tutor.anchors` computed for the body, which the lint checks `#anchor` links against.
"""

from __future__ import annotations

import shlex

from ..escape import html_text
from ..graph import TutorialGraph
from ..model import Tutorial, Variable
from ..secret_names import is_secret
from .markup import admonition, cell, code, link, table, text
from .probes import condition_sentence
from .values import markers, shown_variables

META_CLASS = "tutor-meta"
PREREQUISITES_CLASS = "tutor-prerequisites"
RUN_CLASS = "tutor-run"
VARIABLES_CLASS = "tutor-variables"


def position(tutorial: Tutorial, graph: TutorialGraph) -> str:
    """'Step 2 of 5', or 'Appendix'."""
    if tutorial.is_appendix or tutorial.step_number is None:
        return "Appendix"
    return f"Step {tutorial.step_number} of {graph.step_count(tutorial.section)}"


def meta_line(tutorial: Tutorial, graph: TutorialGraph) -> str:
    """Section, step, difficulty, time and date as one line of labelled chips."""
    items = [("section", tutorial.section), ("step", position(tutorial, graph))]
    if tutorial.difficulty:
        items.append(("difficulty", tutorial.difficulty.capitalize()))
    if tutorial.estimated_time:
        items.append(("time", str(tutorial.estimated_time)))
    if tutorial.last_updated:
        items.append(("updated", f"Updated {tutorial.last_updated.isoformat()}"))
    spans = "".join(
        f'<span class="{META_CLASS}__{name}">{html_text(value)}</span>' for name, value in items if value
    )
    return f'<div class="{META_CLASS}">{spans}</div>\n'


def prerequisites_box(tutorial: Tutorial, graph: TutorialGraph) -> str:
    parts: list[str] = []
    listed = list(dict.fromkeys(tutorial.prerequisites))
    known = sorted((slug for slug in listed if slug in graph.tutorials), key=graph.position.__getitem__)
    unknown = [slug for slug in listed if slug not in graph.tutorials]
    if known or unknown:
        lines = [f"- {link(t.title or t.slug, t.slug)} — {_where(t, graph)}" for t in (graph.tutorials[s] for s in known)]
        lines += [f"- {code(slug)}" for slug in unknown]
        parts.append("Finish these tutorials first:\n\n" + "\n".join(lines))
    if tutorial.requires:
        values = markers(shown_variables(tutorial.variables.values()))
        lines = [f"- {condition_sentence(condition, graph, values)}" for condition in tutorial.requires]
        parts.append("On the host, these must hold (`tutor run` checks them before it starts):\n\n" + "\n".join(lines))
    if not parts:
        parts.append("None: you can start here.")
    return admonition("info", "Prerequisites", "\n\n".join(parts), css_class=PREREQUISITES_CLASS)


def run_box(tutorial: Tutorial) -> str:
    body = (
        "Run every step of this page on the host, with the checks between steps:\n\n"
        f"```bash\ntutor run {shlex.quote(tutorial.slug)}\n```"
    )
    return admonition("example", "Run this tutorial", body, css_class=RUN_CLASS)


def variables_box(tutorial: Tutorial) -> str:
    if not tutorial.variables:
        return ""
    rows = [_variable_row(variable) for variable in tutorial.variables.values()]
    body = (
        "The commands read these environment variables; export one to change it.\n\n"
        + table(("Variable", "Default", "Description", "Secret"), rows)
    )
    return admonition("abstract", "Variables", body, css_class=VARIABLES_CLASS)



def _variable_row(variable: Variable) -> list[str]:
    secret = is_secret(variable)
    if variable.default is None:
        default = "*required*" if variable.required else "—"
    elif secret:
        default = "*hidden*"
    else:
        default = cell(code(variable.default)) if variable.default else '`""`'
    return [cell(code(variable.name)), default, text(variable.description) or "—", "yes" if secret else "no"]


def _where(tutorial: Tutorial, graph: TutorialGraph) -> str:
    return f"{text(tutorial.section)}, {position(tutorial, graph).lower()}"
