"""`hdnd db init | grant | push | dump`: a province's ledger in PostgreSQL (README, "A shared ledger")."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..messages import say
from ..model import Invalid, UserError
from .app import ConfigOpt, LangOpt, Run, app, hdnd

db_app = typer.Typer(no_args_is_help=True, rich_markup_mode=None,
                     help="Sổ trên PostgreSQL / the ledger in PostgreSQL")
app.add_typer(db_app, name="db")


def _url(run: Run) -> str:
    """HDND_DATABASE_URL, else the workspace's [store] url."""
    from ..storage.workspace import find_config, read_config

    url = run.environ.get("HDND_DATABASE_URL")
    if url:
        return url
    try:
        workspace = read_config(find_config(run.config_path), run.cache, law=run.law())
    except UserError:
        workspace = None
    if workspace is None or workspace.settings.database is None:
        raise UserError("db-no-store")
    return workspace.settings.database["url"]


@db_app.command("init")
def db_init(ctx: typer.Context, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Tạo hoặc nâng cấp lược đồ (chạy lại không đổi gì) / create or upgrade the schema (idempotent)."""
    from ..storage.postgres import init

    run = hdnd(ctx, config=config, lang=lang)
    before, after = init(_url(run))
    print(say("db-init-done", run.lang, before=before, after=after))


@db_app.command("grant")
def db_grant(ctx: typer.Context, role: Annotated[str, typer.Argument(metavar="ROLE")],
             office: Annotated[str | None, typer.Option("--office", help="mã văn phòng / the office's id")] = None,
             read_all: Annotated[bool, typer.Option("--read-all", help="đọc mọi văn phòng / read every office")] = False,
             config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Cấp quyền cho một vai trò PostgreSQL / let a PostgreSQL role use an office, or read all."""
    from ..storage.postgres import grant

    run = hdnd(ctx, config=config, lang=lang)
    if (office is None) == (not read_all):
        raise UserError("db-grant-which")
    grant(_url(run), role, office)
    what = say("db-grant-office", run.lang, office=office) if office else say("db-grant-all", run.lang)
    print(say("db-granted", run.lang, role=role, what=what))


@db_app.command("push")
def db_push(ctx: typer.Context, config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Đưa sổ tệp, hdnd.toml và bộ quy tắc lên CSDL của văn phòng / copy the file ledger, settings and packs in."""
    from ..storage.postgres import push
    from ..storage.workspace import file_ledger

    run = hdnd(ctx, config=config, lang=lang)
    workspace = run.workspace()
    if workspace.settings.database is None:
        raise UserError("db-no-store")
    ledger, config_text, packs = file_ledger(workspace, run.cache)
    if ledger.problems:
        raise Invalid(ledger.problems)
    version = push(workspace.settings.database["url"], workspace.settings.database["office"], ledger.entries, config_text, packs,
                   workspace.law.version)
    print(say("db-pushed", run.lang, office=workspace.settings.database["office"], entries=len(ledger.entries),
              packs=len(packs), version=version))


@db_app.command("dump")
def db_dump(ctx: typer.Context,
            output: Annotated[Path, typer.Option("-o", "--output", help="thư mục / the folder")],
            config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Ghi sổ của văn phòng ra tệp YAML, mỗi năm một tệp / write the office's ledger as YAML, a file a year."""
    from ..storage.postgres import dump

    run = hdnd(ctx, config=config, lang=lang)
    workspace = run.workspace()
    if workspace.settings.database is None:
        raise UserError("db-no-store")
    files, entries = dump(workspace.store, output)
    print(say("db-dumped", run.lang, office=workspace.settings.database["office"], entries=entries, files=files,
              folder=output), file=sys.stdout)
