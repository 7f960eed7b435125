"""Rule families 7 and 8: code blocks and Step headings."""

from __future__ import annotations

BODY = """# T

## Step 1: Configure

```json
{"a": 1,
 "b": }
```

```yaml
key: [unclosed
```

```toml
[core]
address = 
```

```json {validate=false}
{"osImages": ["0x<os-image-hash>"]
```

```bash {id=x timout=5 expect="Continue? [y/N]" send=y}
./deploy.sh
```
"""


def test_structured_blocks_must_parse_with_line_inside_the_file(folder, only):
    folder.sections("Basics")
    folder.tutorial("t", body=BODY)
    found = only(folder.lint(), "blocks/parse")
    assert [(d.message.split()[1], d.line) for d in found] == [("json", 16), ("yaml", 20), ("toml", 25)]
    assert "validate=false" in found[0].hint


def test_unknown_attribute_with_did_you_mean(folder, only):
    folder.sections("Basics")
    folder.tutorial("t", body=BODY)
    [d] = only(folder.lint(), "blocks/unknown-attribute")
    assert d.line == 32 and "`timout`" in d.message and "did you mean `timeout`" in d.message


def test_attribute_syntax_and_values(folder, only):
    folder.sections("Basics")
    folder.tutorial("t", body="# T\n\n## Step 1: x\n\n```bash {expect=\"open}\ntrue\n```\n\n```bash {timeout=soon}\ntrue\n```\n")
    report = folder.lint()
    [syntax] = only(report, "blocks/attribute-syntax")
    assert syntax.line == 14
    [value] = only(report, "blocks/attribute-value")
    assert "timeout='soon'" in value.message


def test_step_headings_must_count_up_without_gaps(folder, only):
    folder.sections("Basics")
    folder.tutorial("t", body="# T\n\n## Step 1: a\n\n## Step 3: c\n\n### Step 3: again\n")
    found = only(folder.lint(), "steps/numbering")
    assert [(d.line, "expected Step 2" in d.message) for d in found] == [(14, True), (16, False)]


def test_shell_blocks_without_steps_become_implicit_steps(folder, only):
    folder.sections("Basics")
    folder.tutorial("t", body="# T\n\n```bash\nrm -rf /tmp/x\n```\n\n## Build\n\n```bash\nmake\n```\n")
    [d] = only(folder.lint(), "steps/implicit")
    assert d.severity.value == "info"
    assert "1. T, 2. Build" in d.message


def test_parser_reads_steps_blocks_and_expected_output(folder):
    folder.sections("Basics")
    folder.tutorial("t", body=(
        "# T\n\n### Step 1: Build it\n\n```bash {id=build timeout=900}\nmake\n```\n\nExpected output:\n\n```\ndone\n```\n\n"
        "```verify\n- file: /tmp\n```\n\n## Notes\n\n```bash\necho outside\n```\n"))
    report = folder.lint()
    t = report.set.tutorials["t"]
    [step] = t.steps
    assert (step.number, step.title, step.heading.level) == (1, "Build it", 3)
    assert [b.language for b in step.blocks] == ["bash", "", "verify"]
    build = step.blocks[0]
    assert build.attributes == {"id": "build", "timeout": "900"} and build.line == 14
    assert build.expected_output is step.blocks[1] and build.expected_output.code == "done\n"
    assert len(t.blocks) == 4  # the block under "Notes" is outside the step


def test_every_match_mode_the_runner_knows_is_accepted_by_the_lint(folder, only):
    from tutor.attributes import MatchMode
    from tutor.runner.plan import build_plan

    folder.sections("Basics")
    body = "# T\n\n## Step 1: x\n\n"
    for mode in MatchMode:
        body += f"```bash\necho {mode.value}\n```\n\nExpected output:\n\n``` {{match={mode.value}}}\n{mode.value}\n```\n\n"
    folder.tutorial("t", body=body)
    report = folder.lint()
    assert not only(report, "blocks/attribute-value") and not only(report, "blocks/unknown-attribute")
    plan = build_plan(report.set.tutorials["t"])
    assert [b.match for b in plan.steps[0].blocks] == list(MatchMode)


def test_fence_options_are_typed_once_by_the_parser(folder):
    from tutor.attributes import MatchMode, ProblemKind

    folder.sections("Basics")
    folder.tutorial("t", body=(
        "# T\n\n## Step 1: x\n\n```bash {id=up timeout=90 background keep=false cwd=/srv title=\"Start it\" expect=\"y/N\" send=y}\n"
        "serve\n```\n\n```bash {manual=perhaps match=fuzzy}\ntrue\n```\n"))
    t = folder.lint().set.tutorials["t"]
    first, second = t.steps[0].blocks
    options = first.options
    assert (options.id, options.timeout, options.background, options.keep, options.cwd, options.title) == (
        "up", 90.0, True, False, "/srv", "Start it")
    assert options.prompts == (("y/N", "y"),) and options.run and options.match is MatchMode.TOLERANT
    assert [(p.kind, p.name) for p in second.option_problems] == [(ProblemKind.VALUE, "manual"), (ProblemKind.VALUE, "match")]
    assert second.options.manual is False  # an unreadable value keeps the default


def test_a_bad_value_on_a_block_that_would_run_stops_the_plan(folder):
    import pytest

    from tutor.runner.plan import PlanError, build_plan

    folder.sections("Basics")
    folder.tutorial("t", body="# T\n\n## Step 1: x\n\n```bash {background=maybe}\nserve\n```\n")
    with pytest.raises(PlanError, match="background=maybe"):
        build_plan(folder.lint().set.tutorials["t"])


def test_verify_probes_and_condition_probes_are_parsed_once_into_the_model(folder):
    folder.sections("Basics")
    folder.tutorial("t", requires=[{"port": 9080}, {"file": "/x", "colour": 1}],
                    body="# T\n\n## Step 1: x\n\n```verify\n- dir: /tmp\n- port: 22\n```\n\n```verify\n- nonsense: 1\n```\n")
    t = folder.lint().set.tutorials["t"]
    good, bad = t.steps[0].verify_blocks
    assert [p.kind for p in good.probes] == ["dir", "port"] and good.probe_problem is None
    assert bad.probes == () and bad.probe_problem is not None and "has no type" in bad.probe_problem.message
    assert t.requires[0].parsed is not None and t.requires[0].parsed.kind == "port"
    assert t.requires[1].parsed is None and t.requires[1].problem is not None


def test_control_characters_in_code_are_a_warning_and_shown_visibly(folder, only):
    folder.sections("Basics")
    folder.raw("hidden.md", "---\ntitle: Hidden\ndescription: d\nsection: Basics\nstepNumber: 1\ntotalSteps: 1\n---\n"
                            "# Hidden\n\n## Step 1: Run\n\n```bash\ntouch /tmp/owned\x1b[2K\x1b[1Gecho hello\n```\n")
    folder.raw("crlf.md", "---\r\ntitle: C\r\ndescription: d\r\nsection: Basics\r\nstepNumber: 1\r\ntotalSteps: 1\r\n---\r\n"
                          "# C\r\n\r\n## Step 1: Run\r\n\r\n```bash\r\necho fine\r\n```\r\n")
    found = only(folder.lint(), "blocks/control-character")
    assert [(d.path.rsplit("/", 1)[-1], d.line) for d in found] == [("hidden.md", 13)]
    assert "\x1b" not in found[0].message and "␛[2K" in found[0].message
