"""Masking cost by secret length: one block's output through a fresh stream redactor.

For each secret length, a block prints 256 KB in 4 KB chunks with the secret in it three
times (once split across two chunks). The columns are the time and the peak memory of one
block (tracemalloc), and the time's growth exponent against the previous row: about 1 for
work linear in the secret's length. Before issue 8 a 32 KB secret cost about 540 MB and 15 s
per block (a set of all its prefixes).

    .venv/bin/python bench/redact_secrets.py
"""

from __future__ import annotations

import math
import time
import tracemalloc

from tutor.runner.redact import Redactor


def one_block(secret: str) -> tuple[float, int]:
    redactor = Redactor([secret])
    redactor.pattern()  # compiled once per run
    filler = "".join(chr(ord("a") + (i * 7) % 26) for i in range(4096))
    text = (filler * 20 + secret + filler * 20 + secret + filler * 20 + secret + "\n")[: 256 * 1024 + 3 * len(secret)]
    tracemalloc.start()
    started = time.perf_counter()
    stream = redactor.stream()
    shown = [stream.feed(text[i:i + 4096]) for i in range(0, len(text), 4096)]
    shown.append(stream.flush())
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert secret not in "".join(shown)
    return elapsed, peak


def main() -> None:
    print(f"{'secret':>8}  {'time':>9}  {'peak':>9}  growth")
    previous: tuple[int, float] | None = None
    for size in (1024, 4096, 16384, 32768):
        secret = "".join(chr(ord("a") + (i * 11) % 26) for i in range(size))
        elapsed, peak = one_block(secret)
        growth = f"{math.log(elapsed / previous[1]) / math.log(size / previous[0]):.2f}" if previous else "—"
        print(f"{size:>8}  {elapsed * 1000:>7.1f}ms  {peak / 1e6:>7.2f}MB  {growth}")
        previous = (size, elapsed)


if __name__ == "__main__":
    main()
