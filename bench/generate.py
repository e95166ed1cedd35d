"""Generate a realistic benchmark workspace: N ledger entries over five years, in YAML, JSON or JSONL.

    .venv/bin/python bench/generate.py OUT --entries 100000 --format json [--as-of 2026-11-23]

`--format open` writes the "all open" workload (N complaints, none accepted) for hdnd and Taskwarrior.
`--format taskwarrior` and `--format remind` write the same entries as Taskwarrior 2.6 tasks
(OUT/pending.data, OUT/taskrc) and as Remind reminders (OUT/reminders.rem), for comparison.

The mix follows DOMAIN.md's volumes, scaled. Per thousand entries: about 210 complaints (each
accepted and settled under the law's rules, rules/luat-khieu-nai-2011.toml, a chained rule),
98 resolutions, 85 supervision recommendations (`kind: obligation`), 23 denunciations (each taken in
and settled under rules/luat-to-cao-2018.toml), 15 voter-contact rounds (each making an answer
obligation), 12 supervision rounds, 10 sessions (half of them regular), 7 working meetings, and 550
`done` entries with a document number: most obligations are met, four in five on time, the rest
late, and the newest are still open. The ledger is one file per year, as `hdnd add` writes it.
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUNDLED = HERE.parent / "rules"
AS_OF = date(2026, 11, 23)
PROVINCE_PACK_FROM = date(2023, 10, 6)  # in_force of the bundled hdnd-tinh-1011-2023 pack
YEARS = 5

CONFIG = """\
[office]
name = "Văn phòng HĐND tỉnh (đo hiệu năng)"
level = "province"
since = {since}

[paths]
rules = ["rules"]
ledger = ["data"]
write_to = "data/{{year}}.{ext}"

