"""A secret never reaches a file the runner writes, nor its terminal output."""

from __future__ import annotations

from pathlib import Path

from .conftest import Host

TOKEN = "tok-5f3a9c1e77d2"
CREDENTIAL = "cred-0b8e44aa19c6"


def test_secrets_are_masked_in_state_logs_junit_and_terminal(host: Host) -> None:
    folder = host.copy("behaviours")
    junit = host.root / "report.xml"
    result = host.tutor("run", "secrets", str(folder), "--var", f"WORK={host.work}", "--var", f"API_TOKEN={TOKEN}",
                        "--junit", str(junit), DB_CREDENTIAL=CREDENTIAL)
    assert result.code == 4, result.output  # the second probe fails on purpose, with what it found
    assert "the token is *** and the credential is ***" in result.stdout
    files = host.written_files() + [junit]
    assert (host.state / "state.json") in files and len(files) >= 4  # state, transcript, cast, events, junit
    for path in files:
        data = Path(path).read_bytes()
        assert TOKEN.encode() not in data and CREDENTIAL.encode() not in data, f"a secret leaked into {path}"
    assert TOKEN not in result.output and CREDENTIAL not in result.output
    assert "***" in junit.read_text()
