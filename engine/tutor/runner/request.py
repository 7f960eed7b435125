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
from .gate import chain_errors, format_findings, run_chain
from .state import StateStore, state_dir


@dataclass
class Request:
    """Everything `tutor run` was asked, as typed values."""

    slug: str
    path: str = "tutorials"
    sections: str | None = None
    anchors: str | None = None
    """None: tutor.yml's `anchors`, else mkdocs."""
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
    report: str | None = None
    """--report: where the JSON run report goes."""
    log_dir: str | None = None
    log_limit: float = 64.0
    """Megabytes of output a run's transcript (and cast) keep."""
    quiet: bool = False
    state_dir: str | None = None
    base_url: str | None = None
    strict_output: bool = False
    dry_run: bool = False
    step_path: str | None = None
    """--path: which alternative path of the tutorial to run."""
    ignore_lint: bool = False
    """--ignore-lint: go ahead despite lint errors in the tutorials of the run (loudly)."""
    format: str = "text"
    """`tutor plan --format`: text or json."""


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
    tutorial = graph.tutorials.get(request.slug)
    if tutorial is None:
        close = difflib.get_close_matches(request.slug, list(graph.tutorials), n=1)
        hint = f"did you mean `{close[0]}`?" if close else f"see the slugs with `tutor order {request.path}`"
        raise UsageError(f"no tutorial `{request.slug}` in {request.path}", hint)
    errors = chain_errors(graph, run_chain(graph, tutorial.slug))
    if errors:
        listing = format_findings(errors)
        count = f"{len(errors)} lint error{'s' if len(errors) > 1 else ''}"
        if not request.ignore_lint:
            display.error(f"tutor: `{tutorial.slug}` or a prerequisite it needs has {count}; "
                          f"`tutor {'plan' if request.dry_run else 'run'}` stops here:\n{listing}\n"
                          f"  hint: fix them (see `tutor lint {request.path}`), or pass --ignore-lint to go ahead anyway")
            return ExitCode.USAGE
        display.error(f"tutor: WARNING: going ahead despite {count} in the tutorials of this run (--ignore-lint):\n"
                      f"{listing}\n  what runs may not be what the page means; fix them before relying on this run")
    plan = build_plan(tutorial, request.timeout, request.step_path)
    plan.select(request.start, request.only, request.until)  # refuses a bad --from/--only/--until now
    links = Links(base_url(request.base_url, Path(request.path)), request.path)
    return Loaded(graph, tutorial, plan, links, StateStore(state_dir(request.state_dir)))
