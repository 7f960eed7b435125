"""Forked parse workers (`tutor.workers`): a cold lint on both cores finds what a serial one finds."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from tutor import loader, workers
from tutor.cache import open_cache
from tutor.lint import lint_set
from tutor.loader import load_folder

ROOT = Path(__file__).resolve().parents[2]
BAD_JSON = "# Broken\n\n## Step 1: Go\n\n```json\n{\"a\": }\n```\n\n```bash\ncurl https://api.example.com/<your-token>\n```\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The project's tutorials, plus files with per-file findings and an unreadable one."""
    root = tmp_path / "tutorials"
    shutil.copytree(ROOT / "tutorials", root)
    (root / "broken.md").write_text("---\ntitle: B\ndescription: d\nsection: X\nisAppendix: true\n---\n" + BAD_JSON,
                                    encoding="utf-8")
    (root / "binary.md").write_bytes(b"\0\1\2")
    (root / "no-frontmatter.md").write_text("# Just text\n", encoding="utf-8")
    return root


def lint_cached(root: Path) -> tuple[Any, list[str], dict[str, Any]]:
    cache = open_cache(root, ("mkdocs",))
    assert cache is not None
    tutorial_set = load_folder(root, cache=cache)
    report = lint_set(tutorial_set, cache=cache)
    cache.save()
    return cache, [repr(d) for d in report.diagnostics], tutorial_set.tutorials


def model(tutorials: dict[str, Any]) -> dict[str, list[Any]]:
    return {slug: [getattr(t, name) for name in t.__dataclass_fields__ if name != "_unparsed"] for slug, t in tutorials.items()}


def forking(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fork for any number of files; the list counts the entries each worker handed back."""
    handed: list[int] = []
    collect = workers._collect

    def counted(pid: Any, output: Any) -> list[Any]:
        entries = collect(pid, output)
        handed.append(len(entries))
        return entries

    monkeypatch.setattr(workers, "MIN_FILES", 2)
    monkeypatch.setattr(workers, "usable_cores", lambda: 3)
    monkeypatch.setattr(workers, "spare_cores", lambda: 3.0)
    monkeypatch.setattr(workers, "_collect", counted)
    # Threads an earlier test left behind (a server's, a writer's) would stop the fork; none runs here.
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    return handed


def test_a_cold_lint_in_workers_finds_and_models_what_a_serial_one_does(corpus: Path, cache_dir: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    serial = lint_set(load_folder(corpus))
    expected = [repr(d) for d in serial.diagnostics]
    handed = forking(monkeypatch)
    cache, found, tutorials = lint_cached(corpus)
    files = len(list(corpus.glob("*.md")))
    assert len(handed) == 2 and sum(handed) <= files  # two workers took batches beside the parent
    assert cache.stats.misses == files and cache.stats.hits == 0
    assert found == expected
    assert any("blocks/parse" in line for line in found) and any("runner/placeholder" in line for line in found)
    assert model(tutorials) == model(serial.set.tutorials)
    warm, again, warm_tutorials = lint_cached(corpus)  # what the workers packed reads back the same
    assert warm.stats.misses == 0 and again == expected
    assert model(warm_tutorials) == model(serial.set.tutorials)


def test_a_failing_worker_leaves_its_files_to_the_parent(corpus: Path, cache_dir: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [repr(d) for d in lint_set(load_folder(corpus)).diagnostics]
    handed = forking(monkeypatch)

    def broken(*args: Any) -> list[Any]:
        raise RuntimeError("the worker fails")

    monkeypatch.setattr(workers, "_work", broken)  # what only a worker runs
    cache, found, _ = lint_cached(corpus)
    assert handed == [0, 0]
    assert cache.stats.misses == len(list(corpus.glob("*.md")))
    assert found == expected


@pytest.mark.parametrize("slow", ["parent", "workers"])
def test_the_slower_process_takes_fewer_batches(slow: str, corpus: Path, cache_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches go to whichever process asks first: none waits on a share fixed in advance."""
    expected = [repr(d) for d in lint_set(load_folder(corpus)).diagnostics]
    handed = forking(monkeypatch)
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)  # the parent and one worker
    parent = os.getpid()
    parse_file = loader.parse_file

    def paced(*args: Any, **kwargs: Any) -> Any:
        if (os.getpid() == parent) == (slow == "parent"):
            time.sleep(0.05)
        return parse_file(*args, **kwargs)

    monkeypatch.setattr(loader, "parse_file", paced)
    cache, found, _ = lint_cached(corpus)
    files = len(list(corpus.glob("*.md")))
    assert len(handed) == 1 and cache.stats.misses == files and found == expected
    if slow == "parent":
        assert handed[0] > files // 2
    else:
        assert handed[0] < files // 2


