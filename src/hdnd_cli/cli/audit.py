"""`hdnd history`, `hdnd audit` and `hdnd report`: what was due in a period, what was done on time."""

import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from ..api import select
from ..messages import say
from ..model import Obligation, UserError, Workspace
from .app import (
    AsOfOpt,
    ConfigOpt,
    ExampleOpt,
    KnownOnOpt,
    LangOpt,
    ObligorOpt,
    OfficesOpt,
    RuleOpt,
    StatusOpt,
    about,
    app,
    emit,
    hdnd,
    iso,
    left_out_note,
    on_terminal,
    output_format,
    parse_day,
    tell,
)

FromOpt = Annotated[str | None, typer.Option("--from", help="từ ngày (hạn) / due from DATE")]
ToOpt = Annotated[str | None, typer.Option("--to", help="đến ngày (hạn) / due until DATE")]
OutOpt = Annotated[Path | None, typer.Option("-o", "--output", help="tệp .xlsx / the .xlsx file")]
SheetFormat = Annotated[Literal["table", "json", "csv", "xlsx"] | None,
                        typer.Option("--format", "-f", help="định dạng (mặc định: theo đuôi tệp -o, hoặc bảng) / output format (default: -o's suffix, else a table)")]
SHEET_FORMATS = ("table", "json", "csv", "xlsx")


def _period(start: str | None, end: str | None) -> tuple[date | None, date | None]:
    first, last = (parse_day(start) if start else None), (parse_day(end) if end else None)
    if first and last and last < first:
        raise UserError("period-backwards", start=first, end=last)
    return first, last


def _xlsx(output: Path | None, data: bytes, lang: str) -> None:
    from ..storage.files import write_atomically

    assert output is not None  # output_format() saw to it
    write_atomically(output, data)
    print(say("file-written", lang, path=str(output)))


def _sheet_format(fmt: str | None, output: Path | None) -> str:
    fmt = output_format(fmt, output, SHEET_FORMATS)
    if fmt == "xlsx" and output is None:
        raise UserError("xlsx-needs-output")
    return fmt


@app.command()
def history(ctx: typer.Context, from_: FromOpt = None, to: ToOpt = None, obligor: ObligorOpt = None,
            rule: RuleOpt = None, status: StatusOpt = None, fmt: SheetFormat = None, output: OutOpt = None,
            config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None, lang: LangOpt = None,
            example: ExampleOpt = False) -> None:
    """Mọi nghĩa vụ có hạn trong kỳ, mỗi dòng một nghĩa vụ / every obligation due in the period."""
    from ..engine.audit import due_within

    chosen = _sheet_format(fmt, output)
    first, last = _period(from_, to)
    run = hdnd(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example)
    ev = run.evaluate()
    rows = select(due_within(ev.obligations, first, last), ev.workspace, obligor, rule, status)
    if chosen == "xlsx":
        from ..render.sheets import history_workbook

        tell(left_out_note(ev, run.lang))
        _xlsx(output, history_workbook(rows, ev.workspace, ev.as_of, first, last, run.lang, about(ev, run.lang)), run.lang)
    else:
        emit(ev, rows, chosen, run.lang, show_done=True, evidence=True)


@app.command()
def audit(ctx: typer.Context,
          by: Annotated[Literal["obligor", "rule", "year", "quarter", "month", "office"], typer.Option("--by", help="nhóm theo / group by")],
          from_: FromOpt = None, to: ToOpt = None, fmt: SheetFormat = None, output: OutOpt = None,
          offices: OfficesOpt = None, config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None,
          lang: LangOpt = None, example: ExampleOpt = False) -> None:
    """Số liệu đúng hạn theo nhóm / on-time figures per group."""
    from ..engine.audit import audit as groups_of
    from ..engine.audit import due_within, per_office

    chosen = _sheet_format(fmt, output)
    first, last = _period(from_, to)
    run = hdnd(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example)
    if by == "office" and not offices:
        raise UserError("by-office-needs-offices")
    if offices:
        rolled, names = run.offices(offices), []

        def within() -> Iterator[tuple[str, list[Obligation]]]:  # each office's figures, made as it comes
            for office, _, obligations in rolled.each:
                names.append(office)
                yield office, due_within(obligations, first, last)

        groups = per_office(within(), by)
        document: dict[str, Any] = {"from": iso(first), "to": iso(last), "as_of": rolled.as_of.isoformat(),
                                    "law": run.law().version, "by": by, "offices": names, "groups": groups}
        _audit_out(document, chosen, output, "", None, run.lang)
        return
    ev = run.evaluate()
    document = {"from": iso(first), "to": iso(last), "as_of": ev.as_of.isoformat(), "law": ev.workspace.law.version, "by": by}
    if ev.known_on is not None:
        document.update(known_on=ev.known_on.isoformat(), left_out=len(ev.later))
    document["groups"] = groups_of(due_within(ev.obligations, first, last), by)
    _audit_out(document, chosen, output, left_out_note(ev, run.lang), ev.workspace, run.lang, about(ev, run.lang))


