"""Property-based tests over hostile input. The invariant: a diagnostic or a clean message, never an exception.

A few examples each in `make test`; `make fuzz` runs many more (TUTOR_FUZZ_EXAMPLES).
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tutor.attributes import parse_info
from tutor.diagnostics import Diagnostic
from tutor.errors import TutorError
from tutor.graph import TutorialGraph
from tutor.lint import lint_set
from tutor.loader import load_folder
from tutor.probes.describe import describe
from tutor.probes.parser import parse_probe_list
from tutor.probes.spec import ProbeSpecError
from tutor.runner.recorder import cast_text
from tutor.runner.state import StateError, StateStore
from tutor.site import render_map, render_tutorial

from .strategies import INFO, TEXT, VALID_HEAD, body, frontmatter, probe_yaml

MESSAGE_LIMIT = 2000
"""A message shows an excerpt of a value, never the whole of it."""


def lint_and_render(files: dict[str, str]) -> list[Diagnostic]:
    """Lint a folder of these files and render every readable page and the map, as the site would."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name, text in files.items():
            (root / name).write_text(text, encoding="utf-8", errors="surrogatepass")
        tutorial_set = load_folder(root)
        report = lint_set(tutorial_set)
        graph = report.graph
        for tutorial in graph.ordered():
            if tutorial.readable:
                assert isinstance(render_tutorial(tutorial, graph), str)
        assert isinstance(render_map(TutorialGraph(tutorial_set)), str)
    for diagnostic in report.diagnostics:
        assert isinstance(diagnostic.message, str) and len(diagnostic.message) < MESSAGE_LIMIT, diagnostic
        assert isinstance(diagnostic.line, int) and diagnostic.line >= 0
    return report.diagnostics


@given(frontmatter(), body())
def test_any_frontmatter_gives_diagnostics_not_exceptions(yaml_text, markdown):
    lint_and_render({"sections.yml": "- Basics\n", "page.md": f"---\n{yaml_text}\n---\n{markdown}\n"})


@given(body(), body())
def test_any_body_gives_diagnostics_not_exceptions(first, second):
    lint_and_render({
        "sections.yml": "- Basics\n- Other\n",
        "page.md": f"---\n{VALID_HEAD}---\n{first}\n",
        "other.md": f"---\n{VALID_HEAD.replace('Basics', 'Other')}prerequisites: [page]\n---\n{second}\n",
    })


@given(INFO)
def test_any_fence_info_is_parsed_with_problems_not_exceptions(info):
    parsed = parse_info(info)
    for problem in parsed.problems:
        assert isinstance(problem.message, str) and len(problem.message) < MESSAGE_LIMIT


@given(INFO, TEXT)
def test_any_fence_info_in_a_tutorial_lints(info, code):
    lint_and_render({"sections.yml": "- Basics\n", "page.md": f"---\n{VALID_HEAD}---\n## Step 1: Go\n\n```bash {info}\n{code}\n```\n"})


@given(probe_yaml())
def test_any_check_yaml_is_probes_or_a_probe_error(yaml_text):
    try:
        probes = parse_probe_list(yaml_text)
    except ProbeSpecError as error:
        assert len(str(error)) < MESSAGE_LIMIT
        return
    for probe in probes:
        assert isinstance(describe(probe, {"X": "1"}), str)


@given(probe_yaml())
def test_any_check_yaml_in_a_tutorial_lints(yaml_text):
    lint_and_render({"sections.yml": "- Basics\n", "page.md": f"---\n{VALID_HEAD}---\n## Step 1: Go\n\n```verify\n{yaml_text}\n```\n"})


@given(st.sampled_from(["- Basics", "- name: Basics\n  description: {d}", "sections:\n  - {d}", "{d}", "- {d}\n- {d}"]), TEXT,
       st.sampled_from(["", "anchors: {d}", "sections: [{d}]", "defaults:\n  {d}: x", "rules:\n  {d}: off", "order:\n  - {d}"]))
def test_any_sections_file_and_tutor_yml_lint(sections, value, config):
    quoted = json.dumps(value)
    files = {"sections.yml": sections.format(d=quoted) + "\n", "page.md": f"---\n{VALID_HEAD}---\n# Page\n"}
    if config:
        files["tutor.yml"] = config.format(d=quoted) + "\n"
    lint_and_render(files)


JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(TEXT, inner, max_size=3)),
    max_leaves=12,
)
STATE_KEYS = st.sampled_from(["status", "steps", "started", "finished", "path", "variables", "probes", "number", "error"])


@given(st.one_of(
    st.binary(max_size=200),
    JSON_VALUE.map(json.dumps),
    st.dictionaries(st.sampled_from(["schema", "tutorials", "x"]), st.one_of(JSON_VALUE, st.integers(0, 3)), max_size=3).map(json.dumps),
    st.dictionaries(TEXT, st.dictionaries(STATE_KEYS, JSON_VALUE, max_size=5), max_size=2)
    .map(lambda tutorials: json.dumps({"schema": 1, "tutorials": tutorials})),
))
def test_any_state_file_loads_or_is_a_clean_error(content):
    with tempfile.TemporaryDirectory() as tmp:
        store = StateStore(Path(tmp))
        store.path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass"))
        try:
            store.load()
        except StateError as error:
            assert isinstance(error, TutorError) and "cannot" in str(error)


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from("\x00\x07\x08\t\n\x0c\r\x1b\x7f\"\\\udc80\udcff")))
def test_the_cast_escapes_output_as_json_dumps_does(text):
    """The recorder's own escaper writes each cast event's text byte for byte as json.dumps would."""
    want = json.dumps(text.replace("\n", "\r\n"), ensure_ascii=False)[1:-1].encode("utf-8", "surrogateescape")
    assert cast_text(text) == want
