"""Time `hdnd audit` and `hdnd history` on a generated workspace with N ledger entries.

    .venv/bin/python bench/audit100k.py [--entries 100000] [--format json|yaml]

The ledger mixes DOMAIN.md's events: voter-contact rounds after and before sessions (each making an
obligation), complaints and supervision recommendations (`kind: obligation`), and a `done` entry for
about four in five obligations, some late. Prints the wall-clock time of whole processes.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HDND = shutil.which("hdnd", path=str(Path(sys.executable).parent)) or "hdnd"
RULES = Path(__file__).resolve().parent.parent / "src" / "hdnd_cli" / "example" / "rules" / "qcph-tinh-vi-du-2026.toml"


def entries(count: int, seed: int = 7) -> list[dict]:
    rng, made, start = random.Random(seed), [], date(2026, 5, 1)
    while len(made) < count:
        n = len(made)
        day = start + timedelta(days=rng.randrange(200))
        if n % 2:
            made.append({"id": f"o-{n}", "kind": "obligation", "date": day.isoformat(),
                         "due": (day + timedelta(days=rng.choice((10, 30, 45)))).isoformat(),
                         "title": f"Kiến nghị giám sát số {n}", "obligor": rng.choice(("ubnd", "so-tai-chinh"))})
            target, due = f"o-{n}", day + timedelta(days=30)
        else:
            made.append({"id": f"t-{n}", "kind": "voter-contact", "date": day.isoformat(),
                         "phase": rng.choice(("before", "after")), "forwarded": (day + timedelta(days=5)).isoformat()})
            target, due = None, None
        if target and rng.random() < 0.8:
            made.append({"kind": "done", "obligation": target,
                         "date": (day + timedelta(days=rng.randrange(1, 50))).isoformat(), "ref": f"{n}/BC-UBND"})
    return made[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--format", choices=("json", "yaml"), default="json")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="hdnd-bench-"))
    (folder / "rules").mkdir()
    (folder / "data").mkdir()
    shutil.copy(RULES, folder / "rules")
    (folder / "hdnd.toml").write_text('[office]\nname = "Bench"\nlevel = "province"\n', encoding="utf-8")
    ledger = entries(args.entries)
    if args.format == "json":
        (folder / "data" / "ledger.json").write_text(json.dumps(ledger, ensure_ascii=False, indent=0), encoding="utf-8")
    else:
        import yaml

        (folder / "data" / "ledger.yaml").write_text(yaml.safe_dump(ledger, allow_unicode=True), encoding="utf-8")
    for command in (["audit", "--by", "obligor", "--from", "2026-01-01", "--to", "2026-12-31", "-f", "json"],
                    ["audit", "--by", "month", "-f", "json"], ["history", "-f", "csv"], ["due", "-f", "json"]):
        start = time.perf_counter()
        done = subprocess.run([HDND, *command, "--as-of", "2026-11-23"], cwd=folder, capture_output=True)
        elapsed = time.perf_counter() - start
        print(f"{args.entries:>8} {args.format:4} hdnd {' '.join(command[:3]):32} {elapsed:6.2f} s  exit {done.returncode}")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
