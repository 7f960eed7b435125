"""`tutor run` against one `bash -c` per block, on a generated tutorial of 500 trivial blocks.

Side by side in one run: the same block texts, run (a) by `tutor run` in its one persistent
shell, with state, transcript and event log written as in real use, and (b) one
`bash -c` process per block from Python, nothing else. Also `tutor run` startup on a
one-block tutorial: from launching the command to its first block starting (read from the
run's event log), and the whole run, shutdown included. Targets: (a) ≤ 1.0× (b) per block, net of
the runner's start-up and shutdown (the one-block run's whole time); startup ≤ 0.5 s.

Terminal throughput: a block that cats 10 MB of lines, and one that cats one 8 MB line without a
newline, run by `tutor run` on a real pty (a reader drains it as a terminal would), against `cat`
of the same file on the same kind of pty. The runner's time is net of its own start and end (a
run whose block is `:`). Target: ≤ 2.0× cat, for both.

    .venv/bin/python bench/runner_overhead.py [--blocks 500] [--per-step 5] [--repeat 3] [--only-terminal]
"""

from __future__ import annotations

import argparse
import json
import os
import pty
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TUTOR = [sys.executable, "-m", "tutor.cli"]
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""A user's install has its bytecode written (pip compiles it); a sandbox that turns that off
would add compiling every module to each run's start-up, and its noise to every figure."""


def block_code(index: int) -> str:
    return f'COUNT=$((${{COUNT:-0}} + 1)); echo "block {index}" > /dev/null'


def tutorial(blocks: int, per_step: int) -> str:
    steps = (blocks + per_step - 1) // per_step
    parts = ["---", "title: Runner overhead", "description: Many trivial blocks.", "section: Bench",
             "stepNumber: 1", "totalSteps: 1", "lastUpdated: 2025-12-07", "prerequisites: []", "---", ""]
    index = 0
    for step in range(1, steps + 1):
        parts.append(f"## Step {step}: Blocks {index + 1} to {min(index + per_step, blocks)}\n")
        for _ in range(per_step):
            if index == blocks:
                break
            parts += ["```bash", block_code(index), "```", ""]
            index += 1
    return "\n".join(parts)


def write_set(folder: Path, blocks: int, per_step: int) -> None:
    folder.mkdir(parents=True)
    (folder / "sections.yml").write_text("- Bench\n")
    (folder / "bench.md").write_text(tutorial(blocks, per_step))


def time_tutor(folder: Path, scratch: Path) -> tuple[float, float]:
    """(whole run, launch → first block started), in seconds."""
    from datetime import datetime

    state = scratch / f"state-{time.monotonic_ns()}"
    launched = time.time()
    started = time.perf_counter()
    done = subprocess.run([*TUTOR, "run", "bench", str(folder), "--state-dir", str(state), "--quiet"],
                          capture_output=True, text=True, check=False, env=CHILD_ENV)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"tutor run failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    events = next((state / "logs").glob("*.events.jsonl")).read_text().splitlines()
    first = next(json.loads(line) for line in events if json.loads(line)["kind"] == "block")
    began = datetime.fromisoformat(first["time"].replace("Z", "+00:00")).timestamp()
    return elapsed, began - launched


def time_bash(blocks: int) -> float:
    started = time.perf_counter()
    for index in range(blocks):
        subprocess.run(["bash", "-c", block_code(index)], check=True)
    return time.perf_counter() - started


