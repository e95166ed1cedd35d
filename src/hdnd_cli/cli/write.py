"""The write commands: add, done, extend, waive, set, void, import. Each turns its options into
an `api` builder and hands it to `api.record`, which builds the entries from the ledger read once,
checks them with the whole ledger, and keeps all or nothing. Today comes from the run (`HDND_NOW`
pins it)."""

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from ..messages import say, word
from ..model import CommitUnknown, Invalid, Stop, UserError, Workspace
from .app import ConfigOpt, LangOpt, Run, app, hdnd, parse_day, tell

if TYPE_CHECKING:
    from ..api import Build

T = TypeVar("T")
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="in ra những gì sẽ ghi, không ghi gì / print what would be written, write nothing")]
RefOpt = Annotated[str | None, typer.Option("--ref", help="số/ký hiệu văn bản, ví dụ 45/BC-UBND / document number")]
DateOpt = Annotated[str | None, typer.Option("--date", help="ngày (mặc định: hôm nay) / date (default: today)")]


class NotWritten(Stop):
    """A write refused: why, then that no file changed."""

    def __init__(self, cause: Stop):
        super().__init__(str(cause))
        self.cause = cause
        self.code = cause.code


def _write(ctx: typer.Context, config: str | None, lang: str | None, dry_run: bool, build: "Build") -> Workspace:
    """Run one write and report what was (or would be) written; the workspace it was written to."""
    from ..api import record

    run = hdnd(ctx, config=config, lang=lang)
    try:
        if run.example:
            raise UserError("example-read-only")
        workspace = run.workspace(stop=False)
        written = record(workspace, build, now=run.now(workspace.settings.timezone), user=run.user, dry_run=dry_run,
                         cache=run.cache)
    except CommitUnknown:  # neither "written" nor "not written" would be true
        raise
    except (Invalid, UserError) as error:
        raise NotWritten(error) from None
    if run.debug and written:
        tell(f"hdnd: written from the {written[0].source}")
    for item in written:
        ids = ", ".join(str(e.get("id") or e.get("obligation") or e.get("of")) for e in item.entries)
        key = "would-write" if dry_run else "written"
        print(say(key, run.lang, count=len(item.entries), path=item.place, ids=ids))
        if dry_run:
            print(item.added, end="" if item.added.endswith("\n") else "\n")
    return workspace


def _fields(assignments: list[str], reserved: tuple[str, ...]) -> dict[str, Any]:
    """`--set`/`FIELD=VALUE` items as fields, a value read as a user means it; a reserved name refused."""
    from ..storage.record import FIELD_NAME, value_of

    fields: dict[str, Any] = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not FIELD_NAME.match(name) or name in reserved:
            raise UserError("bad-set", value=item)
        fields[name] = value_of(value)
    return fields