[[bodies]]
id = "ubnd"
name = "Ủy ban nhân dân tỉnh"
[[bodies]]
id = "chu-tich-ubnd"
name = "Chủ tịch UBND tỉnh"
[[bodies]]
id = "tt-hdnd"
name = "Thường trực HĐND tỉnh"
[[bodies]]
id = "so-tai-chinh"
name = "Sở Tài chính"
[[bodies]]
id = "so-xay-dung"
name = "Sở Xây dựng"
[[bodies]]
id = "ban-phap-che"
name = "Ban Pháp chế"
[[bodies]]
id = "ban-kinh-te-ngan-sach"
name = "Ban Kinh tế - Ngân sách"
[[bodies]]
id = "ban-van-hoa-xa-hoi"
name = "Ban Văn hóa - Xã hội"
[[bodies]]
id = "ban-dan-toc"
name = "Ban Dân tộc"
"""
DEPARTMENTS = ("so-tai-chinh", "so-xay-dung", "ubnd")
COMMITTEES = ("ban-phap-che", "ban-kinh-te-ngan-sach", "ban-van-hoa-xa-hoi", "ban-dan-toc")

# how often each case is drawn (a complaint case writes up to three entries, most cases two)
CASES = {"complaint": 90, "recommendation": 35, "resolution": 40, "denunciation": 10,
         "voter-contact": 6, "supervision": 5, "session": 4, "working-meeting": 3}


def entries(count: int, as_of: date = AS_OF, seed: int = 2026) -> list[dict]:
    """`count` entries, sorted by date, ids unique; the same for the same arguments."""
    rng = random.Random(seed)
    start = as_of.replace(year=as_of.year - YEARS + 1, month=1, day=1)
    span = (as_of - start).days + 30  # a few planned events lie ahead
    kinds, weights = zip(*CASES.items())
    made = list(_periodic_reports(start, as_of, rng))
    number = 0
    while len(made) < count:
        number += 1
        kind = rng.choices(kinds, weights)[0]
        day = start + timedelta(days=rng.randrange(span))
        made += _case(kind, number, day, as_of, rng)
    made = made[:count]
    made.sort(key=lambda entry: entry["date"])
    return made


def _periodic_reports(start: date, as_of: date, rng: random.Random) -> Iterator[dict]:
    """The yearly and quarterly reports of the bundled province pack, sent a few days early."""
    for year in range(start.year, as_of.year + 1):
        dues = [(f"resolution-quarterly-report/{year}-Q{q}/{ban}", date(year, 3 * q, 20), f"{q}/BC-{ban}")
                for q in range(1, 5) for ban in COMMITTEES]
        dues.append((f"resolution-annual-report/{year}", date(year, 11, 25), f"{year}/BC-UBND"))
        for obligation, day, ref in dues:
            if PROVINCE_PACK_FROM <= day <= as_of:
                yield {"kind": "done", "obligation": obligation, "date": day - timedelta(days=rng.randrange(5)),
                       "ref": ref}


def _case(kind: str, n: int, day: date, as_of: date, rng: random.Random) -> Iterator[dict]:
    if kind == "complaint":
        id_ = f"kn-{n}"
        yield {"id": id_, "kind": "complaint", "date": day, "title": f"Đơn khiếu nại số {n}",
               "from": f"Công dân {n}"}
        accepted = _done(f"complaint-first-accept/{id_}", day, 10, as_of, rng, f"{n}/TB-UBND")  # the law's rules
        if accepted:
            yield accepted
            settled = _done(f"complaint-first-settle/{id_}", accepted["date"], 30, as_of, rng, f"{n}/QĐ-UBND")
            if settled:
                yield settled
    elif kind == "recommendation":
        id_, due = f"gs-{n}", day + timedelta(days=rng.choice((15, 30, 45, 60)))
        yield {"id": id_, "kind": "obligation", "date": day, "due": due, "obligor": rng.choice(DEPARTMENTS),
               "title": f"Báo cáo kết quả thực hiện kiến nghị giám sát số {n}"}
        done = _done(id_, day, (due - day).days, as_of, rng, f"{n}/BC-STC")
        if done:
            yield done
    elif kind == "voter-contact":
        id_, forwarded = f"txct-{n}", day + timedelta(days=rng.randrange(3, 10))
        phase = rng.choice(("before", "after"))
        yield {"id": id_, "kind": "voter-contact", "date": day, "phase": phase, "forwarded": forwarded,
               "petitions": rng.randrange(40, 160)}
        done = _done(f"voter-answer-{phase}/{id_}", forwarded, 30 if phase == "after" else 20, as_of, rng,
                     f"{n}/BC-UBND")
        if done:
            yield done
    elif kind == "session":
        regular = rng.random() < 0.5
        yield {"id": f"kh-{n}", "kind": "session", "date": day, "ends": day + timedelta(days=2),
               "type": "regular" if regular else "thematic", "title": f"Kỳ họp số {n}"}
        if regular:
            done = _done(f"delegate-petition-report/kh-{n}", day - timedelta(days=10), 9, as_of, rng,
                         f"{n}/BC-UBND")
            if done:
                yield done
    elif kind == "denunciation":  # taken in (7 working days), then settled (30 days), as the law's rules ask
        id_ = f"den-{n}"
        yield {"id": id_, "kind": kind, "date": day, "title": f"denunciation {n}"}
        taken = _done(f"denunciation-intake/{id_}", day, 9, as_of, rng, f"{n}/TB-TC")
        if taken:
            yield taken
            settled = _done(f"denunciation-settle/{id_}", taken["date"], 30, as_of, rng, f"{n}/KL-TC")
            if settled:
                yield settled
    else:  # resolutions, supervision rounds, working meetings: events only
        yield {"id": f"{kind[:3]}-{n}", "kind": kind, "date": day, "title": f"{kind} {n}"}


def _done(obligation: str, start: date, days: int, as_of: date, rng: random.Random, ref: str) -> dict | None:
    """A `done` entry: on time four times in five, late otherwise; none if it would lie ahead."""
    late = rng.random() < 0.2
    day = start + timedelta(days=days + rng.randrange(1, 30) if late else rng.randrange(1, days + 1))
    if day > as_of:
        return None
    return {"kind": "done", "obligation": obligation, "date": day, "ref": ref}


def write(folder: Path, count: int, fmt: str, as_of: date = AS_OF) -> Path:
    """A whole workspace in `folder`: hdnd.toml, the rules, and the ledger, one file per year."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "rules").mkdir(parents=True)
    (folder / "data").mkdir()
    since = as_of.replace(year=as_of.year - YEARS + 1, month=1, day=1)
    (folder / "hdnd.toml").write_text(CONFIG.format(since=since.isoformat(), ext=fmt), encoding="utf-8")
    shutil.copy(BUNDLED / "hdnd-tinh-1011-2023.toml", folder / "rules")
    shutil.copy(HERE / "rules" / "bench-khieu-nai.toml", folder / "rules")
    by_year: dict[int, list[dict]] = {}
    for entry in entries(count, as_of):
        by_year.setdefault(entry["date"].year, []).append(entry)
    for year, items in by_year.items():
        (folder / "data" / f"{year}.{fmt}").write_text(FORMATS[fmt](items), encoding="utf-8")
    return folder


def _json_value(value) -> str:
    return json.dumps(value.isoformat() if isinstance(value, date) else value, ensure_ascii=False)


def as_json(items: list[dict]) -> str:
    rows = ("{" + ", ".join(f'"{k}": {_json_value(v)}' for k, v in e.items()) + "}" for e in items)
    return "[\n" + ",\n".join(rows) + "\n]\n"


