"""The command line: parse options, make one library call, render. The only place that reads the clock.

Exit codes: 0 success; 1 `overdue` found something; 2 bad usage or invalid files.
"""

import os
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .model import STATUSES, Invalid, Obligation, UserError
from .messages import STATUS, say

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]},
                  help="hdnd: hạn và nghĩa vụ giữa HĐND và UBND / deadlines between People's Councils "
                       "and People's Committees.")
rules_app = typer.Typer(no_args_is_help=False, invoke_without_command=True, rich_markup_mode=None,
                        help="Các quy tắc đang có hiệu lực / the rules in force.")
app.add_typer(rules_app, name="rules")

ConfigOpt = Annotated[Optional[str], typer.Option("--config", help="hdnd.toml (hoặc HDND_CONFIG) / the workspace's hdnd.toml")]
AsOfOpt = Annotated[Optional[str], typer.Option("--as-of", help="tính như vào ngày này / evaluate as of DATE (2024-11-30 or 30/11/2024)")]
LangOpt = Annotated[Optional[str], typer.Option("--lang", help="vi | en")]
ExampleOpt = Annotated[bool, typer.Option("--example", help="dùng không gian làm việc ví dụ / use the bundled example")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="table | json | csv")]
ObligorOpt = Annotated[Optional[str], typer.Option("--obligor", help="lọc theo cơ quan (không phân biệt dấu) / filter by body")]
RuleOpt = Annotated[Optional[str], typer.Option("--rule", help="lọc theo quy tắc / filter by rule")]
StatusOpt = Annotated[Optional[str], typer.Option("--status", help="overdue,today,soon,open,done,late,waived")]

_lang_now = ["vi"]  # the language of messages printed before a workspace is read


@dataclass
class Run:
    """One command's resolved options."""

    config: str | None = None
    as_of: str | None = None
    lang: str | None = None
    example: bool = False


def _merge(ctx: typer.Context, **given) -> Run:
    run = Run(**{k: v for k, v in (ctx.obj or {}).items()})
    for name, value in given.items():
        if value not in (None, False):
            setattr(run, name, value)
    if run.lang is not None and run.lang not in ("vi", "en"):
        raise UserError("bad-option", option="--lang", value=run.lang, choices="vi, en")
    _lang_now[0] = _language(run, None)
    return run


def _language(run: Run, workspace) -> str:
    chosen = run.lang or os.environ.get("HDND_LANG") or (workspace.lang if workspace else None)
    if chosen in ("vi", "en"):
        return chosen
    return "en" if os.environ.get("LANG", "").startswith("en") else "vi"


def _version(value: bool) -> None:
    if value:
        print(f"hdnd {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(ctx: typer.Context, config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None,
                 example: ExampleOpt = False,
                 version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                       help="in phiên bản / print the version")] = False) -> None:
    ctx.obj = {"config": config, "as_of": as_of, "lang": lang, "example": example}


# --- shared steps ---------------------------------------------------------------------------------

def _workspace(run: Run, with_ledger: bool = True):
    """The workspace the options point to, read and validated; stops on any problem."""
    from .loader import EXAMPLE, find_config, load

    workspace = load(EXAMPLE if run.example else find_config(run.config), with_ledger)
    _lang_now[0] = _language(run, workspace)
    if workspace.problems:
        raise Invalid(workspace.problems)
    return workspace


