"""The seam between the commands and where a ledger lives.

A store reads an office's whole ledger, and appends entries to it in one transaction: serialised
with every other writer of the office, checked as a whole before anything is kept, and kept whole or
not at all. The file store (`filestore.FileStore`) is the one of a workspace under git; another
store (a database) implements the same three steps, and the engine, the renderers and the commands
do not change.
"""
from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, NamedTuple, Protocol

from ..model import Entry, Problem


class Ledger(NamedTuple):
    """What a store read: the entries, the problems of what could not be read, how many entries each
    file (or other place) held, in the order read; and its version, which any change to it changes."""

    entries: list[Entry]
    problems: list[Problem]
    places: dict[str, int]
    version: bytes = b""


class Progress(Protocol):
    def advance(self, amount: float) -> None: ...

    def close(self) -> None: ...


Meter = Callable[[float], Progress]  # made with the total amount of work; the command line draws it


class Written(NamedTuple):
    """Entries appended to one place (a file as the user names it, or `db:OFFICE`), and the text that
    was (or, in a file, exactly is) added there."""

    place: str
    added: str
    entries: list[dict[str, Any]]
    source: str = "ledger"  # what they were built and checked from: the ledger read, or the "kept" answer


class Plan(NamedTuple):
    """A ledger as it would be with new entries appended: the whole of it, the new entries as read
    back from where they would go, and where each would go."""

    after: Ledger
    added: list[Entry]
    written: list[Written]


class Transaction(Protocol):
    def read(self) -> Ledger:
        """The ledger as it is now, no other writer in between."""

    def unchanged(self, ledger: Ledger) -> bool:
        """Whether the ledger is still `ledger` (read before the transaction began); no other writer
        comes in between from now on."""

    def plan(self, entries: list[dict[str, Any]]) -> Plan:
        """The ledger `read` or `unchanged` gave, as it would be with `entries` appended; nothing kept yet."""

    def commit(self) -> None:
        """Keep what the last `plan` made, all of it or (on any failure) none."""


class Store(Protocol):
    def read(self) -> Ledger:
        """The office's whole ledger."""

    def version(self) -> bytes:
        """The version `read` would give now."""

    def transaction(self) -> AbstractContextManager[Transaction]:
        """One writer at a time; what is not committed when the block ends is not kept."""
