"""Writing an office's own rules: `hdnd rules draft`, `hdnd rules new` and `hdnd rules diff`."""

import copy
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from ..messages import phrase, say
from ..model import Invalid, Obligation, UserError, Workspace
from .app import AsOfOpt, ConfigOpt, LangOpt, hdnd, iso, on_terminal, rules_app, tell

if TYPE_CHECKING:
    from ..parse.regulation import Words

Changes = dict[str, list[Obligation]]  # added, removed, changed

LevelOpt = Annotated[Literal["commune", "province", "district"] | None,
                     typer.Option("--level", help="cấp áp dụng / the level the pack is for")]


@rules_app.command("draft")
def rules_draft(ctx: typer.Context, document: Annotated[Path, typer.Argument(metavar="FILE", help=".txt, .docx, .pdf")],
                output: Annotated[Path | None, typer.Option("-o", "--output", help="tệp .toml (mặc định: in ra) / the pack file")] = None,
                level: LevelOpt = None,
                words: Annotated[Path | None, typer.Option("--words", help="từ vựng thay cho data/drafting.toml / the words to read with")] = None,
                lang: LangOpt = None) -> None:
    """Đọc quy chế, đề xuất bộ quy tắc nháp / draft a rule pack from a regulation's text."""
    from ..parse.regulation import document_title, drafts
    from ..render.drafts import pack_text
    from ..storage.bundled import drafting_file
    from ..storage.documents import document_text

    run = hdnd(ctx, lang=lang)
    if output is not None and output.exists():
        raise UserError("file-exists", path=str(output))
    text = document_text(document)
    found = drafts(text, _words(words or drafting_file()))
    title = (document_title(text) or next((line.strip() for line in text.splitlines() if line.strip()),
                                          document.name))[:200]
    pack = pack_text(found, document.name, title, level)
    where = ""
    if output is None:
        sys.stdout.write(pack)
    else:
        _write_new(output, pack)
        where = say("drafted-to", run.lang, path=str(output))
    print(say("drafted", run.lang, count=len(found), source=document.name, where=where), file=sys.stderr)


def _words(path: Path) -> "Words":
    """The drafting vocabulary in `path`; a file that is not one is a clear error naming it."""
    import tomllib

    from ..parse.regulation import Words
    from ..storage.files import read_text

    try:
        return Words(tomllib.loads(read_text(path)))
    except FileNotFoundError:
        raise UserError("no-such-file", path=str(path)) from None
    except (tomllib.TOMLDecodeError, KeyError, TypeError, AttributeError, UnicodeDecodeError) as error:
        raise UserError("bad-words", path=str(path), error=f"{type(error).__name__}: {error}") from None


@rules_app.command("new")
def rules_new(ctx: typer.Context,
              output: Annotated[Path, typer.Option("-o", "--output", help="tệp .toml / the pack file")] = Path("rules/quy-che.toml"),
              lang: LangOpt = None) -> None:
    """Khung bộ quy tắc cho quy chế của văn phòng / a pack skeleton for the office's own regulation."""
    from ..storage.bundled import template_file
    from ..storage.files import read_text

    run = hdnd(ctx, lang=lang)
    if output.exists():
        raise UserError("file-exists", path=str(output))
    try:
        bans = [body for body in run.workspace(stop=False).settings.bodies if body.startswith("ban")]
    except UserError:  # no workspace here: the skeleton alone
        bans = []
    named = (phrase("template-bans", "vi", ids=", ".join(f'"{b}"' for b in bans[:2])) if bans
             else phrase("template-no-bans", "vi"))
    _write_new(output, read_text(template_file()).replace("BANS", named))
    print(say("template-written", run.lang, path=str(output)))


def _write_new(path: Path, text: str) -> None:
    from ..storage.files import write_atomically

    if path.parent != Path("") and not path.parent.is_dir():
        raise UserError("no-such-folder", path=str(path.parent))
    write_atomically(path, text)


