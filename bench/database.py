"""The morning on a database office against the same office on files (issue: "an unchanged office's
morning is as fast as a file workspace's").

Needs a PostgreSQL server and its owner's url (the schema is made with `hdnd db init` if needed):

    HDND_DATABASE_URL=postgresql://owner@/hdnd?host=/run/postgresql PGPASSWORD=... \\
        python bench/database.py --entries 10000 100000

For each size it generates the benchmark workspace (bench/generate.py), pushes it to a fresh office,
and times `hdnd due` warm (median of 5 whole processes) from the files and from the database, then
`hdnd check` on the database office (the full computation, which a database office's `due` would
pay without its kept answer), then the `due` after a session is written (rules count sessions: a
full computation), and `hdnd add` of a complaint (from the kept answer) and the `due` after it (the
kept answer extended by the new row).
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from run import AS_OF, COMMANDS, HDND, generated, measure


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    owner = os.environ.get("HDND_DATABASE_URL")
    if not owner:
        raise SystemExit("set HDND_DATABASE_URL to the database owner's url (and PGPASSWORD)")
    work = Path(tempfile.mkdtemp(prefix="hdnd-bench-db-"))
    environment = {**os.environ, "NO_COLOR": "1"}
    subprocess.run([HDND, "db", "init"], env=environment, check=True, stdout=subprocess.DEVNULL)
    print(f"{'entries':>8}  {'files':>8}  {'database':>9}  {'db, in full':>12}  {'db, after a session':>20}"
          f"  {'add a complaint':>16}  {'after a complaint':>17}")
    for size in options.entries:
        source = generated(work, size, "yaml")
        office = work / f"office-{size}"
        shutil.copytree(source, office)
        office_id = f"bench-{uuid.uuid4().hex[:6]}"
        cache = {**environment, "HDND_CACHE_DIR": str(work / f"cache-{size}")}
        files = measure([HDND, *COMMANDS["due"]], 1, cache, office) and measure([HDND, *COMMANDS["due"]],
                                                                               options.runs, cache, office)
        with open(office / "hdnd.toml", "a", encoding="utf-8") as config:
            config.write(f'\n[store]\nurl = "{owner}"\noffice = "{office_id}"\n')
        subprocess.run([HDND, "db", "push"], cwd=office, env=cache, check=True, stdout=subprocess.DEVNULL)
        measure([HDND, *COMMANDS["due"]], 1, cache, office)  # fills the cache
        database = measure([HDND, *COMMANDS["due"]], options.runs, cache, office)
        full = measure([HDND, *COMMANDS["check"]], options.runs, cache, office)
        subprocess.run([HDND, "add", "session", "--date", "2026-11-20", "--set", "ends=2026-11-21", "--set",
                        "type=regular"], cwd=office, env={**cache, "HDND_NOW": "2026-11-20"}, check=True,
                       stdout=subprocess.DEVNULL)
        written = measure([HDND, *COMMANDS["due"]], 1, cache, office)  # a session: rules count it, all computed
        measure([HDND, *COMMANDS["due"]], 1, cache, office)  # kept again
        add = measure([HDND, "add", "complaint", "--date", "2026-11-20", "--id", "kn-bench"], 1,
                      {**cache, "HDND_NOW": AS_OF}, office)  # on the morning's day: from its kept answer
        complaint = measure([HDND, *COMMANDS["due"]], 1, cache, office)  # the kept answer extended by the row
        print(f"{size:>8}  {files[0]:>7.2f}s  {database[0]:>8.2f}s  {full[0]:>11.2f}s  {written[0]:>19.2f}s"
              f"  {add[0]:>15.2f}s  {complaint[0]:>16.2f}s")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
