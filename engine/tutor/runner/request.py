"""What `tutor run` and `tutor plan` were asked, and the tutorial set and plan loaded for it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UsageError
from ..exit_codes import ExitCode
from ..graph import TutorialGraph
from ..model import Tutorial
from .display import Display
from .links import Links, base_url
from .plan import RunPlan, build_plan
from .preflight import lint_errors
from .state import StateStore, state_dir


@dataclass
class Request:
    """Everything `tutor run` was asked, as typed values."""

    slug: str
    path: str = "tutorials"
    sections: str | None = None
    anchors: str = "mkdocs"
    variables: dict[str, str] = field(default_factory=dict)
    start: str | None = None
    only: str | None = None
    until: str | None = None
    yes: bool = False
    skip_manual: bool = False
    with_prerequisites: bool = False
    restart: bool = False
    timeout: float | None = None
    junit: str | None = None
    log_dir: str | None = None
    quiet: bool = False
    state_dir: str | None = None
    base_url: str | None = None
    strict_output: bool = False
    dry_run: bool = False
    step_path: str | None = None
    """--path: which alternative path of the tutorial to run."""


@dataclass
class Loaded:
    graph: TutorialGraph
    tutorial: Tutorial
    plan: RunPlan
    links: Links
    store: StateStore


def load(request: Request, display: Display) -> Loaded | int:
    """The graph, the tutorial and its plan; an exit code when the set or the request is unusable."""
    from ..loader import load_folder

    tutorial_set = load_folder(Path(request.path), sections=request.sections, anchor_style=request.anchors)
    graph = TutorialGraph(tutorial_set)
    problems = lint_errors(graph)
    if problems is not None:
        display.error(problems + f"tutor: the tutorial set in {request.path} has errors; `tutor run` runs only a valid set.\n"
                      f"  hint: fix them (see `tutor lint {request.path}`), then run again.")
        return ExitCode.USAGE
    tutorial = graph.tutorials.get(request.slug)
    if tutorial is None:
        close = difflib.get_close_matches(request.slug, list(graph.tutorials), n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"see the slugs with `tutor order {request.path}`"
        raise UsageError(f"no tutorial `{request.slug}` in {request.path}", hint)
    plan = build_plan(tutorial, request.timeout, request.step_path)
    plan.select(request.start, request.only, request.until)  # refuses a bad --from/--only/--until now
    links = Links(base_url(request.base_url, Path(request.path)), request.path)
    return Loaded(graph, tutorial, plan, links, StateStore(state_dir(request.state_dir)))
