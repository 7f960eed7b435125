"""The parser's structures as real tutorials write them: paths, sub-steps, step 0, implicit steps, transcripts."""

from __future__ import annotations

from pathlib import Path

from tutor.model import Tutorial
from tutor.parse import parse_text

FRONT = "---\ntitle: T\ndescription: d\nsection: S\n---\n"


def parse(body: str) -> Tutorial:
    tutorial = Tutorial(slug="t", path=Path("t.md"), rel_path="t.md")
    parse_text(FRONT + body, tutorial)
    return tutorial


PATHS = """# Setup

## Quick Start: Setup with Ansible

### Step 1: Install Ansible

```bash
echo a1
```

### Step 2: Run it

```bash
echo a2
```

## Manual Setup

### Step 1: Packages

```bash
echo m1
```

#### Details

```bash
echo m1-details
```

### Step 2: Configure

```bash
echo m2
```
"""


def test_sibling_headings_with_their_own_step_sequences_are_named_paths() -> None:
    t = parse(PATHS)
    assert [(p.name, p.title, [s.number for s in p.steps]) for p in t.paths] == [
        ("quick-start-setup-with-ansible", "Quick Start: Setup with Ansible", [1, 2]),
        ("manual-setup", "Manual Setup", [1, 2]),
    ]
    manual = t.path_named("manual-setup")
    assert manual is not None
    assert [b.code.strip() for b in manual.steps[0].blocks] == ["echo m1", "echo m1-details"]


def test_continuous_numbering_under_several_headings_is_one_sequence() -> None:
    t = parse("# T\n\n## Part A\n\n### Step 1: a\n\n### Step 2: b\n\n## Part B\n\n### Step 3: c\n")
    assert t.paths == []
    assert [s.number for s in t.steps] == [1, 2, 3]


def test_sub_steps_are_parts_of_their_step_and_step_zero_is_a_step() -> None:
    t = parse("# T\n\n## Step 0: Check\n\n```bash\necho 0\n```\n\n## Step 1: Configure\n\n"
              "### Step 1.1: Write\n\n```bash\necho 1.1\n```\n\n### Step 1.2: Point\n\n```bash\necho 1.2\n```\n")
    assert [s.number for s in t.steps] == [0, 1]
    step = t.steps[1]
    assert [(p.number, p.title) for p in step.substeps] == [(1, "Write"), (2, "Point")]
    assert [b.code.strip() for b in step.blocks] == ["echo 1.1", "echo 1.2"]
    assert [b.code.strip() for b in step.substeps[1].blocks] == ["echo 1.2"]


def test_a_sub_step_without_its_step_opens_the_step() -> None:
    t = parse("# T\n\n## Step 2.1: Alone\n\n```bash\necho x\n```\n")
    [step] = t.steps
    assert (step.number, [p.number for p in step.substeps], len(step.blocks)) == (2, [1], 1)


def test_a_page_without_step_headings_gets_implicit_steps_skipping_reference_sections() -> None:
    t = parse("# Lesson\n\n```bash\necho intro\n```\n\n## Where am I?\n\nText.\n\n## Nothing to run\n\n```json\n{}\n```\n\n"
              "## Listing\n\n```bash\nls\n```\n\n## Troubleshooting\n\n```bash\necho help\n```\n")
    assert t.implicit_steps
    assert [(s.number, s.title) for s in t.steps] == [(1, "Lesson"), (2, "Listing")]


def test_console_transcripts_run_only_their_prompt_lines() -> None:
    t = parse("# T\n\n## Step 1: Look\n\n```console\n$ cd /tmp\n$ printf '%s\\n' one \\\n>   two\none\ntwo\n# id -u\n0\n```\n")
    [block] = t.blocks
    assert block.is_transcript
    assert block.script == "cd /tmp\nprintf '%s\\n' one \\\n  two\nid -u\n"
    assert block.transcript_output == "one\ntwo\n0"
    assert [c.line for c in block.commands] == [11, 12, 16]


def test_a_bash_block_is_a_transcript_only_when_it_starts_with_a_dollar_prompt() -> None:
    t = parse("# T\n\n## Step 1: x\n\n```bash\n# a comment\necho hi\n```\n\n```bash\n$ git status\nclean\n```\n")
    plain, transcript = t.blocks
    assert not plain.is_transcript and plain.script == "# a comment\necho hi\n"
    assert transcript.script == "git status\n" and transcript.transcript_output == "clean"


def test_default_path_comes_from_the_frontmatter() -> None:
    tutorial = Tutorial(slug="t", path=Path("t.md"), rel_path="t.md")
    parse_text("---\ntitle: T\ndescription: d\nsection: S\ndefaultPath: manual-setup\n---\n" + PATHS, tutorial)
    assert tutorial.default_path == "manual-setup"
