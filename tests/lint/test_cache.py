"""The lint cache: unchanged files are not parsed again, and nothing stale is ever reported."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tutor import cache as cache_module
from tutor.cache import ModelCache, open_cache
from tutor.errors import UsageError
from tutor.lint import lint_set
from tutor.loader import load_folder

BAD_JSON = "# Broken\n\n## Step 1: Go\n\n```json\n{\"a\": }\n```\n"


def three(folder: Any) -> Any:
    folder.sections("Basics")
    folder.tutorial("alpha", stepNumber=1, totalSteps=3)
    folder.tutorial("beta", stepNumber=2, totalSteps=3, prerequisites=["alpha"])
    folder.tutorial("gamma", stepNumber=3, totalSteps=3, prerequisites=["beta"])
    return folder


def lint_cached(folder: Any, anchors: str = "mkdocs") -> tuple[ModelCache, list[str]]:
    """One `tutor lint` as the CLI does it: open, load, lint, save."""
    cache = open_cache(folder.root, (anchors,))
    assert cache is not None
    tutorial_set = load_folder(folder.root, anchor_style=anchors, cache=cache)
    report = lint_set(tutorial_set, cache=cache)
    cache.save()
    return cache, [f"{d.path}:{d.line}: {d.rule}" for d in report.diagnostics]


def uncached(folder: Any) -> list[str]:
    return [f"{d.path}:{d.line}: {d.rule}" for d in lint_set(load_folder(folder.root)).diagnostics]


def test_second_run_parses_nothing_and_reports_the_same(folder: Any, cache_dir: Path) -> None:
    folder = three(folder)
    folder.tutorial("delta", BAD_JSON, stepNumber=None, totalSteps=None, isAppendix=True)
    first, found = lint_cached(folder)
    assert first.stats.misses == 4 and first.stats.hits == 0
    second, again = lint_cached(folder)
    assert second.stats.misses == 0 and second.stats.hits == 4
    assert again == found == uncached(folder)
    assert any("blocks/parse" in line for line in again)  # the per-file finding came from the cache


def test_an_edit_reparses_that_file_only_and_its_findings_change(folder: Any, cache_dir: Path) -> None:
    folder = three(folder)
    lint_cached(folder)
    folder.tutorial("beta", BAD_JSON, stepNumber=2, totalSteps=3, prerequisites=["alpha"])
    cache, found = lint_cached(folder)
    assert [Path(p).name for p in cache.stats.parsed] == ["beta.md"]
    assert found == uncached(folder)
    assert any("beta.md" in line and "blocks/parse" in line for line in found)
    folder.tutorial("beta", stepNumber=2, totalSteps=3, prerequisites=["alpha"])
    cache, found = lint_cached(folder)
    assert [Path(p).name for p in cache.stats.parsed] == ["beta.md"]
    assert not any("blocks/parse" in line for line in found)


def test_rules_across_files_still_see_the_whole_set(folder: Any, cache_dir: Path) -> None:
    folder = three(folder)
    _, found = lint_cached(folder)
    assert not any("prerequisites/unknown" in line for line in found)
    (folder.root / "alpha.md").unlink()
    cache, found = lint_cached(folder)
    assert cache.stats.misses == 0  # beta did not change, yet its prerequisite is now unknown
    assert found == uncached(folder)
    assert any("beta.md" in line and "prerequisites/unknown" in line for line in found)


def test_an_option_change_misses(folder: Any, cache_dir: Path) -> None:
    folder = three(folder)
    folder.tutorial("delta", "# TDX & SGX\n\nSee [above](#tdx--sgx).\n", stepNumber=None, totalSteps=None, isAppendix=True)
    _, mkdocs_style = lint_cached(folder, "mkdocs")
    cache, github_style = lint_cached(folder, "github")
    assert cache.stats.hits == 0 and cache.stats.misses == 4
    assert any("links/" in line for line in mkdocs_style) and not any("links/" in line for line in github_style)
    cache, _ = lint_cached(folder, "mkdocs")
    assert cache.stats.hits == 4  # each option keeps its own pack


def test_a_new_tutor_version_or_changed_engine_code_misses(folder: Any, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = three(folder)
    lint_cached(folder)
    monkeypatch.setattr(cache_module, "__version__", "99.0")
    cache, _ = lint_cached(folder)
    assert cache.stats.hits == 0 and cache.stats.misses == 3
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "edited-parser")
    cache, _ = lint_cached(folder)
    assert cache.stats.hits == 0 and cache.stats.misses == 3


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "foreign-pickle"])
def test_a_damaged_pack_is_a_miss(folder: Any, cache_dir: Path, damage: str) -> None:
    import pickle

    folder = three(folder)
    first, found = lint_cached(folder)
    assert first.path is not None and first.path.exists()
    data = first.path.read_bytes()
    first.path.write_bytes({
        "truncate": data[: len(data) // 2],
        "garbage": b"\x80\x05garbage" * 100,
        "empty": b"",
        "foreign-pickle": cache_module._MAGIC + pickle.dumps({"not": "a pack"}),
    }[damage])
    cache, again = lint_cached(folder)
    assert cache.stats.misses == 3 and again == found
    cache, _ = lint_cached(folder)
    assert cache.stats.hits == 3  # the damaged pack was replaced


def damage_entry(pack: Path | None, name: str, damage: Callable[[bytes], bytes]) -> None:
    """Rewrite the cache pack at `pack` with `damage` applied to the entry of the file `name`."""
    import pickle

    assert pack is not None
    fmt, key, packed = cache_module._read_pack(memoryview(pack.read_bytes())[len(cache_module._MAGIC):])
    packed = {rel: (digest, pickle.PickleBuffer(bytes(blob)), stat) for rel, (digest, blob, stat) in packed.items()}
    entry = next(rel for rel in packed if rel.endswith(name))
    digest, blob, stat = packed[entry]
    packed[entry] = (digest, pickle.PickleBuffer(damage(bytes(blob))), stat)
    cache_module._write_atomically(pack, (fmt, key, packed))


def test_a_damaged_entry_is_a_miss_for_that_file_only(folder: Any, cache_dir: Path) -> None:
    folder = three(folder)
    first, found = lint_cached(folder)
    damage_entry(first.path, "beta.md", lambda blob: blob[: len(blob) // 3])
    cache, again = lint_cached(folder)
    assert [Path(p).name for p in cache.stats.parsed] == ["beta.md"] and again == found


def test_an_unwritable_cache_directory_is_no_error(folder: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(blocker / "cache"))
    folder = three(folder)
    cache, found = lint_cached(folder)
    assert found == uncached(folder)


WRITER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from tutor import cache as cache_module
    from tutor.cache import open_cache
    from tutor.lint import lint_set
    from tutor.loader import load_folder

    root, name, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    # The parent's fingerprint of the engine's code: an engine file edited while the tests
    # run must not give the writers another cache key than the parent's final lint.
    fingerprint = sys.argv[4]
    cache_module.code_fingerprint = lambda: fingerprint
    for i in range(rounds):
        (root / f"{name}.md").write_text(
            f"---\\ntitle: {name} {i}\\ndescription: d\\nsection: Basics\\nstepNumber: null\\n"
            f"totalSteps: null\\nisAppendix: true\\n---\\n# {name} {i}\\n", encoding="utf-8")
        cache = open_cache(root, ("mkdocs",))
        report = lint_set(load_folder(root, cache=cache), cache=cache)
        cache.save()
""")


