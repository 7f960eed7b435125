"""A secret a block exports (`export DB_PASSWORD=$(openssl rand -hex 8)`) is masked from then on:
in the rest of the block (`export` tells the runner), in the next blocks of its step (a `declare -x`
too: the exports are read after the block), on the terminal, in the transcript and in the cast."""

from __future__ import annotations

from tutor.runner.shell import ShellSession

from .conftest import Host


def test_a_secret_exported_by_a_block_is_masked_in_the_next_blocks_of_its_step(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "secret-midstep", str(folder), "--var", f"WORK={host.work}")
    assert result.code == 0, result.output
    password = (host.work / "password").read_text()
    assert len(password) == 16
    assert "made ***" in result.stdout  # the same block, after the export
    assert "connecting with ***" in result.stdout and "still ***" in result.stdout
    assert password not in result.output
    for path in host.written_files():
        assert password.encode() not in path.read_bytes(), path
    transcript = next(host.logs.glob("*.log")).read_text()
    assert "connecting with ***" in transcript


def test_export_stays_the_builtin_for_what_a_block_sees() -> None:
    shown: list[str] = []
    with ShellSession(on_output=shown.append) as shell:
        outcome = shell.run('export DB_PASSWORD=pw-4f1e9c OTHER=1 && echo "made $DB_PASSWORD"\n'
                            'export -p | grep -c "OTHER="\n'
                            'export 1bad=2 || echo "status $?"\n'
                            'declare -x SECOND_TOKEN=tk-77aa21\n')
        assert outcome.exit_code == 0, outcome.output
        assert "made ***\n1\n" in outcome.output
        assert "not a valid identifier" in outcome.output and "status 1" in outcome.output  # its errors, its status
        assert "pw-4f1e9c" not in "".join(shown) and "__TUTOR" not in "".join(shown)
        assert shell.environment()["DB_PASSWORD"] == "pw-4f1e9c"
