"""`${VAR}` in a check's number, flag and duration fields (`exit`, `mode`, `within`, `status`…):
expanded like its text fields, and a value the field does not take is an error at file:line."""

from __future__ import annotations

from pathlib import Path

from .conftest import Host


def test_numbers_from_variables_are_checked_with_their_values(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "variables-in-numbers", str(folder), "--var", f"WORK={host.work}")
    assert result.code == 0, result.output
    assert "exits with 3" in result.stdout and "mode 0600" in result.stdout and "within 2 s" in result.stdout
    other = host.tutor("run", "variables-in-numbers", str(folder), "--var", f"WORK={host.work}", "--var", "MODE=0640",
                       "--var", "EXPECTED_EXIT=0", "--restart")
    assert other.code == 4, other.output  # the command exits 3, not 0: the check fails, as one written `exit: 0`
    assert "mode 0640" in other.stdout


def test_a_value_the_field_does_not_take_is_an_error_at_its_line(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "variables-in-numbers", str(folder), "--var", f"WORK={host.work}",
                        "--var", "EXPECTED_EXIT=three")
    assert result.code == 1, result.output
    line = next(i for i, text in enumerate((folder / "variables-in-numbers.md").read_text().split("\n"), 1)
                if text == '- command: "exit 3"')
    assert f"variables-in-numbers.md:{line}: " in result.stderr
    assert "`exit: ${EXPECTED_EXIT}` is 'three' here, which must be a whole number" in result.stderr
    assert "Traceback" not in result.output


def test_lint_takes_a_variable_in_a_number_field(host: Host, tmp_path: Path) -> None:
    folder = host.copy("behaviours")
    alone = tmp_path / "alone"
    alone.mkdir()
    for name in ("variables-in-numbers.md", "sections.yml"):
        (alone / name).write_text((folder / name).read_text())
    result = host.tutor("lint", str(alone))
    assert result.code == 0 and "0 errors, 0 warnings" in result.stdout, result.output
