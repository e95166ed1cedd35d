"""Start-up and run time of `hdnd` as whole processes, next to `python -c pass` on the same machine.

    .venv/bin/python bench/startup.py [--runs 15]

Prints the median and the fastest wall-clock time of each command over the runs.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HDND = shutil.which("hdnd", path=str(Path(sys.executable).parent)) or "hdnd"
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "hdnd --version": [HDND, "--version"],
    "hdnd due --example": [HDND, "due", "--example", "--as-of", "2026-11-23"],
    "hdnd due --example -f json": [HDND, "due", "--example", "--as-of", "2026-11-23", "-f", "json"],
    "hdnd check --example": [HDND, "check", "--example", "--as-of", "2026-11-23"],
    "hdnd explain (example)": [HDND, "explain", "voter-answer-after/txct-2026-07-sau", "--example"],
}


def timed(command: list[str], runs: int) -> list[float]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    print(f"{'command':32} {'median ms':>10} {'min ms':>8}")
    for name, command in COMMANDS.items():
        times = timed(command, runs)
        print(f"{name:32} {statistics.median(times) * 1000:10.0f} {min(times) * 1000:8.0f}")


if __name__ == "__main__":
    main()
