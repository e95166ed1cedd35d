"""The write commands: add, done, extend, waive, set, void, import. Each builds entries and hands
them to `record.record`, which checks them against the rules and the whole ledger and keeps all or
nothing. Today comes from the run (`HDND_NOW` pins it)."""

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..messages import fold, say
from ..model import Invalid, Obligation, Problem, Stop, UserError, Workspace
from .app import ConfigOpt, LangOpt, app, find_obligation, hdnd, parse_day

if TYPE_CHECKING:
    from ..parse.tables import Row

# What a write command makes, from the workspace, its obligations and today: the entries to append.
Build = Callable[[Workspace, dict[str, Obligation], date], list[dict[str, Any]]]

DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="in ra những gì sẽ ghi, không ghi gì / print what would be written, write nothing")]
RefOpt = Annotated[str | None, typer.Option("--ref", help="số/ký hiệu văn bản, ví dụ 45/BC-UBND / document number")]
DateOpt = Annotated[str | None, typer.Option("--date", help="ngày (mặc định: hôm nay) / date (default: today)")]


class NotWritten(Stop):
    """A write refused: why, then that no file changed."""

    def __init__(self, cause: Stop):
        super().__init__(str(cause))
        self.cause = cause
        self.code = cause.code


def _write(ctx: typer.Context, config: str | None, lang: str | None, dry_run: bool, build: Build) -> None:
    """Run one write in a transaction of the workspace's store and report what was (or would be) written."""
    from ..storage.record import record

    run = hdnd(ctx, config=config, lang=lang)
    try:
        if run.example:
            raise UserError("example-read-only")
        workspace = run.workspace(with_ledger=False, stop=False)
        now = run.now(workspace.timezone)
        written = record(workspace, workspace.store, lambda ws, obligations: build(ws, obligations, now.date()),
                         now.date(), now, run.user, dry_run)
    except (Invalid, UserError) as error:
        raise NotWritten(error) from None
    for item in written:
        ids = ", ".join(str(e.get("id") or e.get("obligation")) for e in item.entries)
        key = "would-write" if dry_run else "written"
        print(say(key, run.lang, count=len(item.entries), path=item.place, ids=ids))
        if dry_run:
            print(item.added, end="" if item.added.endswith("\n") else "\n")


def _open(o: Obligation) -> Obligation:
    """Refuse to act on an obligation that is already closed."""
    if o.done:
        raise UserError("already-done", id=o.id, date=o.done.date, ref=o.done.ref or "")
    if o.status == "waived":
        raise UserError("already-waived", id=o.id)
    return o


def _day(text: str | None, today: date) -> date:
    day = parse_day(text) if text else today
    if day > today:
        raise UserError("date-in-future", date=day)
    return day


def _optional(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v not in (None, "")}


