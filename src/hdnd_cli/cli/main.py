"""The `hdnd` command: run the app, and turn every way a run can stop into a message and an exit code.

Exit codes (one map, here): 0 success; 1 `overdue` found something; 2 bad usage or files that do not
validate; 3 `notify` could not send a message; 130 interrupted; 70 an internal error (a bug: one line,
never a traceback, unless HDND_DEBUG=1).
"""
from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from ..messages import say
from ..model import Invalid, Stop, UserError

# isort: off
from . import read, write, audit, notify, authoring, database, law  # noqa: F401 - the commands, registered on the app in this order
# isort: on
from .app import HELD, Run, app
from .usage import arrange, usage_message
from .write import NotWritten

INTERNAL_ERROR = 70


def main() -> None:
    """The console script."""
    for stream in (sys.stdout, sys.stderr):
        # Redirected output is UTF-8 whatever the console's code page (cp1258 in a .bat file, Task
        # Scheduler); a console keeps its own; a lone surrogate never ends a run.
        with contextlib.suppress(AttributeError, ValueError, OSError):
            options = {} if stream.isatty() else {"encoding": "utf-8"}
            stream.reconfigure(errors="replace", **options)  # type: ignore[union-attr] # else AttributeError
    code = run(sys.argv[1:], os.environ)
    if code == -1:  # stdout closed early (`| head`): say nothing more
        with contextlib.suppress(OSError):
            sys.stderr.close()
        code = 0
    # The process ends here without freeing what the run built (`Run.hold`), as mypy ends its own: the
    # system takes the memory back at once. Every file was written and closed; the output is flushed.
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a pipe closed early, a stream closed above
            stream.flush()
    os._exit(code)


def run(args: Sequence[str], environ: Mapping[str, str]) -> int:
    """One run of `hdnd ARGS` with this environment; what it prints goes to sys.stdout and sys.stderr."""
    HELD.clear()  # what an earlier run in this process held (tests run many)
    context = Run(environ=dict(environ))
    try:
        return _run(arrange(_commands(), args), context)
    except Exception as error:  # a bug, not bad input (also in saying why a run stopped): one line
        if context.debug:
            raise
        print(f"hdnd: {say('internal-error', context.lang, error=f'{type(error).__name__}: {error}')}",
              file=sys.stderr)
        return INTERNAL_ERROR


def _run(args: list[str], context: Run) -> int:
    from typer import Abort
    from typer._click.exceptions import ClickException, NoArgsIsHelpError  # typer is pinned below 0.29

    try:
        code = _commands()(args=args, obj=context, prog_name="hdnd", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except Stop as stop:
        message = stop_message(stop, context.lang)
        if message:
            print(message, file=sys.stderr)
        return stop.code
    except NoArgsIsHelpError as error:
        error.show()
        return error.exit_code
    except ClickException as error:  # an unknown option, a value not among the choices: nothing was read
        print(f"hdnd: {usage_message(error, _commands(), args, context.lang)}", file=sys.stderr)
        return 2
    except (KeyboardInterrupt, Abort):
        return 130
    except BrokenPipeError:
        return -1
    except SystemExit as stop:
        from typer._click.utils import PacifyFlushWrapper

        if isinstance(sys.stdout, PacifyFlushWrapper):  # typer's own exit (1) on a closed pipe: as hdnd's, above
            sys.stdout, sys.stderr = sys.stdout.wrapped, getattr(sys.stderr, "wrapped", sys.stderr)
            return -1
        return stop.code if isinstance(stop.code, int) else 0
    except OSError as error:  # the system refused: disk full, a read-only folder, no permission
        where = f"{error.filename}: " if error.filename else ""
        print(f"hdnd: {say('system-refused', context.lang, where=where, error=error.strerror or error)}",
              file=sys.stderr)
        return 2


@functools.cache
def _commands() -> Any:
    """The command tree typer builds from the app: once a process, not once a run (40 ms each)."""
    from typer.main import get_command

    return get_command(app)


def stop_message(stop: Stop, lang: str) -> str:
    """What a stop says on stderr (nothing, when what it is about was printed already)."""
    if isinstance(stop, NotWritten):
        return stop_message(stop.cause, lang) + "\n" + say("nothing-written", lang)
    if isinstance(stop, UserError):
        return f"hdnd: {say(stop.key, lang, **stop.params)}"
    if isinstance(stop, Invalid):
        from ..render.text import problems_text, unique_problems

        problems = unique_problems(stop.problems)
        warnings = sum(p.warning for p in problems)
        if warnings == len(problems):  # `check --strict`: warnings alone stop it
            return problems_text(problems, lang) + "\n" + say("strict-warnings", lang, count=warnings)
        return (problems_text(problems, lang) + "\n" + say("problems-found", lang, count=len(problems) - warnings)
                + (say("warnings", lang, count=warnings) if warnings else ""))
    return ""

