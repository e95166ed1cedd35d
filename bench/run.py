"""Time `hdnd` as whole processes on generated ledgers, beside `python -c pass`, Taskwarrior and Remind.

    .venv/bin/python bench/run.py [--sizes 1000 10000 100000 1000000] [--formats json jsonl yaml]
                                  [--runs 5] [--work DIR]

For each size and format: a workspace from `bench/generate.py`, then `hdnd due` once on an empty
cache (cold: the ledger parsed), and `hdnd --version`, `due`, `check` and `audit` `--runs` times on
the filled cache (warm); then `hdnd add` of one entry after the morning `due`, `due` right after
it, and `due` on the unchanged ledger, in turns; then `due` after a hand edit near the top of the
newest file (that file parsed again, the engine run in full), and after every file changed (each
parsed again, the holidays cached before kept, as after an upgrade); and `check` in turns with
Remind's calendar, the fair pair on a shared machine. Prints the median wall-clock time and the
peak resident memory of each as a Markdown table. Where `task` (Taskwarrior 2.6) and
`remind` are installed, as many tasks and reminders are timed beside them: `task
due.before:today+14d list` and a two-week `remind -c+2` calendar. At 1,000,000 entries the runs
are halved. Workspaces are kept under `--work` (default: a folder in the system's temporary
folder) and reused; the package is byte-compiled first, as an installed package is.
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
from pathlib import Path

HERE = Path(__file__).resolve().parent
HDND = shutil.which("hdnd", path=str(Path(sys.executable).parent)) or "hdnd"
AS_OF = "2026-11-23"  # generate.AS_OF
COMMANDS = {
    "due": ["due", "--as-of", AS_OF],
    "check": ["check", "--as-of", AS_OF],
    "audit": ["audit", "--by", "obligor", "--as-of", AS_OF],
}
TASK = ["task", "rc.gc=off", "rc.verbose=nothing", "rc.color=off", "rc.hooks=off", "rc.detection=off",
        "rc.defaultwidth=120", "rc.confirmation=off", "due.before:today+14d", "list"]


def measure(command: list[str], runs: int, env: dict | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """Median wall-clock seconds and peak resident MiB of `runs` whole-process runs."""
    times, peak = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - start)
        error = process.stderr.read().decode()
        process.stderr.close()
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"{' '.join(command)} failed: {error}")
        peak = max(peak, usage.ru_maxrss)
    return statistics.median(times), peak / 1024


def generated(work: Path, size: int, fmt: str) -> Path:
    """The generated data, made in a child process so that this one stays small (a child's peak
    memory counts the parent's pages it was forked with)."""
    folder = work / f"{fmt}-{size}"
    if not (folder / ".complete").exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(folder), "--entries", str(size),
                        "--format", fmt], check=True, stdout=subprocess.DEVNULL)
        (folder / ".complete").touch()
    return folder


def hdnd_rows(size: int, fmt: str, runs: int, work: Path) -> list[tuple]:
    folder = generated(work, size, fmt)
    cache = work / f"cache-{fmt}-{size}"
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "HDND_CACHE_DIR": str(cache), "NO_COLOR": "1"}
    rows = [(size, fmt, "hdnd due (cold cache)", *measure([HDND, *COMMANDS["due"]], 1, env, folder))]
    rows.append((size, fmt, "hdnd --version", *measure([HDND, "--version"], runs, env, folder)))
    for name, args in COMMANDS.items():
        rows.append((size, fmt, f"hdnd {name}", *measure([HDND, *args], runs, env, folder)))
    return rows


def append_rows(size: int, fmt: str, runs: int, work: Path) -> list[tuple]:
    """`hdnd due` right after `hdnd add` appended one entry (what the kept obligations are extended
    with), beside `due` on the unchanged ledger, in turns; on a copy of the workspace."""
    folder = work / f"{fmt}-{size}-append"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(generated(work, size, fmt), folder)
    env = {**os.environ, "HDND_CACHE_DIR": str(work / f"cache-{fmt}-{size}-append"), "NO_COLOR": "1",
           "HDND_NOW": AS_OF}
    due = [HDND, *COMMANDS["due"]]
    measure(due, 1, env, folder)  # what the engine derived, kept
    after, unchanged, adds, peaks = [], [], [], [0.0, 0.0]
    for number in range(runs):
        add = [HDND, "add", "complaint", "--date", AS_OF, "--set", f"title=Đơn mới {number}"]
        for times, command, at in ((adds, add, 0), (after, due, 1), (unchanged, due, 1)):
            seconds, mib = measure(command, 1, env, folder)
            times.append(seconds)
            peaks[at] = max(peaks[at], mib)
    # A clerk's hand edit near the top of the newest file (a title retyped): that file is parsed again
    # and the engine runs in full, the other files come from the parse cache.
    newest, edited = max((folder / "data").glob(f"*.{fmt}")), []
    for number in range(runs):
        text = newest.read_text(encoding="utf-8")
        newest.write_text(text.replace("Đơn khiếu nại số", f"Đơn khiếu nại số (sửa {number})", 1), encoding="utf-8")
        edited.append(measure(due, 1, env, folder))
    # Every file changed (what a new hdnd version meets: each file parsed again, nothing kept serves,
    # the holidays already cached kept): a line end appended to each, a blank line every format allows.
    changed = []
    for _ in range(runs):
        for path in (folder / "data").glob(f"*.{fmt}"):
            with path.open("a", encoding="utf-8") as file:
                file.write("\n")
        changed.append(measure(due, 1, env, folder))
    return [(size, fmt, "hdnd add (one entry, checked, appended)", statistics.median(adds), peaks[0]),
            (size, fmt, "hdnd due (unchanged, in turns)", statistics.median(unchanged), peaks[1]),
            (size, fmt, "hdnd due (after hdnd add)", statistics.median(after), peaks[1]),
            (size, fmt, "hdnd due (after a hand edit in the newest file)", statistics.median(s for s, _ in edited),
             max(m for _, m in edited)),
            (size, fmt, "hdnd due (every file changed)", statistics.median(s for s, _ in changed),
             max(m for _, m in changed))]