@app.command()
def add(ctx: typer.Context, kind: Annotated[str, typer.Argument(help="session, voter-contact, ...")],
        date_: Annotated[str, typer.Option("--date", help="ngày xảy ra (hoặc dự kiến) / when it happens")],
        id_: Annotated[str | None, typer.Option("--id", help="mã (tự tạo nếu bỏ trống) / id (generated if none)")] = None,
        set_: Annotated[list[str] | None, typer.Option("--set", help="trường=giá trị / field=value")] = None,
        dry_run: DryRunOpt = False, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Ghi một sự kiện (kỳ họp, đợt TXCT, ...) / record one event."""
    from ..engine.compute import PLANNED
    from ..storage.record import FIELD_NAME, new_id, refuse_reserved, taken_ids, value_of

    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        refuse_reserved(kind)
        day = parse_day(date_)
        fields: dict[str, Any] = {}
        for item in set_ or []:
            name, sep, value = item.partition("=")
            name = name.strip()
            if not sep or not FIELD_NAME.match(name) or name in ("kind", "date", "id", "recorded"):
                raise UserError("bad-set", value=item)
            fields[name] = value_of(value)
        if day > today and kind not in PLANNED | set(workspace.planned):  # a complaint received tomorrow: not yet
            raise UserError("event-in-future", kind=kind, date=day, planned=", ".join(sorted(PLANNED)))
        taken = taken_ids(workspace)
        entry_id = id_ or new_id(kind, day, taken)
        if entry_id in taken:
            raise UserError("id-taken", id=entry_id)
        return [{"id": entry_id, "kind": kind, "date": day, **fields}]

    _write(ctx, config, lang, dry_run, build)


@app.command()
def done(ctx: typer.Context, obligation_id: Annotated[str, typer.Argument(metavar="ID")],
         date_: DateOpt = None, ref: RefOpt = None,
         by: Annotated[str | None, typer.Option("--by", help="cơ quan gửi / the body that sent it")] = None,
         note: Annotated[str | None, typer.Option("--note", help="ghi chú / a note")] = None,
         file: Annotated[Path | None, typer.Option("--file", help="tệp văn bản làm chứng cứ / evidence file")] = None,
         dry_run: DryRunOpt = False, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Ghi một nghĩa vụ đã hoàn thành / record an obligation as met."""
    evidence = _evidence(file) if file is not None else {}  # hashed before the lock is taken

    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        if evidence:  # stored relative to the workspace, so the link works from anywhere in it
            evidence["file"] = _inside(workspace.root, file)  # type: ignore[arg-type] # evidence means a file
        o = _open(find_obligation(obligations, obligation_id))
        day = _day(date_, today)
        if o.arises and day < o.arises:
            raise UserError("done-before-start", id=o.id, date=day, start=o.arises)
        return [{"kind": "done", "obligation": o.id, "date": day, **_optional(ref=ref, by=by, note=note),
                 **evidence}]

    _write(ctx, config, lang, dry_run, build)


@app.command()
def extend(ctx: typer.Context, obligation_id: Annotated[str, typer.Argument(metavar="ID")],
           until: Annotated[str, typer.Option("--until", help="hạn mới / the new due date")],
           reason: Annotated[str, typer.Option("--reason", help="lý do / the reason")],
           ref: RefOpt = None, date_: DateOpt = None,
           dry_run: DryRunOpt = False, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Gia hạn một nghĩa vụ theo quy tắc / extend an obligation where its rule allows it."""
    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:  # how many, how long, on what facts: the engine checks it
        new_due = parse_day(until)
        o = _open(find_obligation(obligations, obligation_id))
        if o.due is None:
            raise UserError("extend-suspended", id=o.id)
        if new_due <= o.due:
            raise UserError("extend-not-later", id=o.id, due=o.due)
        return [{"kind": "extend", "obligation": o.id, "date": _day(date_, today), "until": new_due,
                 "reason": reason, **_optional(ref=ref)}]

    _write(ctx, config, lang, dry_run, build)


@app.command()
def waive(ctx: typer.Context, obligation_id: Annotated[str, typer.Argument(metavar="ID")],
          reason: Annotated[str, typer.Option("--reason", help="lý do không áp dụng / why it does not apply")],
          ref: RefOpt = None, date_: DateOpt = None,
          dry_run: DryRunOpt = False, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Miễn một nghĩa vụ không áp dụng, có lý do / waive an obligation that does not apply."""

    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        o = _open(find_obligation(obligations, obligation_id))
        return [{"kind": "waive", "obligation": o.id, "date": _day(date_, today), "reason": reason,
                 **_optional(ref=ref)}]

    _write(ctx, config, lang, dry_run, build)


@app.command("set")
def set_fields(ctx: typer.Context, entry_id: Annotated[str, typer.Argument(metavar="ID")],
               assignments: Annotated[list[str], typer.Argument(metavar="FIELD=VALUE...")],
               reason: Annotated[str, typer.Option("--reason", help="lý do sửa / why it is corrected")],
               date_: DateOpt = None, dry_run: DryRunOpt = False, config: ConfigOpt = None,
               lang: LangOpt = None) -> None:
    """Sửa hoặc bổ sung trường của một mục, có ghi lại / correct or add fields of an entry, on record."""
    from ..storage.record import FIELD_NAME, value_of

    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        _correctable(workspace, entry_id)
        fields: dict[str, Any] = {}
        for item in assignments:
            name, sep, value = item.partition("=")
            name = name.strip()
            if not sep or not FIELD_NAME.match(name) or name in ("kind", "date", "id", "recorded", "of", "reason"):
                raise UserError("bad-set", value=item)
            fields[name] = value_of(value)
        return [{"kind": "set", "of": entry_id, "date": _day(date_, today), "reason": reason, **fields}]

    _write(ctx, config, lang, dry_run, build)


@app.command()
def void(ctx: typer.Context, entry: Annotated[str, typer.Argument(metavar="ID|KIND:OBLIGATION[@DATE]")],
         reason: Annotated[str, typer.Option("--reason", help="lý do hủy / why it was a mistake")],
         date_: DateOpt = None, dry_run: DryRunOpt = False, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Hủy một mục ghi nhầm, có ghi lại / withdraw an entry entered by mistake, on record.

    ENTRY is an entry's id, or an act: done:OBLIGATION (extend:, waive:), with @DATE to pick one."""
    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        _correctable(workspace, entry)
        return [{"kind": "void", "of": entry, "date": _day(date_, today), "reason": reason}]

    _write(ctx, config, lang, dry_run, build)


def _correctable(workspace: Workspace, ref: str) -> None:
    """Refuse a correction of nothing, with the nearest names."""
    from ..engine.compute import Targets

    find = Targets(workspace.entries)
    if not find(ref):
        raise UserError("unknown-entry", id=ref, near=find.near(ref))


@app.command("import")
def import_(ctx: typer.Context, file: Annotated[Path, typer.Argument(metavar="FILE.csv|FILE.xlsx")],
            kind: Annotated[str, typer.Option("--kind", help="loại mục của mỗi dòng / the kind of every row")],
            map_: Annotated[list[str] | None, typer.Option("--map", help="cột=trường; cột= để bỏ qua / column=field; column= to ignore")] = None,
            ignore: Annotated[list[str] | None, typer.Option("--ignore", help="cột bỏ qua / a column to ignore")] = None,
            header_row: Annotated[int | None, typer.Option("--header-row", help="dòng tiêu đề (mặc định: tự tìm) / the header's row")] = None,
            encoding: Annotated[str | None, typer.Option("--encoding", help="bảng mã CSV (mặc định UTF-8, rồi cp1258) / a CSV's encoding")] = None,
            allow_duplicates: Annotated[bool, typer.Option("--allow-duplicates", help="nhập cả dòng đã có trong sổ / import rows already in the ledger")] = False,
            dry_run: DryRunOpt = False, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Nhập nhiều mục từ CSV/XLSX: tất cả hoặc không gì / import many entries: all rows or none."""
    from ..model import ACTS
    from ..parse.ledger import REQUIRED, choice_value
    from ..parse.tables import FALLBACK, SUFFIXES, read_rows
    from ..storage.files import read_bytes
    from ..storage.record import (
        FIELD_NAME,
        by_kind_and_date,
        entry_problems,
        new_id,
        refuse_reserved,
        same_entry,
        taken_ids,
        value_of,
    )

    if file.suffix.lower() not in SUFFIXES:
        raise NotWritten(UserError("bad-option", option="FILE", value=file.name, choices=", ".join(SUFFIXES)))
    try:
        if not file.is_file():  # a folder, or a pipe that would block
            raise FileNotFoundError(str(file))
        data = read_bytes(file, text=False)  # read before the lock is taken
    except OSError:
        raise NotWritten(UserError("no-such-file", path=str(file))) from None

    def build(workspace: Workspace, obligations: dict[str, Obligation], today: date) -> list[dict[str, Any]]:
        if kind not in ACTS:  # a register of completions, waivers or extensions is imported as the commands write them
            refuse_reserved(kind)
        mapping = {fold(c.strip()): "" for c in ignore or []}
        for item in map_ or []:
            column, sep, name = item.partition("=")
            if not sep or not column.strip() or (name.strip() and not FIELD_NAME.match(name.strip())) \
                    or name.strip() == "recorded":
                raise UserError("bad-map", value=item)
            mapping[fold(column.strip())] = name.strip()  # "" ignores the column
        table = read_rows(data, file.name, header_row, encoding)
        if table.encoding == FALLBACK and not encoding:
            print(say("read-as", ctx.obj.lang, path=str(file), encoding=FALLBACK), file=sys.stderr)
        chosen = {c: mapping.get(fold(c), None if fold(c) in _ROW_NUMBERS else _field_name(c)) for c in table.columns}
        names = {c: n for c, n in chosen.items() if n}  # a column named nothing is left out
        twice = sorted({n for n in names.values() if list(names.values()).count(n) > 1})
        if twice:  # two columns into one field: one would win silently
            raise UserError("map-twice", name=twice[0], columns=", ".join(c for c, n in names.items() if n == twice[0]))
        for needed in ("date", *REQUIRED.get(kind, ())):
            if needed != "id" and needed not in names.values():
                raise UserError("no-column", name=needed, columns=", ".join(table.columns),
                                example=f"{table.columns[0] if table.columns else 'A'}={needed}")
        taken, entries, problems, again = taken_ids(workspace), [], [], []
        ledger = by_kind_and_date(workspace.entries)
        rows, footer = _without_footer(table.rows, [c for c, n in names.items() if n == "date"])
        if footer:
            print(say("footer-skipped", ctx.obj.lang, path=file.name, first=footer[0], last=footer[-1]), file=sys.stderr)
        for number, cells in rows:
            entry: dict[str, Any] = {"kind": kind}
            for column, value in cells.items():
                field = names.get(column)
                if field:
                    value = value_of(value) if isinstance(value, str) else value
                    entry[field] = choice_value(kind, field, value)
            entry = {k: v for k, v in entry.items() if v not in (None, "")}
            row_problems = entry_problems(entry, file.name, number)
            if row_problems:
                problems.extend(row_problems)
                continue
            if kind in ACTS and isinstance(entry.get("date"), date) and entry["date"] > today:
                problems.append(Problem(file.name, number, "act-in-future", {"date": entry["date"]}))
                continue
            twin = same_entry(ledger, entry) if not allow_duplicates else None
            if twin is not None or (entry.get("id") is not None and str(entry["id"]) in taken and not allow_duplicates):
                where = f"{twin.file}:{twin.line}" if twin else str(entry.get("id"))
                again.append(Problem(file.name, number, "already-in-ledger", {"where": where}))
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

    _write(ctx, config, lang, dry_run, build)


_ROW_NUMBERS = {"stt", "tt", "so tt", "so thu tu"}  # a register's row-number column: not a field


def _without_footer(rows: list["Row"], dates: list[str]) -> tuple[list["Row"], list[int]]:
    """A register's rows without its footer: the rows after the last one with a date that have no date
    themselves (who kept the register, a total, a signature); and the footer's row numbers."""
    dated = [index for index, (_, cells) in enumerate(rows) if any(cells.get(c) not in (None, "") for c in dates)]
    last = dated[-1] if dated else -1
    footer = [number for number, cells in rows[last + 1:] if not any(cells.get(c) not in (None, "") for c in dates)]
    return rows[:last + 1] + [r for r in rows[last + 1:] if r[0] not in footer], footer


def _inside(root: Path, file: Path) -> str:
    """`file` (as typed, from the current folder) as a path from the workspace's folder, with '/'."""
    try:
        return file.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UserError("file-outside", path=str(file), root=str(root)) from None


def _evidence(file: Path) -> dict[str, Any]:
    """The evidence file's path and SHA-256, read a block at a time (a scan of 2 GB costs no memory)."""
    from ..storage.files import sha256

    try:
        if not file.is_file():  # a folder, or a pipe that would block
            raise FileNotFoundError(str(file))
        return {"file": str(file), "sha256": sha256(file)}
    except OSError:
        raise NotWritten(UserError("no-such-file", path=str(file))) from None


def _field_name(column: str) -> str:
    """An unmapped column header as a field name: 'Số kiến nghị' -> 'so_kien_nghi'."""
    import re

    return re.sub(r"[^a-z0-9]+", "_", fold(column)).strip("_") or "column"