def now_in(timezone_name: str) -> datetime:
    """The time now in an office's time zone, whatever the server's clock zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return datetime.now(ZoneInfo(timezone_name))
    except (ZoneInfoNotFoundError, ValueError):
        raise UserError("bad-timezone", value=timezone_name) from None


def _today(workspace) -> date:
    return now_in(workspace.timezone if workspace else "Asia/Ho_Chi_Minh").date()


def _parse_day(text: str) -> date:
    from .timecount import parse_date

    try:
        day = parse_date(text)
    except ValueError:
        raise UserError("bad-option-date", value=text) from None
    if not 1900 <= day.year <= 2200:
        raise UserError("bad-option-date", value=text)
    return day


def _evaluate(run: Run):
    """Workspace, as-of date, language and every obligation; stops on any problem."""
    from .loader import evaluate

    workspace = _workspace(run)
    as_of = _parse_day(run.as_of) if run.as_of else _today(workspace)
    return workspace, as_of, _lang_now[0], evaluate(workspace, as_of)


def find_obligation(obligations: dict[str, Obligation], wanted: str) -> Obligation:
    """An obligation by id (ignoring case and diacritics), or an error naming the nearest ids."""
    from .engine import nearest

    found = obligations.get(wanted) or next((o for o in obligations.values() if fold(o.id) == fold(wanted)), None)
    if found is None:
        raise UserError("no-such-obligation", id=wanted, near=nearest(wanted, obligations))
    return found


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics: 'Ủy ban' -> 'uy ban'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def _filter(obligations: list[Obligation], workspace, obligor: str | None, rule: str | None,
            status: str | None) -> list[Obligation]:
    if status:
        wanted = set()
        for part in fold(status).split(","):
            names = [s for s in STATUSES if part.strip() in (s, fold(STATUS[s][0]))]
            if not names:
                raise UserError("bad-option", option="--status", value=part.strip(), choices=", ".join(STATUSES))
            wanted.update(names)
        obligations = [o for o in obligations if o.status in wanted]
    if obligor:
        obligations = [o for o in obligations if _matches(obligor, o.obligor, workspace.body_name(o.obligor, "vi"),
                                                          workspace.body_name(o.obligor, "en"))]
    if rule:
        obligations = [o for o in obligations
                       if _matches(rule, o.rule.id if o.rule else o.id, o.title, o.title_en or "")]
    return obligations


def _matches(needle: str, *texts: str) -> bool:
    """Every word of the needle appears in one of the texts, ignoring case and diacritics."""
    words = fold(needle).split()
    return any(all(word in fold(text) for word in words) for text in texts)


def _emit(obligations: list[Obligation], fmt: str, as_of: date, workspace, lang: str,
          show_done: bool = False) -> None:
    from . import render

    if fmt == "json":
        print(render.as_json(as_of, obligations))
    elif fmt == "csv":
        sys.stdout.write(render.as_csv(obligations))
    elif fmt == "table":
        render.obligations_table(obligations, workspace, lang, show_done)
    else:
        raise UserError("bad-option", option="--format", value=fmt, choices="table, json, csv, xlsx")


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json", "csv"):
        raise UserError("bad-option", option="--format", value=fmt, choices="table, json, csv")


# --- commands -------------------------------------------------------------------------------------

@app.command()
def due(ctx: typer.Context, all_: Annotated[bool, typer.Option("--all", help="mọi nghĩa vụ / every obligation")] = False,
        obligor: ObligorOpt = None, rule: RuleOpt = None, status: StatusOpt = None, fmt: FormatOpt = "table",
        config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None, example: ExampleOpt = False) -> None:
    """Việc quá hạn, đến hạn hôm nay và sắp đến hạn / what is overdue, due today and due soon."""
    from .engine import in_view

    _check_format(fmt)
    run = _merge(ctx, config=config, as_of=as_of, lang=lang, example=example)
    workspace, day, lang, obligations = _evaluate(run)
    if not all_:
        obligations = [o for o in obligations if in_view(o, workspace.horizon)]
    obligations = _filter(obligations, workspace, obligor, rule, status)
    if fmt == "table":
        from . import render

        counts = {s: sum(o.status == s for o in obligations) for s in ("overdue", "today", "soon")}
        office = workspace.office.get("name", "hdnd")
        render.plain(say("due-summary", lang, office=office, as_of=day, **counts))
        if not obligations:
            render.plain(say("nothing-due" if not all_ else "nothing", lang, horizon=workspace.horizon, as_of=day))
            return
    _emit(obligations, fmt, day, workspace, lang, show_done=all_)


@app.command()
def overdue(ctx: typer.Context, obligor: ObligorOpt = None, rule: RuleOpt = None, fmt: FormatOpt = "table",
            config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None,
            example: ExampleOpt = False) -> None:
    """Chỉ việc quá hạn, cho cron: không in gì và thoát 0 khi không có / overdue only, for cron (exit 1 when any)."""
    _check_format(fmt)
    run = _merge(ctx, config=config, as_of=as_of, lang=lang, example=example)
    workspace, day, lang, obligations = _evaluate(run)
    late = _filter([o for o in obligations if o.status == "overdue"], workspace, obligor, rule, None)
    if late or fmt != "table":
        _emit(late, fmt, day, workspace, lang)
    if late:
        raise typer.Exit(1)


@app.command()
def explain(ctx: typer.Context, obligation_id: Annotated[str, typer.Argument(metavar="ID")],
            config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None,
            example: ExampleOpt = False) -> None:
    """Cách tính hạn của một nghĩa vụ, từng bước / how one due date was computed, step by step."""
    from . import render

    run = _merge(ctx, config=config, as_of=as_of, lang=lang, example=example)
    workspace, _, lang, obligations = _evaluate(run)
    found = find_obligation({o.id: o for o in obligations}, obligation_id)
    render.plain(render.explain(found, workspace, lang))


@app.command()
def check(ctx: typer.Context, config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None,
          example: ExampleOpt = False) -> None:
    """Kiểm tra cấu hình, quy tắc, ví dụ và sổ / validate the configuration, rules, examples and ledger.

    Prints every problem as file:line: message and exits 2 when there is any."""
    from .examples import run_examples
    from .loader import load_calendar
    from .render import problems_text, unique_problems

    run = _merge(ctx, config=config, as_of=as_of, lang=lang, example=example)
    try:
        workspace, _, lang, obligations = _evaluate(run)
        _, problems = run_examples(workspace.rules, load_calendar(workspace))
        if problems:
            raise Invalid(problems)
    except Invalid as error:
        print(problems_text(error.problems, _lang_now[0]))
        print(say("problems-found", _lang_now[0], count=len(unique_problems(error.problems))))
        raise typer.Exit(2) from None
    print(say("check-ok", lang, rules=len(workspace.rules), entries=len(workspace.entries),
              obligations=len(obligations)))


@app.command()
def calendar(ctx: typer.Context, year: Annotated[Optional[int], typer.Argument(help="năm / year")] = None,
             fmt: FormatOpt = "table", config: ConfigOpt = None, lang: LangOpt = None,
             example: ExampleOpt = False) -> None:
    """Lịch làm việc: ngày lễ, ngày nghỉ, ngày làm bù / the working calendar of a year."""
    import json

    from . import render
    from .loader import find_config, load_calendar, read_config

    _check_format(fmt)
    run = _merge(ctx, config=config, lang=lang, example=example)
    if run.example or run.config or os.environ.get("HDND_CONFIG"):
        workspace = _workspace(run, with_ledger=False)
    else:
        try:
            workspace = read_config(find_config(None))
        except UserError:
            workspace = None  # the calendar needs no workspace: show the national one
        if workspace is not None and workspace.problems:
            raise Invalid(workspace.problems)
    lang = _language(run, workspace)
    year = year or _today(workspace).year
    if not 1900 <= year <= 2200:
        raise UserError("bad-option", option="YEAR", value=year, choices="1900-2200")
    rows = render.calendar_rows(load_calendar(workspace).year(year), lang)
    if fmt == "json":
        print(json.dumps({"year": year, "days": rows}, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["date"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        render.calendar_table(rows, lang)


@app.command()
def init(ctx: typer.Context, folder: Annotated[Path, typer.Argument(help="thư mục / folder")] = Path("."),
         level: Annotated[str, typer.Option("--level", help="province | commune | district")] = "province",
         lang: LangOpt = None) -> None:
    """Tạo không gian làm việc mới / create a new workspace."""
    from .workspace_init import create

    run = _merge(ctx, lang=lang)
    if level not in ("province", "commune", "district"):
        raise UserError("bad-option", option="--level", value=level, choices="province, commune, district")
    packs = create(folder, level)
    print(say("init-done", _language(run, None), path=folder, packs=packs))


@rules_app.callback()
def rules_list(ctx: typer.Context, config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None,
               example: ExampleOpt = False) -> None:
    """Các quy tắc có hiệu lực vào ngày tính / the rules in force on the evaluation date."""
    run = _merge(ctx, config=config, as_of=as_of, lang=lang, example=example)
    ctx.obj = {**(ctx.obj or {}), **vars(run)}
    if ctx.invoked_subcommand:
        return
    from . import render
    from .engine import applies

    workspace = _workspace(run, with_ledger=False)
    day = _parse_day(run.as_of) if run.as_of else _today(workspace)
    rules = [r for r in workspace.rules if day in r.in_force and applies(r, workspace.level)]
    render.rules_table(rules, _lang_now[0])


@rules_app.command("show")
def rules_show(ctx: typer.Context, rule_id: Annotated[str, typer.Argument(metavar="ID")],
               config: ConfigOpt = None, lang: LangOpt = None, example: ExampleOpt = False) -> None:
    """Một quy tắc đầy đủ / one rule in full."""
    from . import render
    from .engine import nearest

    run = _merge(ctx, config=config, lang=lang, example=example)
    workspace = _workspace(run, with_ledger=False)
    versions = [r for r in workspace.rules if r.id == rule_id]
    if not versions:
        raise UserError("no-such-rule", id=rule_id, near=nearest(rule_id, {r.id for r in workspace.rules}))
    render.plain("\n\n".join(render.rule_text(r, _lang_now[0]) for r in versions))


@rules_app.command("test")
def rules_test(ctx: typer.Context, config: ConfigOpt = None, lang: LangOpt = None,
               example: ExampleOpt = False) -> None:
    """Kiểm tra các ví dụ trong quy tắc / check the rules' own examples."""
    from .examples import run_examples
    from .loader import load_calendar

    run = _merge(ctx, config=config, lang=lang, example=example)
    workspace = _workspace(run, with_ledger=False)
    count, problems = run_examples(workspace.rules, load_calendar(workspace))
    if problems:
        raise Invalid(problems)
    print(say("examples-ok", _lang_now[0], count=count))


from . import cli_audit, cli_notify, cli_write  # noqa: E402,F401 - register the commands of those modules


# --- entry point ----------------------------------------------------------------------------------

def main() -> None:
    """Run the app; turn every expected failure into a clean message and exit code 2."""
    try:
        app()
    except UserError as error:
        print(f"hdnd: {say(error.key, _lang_now[0], **error.params)}", file=sys.stderr)
        sys.exit(2)
    except Invalid as error:
        from .render import problems_text, unique_problems

        print(problems_text(error.problems, _lang_now[0]), file=sys.stderr)
        print(say("problems-found", _lang_now[0], count=len(unique_problems(error.problems))), file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except Exception as error:  # a bug, not bad input: say so in one line, never a traceback
        if os.environ.get("HDND_DEBUG"):
            raise
        print(f"hdnd: lỗi nội bộ / internal error: {type(error).__name__}: {error}. "
              "Chạy lại với HDND_DEBUG=1 để xem chi tiết / run again with HDND_DEBUG=1 for details.",
              file=sys.stderr)
        sys.exit(70)
