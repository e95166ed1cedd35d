"""Recording what happened: new ledger entries, checked with the whole ledger, then appended.

`record()` runs one transaction of the workspace's store: it reads the ledger afresh with no other
writer in between, lets the caller build the new entries from what is there now, checks that the
ledger with them still passes `hdnd check`, and only then keeps them: all of them or, on any
problem, none. It knows nothing of files or databases; the store does.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from ..dates.counting import parse_date
from ..engine.evaluate import evaluate
from ..model import Entry, Obligation, Problem, UserError, Workspace
from ..parse.ledger import RESERVED, read_entry
from .base import Ledger, Store, Written

Builder = Callable[[Workspace, dict[str, Obligation]], list[dict[str, Any]]]
_INTEGER = re.compile(r"^-?(0|[1-9]\d*)$")
FIELD_NAME = re.compile(r"^(?!\d+$)\w+(-\w+)*$")  # letters, digits, _ and inner -; not a number alone


def record(workspace: Workspace, store: Store, build: Builder, today: date, now: datetime, user: str,
           dry_run: bool = False) -> list[Written]:
    """Append the entries `build` returns; all of them or, on any problem, none. `workspace` holds the
    settings and rules; its ledger is read again inside the transaction."""
    with store.transaction() as transaction:
        current = _with_ledger(workspace, transaction.read())
        obligations, _, _ = evaluate(current, today)  # a ledger that already fails check is not written to
        entries = build(current, {o.id: o for o in obligations})
        stamp = {"by": user, "at": now.replace(microsecond=0)}
        entries = [{**entry, "recorded": stamp} for entry in entries]
        for text in (t for entry in entries for t in (*entry, *entry.values(), user) if isinstance(t, str)):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:  # bytes that were not UTF-8 on the command line or in HDND_USER
                raise UserError("not-utf8-text", value=text.encode("utf-8", "replace").decode()) from None
        after, written = transaction.plan(entries)
        evaluate(_with_ledger(workspace, after), today)
        if not dry_run:
            transaction.commit()
    return written


def _with_ledger(workspace: Workspace, ledger: Ledger) -> Workspace:
    settled = list(workspace.problems)  # the settings' and rules' own problems
    return replace(workspace, entries=ledger.entries, problems=settled + ledger.problems,
                   files={**workspace.files, **ledger.places})


# --- building entries -------------------------------------------------------------------------------

def value_of(text: str) -> Any:
    """A `--set` or spreadsheet value as a user means it: a date, a whole number, true or false, or text."""
    text = text.strip()
    try:
        return parse_date(text)
    except ValueError:
        pass
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    return int(text) if _INTEGER.match(text) else text


def entry_problems(entry: dict[str, Any], where: str, line: int) -> list[Problem]:
    """What the ledger reader would say of `entry` at `where:line`."""
    problems: list[Problem] = []
    read_entry({**entry, "__line__": line}, where, problems)
    return problems


def new_id(kind: str, day: date, taken: set[str]) -> str:
    """`session-2024-07-10`, then `-2`, `-3` ... until unused."""
    base = f"{kind}-{day.isoformat()}"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


EntryIndex = dict[tuple[str, date], list[Entry]]


def by_kind_and_date(entries: list[Entry]) -> EntryIndex:
    """The ledger's entries by (kind, date), for `same_entry`: an import looks each row up, not the
    whole ledger."""
    index: EntryIndex = {}
    for entry in entries:
        index.setdefault((entry.kind, entry.date), []).append(entry)
    return index


def same_entry(index: EntryIndex, new: dict[str, Any]) -> Entry | None:
    """An entry already in the ledger with the same kind, date and fields as `new` (ids and stamps
    aside: a sheet imported twice gets new ids), or None."""
    fields = {k: v for k, v in new.items() if k not in ("kind", "date", "id")}
    for entry in index.get((new["kind"], new["date"]), ()):
        if {k: v for k, v in entry.fields.items() if k not in ("id", "recorded")} == fields:
            return entry
    return None


def taken_ids(workspace: Workspace) -> set[str]:
    return {e.id for e in workspace.entries if e.id is not None}


def refuse_reserved(kind: str) -> None:
    if kind in RESERVED and kind != "obligation":
        raise UserError("add-reserved", kind=kind)