def _each_office_its_bodies(home: Workspace, each: list[tuple[str, Workspace, list[Obligation]]]) -> Workspace:
    """The province's workspace for a roll-up report, knowing each office's bodies by `OFFICE/BODY`
    with that office's own name for it: two communes' chairs are two bodies, each named as its
    commune names it."""
    import copy

    from ..model import Body

    named = copy.copy(home)
    named.bodies = dict(home.bodies)
    for office, ws, items in each:
        for body in {o.obligor for o in items}:
            mine = ws.bodies.get(body)
            named.bodies[f"{office}/{body}"] = Body(f"{office}/{body}", f"{ws.body_name(body, 'vi')} ({office})",
                                                    f"{ws.body_name(body, 'en')} ({office})", mine.email if mine else None)
    return named


def _audit_out(document: dict[str, Any], chosen: str, output: Path | None, note: str | None, workspace: Workspace | None,
               lang: str, about: Sequence[tuple[str, str]] = ()) -> None:
    if chosen == "json":
        from ..render.text import dumps

        print(dumps(document))
    elif chosen == "csv":
        import csv

        columns = ["key", "total", "done", "late", "overdue", "waived", "open", "on_time_rate",
                   "median_days_late", "max_days_late"]
        tell(note)
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        from ..render.text import inert

        writer.writerows({c: inert(g[c]) for c in columns} for g in document["groups"])
    elif chosen == "xlsx":
        from ..render.sheets import audit_workbook

        tell(note)
        _xlsx(output, audit_workbook(document, workspace, lang, about), lang)
    else:
        from ..render.text import audit_table, plain

        if note:
            plain(note)
        audit_table(document, workspace, lang, on_terminal())


@app.command()
def report(ctx: typer.Context, from_: Annotated[str, typer.Option("--from", help="từ ngày / from DATE")],
           to: Annotated[str, typer.Option("--to", help="đến ngày / to DATE")],
           output: Annotated[Path, typer.Option("-o", "--output", help="tệp .docx (văn bản để ký) hoặc .html / the .docx or .html file")],
           so: Annotated[str | None, typer.Option("--so", help="số, ký hiệu văn bản (12/BC-HĐND) / the document's number")] = None,
           offices: OfficesOpt = None, config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None,
           lang: LangOpt = None, example: ExampleOpt = False) -> None:
    """Báo cáo thực hiện nghĩa vụ: văn bản Word theo Nghị định 30/2020 hoặc trang HTML / the report, as Word or HTML."""
    from ..engine.audit import due_within
    from ..storage.files import write_atomically

    kind = output.suffix.lower()
    if kind not in (".docx", ".html", ".htm", ""):  # no suffix: HTML, as before there was a Word document
        raise UserError("report-kind", path=str(output))
    first, last = _period(from_, to)
    assert first is not None and last is not None  # --from and --to are required
    run = hdnd(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example)
    if offices:
        rolled = run.offices(offices)
        each = [(office, ws, due_within(obligations, first, last)) for office, ws, obligations in rolled.each]
        home, day, known, left_out = _each_office_its_bodies(run.workspace(), each), rolled.as_of, None, 0
        obligations = [o._replace(obligor=f"{office}/{o.obligor}") for office, _, items in each for o in items]
    else:
        ev = run.evaluate()
        each, home, day, known, left_out = None, ev.workspace, ev.as_of, ev.known_on, len(ev.later)
        obligations = due_within(ev.obligations, first, last)
    if kind == ".docx":
        from ..render.document import report_docx

        data: str | bytes = report_docx(obligations, home, first, last, day, known, left_out, run.lang, each, so,
                                        run.today(home))
    else:
        from ..render.report import report_html

        data = report_html(obligations, home, first, last, day, known, left_out, run.lang, each, so, run.today(home))
    write_atomically(output, data)
    print(say("file-written", run.lang, path=str(output)))