def test_a_parent_that_fails_stops_the_workers_after_their_batch(corpus: Path, cache_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    handed = forking(monkeypatch)
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    parent = os.getpid()
    parse_file = loader.parse_file

    def failing_in_the_parent(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() == parent:
            time.sleep(0.05)  # the worker is under way
            raise KeyboardInterrupt
        time.sleep(0.02)
        return parse_file(*args, **kwargs)

    monkeypatch.setattr(loader, "parse_file", failing_in_the_parent)
    with pytest.raises(KeyboardInterrupt):
        lint_cached(corpus)
    assert len(handed) == 1 and handed[0] < len(list(corpus.glob("*.md"))) // 2  # the rest was taken off the queue


def test_few_files_a_busy_machine_or_other_threads_parse_in_the_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(workers, "spare_cores", lambda: 1.8)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)  # no thread an earlier test left
    assert workers.worker_count(workers.MIN_FILES - 1) == 0
    assert workers.worker_count(1000) == 1
    monkeypatch.setattr(workers, "spare_cores", lambda: 0.3)  # other work keeps both cores busy
    assert workers.worker_count(1000) == 0
    monkeypatch.setattr(workers, "spare_cores", lambda: 1.8)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 2)  # e.g. `mkdocs serve`'s server thread
    assert workers.worker_count(1000) == 0
    monkeypatch.setattr(workers, "usable_cores", lambda: 1)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    assert workers.worker_count(1000) == 0


def test_a_queue_that_does_not_fit_its_pipe_means_no_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    """A user with many pipes open gets pipes of one page: filling one must fail, not block."""
    import fcntl

    real_pipe = os.pipe

    def small_pipe() -> tuple[int, int]:
        read, write = real_pipe()
        fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, 4096)
        return read, write

    monkeypatch.setattr(workers.os, "pipe", small_pipe)
    with pytest.raises(OSError):
        workers._Queue(4 * 8192)  # 8,192 records of 4 bytes: 32 KiB
    queue = workers._Queue(100)  # 25 records fit
    assert [start for start, _ in queue.claimed([(i, "") for i in range(100)])][:5] == [0, 1, 2, 3, 4]
    queue.close()


def test_an_idle_machine_after_a_busy_minute_still_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The load average lags a minute; the tasks running right now decide when they are fewer."""
    monkeypatch.setattr(workers, "usable_cores", lambda: 2)
    monkeypatch.setattr(workers.threading, "active_count", lambda: 1)
    monkeypatch.setattr(workers.os, "getloadavg", lambda: (2.5, 2.0, 1.0))  # a test run just ended
    monkeypatch.setattr(workers, "running_now", lambda: 1)  # only this process runs now
    assert workers.worker_count(1000) == 1
    monkeypatch.setattr(workers, "running_now", lambda: 3)  # two other tasks run now, and did for a minute
    assert workers.worker_count(1000) == 0
    monkeypatch.setattr(workers, "running_now", lambda: None)  # no /proc: the load average alone
    assert workers.worker_count(1000) == 0
    monkeypatch.setattr(workers.os, "getloadavg", lambda: (0.2, 0.2, 0.2))
    assert workers.worker_count(1000) == 1


def test_the_tasks_running_now_are_read_from_proc() -> None:
    running = workers.running_now()
    if running is not None:  # Linux
        assert running >= 1  # this process at least


def test_without_memfd_the_entries_go_through_a_temporary_file(corpus: Path, cache_dir: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    expected = [repr(d) for d in lint_set(load_folder(corpus)).diagnostics]
    handed = forking(monkeypatch)
    monkeypatch.delattr(workers.os, "memfd_create", raising=False)  # macOS, or an old kernel
    parent, parse_file = os.getpid(), loader.parse_file

    def slow_in_the_parent(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() == parent:
            time.sleep(0.02)  # so that the workers take batches, however busy the machine
        return parse_file(*args, **kwargs)

    monkeypatch.setattr(loader, "parse_file", slow_in_the_parent)
    cache, found, _ = lint_cached(corpus)
    assert len(handed) == 2 and sum(handed) > 0  # the workers' entries came back
    assert cache.stats.misses == len(list(corpus.glob("*.md"))) and found == expected
