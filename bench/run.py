"""Time `hdnd` as whole processes on generated ledgers, beside `python -c pass`, Taskwarrior and Remind.

    .venv/bin/python bench/run.py [--sizes 1000 10000 100000 1000000] [--formats json jsonl yaml]
                                  [--runs 5] [--work DIR]

For each size and format: a workspace from `bench/generate.py`, then `hdnd due` once on an empty
parse cache (cold), and `hdnd --version`, `due`, `check` and `audit` `--runs` times on the filled
cache (warm). Prints the median and the peak resident memory of each as a Markdown table. Where
`task` (Taskwarrior 2.6) and `remind` are installed, the same number of tasks and reminders is timed
beside them: `task ... due.before:today+14d list` and a two-week `remind -c+2` calendar.
Workspaces are kept under `--work` (default: a folder in the system's temporary folder) and reused.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, time as clock, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402

HDND = shutil.which("hdnd", path=str(Path(sys.executable).parent)) or "hdnd"
AS_OF = generate.AS_OF.isoformat()
COMMANDS = {
    "due": ["due", "--as-of", AS_OF],
    "check": ["check", "--as-of", AS_OF],
    "audit": ["audit", "--by", "obligor", "--as-of", AS_OF],
}


def measure(command: list[str], runs: int, env: dict | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """Median wall-clock seconds and peak resident MiB over `runs` whole-process runs."""
    times, peak = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {process.stderr.read().decode()}")
        process.stderr.close()
        peak = max(peak, usage.ru_maxrss)
    return statistics.median(times), peak / 1024


def hdnd_rows(size: int, fmt: str, runs: int, work: Path) -> list[tuple]:
    folder = work / f"{fmt}-{size}"
    if not (folder / "hdnd.toml").exists():
        generate.write(folder, size, fmt)
    cache = work / f"cache-{fmt}-{size}"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "HDND_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    runs = runs if size < 1_000_000 else max(1, runs // 2)
    rows = [(size, fmt, "hdnd due (cold cache)", *measure([HDND, *COMMANDS["due"]], 1, env, folder))]
    rows.append((size, fmt, "hdnd --version", *measure([HDND, "--version"], runs, env, folder)))
    for name, args in COMMANDS.items():
        rows.append((size, fmt, f"hdnd {name}", *measure([HDND, *args], runs, env, folder)))
    return rows


def taskwarrior_rows(size: int, runs: int, work: Path) -> list[tuple]:
    """`size` tasks (as many as ledger entries), due like the ledger's obligations, most completed."""
    if not shutil.which("task"):
        return []
    folder = work / f"task-{size}"
    if not (folder / "pending.data").exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "taskrc").write_text(f"data.location={folder}\n", encoding="utf-8")
        (folder / "pending.data").write_text("".join(_tasks(size)), encoding="utf-8")
    env = {**os.environ, "TASKRC": str(folder / "taskrc"), "TASKDATA": str(folder)}
    command = ["task", "rc.gc=off", "rc.verbose=nothing", "rc.color=off", "rc.hooks=off", "rc.detection=off",
               "rc.defaultwidth=120", "rc.confirmation=off", "due.before:today+14d", "list"]
    runs = runs if size < 1_000_000 else max(1, runs // 2)
    return [(size, "task", "task due.before:today+14d list", *measure(command, runs, env))]


def _tasks(size: int):
    """Taskwarrior 2.6 pending.data lines mirroring the generated ledger around today."""
    today = date.today()
    shift = today - generate.AS_OF
    stamp = lambda d: int(datetime.combine(d, clock(8), timezone.utc).timestamp())  # noqa: E731
    for n, entry in enumerate(generate.entries(size)):
        due = entry["date"] + shift + timedelta(days=30)
        done = entry["kind"] == "done" or due < today - timedelta(days=30)
        fields = {"description": entry.get("title") or f"{entry['kind']} {entry.get('obligation', n)}",
                  "due": stamp(due), "entry": stamp(entry["date"] + shift), "modified": stamp(entry["date"] + shift),
                  "status": "completed" if done else "pending", "uuid": str(uuid.UUID(int=n + 1, version=4))}
        if done:
            fields["end"] = stamp(min(due, today))
        yield "[" + " ".join(f'{k}:"{v}"' for k, v in fields.items()) + "]\n"


def remind_rows(size: int, runs: int, work: Path) -> list[tuple]:
    if not shutil.which("remind"):
        return []
    path = work / f"remind-{size}.rem"
    if not path.exists():
        lines = (f"REM {(e['date'] + timedelta(days=30)).isoformat()} MSG {e.get('title') or e['kind']}\n"
                 for e in generate.entries(size))
        path.write_text("".join(lines), encoding="utf-8")
    runs = runs if size < 1_000_000 else max(1, runs // 2)
    command = ["remind", "-c+2", "-w120", str(path), generate.AS_OF.strftime("%Y-%m-%d")]
    return [(size, "rem", "remind -c+2 (two weeks)", *measure(command, runs))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--formats", nargs="+", choices=sorted(generate.FORMATS), default=["json", "jsonl", "yaml"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "hdnd-bench")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{sys.version.split()[0]} on {os.cpu_count()} cores; median of {args.runs} runs; as of {AS_OF}\n")
    print("| entries | format | command | median s | peak MiB |\n|---:|---|---|---:|---:|")
    seconds, mib = measure([sys.executable, "-c", "pass"], args.runs)
    print(f"| - | - | python -c pass | {seconds:.3f} | {mib:.0f} |", flush=True)
    for size in args.sizes:
        rows = [row for fmt in args.formats for row in hdnd_rows(size, fmt, args.runs, args.work)]
        rows += taskwarrior_rows(size, args.runs, args.work) + remind_rows(size, args.runs, args.work)
        for entries, fmt, name, seconds, mib in rows:
            print(f"| {entries:,} | {fmt} | {name} | {seconds:.3f} | {mib:.0f} |", flush=True)


if __name__ == "__main__":
    main()