def test_concurrent_writers_leave_a_valid_pack(folder: Any, tmp_path: Path, cache_dir: Path) -> None:
    folder = three(folder)
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    env = {**os.environ, "TUTOR_CACHE_DIR": str(cache_dir)}
    fingerprint = cache_module.code_fingerprint()
    writers = [subprocess.Popen([sys.executable, str(script), str(folder.root), name, "25", fingerprint], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for name in ("one", "two")]
    for writer in writers:
        _, err = writer.communicate(timeout=240)
        assert writer.returncode == 0, err.decode()
    assert [p.name for p in cache_dir.iterdir() if p.name.endswith(".tmp")] == []
    cache, found = lint_cached(folder)
    assert found == uncached(folder)
    assert cache.stats.hits + cache.stats.misses == 5 and cache.stats.hits >= 3


def test_cli_no_cache_writes_nothing_and_the_default_caches(folder: Any, cache_dir: Path) -> None:
    folder = three(folder)
    env = {**os.environ, "TUTOR_CACHE_DIR": str(cache_dir)}

    def lint(*args: str) -> str:
        result = subprocess.run([sys.executable, "-m", "tutor.cli", "lint", *args, str(folder.root)],
                                capture_output=True, text=True, timeout=60, env=env)
        assert result.returncode in (0, 1), result.stderr
        return result.stdout

    plain = lint("--no-cache")
    assert not cache_dir.exists()
    assert lint() == plain
    assert len(list(cache_dir.iterdir())) == 1
    folder.tutorial("gamma", BAD_JSON, stepNumber=3, totalSteps=3, prerequisites=["beta"])
    cached = lint()
    assert "blocks/parse" in cached and lint("--no-cache") == cached == lint()


STEPS_BODY = textwrap.dedent("""\
    # Steps

    ## Step 1: Prepare

    ```bash
    echo one
    ```

    Expected output:

    ```
    one
    ```

    ### Step 1.1: Detail

    ```bash {timeout=5}
    echo detail
    ```

    ## Step 2: Check

    ```verify
    - file: /etc/hostname
    ```
""")


def test_a_cached_tutorial_is_the_parsed_one_blocks_and_steps_included(folder: Any, cache_dir: Path) -> None:
    folder.sections("Basics")
    folder.tutorial("alpha", STEPS_BODY, variables={"HOST": {"default": "h1"}})
    lint_cached(folder)
    cache = open_cache(folder.root, ("mkdocs",))
    assert cache is not None
    cached = load_folder(folder.root, cache=cache).tutorials["alpha"]
    assert cache.stats.hits == 1
    parsed = load_folder(folder.root).tutorials["alpha"]
    assert cached == parsed  # compares blocks, steps, paths and variables too (unpacked on first read)
    assert [s.title for s in cached.steps] == ["Prepare", "Check"] and cached.steps[0].substeps[0].title == "Detail"
    assert cached.blocks[0].expected_output is cached.blocks[1]
    assert all(any(step.heading is h for h in cached.headings) for step in cached.steps)
    assert cached.variables["HOST"].default == "h1"


def test_a_changed_byte_in_an_entry_is_a_miss(folder: Any, cache_dir: Path) -> None:
    """A byte changed on disk may still unpickle (a letter of a heading): the entry's CRC makes it a miss."""
    folder.sections("Basics")
    folder.tutorial("alpha", STEPS_BODY)
    first, found = lint_cached(folder)

    def change_a_heading(blob: bytes) -> bytes:
        at = blob.index(b"Step 1.1: Detail")
        return blob[:at] + b"Step 9.9" + blob[at + len(b"Step 9.9"):]

    damage_entry(first.path, "alpha.md", change_a_heading)
    cache = open_cache(folder.root, ("mkdocs",))
    assert cache is not None
    tutorial = load_folder(folder.root, cache=cache).tutorials["alpha"]
    assert [Path(p).name for p in cache.stats.parsed] == ["alpha.md"]
    assert any(h.text == "Step 1.1: Detail" for h in tutorial.headings)


def counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the cache reads (to hash them, and to parse them if stale), from now on."""
    reads: list[str] = []
    original = cache_module.read_file

    def counted(path: Path) -> Any:
        reads.append(path.name)
        return original(path)

    monkeypatch.setattr(cache_module, "read_file", counted)
    return reads


@pytest.mark.parametrize("warm", [False, True])
def test_a_file_parsed_with_the_cache_is_read_once(warm: bool, folder: Any, cache_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from tutor import parse

    folder = three(folder)
    later = cache_module._now_ns() + 10 * cache_module.SETTLED_NS
    monkeypatch.setattr(cache_module, "_now_ns", lambda: later)  # as if every file was written long ago
    if warm:
        lint_cached(folder)
        path = folder.root / "beta.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    reads = counting_reads(monkeypatch)
    parser_reads: list[str] = []
    read_text = parse._read_text

    def reading(path: Path, tutorial: Any, data: bytes | None = None) -> Any:
        if data is None:
            parser_reads.append(path.name)
        return read_text(path, tutorial, data)

    monkeypatch.setattr(parse, "_read_text", reading)
    cache, found = lint_cached(folder)
    assert parser_reads == [] and found == uncached(folder)
    assert sorted(reads) == (["beta.md"] if warm else ["alpha.md", "beta.md", "gamma.md"])


def test_a_settled_file_is_not_read_again_and_any_write_to_it_is_seen(folder: Any, cache_dir: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    folder = three(folder)
    later = cache_module._now_ns() + 10 * cache_module.SETTLED_NS
    monkeypatch.setattr(cache_module, "_now_ns", lambda: later)  # as if every file was written long ago
    lint_cached(folder)
    reads = counting_reads(monkeypatch)
    cache, found = lint_cached(folder)
    assert reads == [] and cache.stats.hits == 3 and found == uncached(folder)
    path = folder.root / "beta.md"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("# Beta", "# Btea"), encoding="utf-8")  # the same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # and the mtime set back: the ctime still tells
    cache, found = lint_cached(folder)
    assert reads == ["beta.md"] and cache.stats.misses == 1 and cache.stats.hits == 2
    assert found == uncached(folder)
    cached = load_folder(folder.root, cache=open_cache(folder.root, ("mkdocs",)))
    assert cached.tutorials["beta"].headings[0].text == "Btea"


def test_a_file_written_just_before_a_run_is_read_again_on_the_next(folder: Any, cache_dir: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    folder = three(folder)
    lint_cached(folder)
    reads = counting_reads(monkeypatch)
    cache, _ = lint_cached(folder)  # written a moment ago: the same clock tick could hold another write
    assert sorted(reads) == ["alpha.md", "beta.md", "gamma.md"] and cache.stats.hits == 3


def test_files_that_settle_after_the_first_run_are_read_once_more_then_no_more(folder: Any, cache_dir: Path,
                                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A set linted right after it was written (a clone, a checkout) is hashed again until its
    files have settled; the first run that finds them settled keeps their stat for the next ones."""
    folder = three(folder)
    lint_cached(folder)  # just written: no stat kept
    later = cache_module._now_ns() + 10 * cache_module.SETTLED_NS
    monkeypatch.setattr(cache_module, "_now_ns", lambda: later)
    reads = counting_reads(monkeypatch)
    lint_cached(folder)
    assert sorted(reads) == ["alpha.md", "beta.md", "gamma.md"]
    reads.clear()
    cache, found = lint_cached(folder)
    assert reads == [] and cache.stats.hits == 3 and found == uncached(folder)


def corpus_folders() -> list[Path]:
    root = Path(__file__).resolve().parents[2]
    files = [*(root / "tutorials").glob("*.md"), *(root / "tests").rglob("*.md"), *(root / "examples").rglob("*.md")]
    return sorted({p.parent for p in files})


def test_a_warm_lint_of_any_corpus_parses_no_block_again_and_reports_the_same(tmp_path: Path, cache_dir: Path,
                                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached tutorial parses its blocks and steps again only when something reads them
    (`deferred`); no rule of a warm lint does: what the rules across files need of them (and
    the suppression comments, which are text inside code) is kept with the tutorial."""
    from tutor import parse

    from tutor import deferred

    reparsed: list[str] = []
    original, read_body = parse.reparse_body, deferred.read_body
    monkeypatch.setattr(parse, "reparse_body", lambda t: reparsed.append(t.rel_path) or original(t))
    monkeypatch.setattr(deferred, "read_body", lambda t: reparsed.append(f"body of {t.rel_path}") or read_body(t))
    for index, folder in enumerate(corpus_folders()):
        monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / f"cache-{index}"))
        try:
            expected = [f"{d.path}:{d.line}: {d.rule}" for d in lint_set(load_folder(folder)).diagnostics]
        except UsageError:  # a fixture the loader refuses (a bad tutor.yml) has nothing cached
            continue
        cold, _ = lint_as_the_command_does(folder)
        warm, cache = lint_as_the_command_does(folder)
        assert cold == expected and warm == expected, folder
        assert cache.stats.misses == 0, folder
    assert reparsed == []


def lint_as_the_command_does(folder: Path) -> tuple[list[str], ModelCache]:
    from tutor.folder_config import cache_options

    cache = open_cache(folder, cache_options(folder, None))
    assert cache is not None
    report = lint_set(load_folder(folder, cache=cache), cache=cache)
    cache.save()
    return [f"{d.path}:{d.line}: {d.rule}" for d in report.diagnostics], cache
