"""A secret a block exports (`export DB_PASSWORD=$(openssl rand -hex 8)`) is masked from the next
block on, in the same step too: on the terminal, in the transcript and in the cast."""

from __future__ import annotations

from .conftest import Host


def test_a_secret_exported_by_a_block_is_masked_in_the_next_blocks_of_its_step(host: Host) -> None:
    folder = host.copy("behaviours")
    result = host.tutor("run", "secret-midstep", str(folder), "--var", f"WORK={host.work}")
    assert result.code == 0, result.output
    password = (host.work / "password").read_text()
    assert len(password) == 16
    assert "connecting with ***" in result.stdout and "still ***" in result.stdout
    assert password not in result.output
    for path in host.written_files():
        assert password.encode() not in path.read_bytes(), path
    transcript = next(host.logs.glob("*.log")).read_text()
    assert "connecting with ***" in transcript
