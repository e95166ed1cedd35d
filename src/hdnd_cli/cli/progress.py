"""Progress on long work (the command line draws it): a bar on stderr, only when stderr is a terminal and
the work has already taken about two seconds (a warm morning never sees it). rich is imported only
when it is drawn."""
from __future__ import annotations

import sys
import time
from typing import Any

DELAY = 2.0  # seconds of work before a bar is worth showing


class Progress:
    """`advance(amount)` as the work goes; `close()` at its end. Silent unless `sys.stderr` is a terminal."""

    def __init__(self, label: str, total: float, delay: float = DELAY):
        self.label, self.total, self.done, self.delay = label, total, 0.0, delay
        self.started = time.monotonic()
        self.shown: Any = None
        self.enabled = sys.stderr.isatty() and total > 0

    def advance(self, amount: float) -> None:
        self.done += amount
        if not self.enabled:
            return
        if self.shown is None and time.monotonic() - self.started >= self.delay:
            from rich.console import Console
            from rich.progress import BarColumn, TaskProgressColumn, TextColumn, TimeRemainingColumn
            from rich.progress import Progress as Bar

            bar = Bar(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn(),
                      console=Console(stderr=True), transient=True)
            bar.start()
            self.shown = (bar, bar.add_task(self.label, total=self.total, completed=int(self.done)))
        elif self.shown is not None:
            bar, task = self.shown
            bar.update(task, completed=self.done)

    def close(self) -> None:
        if self.shown is not None:
            self.shown[0].stop()
            self.shown = None