@rules_app.command("diff")
def rules_diff(ctx: typer.Context, rev: Annotated[str, typer.Argument(metavar="REV", help="phiên bản git hoặc thư mục / a git revision or a folder")],
               fmt: Annotated[Literal["table", "json"], typer.Option("--format", "-f", help="định dạng / output format")] = "table",
               config: ConfigOpt = None, as_of: AsOfOpt = None, lang: LangOpt = None) -> None:
    """Nghĩa vụ thêm, bỏ, đổi hạn do thay đổi quy tắc từ REV / what the rule changes since REV do."""
    from ..storage.revisions import packs_then
    from ..storage.workspace import law_packs, parse_packs

    run = hdnd(ctx, config=config, as_of=as_of, lang=lang)
    workspace = run.workspace(with_ledger=True)
    day = run.as_of_day(workspace)
    packs, replaced = packs_then(workspace, rev)
    if replaced:
        tell(say("diff-replaces", run.lang, folder=rev, packs=", ".join(replaced)))
    old_rules, problems, _, _ = parse_packs(law_packs(workspace.law) + packs, workspace.law.pack_ids())
    if [p for p in problems if not p.warning]:
        raise Invalid(problems)
    then = copy.copy(workspace)
    then.rules, then.problems = old_rules, [p for p in workspace.problems if p.warning]
    show_changes(then, workspace, day, rev, fmt, run.lang)


def show_changes(before_workspace: Workspace, after_workspace: Workspace, day: date, since: str, fmt: str,
                 lang: str) -> None:
    """What going from one workspace's rules (or law) to another's does to the obligations on `day`:
    added, removed, moved (`rules diff`, `law install`)."""
    from ..engine.evaluate import evaluate

    before = {o.id: o for o in evaluate(before_workspace, day)[0]}
    after = {o.id: o for o in evaluate(after_workspace, day)[0]}
    changes = {
        "added": _ordered(o for key, o in after.items() if key not in before),
        "removed": _ordered(o for key, o in before.items() if key not in after),
        "changed": _ordered(o for key, o in after.items() if key in before and before[key].due != o.due),
    }
    if fmt == "json":
        _diff_json(changes, before, day, since)
    else:
        _diff_table(changes, before, after_workspace, lang, day, since)


def _ordered(obligations: Iterable[Obligation]) -> list[Obligation]:
    """Open obligations first (they are the ones a change moves), then by due date."""
    from ..engine.compute import in_due_order

    listed = list(obligations)
    return in_due_order(o for o in listed if o.is_open) + in_due_order(o for o in listed if not o.is_open)


def _diff_json(changes: Changes, before: dict[str, Obligation], day: date, rev: str) -> None:
    from ..render.text import dumps, item

    document = {"as_of": day.isoformat(), "since": rev,
                "added": [item(o) for o in changes["added"]], "removed": [item(o) for o in changes["removed"]],
                "changed": [{"id": o.id, "rule": o.rule.id if o.rule else None, "title": o.title, "obligor": o.obligor,
                             "status": o.status, "due_before": iso(before[o.id].due), "due_after": iso(o.due)}
                            for o in changes["changed"]]}
    print(dumps(document))


def _diff_table(changes: Changes, before: dict[str, Obligation], workspace: Workspace, lang: str, day: date,
                rev: str) -> None:
    from ..messages import phrase, status, vn_date, word
    from ..render.text import draw

    rows = []
    for kind in ("changed", "added", "removed"):
        for o in changes[kind]:
            old = vn_date(before[o.id].due) if kind != "added" else ""
            new = vn_date(o.due) if kind != "removed" else ""
            rows.append([phrase(f"diff.{kind}", lang), status(o.status, lang), old, new,
                         workspace.body_name(o.obligor, lang), f"{o.title}\n{o.id}"])
    if not rows:
        print(phrase("diff.none", lang, rev=rev, as_of=day))
        return
    draw([phrase("diff.change", lang), word("status", lang), phrase("diff.before", lang), phrase("diff.after", lang),
          word("obligor", lang), word("title", lang)], rows, terminal=on_terminal())
