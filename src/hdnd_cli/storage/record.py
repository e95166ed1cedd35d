"""Recording what happened: new ledger entries, appended in each file's own format, checked first.

`record()` holds the workspace lock while it reads the ledger afresh, lets the caller build the new
entries from what is there now, checks that the ledger with them still passes `hdnd check`, and only
then writes each changed file atomically. Existing bytes are never rewritten: entries are appended.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable

from ..parse.ledger import RESERVED, read_entry
from .workspace import Workspace, evaluate, in_ledger, load
from ..model import Obligation, Problem, UserError
from .files import locked, recover, write_files
from ..dates.counting import parse_date

Builder = Callable[[Workspace, dict[str, Obligation]], list[dict[str, Any]]]
_INTEGER = re.compile(r"^-?(0|[1-9]\d*)$")
FIELD_NAME = re.compile(r"^(?!\d+$)\w+(-\w+)*$")  # letters, digits, _ and inner -; not a number alone
_EMPTY_FLOW_LIST = re.compile(r"^\s*\[\s*\]\s*(#.*)?$", re.MULTILINE)


@dataclass(frozen=True)
class Written:
    path: Path
    added: str  # exactly the text appended (or, for a new file, the whole file)
    entries: list[dict[str, Any]]


def record(config_file: Path, build: Builder, today: date, now: datetime, user: str,
           dry_run: bool = False) -> list[Written]:
    """Append the entries `build` returns; all of them or, on any problem, none."""
    recover(config_file.parent)  # a write a crash interrupted is finished first
    with locked(config_file.parent):
        workspace = load(config_file)
        obligations, _, _ = evaluate(workspace, today)  # a ledger that already fails check is not written to
        entries = build(workspace, {o.id: o for o in obligations})
        stamp = {"by": user, "at": now.replace(microsecond=0)}
        entries = [{**entry, "recorded": stamp} for entry in entries]
        for text in (t for entry in entries for t in (*entry, *entry.values(), user) if isinstance(t, str)):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:  # bytes that were not UTF-8 on the command line or in HDND_USER
                raise UserError("not-utf8-text", value=text.encode("utf-8", "replace").decode()) from None
        plan = _plan(workspace, entries)
        evaluate(load(config_file, overrides={path: text for path, (text, _, _) in plan.items()}), today)
        if not dry_run:
            write_files(config_file.parent, {path: text for path, (text, _, _) in plan.items()})
    return [Written(path, added, group) for path, (_, added, group) in plan.items()]


def _plan(workspace: Workspace, entries: list[dict]) -> dict[Path, tuple[str, str, list[dict]]]:
    """For each file written to: its new text, the part added, and the entries going there."""
    groups: dict[Path, list[dict]] = {}
    for entry in entries:
        path = workspace.root / workspace.write_to.format(year=entry["date"].year)
        if not in_ledger(workspace, path):
            raise UserError("write-to-outside", path=workspace.write_to)
        groups.setdefault(path, []).append(entry)
    plan = {}
    for path, group in groups.items():
        old = path.read_bytes().decode("utf-8") if path.exists() else None  # as it is: CRLF stays CRLF
        new = append(old, group, path.suffix)
        plan[path] = (new, new[len(old):] if old and new.startswith(old) else new, group)
    return plan


# --- the ledger's own formats ---------------------------------------------------------------------

NEW_YAML_HEADER = "# Sổ theo dõi (hdnd ledger). Entries are appended by `hdnd add`, `hdnd done`, ...\n"


def append(old: str | None, entries: list[dict], suffix: str) -> str:
    """`old` with `entries` appended in the same format and line endings (CRLF stays CRLF); `old`
    stays a prefix of the result (JSON: everything before the closing bracket; YAML: except a lone
    empty `[]`)."""
    if old is not None and "\r\n" in old:
        return _append(old.replace("\r\n", "\n"), entries, suffix).replace("\n", "\r\n")
    return _append(old, entries, suffix)


def _append(old: str | None, entries: list[dict], suffix: str) -> str:
    if suffix == ".jsonl":
        lines = "".join(json.dumps(e, ensure_ascii=False, default=_iso) + "\n" for e in entries)
        return (old or "") + ("\n" if old and not old.endswith("\n") else "") + lines
    if suffix == ".json":
        items = ",\n".join("  " + json.dumps(e, ensure_ascii=False, default=_iso) for e in entries)
        close = (old or "").rfind("]")
        if close < 0:
            return "[\n" + items + "\n]\n"
        before = old[:close].rstrip()
        joint = "\n" if before.endswith("[") else ",\n"
        return before + joint + items + "\n" + old[close:]
    block = yaml_block(entries)
    if old is None or not old.strip():
        return (old or NEW_YAML_HEADER) + block
    if _only_comments_and(old, "[]"):  # an empty flow list cannot be appended to: it gives way
        return _EMPTY_FLOW_LIST.sub("", old, count=1).rstrip("\n") + "\n" + block
    return old + ("\n" if old.endswith("\n") else "\n\n") + block


def _only_comments_and(text: str, token: str) -> bool:
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return [line for line in lines if line] == [token]


def yaml_block(entries: list[dict]) -> str:
    """Entries as a clerk would write them, one `key: value` a line (`recorded` indented below), written
    by the YAML emitter (never pasted text): any name or value reads back as it was given."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data) -> bool:  # entries share one `recorded` stamp: write it out each time
            return True

    # A timestamp as written, offset included (`2024-08-30T09:15:00+07:00`), not the emitter's own form.
    Dumper.add_representer(datetime, lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:timestamp", value.isoformat()))
    return yaml.dump(entries, Dumper=Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False,
                     width=10_000)


def _iso(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(value)


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


def by_kind_and_date(entries: list) -> dict[tuple, list]:
    """The ledger's entries by (kind, date), for `same_entry`: an import looks each row up, not the
    whole ledger."""
    index: dict[tuple, list] = {}
    for entry in entries:
        index.setdefault((entry.kind, entry.date), []).append(entry)
    return index


def same_entry(index: dict[tuple, list], new: dict[str, Any]):
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

