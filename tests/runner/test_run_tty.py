"""On a terminal: missing variables are asked for (a secret without echo) and confirmations are asked."""

from __future__ import annotations

import pexpect

from .conftest import Host

SECRET = "typed-s3cret-9d1f"


def test_missing_variables_are_asked_for_and_secrets_are_not_echoed(host: Host) -> None:
    folder = host.copy("behaviours")
    child = pexpect.spawn(host.command("run", "secrets", str(folder))[0], host.command("run", "secrets", str(folder))[1:],
                          env=host.env(), cwd=str(host.root), encoding="utf-8", timeout=60, dimensions=(50, 200))
    child.expect("WORK")
    child.sendline(str(host.work))
    child.expect("API_TOKEN")
    child.sendline(SECRET)
    child.expect("DB_CREDENTIAL")
    child.sendline("another-s3cret-77")
    child.expect("the token is \\*\\*\\* and the credential is \\*\\*\\*")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 4  # the fixture's second probe fails on purpose
    transcript = child.before or ""
    assert SECRET not in transcript
    for path in host.written_files():
        assert SECRET.encode() not in path.read_bytes()


def test_a_confirmation_is_asked_on_a_terminal(host: Host) -> None:
    folder = host.copy("behaviours")
    argv = host.command("run", "needs-a-person", str(folder), "--var", f"WORK={host.work}", "--until", "1")
    child = pexpect.spawn(argv[0], argv[1:], env=host.env(), cwd=str(host.root), encoding="utf-8", timeout=60)
    child.expect("Run this\\? \\[y/N\\]")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and not (host.work / "confirmed.txt").exists()
    child = pexpect.spawn(argv[0], argv[1:], env=host.env(), cwd=str(host.root), encoding="utf-8", timeout=60)
    child.expect("Run this\\? \\[y/N\\]")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0 and (host.work / "confirmed.txt").exists()
