"""`hdnd notify` (e-mail each body its list) and `hdnd ics` (a calendar feed)."""

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer

from ..messages import say
from ..model import NotSent, Unaddressed, UserError
from .app import AsOfOpt, ConfigOpt, ExampleOpt, KnownOnOpt, LangOpt, app, hdnd, left_out_note, tell

if TYPE_CHECKING:
    from ..model import Workspace
    from ..render.mail import Mail

SENT_LOG = ".hdnd-notified.json"  # what was sent on which day, so a second run does not repeat it


@app.command()
def notify(ctx: typer.Context,
           only: Annotated[Literal["overdue", "due"] | None, typer.Option("--only", help="chỉ gửi việc quá hạn, hoặc đến hạn / only overdue, or only due")] = None,
           dry_run: Annotated[bool, typer.Option("--dry-run", help="in thư ra, không gửi / print, do not send")] = False,
           force: Annotated[bool, typer.Option("--force", help="gửi lại dù hôm nay đã gửi, hoặc gửi về ngày đã qua / send again today, or about a past day")] = False,
           config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None, lang: LangOpt = None,
           example: ExampleOpt = False) -> None:
    """Gửi mỗi cơ quan danh sách việc của mình qua e-mail / e-mail each body its own list.

    Exit 0 when everything was sent (or nothing was due), 3 when a message could not be sent."""
    from ..render.mail import mails

    run = hdnd(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example)
    ev = run.evaluate(kept=True, closed=False)  # the open obligations are all a mail or a feed shows
    workspace, day, obligations = ev.workspace, ev.as_of, ev.obligations
    now = run.now(workspace.timezone)
    today = now.date()
    past = min(day, ev.known_on.date() if ev.known_on else day)
    if past < today and not (dry_run or force):
        raise UserError("notify-past", day=past)
    tell(left_out_note(ev))
    sender = workspace.notify.get("sender") or workspace.office.get("email") or "hdnd@localhost"
    found, missing = mails(obligations, workspace, day, only, sender, now, ev.lang)
    for body in missing:
        print(f"hdnd: {say('no-address', ev.lang, body=body)}", file=sys.stderr)
    if dry_run:
        for mail in found:
            message = mail.message
            plain = message.get_body(("plain",))
            print(f"To: {message['To']}\nSubject: {message['Subject']}\n\n{plain.get_content() if plain else ''}\n")
        if missing:
            raise Unaddressed()
        return
    from ..storage.files import locked

    with locked(workspace.root):  # two runs at once: the second sees what the first sent
        sent, failed = _deliver(found, workspace, day, force, run.environ.get("HDND_SMTP_PASSWORD"), ev.lang)
    for line in sent:
        print(say("mail-sent", ev.lang, to=line))
    if failed:
        print(f"hdnd: {say('mail-failed', ev.lang)}\n  " + "\n  ".join(failed), file=sys.stderr)
        print(say("mail-counts", ev.lang, sent=len(sent), failed=len(failed)), file=sys.stderr)
        raise NotSent()
    if missing:
        raise Unaddressed()


def _deliver(found: list["Mail"], workspace: "Workspace", day: date, force: bool, password: str | None,
             lang: str) -> tuple[list[str], list[str]]:
    """Send each message not yet sent today, remembering each in the sent-mail log as it goes."""
    import smtplib

    from ..render.mail import scrub, send
    from ..storage.files import write_atomically

    settings = workspace.notify
    log_path = workspace.root / SENT_LOG
    log = _read_log(log_path)
    sent_today = log.setdefault(day.isoformat(), {})
    sent, failed, unreachable = [], [], None
    for mail in found:
        key = mail.body or "(office)"
        if not force and sent_today.get(key) == mail.digest:
            print(say("mail-skipped", lang, to=f"{key} <{mail.message['To']}>"))
            continue
        if unreachable is not None:  # a server that did not answer is not waited for again
            failed.append(f"{key} <{mail.message['To']}>: {unreachable}")
            continue
        try:
            send(settings, password, mail.message)
        except (OSError, smtplib.SMTPException) as error:
            reason = scrub(str(error), settings, password)[:300]
            if isinstance(error, (OSError, smtplib.SMTPServerDisconnected)):
                unreachable = reason
            failed.append(f"{key} <{mail.message['To']}>: {reason}")
            continue
        sent.append(f"{key} <{mail.message['To']}>")
        sent_today[key] = mail.digest
        try:
            write_atomically(log_path, json.dumps(log, ensure_ascii=False, indent=1))
        except OSError as error:  # the mail went: say so, and that a second run would send it again
            print(say("mail-sent", lang, to=", ".join(sent)), file=sys.stderr)
            raise UserError("log-unwritable", path=str(log_path), error=error) from None
    return sent, failed


def _read_log(path: Path) -> dict[str, Any]:
    from ..storage.files import read_text

    try:
        log = json.loads(read_text(path))
        return log if isinstance(log, dict) else {}
    except (OSError, ValueError):
        return {}


@app.command()
def ics(ctx: typer.Context,
        output: Annotated[Path | None, typer.Option("-o", "--output", help="tệp .ics (mặc định: in ra) / file")] = None,
        config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None, lang: LangOpt = None,
        example: ExampleOpt = False) -> None:
    """Lịch iCalendar (RFC 5545) các việc chưa hoàn thành / an iCalendar feed of open obligations."""
    from ..render.mail import calendar
    from ..storage.files import write_atomically

    run = hdnd(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example)
    ev = run.evaluate(kept=True, closed=False)  # the open obligations are all a mail or a feed shows
    tell(left_out_note(ev))
    feed = calendar(ev.obligations, ev.workspace, ev.workspace.horizon, run.now(ev.workspace.timezone), ev.lang)
    if output is None:
        sys.stdout.write(feed.decode("utf-8"))
    else:
        write_atomically(output, feed.decode("utf-8"))
        print(say("file-written", ev.lang, path=str(output)))
