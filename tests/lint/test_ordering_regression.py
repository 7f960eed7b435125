"""The ordering bug that motivates tutor (seed 000): guest-image-setup sat after kms-cvm-deployment.

The fix moved one tutorial and renumbered nine files by hand; here the lint catches the
wrong order and `--fix` does the renumbering.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).parent.parent / "fixtures" / "ordering-bug"

UPDATED_FLOW = {
    "system-baseline-dependencies": ("dstack Installation", 1, 6),
    "rust-toolchain-installation": ("dstack Installation", 2, 6),
    "clone-build-dstack-vmm": ("dstack Installation", 3, 6),
    "vmm-configuration": ("dstack Installation", 4, 6),
    "vmm-service-setup": ("dstack Installation", 5, 6),
    "guest-image-setup": ("dstack Installation", 6, 6),
    "gateway-service-setup": ("Gateway Deployment", 1, 1),
    "kms-build-configuration": ("KMS Deployment", 1, 2),
    "kms-cvm-deployment": ("KMS Deployment", 2, 2),
    "hello-world-app": ("First Application", 1, 2),
    "attestation-verification": ("First Application", 2, 2),
}


def tutor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor.cli", *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def old_layout(tmp_path: Path) -> Path:
    target = tmp_path / "tutorials"
    shutil.copytree(FIXTURE, target)
    return target


def numbering(folder: Path) -> dict[str, tuple[str, int, int]]:
    from tutor.loader import load_folder

    tutorials = load_folder(folder).tutorials
    return {slug: (t.section, t.step_number or 0, t.total_steps or 0) for slug, t in tutorials.items()}


def test_old_layout_fails_with_the_ordering_error(old_layout: Path) -> None:
    result = tutor("lint", str(old_layout))
    assert result.returncode == 1
    assert re.search(
        r"kms-cvm-deployment\.md:\d+: error \[prerequisites/order\] `kms-cvm-deployment` \(KMS Deployment, step 2\) "
        r"needs `guest-image-setup` \(First Application, step 1\), which comes later in reading order", result.stdout)


def test_moving_the_tutorial_then_fix_gives_the_updated_flow(old_layout: Path) -> None:
    guest = old_layout / "guest-image-setup.md"
    text = guest.read_text()
    text = text.replace('section: "First Application"', 'section: "dstack Installation"')
    text = text.replace("prerequisites:\n  - gateway-service-setup", "prerequisites:\n  - vmm-service-setup")
    text = text.replace("[Gateway Service Setup](/tutorial/gateway-service-setup)", "[VMM Service Setup](/tutorial/vmm-service-setup)")
    guest.write_text(text)
    before = {p.name: p.read_text() for p in old_layout.iterdir()}

    first = tutor("lint", str(old_layout), "--fix")
    assert first.returncode == 0, first.stdout + first.stderr
    assert numbering(old_layout) == UPDATED_FLOW
    changed = sorted(re.findall(r"fixed \S+/([\w-]+\.md)", first.stderr))
    assert changed == sorted(f"{slug}.md" for slug, (section, _, total) in UPDATED_FLOW.items()
                             if total == 6 or section == "First Application")

    # Only the stepNumber/totalSteps values changed; comments, quoting and the body are untouched.
    for path in old_layout.iterdir():
        old_lines, new_lines = before[path.name].splitlines(), path.read_text().splitlines()
        assert len(old_lines) == len(new_lines)
        for old, new in zip(old_lines, new_lines):
            if old != new:
                assert re.sub(r"\d+", "N", old) == re.sub(r"\d+", "N", new), (old, new)
                assert old.split(":")[0] in ("stepNumber", "totalSteps")
    assert "stepNumber: 6  # position in the section" in guest.read_text()

    after_first = {p.name: p.read_bytes() for p in old_layout.iterdir()}
    second = tutor("lint", str(old_layout), "--fix")
    assert second.returncode == 0 and "nothing to fix" in second.stderr
    assert {p.name: p.read_bytes() for p in old_layout.iterdir()} == after_first
