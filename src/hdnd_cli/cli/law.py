"""`hdnd law` and `hdnd law install FILE | --rollback`: the law in use, and a newer one from a signed
bundle (README, "The law in use")."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from ..messages import say, vn_date
from ..model import Invalid, UserError, Workspace, yes_no
from .app import ConfigOpt, LangOpt, Run, app, hdnd, iso, tell

if TYPE_CHECKING:
    from ..storage.law import Law

law_app = typer.Typer(no_args_is_help=False, invoke_without_command=True, rich_markup_mode=None,
                      help="Luật đang dùng: các bộ quy tắc quốc gia và lịch làm việc / the law in use")
app.add_typer(law_app, name="law")


@law_app.callback()
def law(ctx: typer.Context,
        fmt: Annotated[Literal["table", "json"], typer.Option("--format", "-f", help="định dạng / output format")] = "table",
        lang: LangOpt = None) -> None:
    """Phiên bản luật, nguồn, tuổi, các bộ quy tắc và các năm của lịch / the law's version, source, age,
    packs and calendar years."""
    if ctx.invoked_subcommand:
        return
    from ..render.text import dumps
    from ..storage.law import history

    run = hdnd(ctx, lang=lang)
    workspace = _office(run)
    document = _describe(run, workspace)
    document["installed"] = [{"at": at, "version": version, "action": action}
                             for at, version, action in history(run.law_dir)]
    if fmt == "json":
        print(dumps(document))
    else:
        print(_table(document, run.lang))


def _office(run: Run) -> Workspace | None:
    """The workspace the command runs in, if there is one (for its level and its trusted keys)."""
    from ..storage.workspace import find_config, read_config

    try:
        return read_config(find_config(run.config_path), run.cache, law=run.law())
    except UserError:
        return None


def _describe(run: Run, workspace: Workspace | None) -> dict[str, Any]:
    """The law in use as a document: its version and age, where it is, its packs and calendar years."""
    from ..storage.workspace import law_rules, load_calendar

    law = run.law()
    today = run.today(workspace)
    rules, _ = law_rules(law)
    packs: dict[str, dict[str, Any]] = {}
    for rule in rules:
        pack = packs.setdefault(rule.pack.id, {"id": rule.pack.id, "title": rule.pack.title, "level": rule.pack.level,
                                               "rules": []})
        pack["rules"].append({"id": rule.id, "level": rule.level, "status": rule.status, "enabled": rule.enabled,
                              "from": iso(rule.in_force.start), "until": iso(rule.in_force.end)})
    cal = load_calendar(None, run.cache, law)
    years = range(2021, today.year + 2)
    return {"version": law.version, "date": law.date.isoformat(), "age_days": (today - law.date).days,
            "origin": law.origin, "path": str(law.folder), "packs": list(packs.values()),
            "calendar": {"announced": [y for y in years if cal.is_announced(y)],
                         "partly": sorted(y for y in cal.partly if y in years)}}


def _table(document: dict[str, Any], lang: str) -> str:
    from datetime import date

    lines = [say("law-version", lang, version=document["version"], date=date.fromisoformat(document["date"]),
                 age=document["age_days"], origin=say(f"law-origin-{document['origin']}", lang), path=document["path"])]
    for pack in document["packs"]:
        lines.append(f"  {pack['id']}  {pack['title']}")
        for rule in pack["rules"]:
            span = " - ".join(vn_date(date.fromisoformat(d)) if d else "…" for d in (rule["from"], rule["until"]))
            level = "" if rule["level"] == "any" else f" [{rule['level']}]"
            off = "" if rule["enabled"] else f" ({say('law-template', lang)})"
            lines.append(f"    {rule['id']}{level}  {span}{off}")
    calendar = document["calendar"]
    lines.append(say("law-calendar", lang, announced=_years(calendar["announced"]), partly=_years(calendar["partly"])))
    for entry in document["installed"]:
        lines.append(say("law-history", lang, at=entry["at"][:16].replace("T", " "),
                         version=entry["version"] or say("law-origin-bundled", lang), action=entry["action"]))
    return "\n".join(lines)


def _years(years: list[int]) -> str:
    if not years:
        return "—"
    return f"{years[0]}-{years[-1]}" if years == list(range(years[0], years[-1] + 1)) and len(years) > 1 else \
        ", ".join(map(str, years))


@law_app.command("install")
def law_install(ctx: typer.Context,
                bundle: Annotated[Path | None, typer.Argument(metavar="FILE", help="bộ luật (.zip) / the law bundle")] = None,
                yes: Annotated[bool, typer.Option("--yes", "-y", help="không hỏi lại / do not ask")] = False,
                rollback: Annotated[bool, typer.Option("--rollback", help="quay lại luật trước / return to the previous law")] = False,
                fmt: Annotated[Literal["table", "json"], typer.Option("--format", "-f", help="định dạng của thay đổi / format of the changes")] = "table",
                config: ConfigOpt = None, lang: LangOpt = None) -> None:
    """Cài luật mới từ bộ luật có chữ ký, hoặc quay lại / install a newer law from a signed bundle, or roll back."""
    from ..storage import law as store

    run = hdnd(ctx, config=config, lang=lang)
    folder, now = run.law_dir, run.now()
    if rollback:
        version = store.rollback(folder, now)
        print(say("law-rolled-back", run.lang, version=store.in_use(folder).version, installed=version or "—"))
        return
    if bundle is None:
        raise UserError("law-install-what")
    workspace = _office(run)
    keys = [*store.project_keys(), *(workspace.settings.trusted_keys if workspace else ())]
    opened = store.open_bundle(bundle, keys)
    current = store.in_use(folder)
    if opened.version <= current.version:
        raise UserError("law-not-newer", version=opened.version, current=current.version)
    staging = store.stage(opened, folder)
    try:
        new = store.bundle_law(opened, staging)
        _check_law(new, run)
        if workspace is not None:
            _show_moves(run, current, new, fmt)
        if not yes and not _confirmed(run, opened.version):
            raise UserError("law-not-confirmed", version=opened.version)
        store.install(staging, opened.version, folder, now)
    finally:
        if staging.exists():
            import shutil

            shutil.rmtree(staging, ignore_errors=True)
    print(say("law-installed", run.lang, version=opened.version, previous=current.version))


def _check_law(law: Law, run: Run) -> None:
    """A new law must read clean: its packs without a problem, its calendar readable."""
    from ..storage.workspace import law_rules, load_calendar

    _, problems = law_rules(law)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise Invalid(errors)
    load_calendar(None, run.cache, law)


def _show_moves(run: Run, current: Law, new: Law, fmt: str) -> None:
    """What the new law changes in this office's obligations today, before it is installed."""
    from ..storage.workspace import find_config, load
    from .authoring import show_changes

    config = find_config(run.config_path)
    before, after = load(config, run.cache, law=current), load(config, run.cache, law=new)
    day = run.today(after)
    show_changes(before, after, day, current.version, fmt, run.lang)


def _confirmed(run: Run, version: str) -> bool:
    """Asked on the terminal; a script says --yes."""
    if not sys.stdin.isatty():
        return False
    tell(say("law-ask", run.lang, version=version))
    answer = sys.stdin.readline().strip()
    return answer.lower() in ("c", "y") or yes_no(answer) is True