def others_rows(size: int, runs: int, work: Path) -> list[tuple]:
    rows = []
    if shutil.which("task"):
        folder = generated(work, size, "taskwarrior")
        env = {**os.environ, "TASKRC": str(folder / "taskrc"), "TASKDATA": str(folder)}
        rows.append((size, "task", "task due.before:today+14d list", *measure(TASK, runs, env)))
    if shutil.which("remind"):
        folder = generated(work, size, "remind")
        command = ["remind", "-c+2", "-w120", str(folder / "reminders.rem"), AS_OF]
        rows.append((size, "rem", "remind -c+2 (two weeks)", *measure(command, runs)))
    return rows


def in_turns_rows(size: int, fmt: str, runs: int, work: Path) -> list[tuple]:
    """`hdnd check` (the full computation, warm cache) and Remind's calendar one after the other, `runs`
    times: on a shared machine the load moves between two blocks of runs, so the pair taken in turns is
    the fair comparison of the two."""
    if not shutil.which("remind"):
        return []
    env = {**os.environ, "HDND_CACHE_DIR": str(work / f"cache-{fmt}-{size}"), "NO_COLOR": "1"}
    check, folder = [HDND, *COMMANDS["check"]], generated(work, size, fmt)
    remind = ["remind", "-c+2", "-w120", str(generated(work, size, "remind") / "reminders.rem"), AS_OF]
    measure(check, 1, env, folder)  # the parse cache filled
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(measure(check, 1, env, folder))
        theirs.append(measure(remind, 1))
    return [(size, fmt, "hdnd check (in turns with Remind)", *_summary(ours)),
            (size, "rem", "remind -c+2 (in turns with hdnd check)", *_summary(theirs))]


def _summary(measured: list[tuple[float, float]]) -> tuple[float, float]:
    """The median time and the highest peak of single runs."""
    return statistics.median(s for s, _ in measured), max(m for _, m in measured)


def open_rows(size: int, runs: int, work: Path) -> list[tuple]:
    """The "all open" workload: `due --format json` on N open complaints, beside Taskwarrior's export."""
    folder = generated(work, size, "open")
    env = {**os.environ, "HDND_CACHE_DIR": str(work / f"cache-open-{size}"), "NO_COLOR": "1"}
    command = [HDND, "due", "--format", "json", "--as-of", AS_OF]
    measure(command, 1, env, folder)  # warm the cache
    rows = [(size, "open", "hdnd due --format json (all open)", *measure(command, runs, env, folder))]
    if shutil.which("task"):
        tasks = {**os.environ, "TASKRC": str(folder / "task" / "taskrc"), "TASKDATA": str(folder / "task")}
        export = ["task", "rc.gc=off", "rc.hooks=off", "rc.detection=off", "due.before:today+14d", "export"]
        rows.append((size, "task", "task due.before:today+14d export (all open)", *measure(export, runs, tasks)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--formats", nargs="+", choices=["json", "jsonl", "yaml"], default=["json", "jsonl", "yaml"])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--open", action="store_true", help='add the "all open" workload (due --format json)')
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "hdnd-bench")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "src")], check=True)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores; median of {args.runs} runs "
          f"(half at 1,000,000); as of {AS_OF}\n")
    print("| entries | format | command | median s | peak MiB |\n|---:|---|---|---:|---:|")
    seconds, mib = measure([sys.executable, "-c", "pass"], args.runs)
    print(f"| - | - | python -c pass | {seconds:.3f} | {mib:.0f} |", flush=True)
    for size in args.sizes:
        runs = args.runs if size < 1_000_000 else max(1, args.runs // 2)
        rows = [row for fmt in args.formats for row in hdnd_rows(size, fmt, runs, args.work)]
        rows += [row for fmt in args.formats for row in append_rows(size, fmt, runs, args.work)]
        if args.open and size <= 100_000:  # the target is set at 100,000; 1,000,000 open tasks take minutes
            rows += open_rows(size, runs, args.work)
        rows += in_turns_rows(size, args.formats[0], runs, args.work)
        for entries, fmt, name, seconds, mib in rows + others_rows(size, runs, args.work):
            print(f"| {entries:,} | {fmt} | {name} | {seconds:.3f} | {mib:.0f} |", flush=True)


if __name__ == "__main__":
    main()