def _refused(make: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """What is made from the options before anything is read, an option refused as the write's own refusal."""
    try:
        return make(*args, **kwargs)
    except (Invalid, UserError) as error:
        raise NotWritten(error) from None


@app.command()
def add(ctx: typer.Context, kind: Annotated[str, typer.Argument(help="session, voter-contact, ...")],
        date_: Annotated[str, typer.Option("--date", help="ngày xảy ra (hoặc dự kiến) / when it happens")],
        id_: Annotated[str | None, typer.Option("--id", help="mã (tự tạo nếu bỏ trống) / id (generated if none)")] = None,
        set_: Annotated[list[str] | None, typer.Option("--set", help="trường=giá trị / field=value")] = None,
        dry_run: DryRunOpt = False, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Ghi một sự kiện (kỳ họp, đợt TXCT, ...) / record one event."""
    from .. import api

    day = _refused(parse_day, date_)
    fields = _refused(_fields, set_ or [], ("kind", "date", "id", "recorded"))
    workspace = _write(ctx, config, lang, dry_run, _refused(api.add, kind, day, id=id_, fields=fields))
    if not api.rules_reading(workspace, kind, day, api.as_recorded(kind, fields)):
        run: Run = ctx.obj
        level = word(f"level-{workspace.settings.level or 'none'}", run.lang)
        tell(say("no-rule-reads", run.lang, kind=kind, date=day, level=level))


@app.command()
def done(ctx: typer.Context, obligation_id: Annotated[str, typer.Argument(metavar="ID")],
         date_: DateOpt = None, ref: RefOpt = None,
         by: Annotated[str | None, typer.Option("--by", help="cơ quan gửi / the body that sent it")] = None,
         note: Annotated[str | None, typer.Option("--note", help="ghi chú / a note")] = None,
         file: Annotated[Path | None, typer.Option("--file", help="tệp văn bản làm chứng cứ / evidence file")] = None,
         dry_run: DryRunOpt = False, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Ghi một nghĩa vụ đã hoàn thành / record an obligation as met."""
    from .. import api

    evidence = _evidence(file) if file is not None else None  # hashed before the ledger is read
    _write(ctx, config, lang, dry_run, _refused(lambda: api.done(
        obligation_id, _date(date_), ref=ref, by=by, note=note, evidence=evidence)))


@app.command()
def extend(ctx: typer.Context, obligation_id: Annotated[str, typer.Argument(metavar="ID")],
           until: Annotated[str, typer.Option("--until", help="hạn mới / the new due date")],
           reason: Annotated[str, typer.Option("--reason", help="lý do / the reason")],
           ref: RefOpt = None, date_: DateOpt = None,
           dry_run: DryRunOpt = False, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Gia hạn một nghĩa vụ theo quy tắc / extend an obligation where its rule allows it."""
    from .. import api

    _write(ctx, config, lang, dry_run, _refused(lambda: api.extend(
        obligation_id, parse_day(until), reason, day=_date(date_), ref=ref)))


@app.command()
def waive(ctx: typer.Context, obligation_id: Annotated[str, typer.Argument(metavar="ID")],
          reason: Annotated[str, typer.Option("--reason", help="lý do không áp dụng / why it does not apply")],
          ref: RefOpt = None, date_: DateOpt = None,
          dry_run: DryRunOpt = False, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Miễn một nghĩa vụ không áp dụng, có lý do / waive an obligation that does not apply."""
    from .. import api

    _write(ctx, config, lang, dry_run, _refused(lambda: api.waive(obligation_id, reason, day=_date(date_), ref=ref)))


@app.command("set")
def set_fields(ctx: typer.Context, entry_id: Annotated[str, typer.Argument(metavar="ID")],
               assignments: Annotated[list[str], typer.Argument(metavar="FIELD=VALUE...")],
               reason: Annotated[str, typer.Option("--reason", help="lý do sửa / why it is corrected")],
               date_: DateOpt = None, dry_run: DryRunOpt = False, config: ConfigOpt = None,
               lang: LangOpt = None) -> None:
    """Sửa hoặc bổ sung trường của một mục, có ghi lại / correct or add fields of an entry, on record."""
    from .. import api

    _write(ctx, config, lang, dry_run, _refused(lambda: api.correct(
        entry_id, _fields(assignments, ("kind", "date", "id", "recorded", "of", "reason")), reason,
        day=_date(date_))))


@app.command()
def void(ctx: typer.Context, entry: Annotated[str, typer.Argument(metavar="ID|KIND:OBLIGATION[@DATE]")],
         reason: Annotated[str, typer.Option("--reason", help="lý do hủy / why it was a mistake")],
         date_: DateOpt = None, dry_run: DryRunOpt = False, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Hủy một mục ghi nhầm, có ghi lại / withdraw an entry entered by mistake, on record.

    ENTRY is an entry's id, or an act: done:OBLIGATION (extend:, waive:), with @DATE to pick one."""
    from .. import api

    _write(ctx, config, lang, dry_run, _refused(lambda: api.void(entry, reason, day=_date(date_))))


def _date(text: str | None) -> date | None:
    return parse_day(text) if text else None


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
    from .. import api
    from ..parse.tables import FALLBACK, SUFFIXES
    from ..storage.files import read_bytes
    from ..storage.record import FIELD_NAME

    if file.suffix.lower() not in SUFFIXES:
        raise NotWritten(UserError("bad-option", option="FILE", value=file.name, choices=", ".join(SUFFIXES)))
    try:
        if not file.is_file():  # a folder, or a pipe that would block
            raise FileNotFoundError(str(file))
        data = read_bytes(file, text=False)
    except OSError:
        raise NotWritten(UserError("no-such-file", path=str(file))) from None
    mapping = dict.fromkeys(ignore or [], "")
    for item in map_ or []:
        column, sep, name = item.partition("=")
        if not sep or not column.strip() or (name.strip() and not FIELD_NAME.match(name.strip())) \
                or name.strip() == "recorded":
            raise NotWritten(UserError("bad-map", value=item))
        mapping[column] = name.strip()  # "" ignores the column
    register = _refused(api.read_register, data, file.name, kind, mapping, header_row=header_row, encoding=encoding)
    lang_now = hdnd(ctx, config=config, lang=lang).lang
    if register.encoding == FALLBACK and not encoding:
        print(say("read-as", lang_now, path=str(file), encoding=FALLBACK), file=sys.stderr)
    if register.footer:
        rows = str(register.footer[0]) + (f"-{register.footer[-1]}" if len(register.footer) > 1 else "")
        print(say("footer-skipped", lang_now, path=file.name, rows=rows),
              file=sys.stderr)
    _write(ctx, config, lang, dry_run, api.import_register(register, kind, allow_duplicates=allow_duplicates))


def _evidence(file: Path) -> tuple[Path, str]:
    """The evidence file and its SHA-256, read a block at a time (a scan of 2 GB costs no memory)."""
    from ..storage.files import sha256

    try:
        if not file.is_file():  # a folder, or a pipe that would block
            raise FileNotFoundError(str(file))
        return file, sha256(file)
    except OSError:
        raise NotWritten(UserError("no-such-file", path=str(file))) from None

