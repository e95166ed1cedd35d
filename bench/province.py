"""A province on one database: many offices' ledgers, one office's morning, the province's roll-up,
concurrent writers, the database's size (issue: "a province on one database, proven at the country's
scale"). Not a test: figures for docs/performance.md.

Needs a PostgreSQL server and its owner's url (the schema is made with `hdnd db init` if needed):

    HDND_DATABASE_URL=postgresql://owner@/hdnd?host=/run/postgresql PGPASSWORD=... \\
        python bench/province.py --offices 400 --entries 5000

One office's workspace is generated (bench/generate.py's mix) and pushed with `hdnd db push` (timed:
the push rate); the other offices are copies of it made inside the server (their rows, settings and
packs under their own ids), so that 2,000,000 rows take a minute rather than 400 pushes.
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
from pathlib import Path

from run import AS_OF, COMMANDS, HDND, generated, measure

COPY = """
insert into hdnd.offices (id) select unnest(%(ids)s::text[]) on conflict do nothing;
insert into hdnd.settings (office, version, config, law)
  select o, 1, s.config, s.law from unnest(%(ids)s::text[]) o, hdnd.settings s where s.office = %(first)s;
insert into hdnd.packs (office, version, name, text)
  select o, 1, p.name, p.text from unnest(%(ids)s::text[]) o, hdnd.packs p where p.office = %(first)s;
insert into hdnd.entries (office, kind, date, id, entry, recorded_by, recorded_at)
  select o, e.kind, e.date, e.id, e.entry, e.recorded_by, e.recorded_at
  from unnest(%(ids)s::text[]) o, hdnd.entries e where e.office = %(first)s order by o, e.seq;
"""


def sql(url: str, statement: str, params: dict | tuple = ()) -> list[tuple]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        cursor = connection.execute(statement, params)
        return cursor.fetchall() if cursor.description else []


def timed(command: list[str], env: dict, cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr}")
    return time.perf_counter() - start


def alternately(command: list[str], runs: int, env: dict, *folders: Path) -> list[tuple[float, float]]:
    """`measure` in each folder, taking turns run by run, so that what else the machine does weighs on
    each alike: the median seconds and peak MiB of each."""
    figures = [[measure(command, 1, env, folder) for folder in folders] for _ in range(runs)]
    return [(statistics.median(f[at][0] for f in figures), max(f[at][1] for f in figures))
            for at in range(len(folders))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--offices", type=int, default=400)
    parser.add_argument("--entries", type=int, default=5000, help="entries per office")
    parser.add_argument("--roll-ups", type=int, nargs="+", default=[100, 400], help="offices in each roll-up")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--writes", type=int, default=25, help="entries each writer appends")
    options = parser.parse_args()
    owner = os.environ.get("HDND_DATABASE_URL")
    if not owner:
        raise SystemExit("set HDND_DATABASE_URL to the database owner's url (and PGPASSWORD)")
    work = Path(tempfile.mkdtemp(prefix="hdnd-bench-province-"))
    env = {**os.environ, "NO_COLOR": "1", "HDND_CACHE_DIR": str(work / "cache")}
    subprocess.run([HDND, "db", "init"], env=env, check=True, stdout=subprocess.DEVNULL)
    run_id = uuid.uuid4().hex[:6]
    ids = [f"p{run_id}-{n:04d}" for n in range(options.offices)]
    source = generated(work, options.entries, "yaml")

    def office(office_id: str) -> Path:
        folder = work / office_id
        if not folder.exists():
            shutil.copytree(source, folder)
            with open(folder / "hdnd.toml", "a", encoding="utf-8") as config:
                config.write(f'\n[store]\nurl = "{owner}"\noffice = "{office_id}"\n')
        return folder

    measure([HDND, *COMMANDS["due"]], 1, env, source)  # the files office's kept answer, made
    first = office(ids[0])
    push = timed([HDND, "db", "push"], env, first)
    print(f"db push: {options.entries} entries in {push:.2f} s, {options.entries / push:,.0f} entries/s", flush=True)
    start = time.perf_counter()
    for statement in COPY.strip().split(";\n"):
        sql(owner, statement, {"ids": ids[1:], "first": ids[0]})
    rows = sql(owner, "select count(*) from hdnd.entries where office like %s", (f"p{run_id}-%",))[0][0]
    print(f"copied to {options.offices} offices inside the server: {rows:,} rows in "
          f"{time.perf_counter() - start:.0f} s", flush=True)
    sql(owner, "vacuum analyze hdnd.entries")

    middle = office(ids[len(ids) // 2])
    cold = measure([HDND, *COMMANDS["due"]], 1, env, middle)
    files_morning, warm = alternately([HDND, *COMMANDS["due"]], 15, env, source, middle)
    print(f"one office's due (median of 15 runs, one after the other): files {files_morning[0]:.3f} s "
          f"({files_morning[1]:.0f} MiB); database cold {cold[0]:.2f} s, warm {warm[0]:.3f} s ({warm[1]:.0f} MiB), "
          f"{warm[0] - files_morning[0]:+.3f} s", flush=True)

    home = office(f"p{run_id}-home")  # the province's own workspace, reading the others as the owner
    for count in options.roll_ups:
        names = ",".join(ids[:count])
        audit = [measure([HDND, "audit", "--offices", names, "--by", "office", "--as-of", AS_OF], 1, env, home)
                 for _ in ("cold", "warm")]
        due = [measure([HDND, "due", "--offices", names, "--as-of", AS_OF, "-f", "json"], 1, env, home)
               for _ in ("cold", "warm")]
        print(f"roll-up over {count} offices, cold then warm: audit --by office " +
              ", ".join(f"{s:.1f} s ({m:.0f} MiB)" for s, m in audit) + "; due --offices " +
              ", ".join(f"{s:.1f} s ({m:.0f} MiB)" for s, m in due), flush=True)

    writers = [office(ids[n]) for n in range(1, options.writers + 1)]
    before = sql(owner, "select count(*) from hdnd.entries where office = any(%s)", (ids[1:options.writers + 1],))[0][0]
    script = ("import subprocess, sys\n"
              "for n in range(int(sys.argv[1])):\n"
              f"    subprocess.run([{HDND!r}, 'add', 'complaint', '--date', '2026-11-20', '--id', f'w{{n}}'], check=True,"
              " stdout=subprocess.DEVNULL)\n")
    start = time.perf_counter()
    children = [subprocess.Popen([sys.executable, "-c", script, str(options.writes)], cwd=folder,
                                 env={**env, "HDND_NOW": "2026-11-23T08:00"}) for folder in writers]
    failed = sum(child.wait() != 0 for child in children)
    elapsed = time.perf_counter() - start
    after = sql(owner, "select count(*) from hdnd.entries where office = any(%s)", (ids[1:options.writers + 1],))[0][0]
    written = options.writers * options.writes
    print(f"{options.writers} concurrent writers: {after - before} of {written} entries in {elapsed:.1f} s, "
          f"{(after - before) / elapsed:.1f} entries/s, {failed} writers failed", flush=True)

    size, table = sql(owner, "select pg_database_size(current_database()), "
                             "pg_total_relation_size('hdnd.entries')")[0]
    total = sql(owner, "select count(*) from hdnd.entries")[0][0]
    print(f"database: {size / 2**20:,.0f} MiB; hdnd.entries {table / 2**20:,.0f} MiB for {total:,} rows, "
          f"{table / total:,.0f} bytes a row", flush=True)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
