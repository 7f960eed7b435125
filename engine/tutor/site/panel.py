"""The "Your values" panel: one labelled input per variable, and an `export` block to copy.

Rendered as HTML that works without JavaScript as a plain list of names, descriptions and
defaults; the page's script enables the inputs, keeps values in the browser's storage and
refills every value on the page. Secret variables get no input at all: nothing to store,
nothing pre-filled; the export block asks for them with `read -rs` in the reader's shell.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence

from ..model import Tutorial, Variable
from ..secret_names import is_secret
from .shellwords import Quoting
from .values import PANEL_CLASS, declared_in_order, span

PANEL_TITLE = "Your values"


def values_panel(variables: Sequence[Variable], intro: str, users: dict[str, list[Tutorial]] | None = None,
                 folder: str = "") -> str:
    """The panel as raw HTML for a Markdown page; `users` adds "used by" links (the values page)."""
    if not variables:
        return ""
    items = "".join(_item(v, (users or {}).get(v.name, []), folder) for v in variables)
    return (
        f'<div class="admonition abstract {PANEL_CLASS}" data-tutor-values>\n'
        f'<p class="admonition-title">{PANEL_TITLE}</p>\n'
        f"<p>{html.escape(intro)}</p>\n"
        f'<div class="{PANEL_CLASS}__list">{items}</div>\n'
        '<p>The same values for your own shell, before you paste the commands:</p>\n'
        f'<div class="highlight {PANEL_CLASS}__export"><pre><span></span><code>{export_lines(variables)}</code></pre></div>\n'
        f'<p class="{PANEL_CLASS}__actions" hidden><button type="button" class="md-button" data-tutor-forget>'
        "Forget my values</button></p>\n"
        "</div>\n"
    )


def export_lines(variables: Iterable[Variable]) -> str:
    """`export NAME='value'` per variable (HTML, values in refillable spans); secrets are read, not pasted."""
    lines = []
    for variable in variables:
        name = html.escape(variable.name)
        if is_secret(variable):
            lines.append(f"read -rsp '{name}: ' {name} &amp;&amp; echo &amp;&amp; export {name}")
        else:
            lines.append(f"export {name}={span(variable.name, variable.default or '', Quoting.SINGLE, chr(39) * 2)}")
    return "\n".join(lines)


def _item(variable: Variable, users: list[Tutorial], folder: str) -> str:
    name = html.escape(variable.name)
    about = html.escape(variable.description) if variable.description else "No description."
    used = ""
    if users:
        links = ", ".join(
            f'<a href="{html.escape(folder)}{html.escape(t.slug)}/">{html.escape(t.title or t.slug)}</a>' for t in users
        )
        used = f'<span class="{PANEL_CLASS}__used">Used by {links}.</span>'
    if is_secret(variable):
        return (
            f'<div class="{PANEL_CLASS}__item {PANEL_CLASS}__item--secret" data-tutor-secret="{name}">'
            f"<p><code>{name}</code> (secret) — {about} Never stored or pre-filled here: commands keep "
            f"<code>${name}</code>, and the export block asks for it in your shell. {used}</p></div>"
        )
    if variable.default is None:
        default = "no default: required" if variable.required else "no default"
    elif variable.default == "":
        default = "default: empty"
    else:
        default = f"default: <code>{html.escape(variable.default)}</code>"
    field = f"tutor-value-{name}"
    return (
        f'<div class="{PANEL_CLASS}__item">'
        f'<label for="{field}"><code>{name}</code> — {about} <span class="{PANEL_CLASS}__default">({default})</span></label>'
        f'<input id="{field}" type="text" data-tutor-input="{name}" data-tutor-default="{html.escape(variable.default or "")}" '
        f'placeholder="{html.escape(variable.default or "")}" autocomplete="off" autocapitalize="off" spellcheck="false" disabled>'
        f"{used}</div>"
    )


VALUES_PAGE_INTRO = ("Every variable the tutorials read. Set yours once: every page then shows your values in its "
                     "commands and checks, and Copy copies them. They stay in this browser.")


def values_page(tutorials: Sequence[Tutorial], folder: str) -> str:
    """The page of its own: every variable of the set, first declaration in reading order."""
    declared = declared_in_order(tutorials)
    variables = [variable for variable, _ in declared.values()]
    users = {name: members for name, (_, members) in declared.items()}
    body = values_panel(variables, VALUES_PAGE_INTRO, users, folder) or "No tutorial declares a variable.\n"
    return f"---\ntitle: {PANEL_TITLE}\n---\n\n# {PANEL_TITLE}\n\n{body}"