def as_jsonl(items: list[dict]) -> str:
    return "".join("{" + ", ".join(f'"{k}": {_json_value(v)}' for k, v in e.items()) + "}\n" for e in items)


def as_yaml(items: list[dict]) -> str:
    """Block YAML as a clerk writes it: dates bare, text in double quotes (a JSON string is valid YAML)."""
    def scalar(value) -> str:
        return value.isoformat() if isinstance(value, date) else _json_value(value)

    out = []
    for e in items:
        keys = list(e)
        out.append(f"- {keys[0]}: {scalar(e[keys[0]])}\n" + "".join(f"  {k}: {scalar(e[k])}\n" for k in keys[1:]))
    return "".join(out)


FORMATS = {"json": as_json, "jsonl": as_jsonl, "yaml": as_yaml}


def write_taskwarrior(folder: Path, count: int) -> None:
    """One task per ledger entry, due 30 days after it, shifted so that the ledger's as-of date is
    today (Taskwarrior has no as-of): completed if it is a `done` entry or was due over a month ago."""
    folder.mkdir(parents=True, exist_ok=True)
    today = date.today()
    shift = today - AS_OF

    def stamp(day: date) -> int:
        return int(datetime.combine(day, time(8), UTC).timestamp())

    lines = []
    for n, entry in enumerate(entries(count)):
        day = entry["date"] + shift
        due = day + timedelta(days=30)
        done = entry["kind"] == "done" or due < today - timedelta(days=30)
        fields = {"description": entry.get("title") or f"{entry['kind']} {entry.get('obligation', n)}",
                  "due": stamp(due), "entry": stamp(day), "modified": stamp(day),
                  "status": "completed" if done else "pending", "uuid": str(uuid.UUID(int=n + 1, version=4))}
        if done:
            fields["end"] = stamp(min(due, today))
        lines.append("[" + " ".join(f'{k}:"{v}"' for k, v in fields.items()) + "]\n")
    (folder / "pending.data").write_text("".join(lines), encoding="utf-8")
    (folder / "taskrc").write_text(f"data.location={folder}\n", encoding="utf-8")


def write_remind(folder: Path, count: int) -> None:
    """One reminder per ledger entry, on the day 30 days after it."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = (f"REM {(e['date'] + timedelta(days=30)).isoformat()} MSG {e.get('title') or e['kind']}\n"
             for e in entries(count))
    (folder / "reminders.rem").write_text("".join(lines), encoding="utf-8")


def open_complaints(count: int, as_of: date = AS_OF, seed: int = 2026) -> list[dict]:
    """The "all open" workload: `count` first complaints received over the last year, none accepted
    yet, so every one is an open obligation (overdue, due soon or later)."""
    rng = random.Random(seed)
    return [{"id": f"kn-{n}", "kind": "complaint", "date": as_of - timedelta(days=rng.randrange(0, 365)),
             "title": f"Đơn khiếu nại số {n}"} for n in range(count)]


def write_open(folder: Path, count: int) -> None:
    """`open_complaints` as a JSON workspace (hdnd) and as pending tasks due ten days after each (Taskwarrior)."""
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "rules").mkdir(parents=True)
    (folder / "data").mkdir()
    (folder / "hdnd.toml").write_text(CONFIG.format(since="2025-01-01", ext="json"), encoding="utf-8")
    shutil.copy(HERE / "rules" / "bench-khieu-nai.toml", folder / "rules")
    items = open_complaints(count)
    (folder / "data" / "complaints.json").write_text(as_json(items), encoding="utf-8")
    tasks = folder / "task"
    tasks.mkdir()
    shift = date.today() - AS_OF

    def stamp(day: date) -> int:
        return int(datetime.combine(day, time(8), UTC).timestamp())

    lines = [f'[description:"{e["title"]}" due:"{stamp(e["date"] + shift + timedelta(days=10))}" '
             f'entry:"{stamp(e["date"] + shift)}" modified:"{stamp(e["date"] + shift)}" status:"pending" '
             f'uuid:"{uuid.UUID(int=n + 1, version=4)}"]\n' for n, e in enumerate(items)]
    (tasks / "pending.data").write_text("".join(lines), encoding="utf-8")
    (tasks / "taskrc").write_text(f"data.location={tasks}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--format", choices=[*FORMATS, "taskwarrior", "remind", "open"], default="json")
    parser.add_argument("--as-of", type=date.fromisoformat, default=AS_OF)
    args = parser.parse_args()
    if args.format == "taskwarrior":
        write_taskwarrior(args.out, args.entries)
    elif args.format == "remind":
        write_remind(args.out, args.entries)
    elif args.format == "open":
        write_open(args.out, args.entries)
    else:
        write(args.out, args.entries, args.format, args.as_of)
    print(args.out)


if __name__ == "__main__":
    main()