def write_output_files(folder: Path) -> dict[str, Path]:
    """10 MB of lines, and one 8 MB line without a newline."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = folder / "lines.txt"
    with lines.open("w") as handle:
        index = 0
        while handle.tell() < 10 * 2**20:
            handle.write(f"line {index:08d} " + "x" * 60 + "\n")
            index += 1
    one = folder / "one-line.txt"
    one.write_text("y" * (8 * 2**20))
    return {"10 MB of lines": lines, "one 8 MB line": one}


def output_tutorial(folder: Path, name: str, code: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sections.yml").write_text("- Bench\n")
    (folder / f"{name}.md").write_text("\n".join([
        "---", "title: Output", "description: One block that prints a file.", "section: Bench", "stepNumber: 1",
        "totalSteps: 1", "lastUpdated: 2025-12-07", "prerequisites: []", "---", "",
        "## Step 1: Print it\n", "```bash", code, "```", ""]))


def on_a_pty(argv: list[str]) -> float:
    """Seconds for `argv` to run on a fresh 50x250 pty whose other end is read as fast as it comes.

    The pty is the process's controlling terminal, as a terminal emulator's or sshd's is: `tutor
    run` then sees an operator at a terminal (keys passed through, the terminal raw during a block)."""
    import fcntl
    import struct
    import termios

    def controlling_terminal() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 250, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, preexec_fn=controlling_terminal, env=CHILD_ENV)
    os.close(slave)
    try:
        while os.read(master, 1 << 16):
            pass
    except OSError:  # EIO: every writer closed the pty
        pass
    process.wait()
    os.close(master)
    if process.returncode != 0:
        sys.exit(f"{argv} failed ({process.returncode})")
    return time.perf_counter() - started


RELAY = """
import os, pty, sys, termios, tty
pid, fd = pty.fork()
if pid == 0:
    os.execvp("cat", ["cat", sys.argv[1]])
mode = termios.tcgetattr(fd)
mode[1] &= ~termios.OPOST
termios.tcsetattr(fd, termios.TCSANOW, mode)
tty.setraw(1)
while True:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    os.write(1, data.replace(b"\\n", b"\\r\\n"))
os.waitpid(pid, 0)
"""
"""The least any runner does that shows a command's output on a pty of its own: read the pty,
write the terminal (newlines made `\\r\\n`, the terminal being raw), nothing else. Its time,
net of Python's start-up, is the floor of the two-terminal design on this machine."""


def terminal_throughput(scratch: Path, repeat: int) -> list[tuple[str, float, float, float, float, float]]:
    """(what, tutor run net s, cat s, best of: tutor run net s, cat s; the minimal relay's net s) for each output file, over
    `repeat` interleaved runs each (runner, empty run, cat): the median is what an operator
    meets on this machine, the best what is left when nothing else runs."""
    files = write_output_files(scratch / "out")
    output_tutorial(scratch / "empty", "out", ":")

    def tutor_run(folder: Path) -> float:
        state = scratch / f"state-{time.monotonic_ns()}"
        seconds = on_a_pty([*TUTOR, "run", "out", str(folder), "--state-dir", str(state)])
        # Each run writes its output twice to its logs. Kept, they made every later run write into
        # memory this VM had never touched, whose first use costs a fault in the host: 2-3x the copy.
        shutil.rmtree(state)
        return seconds

    tutor_run(scratch / "empty")  # warm up
    rows = []
    for what, path in files.items():
        folder = scratch / f"set-{path.stem}"
        output_tutorial(folder, "out", f"cat {path}")
        runner, base, cat, relay, python = [], [], [], [], []
        for _ in range(repeat):
            runner.append(tutor_run(folder))
            base.append(tutor_run(scratch / "empty"))
            cat.append(on_a_pty(["cat", str(path)]))
            relay.append(on_a_pty([sys.executable, "-c", RELAY, str(path)]))
            python.append(on_a_pty([sys.executable, "-c", "import os, pty, sys, termios, tty"]))
        rows.append((what, max(0.0, statistics.median(runner) - statistics.median(base)), statistics.median(cat),
                     max(0.0, min(runner) - min(base)), min(cat), max(0.0, statistics.median(relay) - statistics.median(python))))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--blocks", type=int, default=500)
    parser.add_argument("--per-step", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only-terminal", action="store_true", help="only the terminal throughput")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    try:
        throughput = terminal_throughput(scratch, args.repeat)
        print(f"terminal throughput (a real pty, drained), {args.repeat} interleaved runs: median (best)")
        for what, runner, cat, best_runner, best_cat, relay in throughput:
            ratio = runner / cat if cat else float("inf")
            best = best_runner / best_cat if best_cat else float("inf")
            print(f"  {what:<20} tutor run {runner:6.3f} s net ({best_runner:.3f})   cat {cat:6.3f} s ({best_cat:.3f})   "
                  f"{ratio:5.2f}× ({best:.2f}×)   target ≤ 2.00×  {'ok' if ratio <= 2.0 else 'MISSED'}")
            print(f"  {'':<20} minimal relay {relay:6.3f} s net, {relay / cat if cat else float('inf'):5.2f}× cat (the floor of a pty in between)")
        if args.only_terminal:
            return
        write_set(scratch / "big", args.blocks, args.per_step)
        write_set(scratch / "one", 1, 1)
        time_tutor(scratch / "one", scratch)  # warm the file cache and bytecode
        runner = [time_tutor(scratch / "big", scratch)[0] for _ in range(args.repeat)]
        bash = [time_bash(args.blocks) for _ in range(args.repeat)]
        one = [time_tutor(scratch / "one", scratch) for _ in range(max(5, args.repeat))]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    r, b = statistics.median(runner), statistics.median(bash)
    s, whole = statistics.median(x[1] for x in one), statistics.median(x[0] for x in one)
    ratio = r / b
    net = max(r - whole, 0.0)  # the blocks alone: the one-block run's whole time is start-up, one block and shutdown
    per_block = net / max(args.blocks - 1, 1) / (b / args.blocks)
    steps = (args.blocks + args.per_step - 1) // args.per_step
    print(f"{args.blocks} trivial blocks in {steps} steps, median of {args.repeat} runs (load {os.getloadavg()[0]:.1f})")
    print(f"  {'tutor run (one shell, state + logs)':<40} {r:7.3f} s   {r / args.blocks * 1000:6.2f} ms/block")
    print(f"  {'  net of start-up and shutdown':<40} {net:7.3f} s   {net / max(args.blocks - 1, 1) * 1000:6.2f} ms/block")
    print(f"  {'bash -c per block':<40} {b:7.3f} s   {b / args.blocks * 1000:6.2f} ms/block")
    print(f"  {'ratio, whole runs':<40} {ratio:7.2f}×")
    print(f"  {'ratio per block (net)':<40} {per_block:7.2f}×   target ≤ 1.00×  {'ok' if per_block <= 1.0 else 'MISSED'}")
    print(f"  {'tutor run startup (launch → 1st block)':<40} {s:7.3f} s   target ≤ 0.50 s  {'ok' if s <= 0.5 else 'MISSED'}")
    print(f"  {'tutor run, one-block tutorial, whole':<40} {whole:7.3f} s")


if __name__ == "__main__":
    main()
