"""`${VAR}` in a block's cwd and in a file check's sha256, through `tutor run`."""

from __future__ import annotations

import hashlib

from .conftest import Host

HELLO = hashlib.sha256(b"hello\n").hexdigest()


def test_sha256_and_cwd_take_variables(host: Host) -> None:
    folder = host.copy("behaviours")
    good = host.tutor("run", "variables-in-checks", str(folder), "--var", f"WORK={host.work}", "--var", f"WANT_SHA={HELLO}")
    assert good.code == 0, good.output
    assert (host.work / "written.txt").read_text() == "hello\n"
    assert f"has SHA-256 {HELLO[:16]}…" in good.stdout or f"has SHA-256 `{HELLO[:16]}…`" in good.stdout
    bad = host.tutor("run", "variables-in-checks", str(folder), "--var", f"WORK={host.work}", "--var", f"WANT_SHA={'0' * 64}", "--restart")
    assert bad.code == 4, bad.output
    assert "SHA-256" in bad.output
