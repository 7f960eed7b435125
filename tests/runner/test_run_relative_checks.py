"""A relative path in a check is taken from the folder the tutorial's shell is in, as a reader of
"cd project, then check that `.env` exists" means it: in `tutor run`, in a re-run of a done
tutorial, and in `tutor verify` (the folder the step ended in), wherever tutor itself was started."""

from __future__ import annotations

from pathlib import Path

from .conftest import Host

TUTORIAL = """\
---
title: Project setup
description: Make a project folder and its settings.
section: Setup
stepNumber: 1
totalSteps: 1
lastUpdated: 2026-12-01
prerequisites: []
provides:
  - id: project-env
    file: .env
    contains: PORT=8080
---

## Step 1: Make the project

```bash
mkdir -p "$WORK/project/conf" && cd "$WORK/project"
printf 'PORT=8080\\n' > .env
```

```verify
- file: .env
  contains: PORT=8080
- dir: conf
- command: grep -q PORT .env
```

## Step 2: Add the settings

```bash
touch conf/settings.ini
```

```verify
- command: test -f settings.ini
  cwd: conf
- file: conf/settings.ini
```
"""


def _folder(host: Host) -> Path:
    folder = host.root / "tutorials"
    folder.mkdir()
    (folder / "sections.yml").write_text("- Setup\n")
    (folder / "project-setup.md").write_text(TUTORIAL)
    return folder


def test_checks_find_relative_paths_in_the_shells_folder_not_in_tutors(host: Host) -> None:
    folder = _folder(host)
    elsewhere = host.root / "elsewhere"
    elsewhere.mkdir()
    run = host.tutor("run", "project-setup", str(folder), "--var", f"WORK={host.work}", cwd=elsewhere)
    assert run.code == 0, run.output
    for sentence in ("The file .env contains", "The directory conf exists", "The file conf/settings.ini exists"):
        assert sentence in run.stdout, run.stdout
    assert not (elsewhere / ".env").exists()

    again = host.tutor("run", "project-setup", str(folder), "--var", f"WORK={host.work}", cwd=elsewhere)
    assert again.code == 0, again.output
    assert "1 provides check still passes; nothing ran" in again.stdout

    healthy = host.tutor("verify", str(folder), cwd=elsewhere)
    assert healthy.code == 0, healthy.output
    assert "6 checks: 6 passed, 0 failed" in healthy.stdout


def test_a_failed_relative_check_says_which_folder_it_looked_in(host: Host) -> None:
    folder = _folder(host)
    assert host.tutor("run", "project-setup", str(folder), "--var", f"WORK={host.work}").code == 0
    (host.work / "project" / ".env").unlink()
    broken = host.tutor("verify", str(folder))
    assert broken.code != 0
    assert f"(in {host.work / 'project'})" in broken.stdout, broken.stdout
