"""`hdnd notify` (e-mail each body its list) and `hdnd ics` (a calendar feed)."""

import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

from ..messages import say
from ..model import NotSent, Unaddressed, UserError
from .app import AsOfOpt, ConfigOpt, ExampleOpt, KnownOnOpt, LangOpt, app, hdnd, left_out_note, tell

DEADLINE = 300  # seconds a notify run may spend talking to the mail server, all messages together


@app.command()
def notify(ctx: typer.Context,
           only: Annotated[Literal["overdue", "due"] | None, typer.Option("--only", help="chỉ gửi việc quá hạn, hoặc đến hạn / only overdue, or only due")] = None,
           dry_run: Annotated[bool, typer.Option("--dry-run", help="in thư ra, không gửi / print, do not send")] = False,
           force: Annotated[bool, typer.Option("--force", help="gửi lại dù hôm nay đã gửi, hoặc gửi về ngày đã qua / send again today, or about a past day")] = False,
           config: ConfigOpt = None, as_of: AsOfOpt = None, known_on: KnownOnOpt = None, lang: LangOpt = None,
           example: ExampleOpt = False) -> None:
    """Gửi mỗi cơ quan danh sách việc của mình qua e-mail / e-mail each body its own list.

    Exit 0 when everything was sent (or nothing was due), 3 when a message could not be sent."""
    from .. import api

    run = hdnd(ctx, config=config, as_of=as_of, known_on=known_on, lang=lang, example=example)
    ev = run.evaluate(kept=True, closed=False)  # the open obligations are all a mail or a feed shows
    now = run.now(ev.workspace.settings.timezone)
    past = min(ev.as_of, ev.known_on.date() if ev.known_on else ev.as_of)
    if past < now.date() and not (dry_run or force):
        raise UserError("notify-past", day=past)
    tell(left_out_note(ev, run.lang))
    found, missing = api.mails(ev, now=now, only=only, lang=run.lang)
    for body in missing:
        name = f"{ev.workspace.body_name(body, run.lang)} ({body})"
        print(f"hdnd: {say('no-address', run.lang, body=name)}", file=sys.stderr)
    if dry_run:
        for mail in found:
            message = mail.message
            plain = message.get_body(("plain",))
            print(f"To: {message['To']}\nSubject: {message['Subject']}\n\n{plain.get_content() if plain else ''}\n")
        if missing:
            raise Unaddressed()
        return
    import time

    deadline, started = ev.workspace.settings.notify.get("deadline", DEADLINE), time.monotonic()
    delivery = api.notify(ev.workspace, found, ev.as_of, password=run.environ.get("HDND_SMTP_PASSWORD"), force=force,
                          left=lambda: deadline - (time.monotonic() - started))
    for line in delivery.skipped:
        print(say("mail-skipped", run.lang, to=line))
    if delivery.log_error is not None:  # the mail went: say so, and that a second run would send it again
        print(say("mail-sent", run.lang, to=", ".join(delivery.sent)), file=sys.stderr)
        raise UserError("log-unwritable", path=str(ev.workspace.root / api.SENT_LOG), error=delivery.log_error)
    for line in delivery.sent:
        print(say("mail-sent", run.lang, to=line))
    for line in delivery.unsure:
        print(f"hdnd: {say('mail-unsure', run.lang, to=line)}", file=sys.stderr)
    if delivery.failed:
        print(f"hdnd: {say('mail-failed', run.lang)}\n  " + "\n  ".join(delivery.failed), file=sys.stderr)
        print(say("mail-counts", run.lang, sent=len(delivery.sent), failed=len(delivery.failed)), file=sys.stderr)
        raise NotSent()
    if delivery.unsure:
        raise NotSent()
    if missing:
        raise Unaddressed()


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
    tell(left_out_note(ev, run.lang))
    feed = calendar(ev.obligations, ev.workspace, ev.workspace.settings.horizon, run.now(ev.workspace.settings.timezone),
                    run.lang, ev.known_on, len(ev.later))
    if output is None:
        sys.stdout.write(feed.decode("utf-8"))
    else:
        write_atomically(output, feed.decode("utf-8"))
        print(say("file-written", run.lang, path=str(output)))
