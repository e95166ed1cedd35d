"""The floor of a plain Python loop over columns, for one rule's common shape: complaint acceptance.

    .venv/bin/python bench/floor.py WORKSPACE [CACHE_DIR]

Reads a workspace from `bench/generate.py`, holds its complaints as columns (day numbers, ids, the
`handler` and `round` fields) and each `done`'s day by the obligation it names, and computes
`complaint-first-accept` (the version before 01/07/2026) by one loop that writes columns and makes no
records; then checks every due date and status against the engine's and prints both times. Then
the memory the whole ledger takes as the records the engine reads now (each entry, its mapping and
what they hold) and as a table per kind (day numbers, ids, file numbers and lines in arrays, and a
column per field), each object counted once, with and without the texts no rule computes with
(titles, senders, document numbers). A measurement for docs/performance.md ("the floor of a loop
over columns"), not a second engine.
"""
from __future__ import annotations

import gc
import sys
import time
from array import array
from datetime import date
from pathlib import Path

from hdnd_cli import api
from hdnd_cli.dates.counting import due_after_trigger
from hdnd_cli.engine.compute import compute
from hdnd_cli.engine.evaluate import settings_of
from hdnd_cli.storage.cache import KEPT_FROM, OFF, Cache

AS_OF = date(2026, 11, 23)  # generate.AS_OF
DONE, LATE, OVERDUE, OPEN = range(4)


def main(folder: str, cache: str | None) -> None:
    gc.disable()  # as hdnd runs
    workspace = api.load(Path(folder) / "hdnd.toml", with_ledger=True,
                         cache=Cache(Path(cache), KEPT_FROM) if cache else OFF)
    rule = next(r for r in workspace.rules if r.id == "complaint-first-accept" and r.in_force.end)
    events = [e for e in workspace.entries if e.kind == "complaint"]
    days, ids = [e.date.toordinal() for e in events], [e.id for e in events]
    handlers, rounds = [e.fields.get("handler") for e in events], [e.fields.get("round") for e in events]
    done_on = {e.fields["obligation"]: e.date.toordinal() for e in workspace.entries if e.kind == "done"}
    first, last = rule.in_force.start.toordinal(), min(rule.in_force.end, AS_OF).toordinal()
    due_by_day = {day: due_after_trigger(workspace.calendar, date.fromordinal(day), rule.deadline).date.toordinal()
                  for day in set(days) if first <= day <= last}

    def loop() -> tuple[list[str], list[int], list[int], list[str]]:
        prefix, today = rule.id + "/", AS_OF.toordinal()
        out_ids, out_dues, out_statuses, out_obligors = [], [], [], []
        for index in range(len(days)):
            day = days[index]
            if day < first or day > last or rounds[index] == 2:
                continue
            due, obligation_id = due_by_day[day], prefix + ids[index]
            done = done_on.get(obligation_id)
            out_ids.append(obligation_id)
            out_dues.append(due)
            out_statuses.append((DONE if done <= due else LATE) if done is not None else OVERDUE if due < today else OPEN)
            out_obligors.append(handlers[index] or "chu-tich-ubnd")
        return out_ids, out_dues, out_statuses, out_obligors

    best = min(_timed(loop)[1] for _ in range(5))
    made = loop()
    mine = set(made[0])  # the acts of the obligations this rule makes (others would only be unknown)
    theirs = [e for e in workspace.entries if e.kind == "complaint" or (e.kind == "done" and e.fields["obligation"] in mine)]
    obligations, seconds = _timed(lambda: compute([rule], theirs, workspace.calendar, AS_OF, settings_of(workspace))[0])
    codes = {"done": DONE, "late": LATE, "overdue": OVERDUE}
    same = dict(zip(made[0], zip(made[1], made[2]))) == {
        o.id: (o.due.toordinal(), codes.get(o.status, OPEN)) for o in obligations}
    count = len(made[0])
    print(f"{len(workspace.entries):,} entries, {count:,} obligations: the loop {best:.3f} s "
          f"({best / count * 1e6:.2f} µs each); the engine on the same rule and entries {seconds:.3f} s; "
          f"the same due dates and statuses: {same}")
    if not same:
        raise SystemExit(1)
    entries = workspace.entries
    print(f"the {len(entries):,} entries as records: {_size(entries) / 2**20:.1f} MiB; as a table per kind: "
          f"{_size(_columns(entries, set())) / 2**20:.1f} MiB, "
          f"{_size(_columns(entries, SHOWN_ONLY)) / 2**20:.1f} MiB without the texts shown only")


SHOWN_ONLY = {"title", "title_en", "from", "ref"}  # read when an obligation is shown, never computed with


def _columns(entries, leave_out: set[str]):  # type: ignore[no-untyped-def]
    """The entries as a table per kind: a day number, an id, a file number and a line each, and a
    column per field its entries have (None where one lacks it), the time recorded among them."""
    files = {file: number for number, file in enumerate(sorted({e.file for e in entries}))}
    tables = {}
    for kind in {e.kind for e in entries}:
        rows = [e for e in entries if e.kind == kind]
        names = {name for e in rows for name in e.fields if name not in leave_out}
        tables[kind] = (array("i", [e.date.toordinal() for e in rows]), [e.id for e in rows],
                        array("i", [files[e.file] for e in rows]), array("i", [e.line for e in rows]),
                        [e.recorded_at for e in rows] if any(e.recorded_at for e in rows) else None,
                        {name: [e.fields.get(name) for e in rows] for name in names})
    return tables


def _size(root) -> int:  # type: ignore[no-untyped-def]
    """Bytes of `root` and everything it holds, each object once (shared texts and dates once)."""
    seen, stack, total = set(), [root], 0
    while stack:
        thing = stack.pop()
        if id(thing) in seen or thing is None or isinstance(thing, (bool, type)):
            continue
        seen.add(id(thing))
        total += sys.getsizeof(thing)
        if isinstance(thing, dict):
            stack.extend(thing.keys())
            stack.extend(thing.values())
        elif isinstance(thing, (tuple, list)):
            stack.extend(thing)
    return total


def _timed(work):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = work()
    return result, time.perf_counter() - start


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
