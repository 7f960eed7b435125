"""The reader's words for how a block runs: one label per run attribute."""

from __future__ import annotations

from pathlib import Path

from tutor.loader import load_folder
from tutor.markings import Marking, labels


def _blocks(tmp_path: Path, body: str) -> list:  # type: ignore[type-arg]
    (tmp_path / "sections.yml").write_text("- Basics\n")
    (tmp_path / "page.md").write_text("---\ntitle: P\ndescription: d\nsection: Basics\nstepNumber: 1\n"
                                      "totalSteps: 1\n---\n# P\n\n## Step 1: Watch\n\n" + body)
    [tutorial] = load_folder(tmp_path).tutorials.values()
    return [b for b in tutorial.blocks if b.is_shell]


def test_run_false_names_the_second_terminal_the_prose_puts_it_in(tmp_path: Path) -> None:
    second, workstation = _blocks(tmp_path, (
        "To watch it live, run this in a second terminal:\n\n```bash {run=false}\ntail -f serial.log\n```\n\n"
        "Copy the key to your laptop:\n\n```bash {run=false}\nscp host:key .\n```\n"))
    [watch] = [label for label in labels(second) if label.marking is Marking.WORKSTATION]
    [copy] = [label for label in labels(workstation) if label.marking is Marking.WORKSTATION]
    assert watch.text == "run it yourself in a second terminal; `tutor run` skips it"
    assert copy.text == "run on your workstation, not on the host"
