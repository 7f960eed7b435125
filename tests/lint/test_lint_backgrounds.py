"""Rule family `backgrounds`: a background that races the next block, or that is gone when something needs it.

The corpus `tests/fixtures/real-world/background-services` holds the same cases as a stranger's
tutorials, with their expected lines; these tests pin the messages and the cases that must stay quiet.
"""

from __future__ import annotations

SERVE = "python3 -m http.server 8080 --bind 127.0.0.1"
WEB = {"id": "web", "http": "http://127.0.0.1:8080/"}


def steps(*bodies: str) -> str:
    return "# T\n\n" + "".join(f"## Step {n}: Part {n}\n\n{body}\n\n" for n, body in enumerate(bodies, 1))


def bash(code: str, info: str = "") -> str:
    return f"```bash{' {' + info + '}' if info else ''}\n{code}\n```\n"


def test_a_block_right_after_a_background_with_no_readiness_is_a_race(folder, only) -> None:
    folder.sections("Basics")
    folder.tutorial("t", body=steps(bash(SERVE, "id=web background") + "\n" + bash("curl -fsS 127.0.0.1:8080/")))
    [d] = only(folder.lint(), "backgrounds/not-ready")
    assert d.severity.value == "warning" and d.line == 14
    assert "`web` says nothing about when it is ready, and the block at line 18 runs right after it" in d.message
    assert "ready-port=PORT" in d.hint


def test_readiness_or_a_check_that_waits_keeps_it_quiet(folder, only) -> None:
    folder.sections("Basics")
    ready = bash(SERVE, "background ready-port=8080") + "\n" + bash("curl -fsS 127.0.0.1:8080/")
    waits = bash(SERVE, "background") + "\n```verify\n- port: 8080\n  within: 10s\n```\n"
    last = bash("echo ready") + "\n" + bash(SERVE, "background")
    folder.tutorial("a", body=steps(ready), stepNumber=1, totalSteps=3)
    folder.tutorial("b", body=steps(waits, bash("curl -fsS 127.0.0.1:8080/")), stepNumber=2, totalSteps=3)
    folder.tutorial("c", body=steps(last), stepNumber=3, totalSteps=3)
    assert only(folder.lint(), "backgrounds/not-ready") == []


def test_the_next_step_without_a_waiting_check_races_too(folder, only) -> None:
    folder.sections("Basics")
    folder.tutorial("t", body=steps(bash(SERVE, "background"), bash("curl -fsS 127.0.0.1:8080/")))
    [d] = only(folder.lint(), "backgrounds/not-ready")
    assert "`step1.1`" in d.message and "runs next (step 2)" in d.message


def test_a_later_tutorial_that_requires_a_non_kept_background_is_told_to_keep_it(folder, only) -> None:
    folder.sections("Basics")
    folder.tutorial("serve", body=steps(bash(SERVE, "id=web background ready-port=8080")), provides=[WEB],
                    stepNumber=1, totalSteps=2)
    folder.tutorial("use", body=steps(bash("curl -fsS 127.0.0.1:8080/")), requires=["web"], prerequisites=["serve"],
                    stepNumber=2, totalSteps=2)
    [d] = only(folder.lint(), "backgrounds/not-kept")
    assert d.path.endswith("use.md") and d.line == 10
    assert "`use` requires `web`, which `serve` provides with the background block `web`" in d.message
    assert "serve.md:17" in d.message and "not `keep`" in d.message
    assert "mark the background block `keep`" in d.hint


def test_a_kept_background_or_a_file_capability_is_fine(folder, only) -> None:
    folder.sections("Basics")
    folder.tutorial("serve", body=steps(bash(SERVE, "id=web background keep ready-port=8080")),
                    provides=[WEB, {"id": "page", "file": "/srv/www/index.html"}], stepNumber=1, totalSteps=2)
    folder.tutorial("use", body=steps(bash("curl -fsS 127.0.0.1:8080/")), requires=["web", "page"],
                    prerequisites=["serve"], stepNumber=2, totalSteps=2)
    assert only(folder.lint(), "backgrounds/not-kept") == []


def test_a_later_step_that_uses_a_non_kept_background_makes_the_tutorial_non_idempotent(folder, only) -> None:
    folder.sections("Basics")
    start = bash('cache-server --port "$CACHE_PORT"', 'background ready-port="${CACHE_PORT}"')
    folder.tutorial("t", body=steps(start, bash('cache-cli -p "${CACHE_PORT}" load seed.txt')),
                    variables={"CACHE_PORT": {"default": "6380", "description": "port"}})
    [d] = only(folder.lint(), "backgrounds/not-idempotent")
    assert "step 2 uses it (port $CACHE_PORT)" in d.message and "repeats step 1 and every step after it" in d.message
    assert "tutor export ansible" in d.message and "keep" in d.hint


def test_a_background_used_only_in_its_own_step_or_kept_is_idempotent(folder, only) -> None:
    folder.sections("Basics")
    own = bash(SERVE, "background ready-port=8080") + "\n" + bash("curl -fsS 127.0.0.1:8080/ > page.html")
    kept = bash(SERVE, "background keep ready-port=8080")
    folder.tutorial("a", body=steps(own, bash("echo done")), stepNumber=1, totalSteps=2)
    folder.tutorial("b", body=steps(kept, bash("curl -fsS 127.0.0.1:8080/")), stepNumber=2, totalSteps=2)
    assert only(folder.lint(), "backgrounds/not-idempotent") == []


def test_a_client_background_does_not_serve_the_port_it_connects_to(folder, only) -> None:
    folder.sections("Basics")
    db = bash("exampledb --listen 127.0.0.1:5433", "background keep ready-port=5433")
    worker = bash("example-worker --db 127.0.0.1:5433", "background ready-log=connected")
    folder.tutorial("t", body=steps(db, worker, bash("exampledb-cli --port 5433 stats")))
    assert only(folder.lint(), "backgrounds/not-idempotent") == []


def test_a_warm_lint_finds_it_without_parsing_the_blocks_and_steps_again(folder, only, cache_dir, monkeypatch) -> None:
    """The set rule reads what the per-file rules left with the cached tutorial (`lint_facts`):
    a warm run parses no block or step of the provider, and reports the same."""
    from tutor import parse
    from tutor.cache import open_cache
    from tutor.lint import lint_set
    from tutor.loader import load_folder

    folder.sections("Basics")
    folder.tutorial("serve", body=steps(bash(SERVE, "id=web background ready-port=8080")), provides=[WEB],
                    stepNumber=1, totalSteps=2)
    folder.tutorial("use", body=steps(bash("curl -fsS 127.0.0.1:8080/")), requires=["web"], prerequisites=["serve"],
                    stepNumber=2, totalSteps=2)

    def lint() -> list[str]:
        cache = open_cache(folder.root, ("mkdocs",))
        report = lint_set(load_folder(folder.root, cache=cache), cache=cache)
        cache.save()
        return [d.message for d in only(report, "backgrounds/not-kept")]

    cold = lint()
    reparsed: list[str] = []
    original = parse.reparse_body
    monkeypatch.setattr(parse, "reparse_body", lambda t: reparsed.append(t.slug) or original(t))
    assert lint() == cold and len(cold) == 1
    assert reparsed == []
