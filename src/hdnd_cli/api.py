"""hdnd as a library: the functions the command line is made of, for use from Python.

The command line (`cli/`) reads the options, the environment, the clock and the terminal, calls these,
and prints what they return. Nothing here reads any of those four: the caller gives the day, the time,
the user, the cache and the law. See "Using hdnd from Python" in the README:

    from datetime import date, datetime
    from hdnd_cli import api

    workspace = api.load("hdnd.toml")                  # settings, rules, calendar; problems raise
    found = api.evaluate(workspace, date(2026, 12, 3))  # every obligation on that day
    late = api.select(found.obligations, workspace, status="overdue")
    api.record(workspace, api.done("bao-cao-1", ref="45/BC-UBND"), now=datetime(2026, 12, 3, 8), user="an")

A problem in the files raises `model.Invalid` (every problem at once); a request that cannot be met
raises `model.UserError`. Both name what to do, in Vietnamese and English (`messages.say`).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .messages import fold, say
from .model import LOUD, STATUSES, Entry, Invalid, Obligation, Problem, Rule, UserError, Workspace

if TYPE_CHECKING:
    from email.message import EmailMessage

    from .parse.tables import Row
    from .render.mail import Mail
    from .storage.base import Ledger, Meter, Plan, Written
    from .storage.cache import Cache
    from .storage.law import Law

__all__ = ["Build", "Delivery", "Evaluation", "Invalid", "Register", "UserError", "add", "as_recorded", "correct",
           "done", "evaluate", "extend", "find_obligation", "import_register", "load", "mails", "notify",
           "offices", "read_register", "record", "rules_reading", "select", "void", "waive", "with_ledger"]

# What a write makes from the workspace with its ledger, its obligations by id, and today: new entries.
Build = Callable[[Workspace, dict[str, Obligation], date], list[dict[str, Any]]]


# --- reading ------------------------------------------------------------------------------------------

def load(config: str | Path | None = None, *, cache: Cache | None = None, law: Law | None = None,
         with_ledger: bool = False, database_url: str | None = None, as_committed: str | None = None,
         progress: Meter | None = None, stop: bool = True, recover: bool = True) -> Workspace:
    """A workspace: hdnd.toml (`config`: the file or its folder; else found from the current folder up,
    as git finds its repository), the law's rule packs and the office's, the calendar, and the ledger
    when `with_ledger` (`evaluate` reads it itself). `law`: the law in use (else hdnd's own);
    `database_url` replaces a `[store]`'s url; `as_committed`: a git commit whose hdnd.toml and packs
    are read. Raises `Invalid` with every problem unless not `stop`; a write a crash interrupted is
    finished first unless not `recover` (a folder that is not the user's, as the bundled example)."""
    from .storage.cache import OFF
    from .storage.files import recover as finish_interrupted
    from .storage.workspace import find_config
    from .storage.workspace import load as read_workspace

    path = find_config(str(config) if config is not None else None)
    if recover:
        finish_interrupted(path.parent)
    workspace = read_workspace(path, cache or OFF, with_ledger, database_url, progress, law, as_committed)
    if stop and workspace.problems:
        raise Invalid(workspace.problems)
    return workspace


class Evaluation(NamedTuple):
    """A workspace on a day: its obligations, and what was found wrong."""

    workspace: Workspace  # with its ledger, unless the kept results served
    as_of: date
    known_on: datetime | None
    obligations: list[Obligation]
    later: list[Entry]  # the entries `known_on` left out
    problems: list[Problem]  # the errors, and the warnings that change what is listed (model.LOUD)
    how: str  # "computed", or how kept results served: "reused", "extended"


def evaluate(workspace: Workspace, as_of: date, *, known_on: datetime | None = None, partial: bool = False,
             cache: Cache | None = None, closed: bool = True, progress: Meter | None = None) -> Evaluation:
    """Every obligation of `workspace` on `as_of`, counting only what was recorded by `known_on` when it
    is given. Raises `Invalid` on any problem in the files unless `partial`: the obligations are then
    those of every valid rule and entry. With a `cache` (a folder of this user's alone), what an earlier
    run derived serves when the files allow it (storage/kept.py), with the same answer; then the
    returned workspace holds no entries, and unless `closed` only the open obligations may be given."""
    if cache is not None and known_on is None and cache.trusted:
        from .storage.kept import obligations as kept_obligations

        obligations, problems, how = kept_obligations(workspace, as_of, cache, closed, progress)
        problems = [p for p in problems if not p.warning or p.key in LOUD]
        if [p for p in problems if not p.warning] and not partial:
            raise Invalid(problems)
        return Evaluation(workspace, as_of, None, obligations, [], problems, how)
    from .engine.evaluate import evaluate as compute

    workspace = with_ledger(workspace, workspace.store.read())
    obligations, later, problems = compute(workspace, as_of, known_on, partial, progress)
    return Evaluation(workspace, as_of, known_on, obligations, later, problems, "computed")


def with_ledger(workspace: Workspace, ledger: Ledger) -> Workspace:
    """`workspace` holding `ledger`, with the problems of what could not be read."""
    return replace(workspace, entries=ledger.entries, problems=[*workspace.problems, *ledger.problems],
                   files={**workspace.files, **ledger.places})


def offices(home: Workspace, names: list[str] | None, as_of: date, *, cache: Cache | None = None,
            law: Law | None = None, closed: bool = True, progress: Meter | None = None
            ) -> Iterable[tuple[str, Workspace, list[Obligation], str | None]]:
    """Each office of `home`'s database (`names`, else all) evaluated on `as_of` by the settings and
    rules it pushed, under `law`, as `evaluate` evaluates one (kept answers serve, and unless `closed`
    only the open obligations may be given): its id, workspace, obligations and the law it pushed under."""
    from collections import deque

    from .storage.cache import OFF
    from .storage.workspace import office_workspaces

    if home.settings.database is None:
        raise UserError("db-no-store")
    found = deque(office_workspaces(home.settings.database["url"], names, cache or OFF, law))
    meter = progress(len(found)) if progress else None
    while found:  # each office held only while it is evaluated, its ledger not after
        office, workspace, pushed_under = found.popleft()
        evaluated = evaluate(workspace, as_of, cache=cache, closed=closed)
        yield office, replace(evaluated.workspace, entries=[]), evaluated.obligations, pushed_under
        if meter:
            meter.advance(1)
    if meter:
        meter.close()


def find_obligation(obligations: Mapping[str, Obligation], wanted: str) -> Obligation:
    """An obligation by id, ignoring case and diacritics; `UserError` naming the nearest ids, or every
    id that `wanted` could mean (`d1` for both `Đ1` and `D1` is never picked silently)."""
    from .engine.compute import nearest

    if wanted in obligations:
        return obligations[wanted]
    alike = [o for o in obligations.values() if fold(o.id) == fold(wanted)]
    if len(alike) > 1:
        raise UserError("ambiguous-obligation", id=wanted, names=", ".join(sorted(o.id for o in alike)))
    if not alike:
        rule, slash, _ = fold(wanted).partition("/")
        same_rule = {key: o for key, o in obligations.items() if o.rule and fold(o.rule.id) == rule}
        if slash and not same_rule:  # not a near miss among other rules' obligations: no such rule here
            raise UserError("no-obligation-of-rule", id=wanted, rule=wanted.partition("/")[0])
        raise UserError("no-such-obligation", id=wanted, near=nearest(wanted, same_rule or dict(obligations)))
    return alike[0]


def select(obligations: list[Obligation], workspace: Workspace, obligor: str | None = None,
           rule: str | None = None, status: str | None = None) -> list[Obligation]:
    """The obligations that the filters keep, as `--obligor`, `--rule` and `--status` do: the body
    `obligor` names in full (or as offices shorten it: "UBND tỉnh"), else every word of it in the body's
    id or a name of it; every word of `rule` in the rule's id or the title, ignoring case and
    diacritics; `status` one or more, separated by commas, in English or Vietnamese."""
    from .engine.compute import name_key
    from .engine.evaluate import body_names

    if status:
        wanted = set()
        for part in fold(status).split(","):
            names = [s for s in STATUSES if part.strip() in (s, fold(say("status." + s, "vi")))]
            if not names:
                raise UserError("bad-option", option="--status", value=part.strip(), choices=", ".join(STATUSES))
            wanted.update(names)
        obligations = [o for o in obligations if o.status in wanted]
    if obligor:
        named = body_names(workspace).get(name_key(obligor))  # a body named in full, or as offices shorten it
        obligations = [o for o in obligations if o.obligor == named] if named else [
            o for o in obligations if _matches(name_key(obligor), *map(name_key, (
                o.obligor, workspace.body_name(o.obligor, "vi"), workspace.body_name(o.obligor, "en"))))]
    if rule:
        obligations = [o for o in obligations
                       if _matches(rule, o.rule.id if o.rule else o.id, o.title, o.title_en or "")]
    return obligations


def _matches(needle: str, *texts: str) -> bool:
    words = fold(needle).split()
    return any(all(word in fold(text) for word in words) for text in texts)


# --- writing ------------------------------------------------------------------------------------------

def record(workspace: Workspace, build: Build, *, now: datetime, user: str, dry_run: bool = False,
           incremental: bool = True, cache: Cache | None = None) -> list[Written]:
    """Append the entries `build` makes, stamped with `user` and `now`: all of them or, on any problem,
    none. The ledger is read and its obligations computed once, and the entries built, before the
    store's transaction begins; in it the store confirms that nothing changed since (else all is done
    again, under the lock), and the ledger with the new entries must pass `hdnd check`. That check
    extends the computation by the new entries where that is shown to give the full computation's
    answer (engine/kept.py), else computes afresh (always, unless `incremental`). With a `cache`
    holding the answer kept for the ledger as it is (storage/kept.py), that answer serves instead of
    reading the ledger, where it can: see `_record_kept`."""
    from functools import partial

    from .storage.record import append

    if incremental and cache is not None and cache.trusted:
        kept = _record_kept(workspace, build, now, user, dry_run, cache)
        if kept is not None:
            return kept
    prepare = partial(_prepare, workspace, build, now, user, incremental)
    written = append(workspace.store, prepare, workspace.store.read(), dry_run)
    if written is None:  # another writer came in between: once more, under the lock this time
        written = append(workspace.store, prepare, None, dry_run)
    assert written is not None  # read under the lock, the ledger cannot change
    return written


def _prepare(workspace: Workspace, build: Build, now: datetime, user: str, incremental: bool,
             ledger: Ledger) -> tuple[list[dict[str, Any]], Callable[[Plan], None]]:
    """The entries `build` makes from `ledger`, stamped; and the check of the ledger with them."""
    from .engine.evaluate import find_problems, settings_of, usable_rules
    from .engine.kept import extended, keep

    today = now.date()
    current = with_ledger(workspace, ledger)
    obligations, problems = find_problems(current, today)
    errors = [p for p in problems if not p.warning or p.key in LOUD]
    if any(not p.warning for p in errors):  # a ledger that already fails check is not written to
        raise Invalid(errors)
    stamp = {"by": user, "at": now.replace(microsecond=0)}
    entries = [{**entry, "recorded": stamp} for entry in build(current, {o.id: o for o in obligations}, today)]

    def check(plan: Plan) -> None:
        if incremental and plan.added and _said(plan.after.problems) == _said(ledger.problems):
            rules, settings = usable_rules(current), settings_of(current)
            kept, _ = keep(rules, current.entries, problems[len(workspace.problems):], obligations, today, settings)
            grown = extended(kept, plan.added, rules, current.calendar, today, settings)
            if grown is not None:  # the new entries read as nothing new is wrong, and the engine agrees
                found = [p for p in [*workspace.problems, *grown.problems] if not p.warning or p.key in LOUD]
                if any(not p.warning for p in found):
                    raise Invalid(found)
                return
        from .engine.evaluate import evaluate as compute

        compute(with_ledger(workspace, plan.after), today)  # raises Invalid

    return entries, check


class _Unknown(Exception):
    """A write asked the kept answer for what only the whole ledger knows."""


class _Unread(list[Entry]):
    """The entries, not read: a write that looks through them is done from the whole ledger."""

    def __iter__(self) -> Any:
        raise _Unknown


class _OpenOnly(dict[str, Obligation]):
    """The open obligations by id: a write that looks for another (a closed one, a near name) is done
    from the whole ledger, which knows them all."""

    def __iter__(self) -> Any:
        raise _Unknown

    def values(self) -> Any:
        raise _Unknown

    def items(self) -> Any:
        raise _Unknown


def _record_kept(workspace: Workspace, build: Build, now: datetime, user: str, dry_run: bool,
                 cache: Cache) -> list[Written] | None:
    """`record` from the answer kept for the ledger (its ids and open obligations), under the lock
    from the start: the entries are built from it, read back as appended (from the files' text, or
    the office's new rows), and checked by extending it (engine/kept.py). None, having written
    nothing, wherever that cannot be shown to give what reading the whole ledger gives: a ledger
    with errors, no kept answer for today, a build that needs more than the open obligations and the
    ids, an append that is not shown safe, an office that moved since its answer was kept."""
    from .engine.evaluate import settings_of, usable_rules
    from .engine.kept import extended, on
    from .storage.filestore import FileStore, show_path
    from .storage.kept import appended, current
    from .storage.record import refuse_unencodable

    today, store = now.date(), workspace.store
    with store.transaction() as transaction:
        head = current(workspace, today, cache).head
        if head is None or any(not p.warning for p in [*workspace.problems, *head.kept.problems]):
            return None
        view = replace(workspace, entries=_Unread(), ids=set(head.kept.ids.split("\n")) - {""})
        open_ = _OpenOnly({o.id: o for o in on(head.kept, today, workspace.settings.horizon)})
        stamp = {"by": user, "at": now.replace(microsecond=0)}
        try:
            entries = [{**entry, "recorded": stamp} for entry in build(view, open_, today)]
        except _Unknown:
            return None
        refuse_unencodable(entries)
        if isinstance(store, FileStore):
            written = transaction.appended(entries)
            added = appended(head, {show_path(path): text.encode() for path, text in transaction.files.items()})
        else:  # a database office: the rows inserted in the transaction, while it is as the answer knows it
            found = transaction.inserted(head.places[0].digest, entries)
            if found is None:
                return None
            written, added = found
        rules, settings = usable_rules(workspace), settings_of(workspace)
        grown = extended(head.kept, added, rules, workspace.calendar, today, settings) if added else None
        if grown is None:
            return None
        found = [p for p in [*workspace.problems, *grown.problems] if not p.warning or p.key in LOUD]
        if any(not p.warning for p in found):
            raise Invalid(found)
        if not dry_run:
            transaction.commit()
    return [item._replace(source="kept") for item in written]


def _said(problems: list[Problem]) -> list[tuple[str, int, str, str]]:
    return sorted((p.file, p.line, p.key, repr(sorted(p.params.items()))) for p in problems)


def _open(o: Obligation) -> Obligation:
    """Refuse to act on an obligation that is already closed."""
    if o.done:
        raise UserError("already-done", id=o.id, date=o.done.date, ref=o.done.ref or "")
    if o.status == "waived":
        raise UserError("already-waived", id=o.id)
    return o


def _day(day: date | None, today: date) -> date:
    day = day or today
    if day > today:
        raise UserError("date-in-future", date=day)
    return day


def _optional(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, "")}


def add(kind: str, day: date, *, id: str | None = None, fields: Mapping[str, Any] | None = None) -> Build:
    """An event (`session`, `voter-contact`, `complaint` ...) on `day`; its id made from the kind and
    the day unless given. A kind not planned ahead (a complaint received tomorrow) is refused after today."""
    from .engine.compute import PLANNED
    from .storage.record import new_id, refuse_reserved, taken_ids

    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        refuse_reserved(kind)
        if day > today and kind not in PLANNED | set(workspace.settings.planned):
            raise UserError("event-in-future", kind=kind, date=day, planned=", ".join(sorted(PLANNED)))
        taken = taken_ids(workspace)
        entry_id = id or new_id(kind, day, taken)
        if entry_id in taken:
            raise UserError("id-taken", id=entry_id)
        return [{"id": entry_id, "kind": kind, "date": day, **as_recorded(kind, fields or {})}]

    return build


def rules_reading(workspace: Workspace, kind: str, day: date, fields: Mapping[str, Any] | None = None) -> list[Rule]:
    """The rules that apply to the office on `day` and read an event of `kind` with these `fields`
    (start from it, or are met or counted by it): none means recording it makes no obligation here."""
    from .engine.compute import applies

    event = Entry(kind, day, None, fields or {}, "", 0)
    return [r for r in workspace.rules if r.enabled and day in r.in_force and applies(r, workspace.settings.level)
            and any(match.event == kind and match.matches(event) for match in r.reads)]


def done(obligation_id: str, day: date | None = None, *, ref: str | None = None, by: str | None = None,
         note: str | None = None, evidence: tuple[Path, str] | None = None) -> Build:
    """An obligation met on `day` (today unless given); `evidence`: a file and its SHA-256, kept as a
    path from the workspace's folder (it must be inside it)."""
    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        proof = {"file": _inside(workspace.root, evidence[0]), "sha256": evidence[1]} if evidence else {}
        o = _open(find_obligation(obligations, obligation_id))
        met = _day(day, today)
        if o.arises and met < o.arises:
            raise UserError("done-before-start", id=o.id, date=met, start=o.arises)
        return [{"kind": "done", "obligation": o.id, "date": met, **_optional(ref=ref, by=by, note=note), **proof}]

    return build


def extend(obligation_id: str, until: date, reason: str, *, day: date | None = None, ref: str | None = None) -> Build:
    """A new due date where the rule allows one: how many, how long and on what facts, the engine checks."""
    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        o = _open(find_obligation(obligations, obligation_id))
        if o.due is None:
            raise UserError("extend-suspended", id=o.id)
        if until <= o.due:
            raise UserError("extend-not-later", id=o.id, due=o.due)
        return [{"kind": "extend", "obligation": o.id, "date": _day(day, today), "until": until, "reason": reason,
                 **_optional(ref=ref)}]

    return build


def waive(obligation_id: str, reason: str, *, day: date | None = None, ref: str | None = None) -> Build:
    """An obligation that does not apply, and why."""
    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        o = _open(find_obligation(obligations, obligation_id))
        return [{"kind": "waive", "obligation": o.id, "date": _day(day, today), "reason": reason,
                 **_optional(ref=ref)}]

    return build


def correct(entry_id: str, fields: Mapping[str, Any], reason: str, *, day: date | None = None) -> Build:
    """`hdnd set`: fields of an entry corrected or added, on record."""
    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        kind = _correctable(workspace, entry_id)[0].kind
        return [{"kind": "set", "of": entry_id, "date": _day(day, today), "reason": reason, **as_recorded(kind, fields)}]

    return build


def void(ref: str, reason: str, *, day: date | None = None) -> Build:
    """An entry withdrawn as a mistake, on record: an id, or an act (`done:OBLIGATION[@DATE]`)."""
    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        _correctable(workspace, ref)
        return [{"kind": "void", "of": ref, "date": _day(day, today), "reason": reason}]

    return build


def _correctable(workspace: Workspace, ref: str) -> list[Entry]:
    """The entries a correction names; none is refused, with the nearest names."""
    from .engine.compute import Targets

    find = Targets(workspace.entries)
    found = find(ref)
    if not found:
        raise UserError("unknown-entry", id=ref, near=find.near(ref))
    return found


def as_recorded(kind: str, fields: Mapping[str, Any]) -> dict[str, Any]:
    """Fields as typed, a closed choice's Vietnamese word as its value (`phase=trước` is `before`), as
    `import` reads a register's."""
    from .parse.ledger import choice_value

    return {name: choice_value(kind, name, value) for name, value in fields.items()}


def _inside(root: Path, file: Path) -> str:
    """`file` as a path from the workspace's folder, with '/'."""
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UserError("file-outside", path=str(file), root=str(root)) from None


# --- importing a register -----------------------------------------------------------------------------

class Register(NamedTuple):
    """A spreadsheet read for import: its rows (number, cells), each column's field, the encoding a
    CSV was read in, and the row numbers of the footer left out."""

    name: str
    rows: list[Row]
    fields: dict[str, str]  # column -> field; a column not here is left out
    encoding: str | None
    footer: list[int]


ROW_NUMBERS = {"stt", "tt", "so tt", "so thu tu"}  # a register's row-number column: not a field


def read_register(data: bytes, name: str, kind: str, mapping: Mapping[str, str], *, header_row: int | None = None,
                  encoding: str | None = None) -> Register:
    """A CSV or XLSX register's rows, each column named by `mapping` (column -> field; "" leaves it out)
    or by its own header ('Số kiến nghị' -> so_kien_nghi). Refused before anything is read from the
    ledger: a column mapped twice, a field the kind needs with no column."""
    from .parse.ledger import REQUIRED
    from .parse.tables import read_rows

    folded = {fold(column.strip()): field for column, field in mapping.items()}
    table = read_rows(data, name, header_row, encoding)
    absent = [column for column, field in mapping.items()
              if field and fold(column.strip()) not in {fold(c) for c in table.columns}]
    if absent:  # a --map to a field from no column would be silently ignored (leaving one out of none is fine)
        raise UserError("map-no-column", column=absent[0], columns=", ".join(table.columns))
    chosen = {c: folded.get(fold(c), None if fold(c) in ROW_NUMBERS else _field_name(c)) for c in table.columns}
    fields = {c: n for c, n in chosen.items() if n}
    twice = sorted({n for n in fields.values() if list(fields.values()).count(n) > 1})
    if twice:  # two columns into one field: one would win silently
        raise UserError("map-twice", name=twice[0], columns=", ".join(c for c, n in fields.items() if n == twice[0]))
    for needed in ("date", *REQUIRED.get(kind, ())):
        if needed != "id" and needed not in fields.values():
            raise UserError("no-column", name=needed, columns=", ".join(table.columns),
                            example=f"{_likely(table.columns, needed)}={needed}")
    rows, footer = _without_footer(table.rows, [c for c, n in fields.items() if n == "date"])
    return Register(name, rows, fields, table.encoding, footer)


def import_register(register: Register, kind: str, *, allow_duplicates: bool = False) -> Build:
    """Every row of `register` as an entry of `kind`: all of them or, with any row in error or already
    in the ledger (unless `allow_duplicates`), none; each problem at its row."""
    from .model import ACTS
    from .parse.ledger import choice_value
    from .storage.record import by_kind_and_date, entry_problems, new_id, refuse_reserved, same_entry, taken_ids, value_of

    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        if kind not in ACTS:  # a register of completions, waivers or extensions imports as the commands write them
            refuse_reserved(kind)
        taken, entries, problems, again = taken_ids(workspace), [], [], []
        ledger = by_kind_and_date(workspace.entries)
        for number, cells in register.rows:
            entry: dict[str, Any] = {"kind": kind}
            for column, value in cells.items():
                field = register.fields.get(column)
                if field:
                    entry[field] = choice_value(kind, field, value_of(value) if isinstance(value, str) else value)
            entry = {k: v for k, v in entry.items() if v not in (None, "")}
            row_problems = entry_problems(entry, register.name, number)
            if row_problems:
                problems.extend(row_problems)
                continue
            if kind in ACTS and isinstance(entry.get("date"), date) and entry["date"] > today:
                problems.append(Problem(register.name, number, "act-in-future", {"date": entry["date"]}))
                continue
            twin = same_entry(ledger, entry) if not allow_duplicates else None
            if twin is not None or (entry.get("id") is not None and str(entry["id"]) in taken and not allow_duplicates):
                where = f"{twin.file}:{twin.line}" if twin else str(entry.get("id"))
                again.append(Problem(register.name, number, "already-in-ledger", {"where": where}))
                continue
            if kind in ACTS:  # an act names its obligation; it takes no id
                entries.append(entry)
                continue
            entry["id"] = str(entry.get("id") or new_id(kind, entry["date"], taken))
            taken.add(entry["id"])
            entries.append({"id": entry.pop("id"), **entry})
        if problems or again:
            raise Invalid(problems + again)
        return entries

    return build


def _likely(columns: list[str], field: str) -> str:
    """The column a field most likely is, for the hint that names it: a date in a column named 'Ngày …',
    an obligation in 'Nghĩa vụ …'; else the first column that is not the row number."""
    starts = {"date": "ngay", "obligation": "nghia vu", "reason": "ly do", "until": "den ngay"}.get(field, field)
    named = [c for c in columns if fold(c).startswith(starts)]
    others = [c for c in columns if fold(c) not in ROW_NUMBERS]
    return (named or others or columns or ["A"])[0]


def _without_footer(rows: list[Row], dates: list[str]) -> tuple[list[Row], list[int]]:
    """A register's rows without its footer: the rows after the last one with a date that have no date
    themselves (who kept the register, a total, a signature); and the footer's row numbers."""
    dated = [index for index, (_, cells) in enumerate(rows) if any(cells.get(c) not in (None, "") for c in dates)]
    last = dated[-1] if dated else -1
    footer = [number for number, cells in rows[last + 1:] if not any(cells.get(c) not in (None, "") for c in dates)]
    return rows[:last + 1] + [r for r in rows[last + 1:] if r[0] not in footer], footer


def _field_name(column: str) -> str:
    """An unmapped column header as a field name: 'Số kiến nghị' -> 'so_kien_nghi'."""
    import re

    return re.sub(r"[^a-z0-9]+", "_", fold(column)).strip("_") or "column"


# --- reaching people ----------------------------------------------------------------------------------

SENT_LOG = ".hdnd-notified.json"  # what was sent on which day, so a second run does not repeat it
NOTIFY_LOCK = ".hdnd-notify.lock"  # one notify at a time, without holding the writers' lock while it talks


class Delivery(NamedTuple):
    """What `notify` did: each message sent, left out as sent already today, not sent and why, or
    perhaps sent (`body <address>` first); and, when the log could not be kept, why (a second run would
    send again)."""

    sent: list[str]
    skipped: list[str]
    failed: list[str]
    unsure: list[str]  # the server went quiet after the whole message: it may have gone (not resent)
    log_error: OSError | None = None  # the sent log (SENT_LOG) could not be written


def mails(evaluation: Evaluation, *, now: datetime, only: str | None = None, lang: str = "vi"
          ) -> tuple[list[Mail], list[str]]:
    """One message to each body with items (`only`: "overdue" or "due"), and a summary to the office;
    and the bodies that have no address."""
    from .render.mail import mails as make

    workspace = evaluation.workspace
    sender = workspace.settings.notify.get("sender") or workspace.settings.office.get("email") or "hdnd@localhost"
    return make(evaluation.obligations, workspace, evaluation.as_of, only, sender, now, lang)


def notify(workspace: Workspace, found: list[Mail], day: date, *, password: str | None = None,
           force: bool = False, left: Callable[[], float] | None = None) -> Delivery:
    """Send each message of `found` not yet sent about `day` (all again if `force`) through the office's
    server, remembering each in the workspace's sent log as it goes; a server that does not answer is
    not waited for again. One run at a time: a second sees what the first sent."""
    import json

    from .net.smtp import NotDelivered, send
    from .storage.files import Refused, locked, read_bytes, write_atomically

    log_path = workspace.root / SENT_LOG
    with locked(workspace.root, NOTIFY_LOCK):  # not the writers' lock: a secretary's write never waits on mail
        try:  # hdnd's own file: a link or anything but a regular file is refused, never followed
            log = json.loads(read_bytes(log_path, follow=False))
            log = log if isinstance(log, dict) else {}
        except Refused as refused:
            raise UserError("own-file-refused", path=str(log_path), error=refused.key) from None
        except (OSError, ValueError):
            log = {}
        sent_today = log.get(day.isoformat())
        if not isinstance(sent_today, dict):  # none yet, or a log of another shape: what it says of today is lost
            sent_today = log[day.isoformat()] = {}
        done: Delivery = Delivery([], [], [], [])
        unreachable = None
        for mail in found:
            key, to = mail.body or "(office)", _address(mail.message)
            if not force and sent_today.get(key) == mail.digest:
                done.skipped.append(f"{key} <{to}>")
                continue
            if unreachable is not None:
                done.failed.append(f"{key} <{to}>: {unreachable}")
                continue
            try:
                send(workspace.settings.notify, password, mail.message, left)
            except NotDelivered as error:
                unreachable = error.reason if error.unreachable else None
                if not error.unsure:
                    done.failed.append(f"{key} <{to}>: {error.reason}")
                    continue
                done.unsure.append(f"{key} <{to}>: {error.reason}")  # kept as sent: never twice unasked
            else:
                done.sent.append(f"{key} <{to}>")
            sent_today[key] = mail.digest
            try:
                write_atomically(log_path, json.dumps(log, ensure_ascii=False, indent=1), follow=False)
            except OSError as error:
                return done._replace(log_error=error)
    return done


def _address(message: EmailMessage) -> str:
    return str(message["To"])
