"""Recording what happened: new ledger entries appended in one transaction of the store.

`append()` keeps entries built from a ledger read before the transaction began: under the store's
lock it confirms that the ledger is still the one read (else it keeps nothing and says so, and the
caller builds again, under the lock), lets the caller check the ledger as it would be with them, and
only then keeps them: all of them or, on any problem, none. It knows nothing of files or databases; the store does.
The application (`api.record`) reads, builds and checks.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from ..dates.counting import parse_date
from ..model import Entry, Problem, UserError, Workspace
from ..parse.ledger import LINE, RESERVED, read_entry
from .base import Ledger, Plan, Store, Written

_INTEGER = re.compile(r"^-?(0|[1-9]\d{0,17})$")  # a whole number a person counts; longer digits stay text
FIELD_NAME = re.compile(r"^(?!\d+$)\w+(-\w+)*$")  # letters, digits, _ and inner -; not a number alone


Prepared = tuple[list[dict[str, Any]], Callable[[Plan], None]]  # the entries, and the check of the plan


def append(store: Store, prepare: Callable[[Ledger], Prepared], read: Ledger | None = None,
           dry_run: bool = False) -> list[Written] | None:
    """Append the entries `prepare` makes from the ledger, if the check it gives passes the plan.

    With `read`, a ledger read before the transaction began, `prepare` runs before the store's lock is
    taken, and its entries are kept only if the ledger is still `read`: else nothing is kept, and None
    says so. Without, the ledger is read and `prepare` runs under the lock (as it must when many write
    at once: each would otherwise find the others' entries come in between)."""
    prepared = prepare(read) if read is not None else None
    with store.transaction() as transaction:
        if read is None or prepared is None:
            prepared = prepare(transaction.read())
        elif not transaction.unchanged(read):
            return None
        entries, check = prepared
        refuse_unencodable(entries)
        plan = transaction.plan(entries)
        check(plan)
        if not dry_run:
            transaction.commit()
    return plan.written


def refuse_unencodable(entries: list[dict[str, Any]]) -> None:
    for text in _texts(entries):
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # bytes that were not UTF-8 on the command line or in HDND_USER
            raise UserError("not-utf8-text", value=text.encode("utf-8", "replace").decode()) from None


def _texts(value: Any) -> Iterator[str]:
    """Every text in entries, their keys and nested values included (the stamp's user)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


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
    read_entry({**entry, LINE: line}, where, problems)
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
    if workspace.ids is not None:
        return set(workspace.ids)
    return {e.id for e in workspace.entries if e.id is not None}


def refuse_reserved(kind: str) -> None:
    if kind in RESERVED and kind != "obligation":
        raise UserError("add-reserved", kind=kind)

