"""A block cannot switch off the runner's failure detection: `set +e` changes nothing, and a block
that takes the ERR trap away (or turns errtrace off) fails, since a failing command could have
gone unseen. The finding: `trap - ERR; false; echo ok` passed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tutor.runner.shell import ShellSession


@pytest.fixture(scope="module")
def session() -> Iterator[ShellSession]:
    with ShellSession() as shell:
        yield shell


@pytest.mark.parametrize("code", [
    "set +e\nfalse\necho after\n",
    "set +euo pipefail\nfalse\necho after\n",
    "builtin set +e\nfalse\necho after\n",
])
def test_set_plus_e_does_not_hide_a_failure(session: ShellSession, code: str) -> None:
    outcome = session.run(code, timeout=10)
    assert outcome.exit_code == 1 and outcome.failed_line == 2
    assert "after" not in outcome.output


@pytest.mark.parametrize("code", [
    "trap - ERR\nfalse\necho after\n",
    "trap '' ERR\nfalse\necho after\n",
    "trap 'echo mine' ERR\nfalse\necho after\n",
    "builtin trap - ERR\nfalse\necho after\n",
    "eval 'trap - ERR'\nfalse\necho after\n",
    "off() { trap - ERR; }\noff\nfalse\necho after\n",
    "set +E\nf() { false; echo inside; }\nf\n",
    "set +o errtrace\nf() { false; echo inside; }\nf\n",
])
def test_taking_the_err_trap_away_fails_the_block(session: ShellSession, code: str) -> None:
    outcome = session.run(code, timeout=10)
    assert outcome.exit_code not in (0, None), outcome
    assert "tutor: this block changed how the runner sees a failing command" in outcome.output


def test_the_next_block_has_its_failure_detection_back(session: ShellSession) -> None:
    session.run("trap - ERR\n", timeout=10)
    outcome = session.run("false\necho after\n", timeout=10)
    assert outcome.exit_code == 1 and outcome.failed_line == 1


def test_other_traps_are_the_blocks_own(session: ShellSession) -> None:
    outcome = session.run("trap 'echo bye' EXIT\ntrap - EXIT\ntrap -p ERR >/dev/null\necho fine\n", timeout=10)
    assert outcome.exit_code == 0 and outcome.output.strip() == "fine"


def test_a_failing_block_that_also_removed_the_trap_keeps_its_own_status(session: ShellSession) -> None:
    outcome = session.run("trap - ERR\nexit 7\n", timeout=10)
    assert outcome.exit_code == 7


@pytest.mark.parametrize("code", [
    "set +o pipefail\nfalse | true\necho after\n",
    "set +o pipefail\necho fine\n",
    "builtin set +o pipefail\nfalse | cat\n",
    "eval 'set +o pipefail'\nfalse | true\n",
    "off() { set +o pipefail; }\noff\nfalse | true\n",
])
def test_turning_pipefail_off_fails_the_block(session: ShellSession, code: str) -> None:
    # Without pipefail `false | true` succeeds: the failure of `false` would go unseen.
    outcome = session.run(code, timeout=10)
    assert outcome.exit_code not in (0, None), outcome
    assert "tutor: this block turned pipefail off (set +o pipefail)" in outcome.output


def test_the_next_block_has_pipefail_back(session: ShellSession) -> None:
    session.run("set +o pipefail\n", timeout=10)
    outcome = session.run("false | true\necho after\n", timeout=10)
    assert outcome.exit_code == 1 and outcome.failed_line == 1
    assert "after" not in outcome.output

