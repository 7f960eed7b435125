"""The plan: steps, block attributes, probes, selection by number or id, and the step hash."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.errors import UsageError
from tutor.loader import load_folder
from tutor.runner.plan import PlanError, build_plan

BODY = """
## Step 1: Prepare

```bash {id=prep timeout=5}
sudo mkdir -p /opt/x
```

Expected output:

```{match=contains}
done
```

## Step 2: Serve

```bash {id=serve background keep}
python3 -m http.server
```

```bash {confirm cwd=/tmp expect="Continue? [y/N]" send=y}
./deploy.sh
```

```verify
- port: 8000
  within: 5s
```

## Step 3: Finish

```bash {run=false}
rm -rf /
```
"""


def plan_of(folder, body: str = BODY, **meta):  # type: ignore[no-untyped-def]
    folder.sections("Basics")
    folder.tutorial("t", body, **meta)
    return build_plan(load_folder(folder.root).tutorials["t"], default_timeout=60)


def test_blocks_carry_their_attributes(folder) -> None:  # type: ignore[no-untyped-def]
    plan = plan_of(folder)
    assert [s.header for s in plan.steps] == ["Step 1/3: Prepare", "Step 2/3: Serve", "Step 3/3: Finish"]
    prep, = plan.steps[0].blocks
    assert prep.id == "prep" and prep.timeout == 5 and prep.uses_sudo and prep.expected == "done\n" and prep.match == "contains"
    serve, deploy = plan.steps[1].blocks
    assert serve.background and serve.keep and serve.name == "serve" and serve.timeout == 60
    assert deploy.confirm and deploy.cwd == "/tmp" and deploy.prompts == [("Continue? [y/N]", "y")] and deploy.name == "step2.2"
    assert not deploy.uses_sudo and not plan.steps[2].blocks[0].runs
    assert [p.probe.kind for p in plan.steps[1].probes] == ["port"]


def test_select_by_number_or_block_id(folder) -> None:  # type: ignore[no-untyped-def]
    plan = plan_of(folder)
    assert [s.number for s in plan.select(start="serve")] == [2, 3]
    assert [s.number for s in plan.select(until="2")] == [1, 2]
    assert [s.number for s in plan.select(only="prep")] == [1]
    with pytest.raises(UsageError) as caught:
        plan.select(start="nope")
    assert "1, 2, 3" in caught.value.hint and "prep, serve" in caught.value.hint
    with pytest.raises(UsageError):
        plan.select(start="3", until="1")
    with pytest.raises(UsageError):
        plan.select(start="1", only="2")


def test_the_hash_follows_the_commands_not_the_prose(folder, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = [s.hash for s in plan_of(folder).steps]
    retitled = [s.hash for s in plan_of(folder, BODY.replace("Prepare", "Get ready").replace("timeout=5", "timeout=50")).steps]
    edited = [s.hash for s in plan_of(folder, BODY.replace("/opt/x", "/opt/y")).steps]
    answered = [s.hash for s in plan_of(folder, BODY.replace("send=y", "send=n")).steps]
    assert retitled == base
    assert edited[0] != base[0] and edited[1:] == base[1:]
    assert answered[1] != base[1] and answered[0] == base[0]


def test_a_bad_verify_block_names_its_line(folder) -> None:  # type: ignore[no-untyped-def]
    body = "## Step 1: X\n\n```verify\n- port: 80\n- file: /x\n  colour: red\n```\n"
    with pytest.raises(PlanError) as caught:
        plan_of(folder, body)
    error = caught.value
    assert error.path.endswith("t.md") and "colour" in error.message
    text = (folder.root / "t.md").read_text().split("\n")
    assert text[error.line - 1].startswith("- file: /x")
