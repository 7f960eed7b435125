"""The rehearsal: real tutorial files run through `tutor run`, against local stand-ins.

`tutorial_set(targets)` copies the real tutorials folder. The files under test stay byte
for byte as they are; every other tutorial becomes a stand-in prerequisite: the same
frontmatter (section, numbering, prerequisites) and headings, no commands, no variables,
and `provides` whose checks always hold. `prepare` records that chain as done on the
rehearsal's host, so the target's own pre-flight, steps and `provides` checks are what
is exercised.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from . import standins

REAL_TUTORIALS = Path(__file__).resolve().parents[2] / "tutorials"
_FENCE = re.compile(r"^(```|~~~)")


def split(text: str) -> tuple[dict, str]:
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def stub(text: str) -> str:
    """A prerequisite stand-in: frontmatter kept for ordering, commands and checks removed."""
    front, body = split(text)
    front.pop("requires", None)
    front.pop("variables", None)
    front["provides"] = [{"id": p["id"], "command": "true"} for p in front.get("provides") or [] if p.get("id")]
    kept, inside = [], False
    for line in body.splitlines():
        if _FENCE.match(line):
            inside = not inside
            continue
        if not inside:
            kept.append(line)
    return "---\n" + yaml.safe_dump(front, sort_keys=False) + "---\n" + "\n".join(kept) + "\n"


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@dataclass
class Rehearsal:
    tmp: Path
    root: Path
    folder: Path
    dstack: Path
    images: Path
    control: Path
    bin: Path
    servers: list = field(default_factory=list)

    def tutorial_set(self, *targets: str) -> Path:
        if self.folder.exists():
            shutil.rmtree(self.folder)
        self.folder.mkdir()
        for source in REAL_TUTORIALS.iterdir():
            if source.suffix not in (".md", ".yml", ".yaml") or source.name.startswith(("_", "FACTS")):
                continue
            text = source.read_text()
            if source.suffix == ".md" and source.stem not in targets:
                text = stub(text)
            (self.folder / source.name).write_text(text)
        return self.folder

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TUTOR_")}
        env.update(PATH=f"{self.bin}:{os.environ['PATH']}", STANDIN_CONTROL=str(self.control),
                   TUTOR_STATE_DIR=str(self.tmp / "state"), TMPDIR=str(self.tmp), COLUMNS="200", HOME=str(self.root))
        env.update(extra)
        return env

    def tutor(self, *args: str, timeout: float = 120, env: dict[str, str] | None = None) -> Result:
        command = [sys.executable, "-m", "tutor.cli", *args]
        if args and args[0] == "run":
            command += ["--log-dir", str(self.tmp / "logs")]
        done = subprocess.run(command, cwd=self.tmp, env=self.env(**(env or {})), stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, timeout=timeout, check=False)
        return Result(done.returncode, done.stdout, done.stderr)

    def prepare(self, slug: str) -> None:
        """Record every (transitive) prerequisite of `slug` as done on this host, with the step
        hashes the runner computes, as a finished run of each stand-in would."""
        from tutor.loader import load_folder
        from tutor.runner.plan import build_plan
        from tutor.runner.state import StateStore, StepRecord, TutorialRecord, now
        from tutor.runner.status import Status

        DONE = Status.DONE

        tutorial_set = load_folder(self.folder)
        todo, seen = list(tutorial_set.tutorials[slug].prerequisites), set()
        store = StateStore(self.tmp / "state")
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            tutorial = tutorial_set.tutorials[name]
            todo += tutorial.prerequisites
            stamp = now()
            steps = [StepRecord(number=s.number, title=s.title, status=DONE, hash=s.hash, exit_code=0, started=stamp,
                                ended=stamp) for s in build_plan(tutorial).steps]
            store.save(TutorialRecord(slug=name, title=tutorial.title, path=str(tutorial.path), status=DONE,
                                      started=stamp, ended=stamp, steps=steps))

    def done_before(self, slug: str, number: int) -> None:
        """Record the steps of `slug` before step `number` as done, ending in this rehearsal's folder,
        as a run of them would: `--only`/`--from` start from that folder, or refuse without one."""
        from tutor.loader import load_folder
        from tutor.runner.plan import build_plan
        from tutor.runner.state import StateStore, StepRecord, TutorialRecord, now
        from tutor.runner.status import Status

        tutorial = load_folder(self.folder).tutorials[slug]
        stamp = now()
        steps = [StepRecord(number=s.number, title=s.title, status=Status.DONE, hash=s.hash, exit_code=0, started=stamp,
                            ended=stamp, cwd=str(self.tmp)) for s in build_plan(tutorial).steps if s.number < number]
        StateStore(self.tmp / "state").save(TutorialRecord(slug=slug, title=tutorial.title, path=str(tutorial.path),
                                                           status=Status.PARTIAL, started=stamp, ended=stamp, steps=steps))

    def run(self, slug: str, *args: str, timeout: float = 120, env: dict[str, str] | None = None) -> Result:
        return self.tutor("run", slug, str(self.folder), "--yes", *args, timeout=timeout, env=env)


@pytest.fixture
def rehearsal(tmp_path: Path) -> Iterator[Rehearsal]:
    root = tmp_path / "root"
    images = root / "images"
    images.mkdir(parents=True)
    control = root / "control"
    control.mkdir()
    r = Rehearsal(tmp=tmp_path, root=root, folder=tmp_path / "tutorials",
                  dstack=standins.dstack_checkout(root / "dstack", sys.executable), images=images,
                  control=control, bin=standins.shim_bin(root / "bin"))
    try:
        yield r
    finally:
        for server in r.servers:
            server.close()
