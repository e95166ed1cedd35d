"""Start-up and run time of `hdnd` as whole processes, next to `python -c pass` on the same machine.

    .venv/bin/python bench/startup.py [--runs 15]

Prints the median and the fastest wall-clock time of each command over the runs. Output goes to a
pipe, except for the line marked "(terminal)", which runs on a pseudo-terminal as a person at a
screen does (rich draws the table there). The package is byte-compiled first, as an installed one is.
"""
from __future__ import annotations

import argparse
import os
import pty
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HDND = shutil.which("hdnd", path=str(Path(sys.executable).parent)) or "hdnd"
EXAMPLE_DUE = [HDND, "due", "--example", "--as-of", "2026-11-23"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "hdnd --version": [HDND, "--version"],
    "hdnd --help": [HDND, "--help"],
    "hdnd due --example": EXAMPLE_DUE,
    "hdnd due --example (terminal)": EXAMPLE_DUE,
    "hdnd due --example -f json": [*EXAMPLE_DUE, "-f", "json"],
    "hdnd check --example": [HDND, "check", "--example", "--as-of", "2026-11-23"],
    "hdnd explain (example)": [HDND, "explain", "voter-answer-after/txct-2026-07-sau", "--example"],
}


def timed(command: list[str], runs: int, terminal: bool) -> list[float]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    times = []
    for _ in range(runs):
        leader, follower = pty.openpty() if terminal else (None, subprocess.DEVNULL)
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=follower, stderr=follower)
        if terminal:
            os.close(follower)
            while _read(leader):
                pass
            os.close(leader)
        process.wait()
        times.append(time.perf_counter() - start)
    return times


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the terminal closed with the process
        return b""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(__file__).resolve().parent.parent / "src")],
                   check=True)
    print(f"{'command':32} {'median ms':>10} {'min ms':>8}")
    for name, command in COMMANDS.items():
        times = timed(command, runs, terminal="(terminal)" in name)
        print(f"{name:32} {statistics.median(times) * 1000:10.0f} {min(times) * 1000:8.0f}")


if __name__ == "__main__":
    main()
