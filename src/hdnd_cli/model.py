"""The records every layer shares: problems, rules, ledger entries, obligations.

All are immutable typed records that know where they came from (file and line), so `check` and
`explain` can point at the exact place in the user's files. They are named tuples, as beancount's
directives are: a big ledger makes hundreds of thousands of them, and named tuples are made,
unpickled and even defined (at every start) several times faster than frozen dataclasses.
"""

import copyreg
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, NamedTuple

EMPTY: Mapping[str, Any] = MappingProxyType({})  # the shared default of optional mappings


def _frozen_mapping(items: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(items)


copyreg.pickle(MappingProxyType, lambda mapping: (_frozen_mapping, (dict(mapping),)))  # for the cache


class Subject(NamedTuple):
    """What a problem keeps out of the computation: a rule or a ledger entry, by its id and line."""

    kind: Literal["rule", "entry"]
    id: str
    line: int


class Problem(NamedTuple):
    """Something wrong in a user's file: a value, never raised. `key` names a message.

    `subject` is the rule or the ledger entry that the problem keeps out of the computation, so later
    stages can still count it (an id used twice) and do not report it again (a reference to it is not
    'unknown'); an entry named like a rule keeps out the entry, never the rule."""

    file: str
    line: int
    key: str
    params: Mapping[str, Any] = EMPTY
    subject: Subject | None = None

    @property
    def warning(self) -> bool:
        return self.key in WARNINGS


class Stop(Exception):
    """Ends a command with an exit code. Each kind of stop carries its own code, and the command
    line maps nothing else: 1 something found that a script must see, 2 bad usage or files that do
    not validate, 3 a message that could not be sent, 4 the database could not be reached, 5 a body to
    notify has no address (see the README's exit codes)."""

    code = 2


class Invalid(Stop):
    """Files that do not validate: the run stops and every problem is shown."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


class UserError(Stop):
    """Bad usage that stops a command (unknown id, bad date, no workspace)."""

    def __init__(self, key: str, **params: Any):
        super().__init__(key)
        self.key = key
        self.params = params


class Incomplete(Stop):
    """A list was made without the entries in error (they were shown first): cron must know."""


class Found(Stop):
    """`overdue` found something: the list is on stdout."""

    code = 1


class Unreachable(UserError):
    """The database could not be reached, or went away during the command: nothing was written."""

    code = 4


class CommitUnknown(Unreachable):
    """The database went away while a write was being committed: it may or may not have been written."""


class Unaddressed(Stop):
    """Everything that could be sent was, but a body with items has no e-mail address (cron must know)."""

    code = 5


class NotSent(Stop):
    """Some messages could not be sent (each was reported as it failed)."""

    code = 3


class Span(NamedTuple):
    """An in-force period; either end may be open."""

    start: date | None = None
    end: date | None = None

    def __contains__(self, day: date) -> bool:  # type: ignore[override]  # a span holds days, nothing else
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)

    def overlaps(self, other: "Span") -> bool:
        return (self.end is None or other.start is None or other.start <= self.end) and (
            other.end is None or self.start is None or self.start <= other.end
        )

    def intersect(self, other: "Span") -> "Span":
        starts = [d for d in (self.start, other.start) if d]
        ends = [d for d in (self.end, other.end) if d]
        return Span(max(starts) if starts else None, min(ends) if ends else None)


class Amount(NamedTuple):
    """A period as the law writes it: 30 days (`d`), 5 working days (`wd`) or 1 month (`m`)."""

    number: int
    unit: str  # "d" | "wd" | "m"

    def __str__(self) -> str:
        return f"{self.number}{self.unit}"


class Case(NamedTuple):
    """A period chosen by facts of the case: `{ where = { complex = true }, after = "45d" }`."""

    where: Mapping[str, Any]
    amount: Amount


class Deadline(NamedTuple):
    direction: str  # "after" | "before"
    amount: Amount
    roll: str  # "forward" | "backward" | "none"
    cases: tuple[Case, ...] = ()  # the first whose facts all hold replaces `amount`
    pause: str | None = None  # a yes/no fact of the case that stops the clock (yes) and restarts it (no)


class Party(NamedTuple):
    """A body named by a field of the case's event: `{ field = "handler", default = "chu-tich-ubnd" }`."""

    field: str
    default: str | None = None


class Match(NamedTuple):
    """An event kind with field filters: `{ event = "denunciation", where = {...}, unless = { competent =
    false }, has = ["forwarded_by"] }`: every `where` field equal, not every `unless` field equal, and
    every `has` field set."""

    event: str
    where: Mapping[str, Any] = EMPTY
    unless: Mapping[str, Any] = EMPTY
    has: tuple[str, ...] = ()

    def matches(self, entry: "Entry") -> bool:
        # Loops, not all() over generators: tens of thousands of events a run. A missing field equals
        # no wanted value (TOML has no null), so it is decided without `_same`.
        if entry.kind != self.event:
            return False
        fields = entry.fields
        for name, wanted in self.where.items():
            value = fields.get(name)
            if value is None or not _same(value, wanted):
                return False
        if self.unless:
            for name, wanted in self.unless.items():
                value = fields.get(name)
                if value is None or not _same(value, wanted):
                    break
            else:
                return False
        for name in self.has:
            if fields.get(name) is None:
                return False
        return True


def holds(where: Mapping[str, Any], value_of: Callable[[str], Any]) -> bool:
    """Every field of `where` has its wanted value, `value_of(name)` giving the value."""
    return all(_same(value_of(name), wanted) for name, wanted in where.items())


def yes_no(value: Any) -> bool | None:
    """A yes/no value as offices write it: true/false, có/không, yes/no, 1/0, any case; else None."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower() if isinstance(value, (str, int)) else None
    return True if text in YES else False if text in NO else None



# The words a register writes for yes and no (a field a rule reads as yes/no), any case.
YES, NO = frozenset({"true", "có", "yes", "1"}), frozenset({"false", "không", "no", "0"})


def _same(value: Any, wanted: Any) -> bool:
    if isinstance(wanted, list):
        return any(_same(value, w) for w in wanted)
    if isinstance(wanted, bool):  # `complex = true` against `complex: có`, "true", 1
        return yes_no(value) is wanted
    # Text against a number and the like ("2" = 2), never the text of a list: it may be an alias bomb.
    return value == wanted or (isinstance(value, (str, int, float, date)) and str(value) == str(wanted))


class Schedule(NamedTuple):
    every: str  # "year" | "quarter" | "month" | "week"
    month: int | None
    day: int | None
    weekday: int | None
    roll: str


class Requirement(NamedTuple):
    number: int  # how many matching events the period needs
    match: Match


class Extensions(NamedTuple):
    max: int
    each: Amount
    requires: tuple[Mapping[str, Any], ...] = ()  # the facts the n-th extension needs: ({}, {very_complex: true})


class Example(NamedTuple):
    due: date
    trigger: date | None = None
    period: str | None = None
    line: int = 0


class Pack(NamedTuple):
    id: str
    title: str
    scope: str
    level: str
    in_force: Span
    file: str
    line: int
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleBase:
    """What every kind of rule has: who owes whom, where it was read and how sure, while in force.
    A rule is one of four kinds (`Rule`): a deadline counted from an event, or from another rule's
    obligation met (chained), a date in every period (schedule), or a number of events in every period
    (count)."""

    id: str
    title: str
    obligors: tuple[str | Party, ...]
    pack: Pack
    in_force: Span  # the pack's period narrowed by the rule's own
    line: int
    title_en: str | None = None
    recipient: str | Party | None = None
    basis: str | None = None
    quote: str | None = None
    extensions: Extensions | None = None
    warn: int | None = None
    examples: tuple[Example, ...] = ()
    status: str | None = None  # how sure: verified | partial, or as the office says
    url: str | None = None  # where the words were read
    enabled: bool = True  # a template an office switches on
    note: str | None = None
    guessed: tuple[str, ...] = ()  # what `rules draft` proposed from the words, for a person to confirm
    level: str = "any"  # narrows the pack's level: a second complaint is settled at province level

    @property
    def met_ahead(self) -> bool:
        """Due before its event (a report before a session): met ahead of it, so it has no first day."""
        return False

    @property
    def meets(self) -> tuple[Match, ...]:
        """The events that meet an obligation of the rule without a `done`."""
        return ()

    @property
    def reads(self) -> tuple[Match, ...]:
        """The events the rule reads: what starts it, and what meets it."""
        return self.meets


@dataclass(frozen=True, slots=True, kw_only=True)
class DeadlineRule(RuleBase):
    """A period counted from a day: an event's (EventRule) or the day another obligation was met."""

    deadline: Deadline
    satisfied_by: Match | None = None  # an event that meets the obligation, without a `done`

    @property
    def met_ahead(self) -> bool:
        return self.deadline.direction == "before"

    @property
    def meets(self) -> tuple[Match, ...]:
        return (self.satisfied_by,) if self.satisfied_by else ()


@dataclass(frozen=True, slots=True, kw_only=True)
class EventRule(DeadlineRule):
    """`trigger = { event = "complaint", date = "accepted" }`: one obligation per matching event."""

    match: Match
    date_field: str = "date"  # the event's field the count starts from

    @property
    def reads(self) -> tuple[Match, ...]:
        return (self.match, *self.meets)


@dataclass(frozen=True, slots=True, kw_only=True)
class ChainedRule(DeadlineRule):
    """`trigger = { done = "complaint-accept" }`: counted from the day the parent rule's obligation was met."""

    follows: str  # the parent rule's id


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleRule(RuleBase):
    """`schedule = { every = "quarter", day = 15 }`: one obligation per period, due on a day of it."""

    schedule: Schedule


@dataclass(frozen=True, slots=True, kw_only=True)
class CountRule(ScheduleRule):
    """A schedule met by a number of events in the period (at least two working meetings a year)."""

    requires: Requirement

    @property
    def meets(self) -> tuple[Match, ...]:
        return (self.requires.match,)


Rule = EventRule | ChainedRule | ScheduleRule | CountRule


class Entry(NamedTuple):
    """One ledger entry. `fields` holds everything but `kind` and `date`, as written."""

    kind: str
    date: date
    id: str | None
    fields: Mapping[str, Any]
    file: str
    line: int
    recorded_at: datetime | None = None

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)


class Step(NamedTuple):
    """One step of a due-date computation, kept for `explain`. `what` names a message."""

    what: str
    params: Mapping[str, Any] = EMPTY


class Due(NamedTuple):
    date: date | None  # None while the clock is stopped (a case suspended, not yet continued)
    steps: tuple[Step, ...]
    provisional: bool = False  # it depends on days off not yet announced


class Completion(NamedTuple):
    date: date
    ref: str | None
    entry: Entry | None  # the done entry, or the event that met the rule


ACTS = ("done", "extend", "waive")  # the kinds of entry that act on an obligation rather than make one
# Problems that do not stop a run: `check` shows them, and fails on them only with --strict.
WARNINGS = frozenset({"pack-level-mismatch", "unknown-body", "unused-kind", "missing-trigger-field",
                      "unknown-body-entry", "event-for-another-level", "fact-too-late", "law-old", "law-no-tet",
                      "field-near-miss", "write-to-outside", "act-dated-ahead"})
# Warnings about what silently drops or changes an obligation: the morning list says them too (stderr).
LOUD = frozenset({"field-near-miss", "missing-trigger-field", "fact-too-late"})
class Status(StrEnum):
    """An obligation's state on the evaluation date: its JSON `status`, and equal to that text."""

    OVERDUE = "overdue"
    TODAY = "today"  # due today
    SOON = "soon"  # due within the rule's `warn`, else the office's horizon
    OPEN = "open"
    SUSPENDED = "suspended"  # the clock is stopped: no due date until the case continues
    DONE = "done"  # met on or before its due date
    LATE = "late"  # met after it
    WAIVED = "waived"


OPEN_STATUSES = (Status.OVERDUE, Status.TODAY, Status.SOON, Status.OPEN, Status.SUSPENDED)
CLOSED_STATUSES = (Status.DONE, Status.LATE, Status.WAIVED)
STATUSES = OPEN_STATUSES + CLOSED_STATUSES


class Obligation(NamedTuple):
    id: str
    rule: Rule | None
    title: str
    title_en: str | None
    obligor: str
    recipient: str | None
    key: str
    due: date | None  # None while suspended
    original_due: date | None
    status: Status
    days_left: int | None
    days_late: int | None
    done: Completion | None
    basis: str | None
    source: str | None
    start: date  # the trigger date, or the start of the period
    origin: Entry | None  # the trigger event, the parent's done entry, or the obligation entry
    computation: Due
    extensions: tuple[Entry, ...] = ()
    waiver: Entry | None = None
    case: Entry | None = None  # the event the case began with, whose fields and facts rules read

    @property
    def provisional(self) -> bool:
        return self.computation.provisional

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def arises(self) -> date | None:
        """The first day it can be met: the trigger or period start; none for a `before` deadline,
        which is met ahead of its event."""
        return None if self.rule and self.rule.met_ahead else self.start


@dataclass(frozen=True, slots=True)
class Body:
    """One body of the office (hdnd.toml `[[bodies]]`): who owes and who receives."""

    id: str
    name: str
    name_en: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """An office's settings as hdnd.toml gives them: read once, never changed (`dataclasses.replace`
    makes another, as a database url from the environment does)."""

    config_file: Path
    office: Mapping[str, Any] = field(default_factory=lambda: EMPTY)  # the [office] table as written
    level: str | None = None
    lang: str | None = None
    timezone: str = "Asia/Ho_Chi_Minh"
    since: date | None = None
    horizon: int = 14
    rule_paths: tuple[Path, ...] = ()
    ledger_paths: tuple[Path, ...] = ()
    write_to: str = "data/{year}.yaml"
    bodies: Mapping[str, Body] = field(default_factory=lambda: EMPTY)  # the [[bodies]] hdnd.toml lists
    days_off: tuple[tuple[date, str], ...] = ()
    work_days: tuple[tuple[date, str], ...] = ()
    notify: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    database: Mapping[str, str] | None = None  # [store]: the PostgreSQL url and this office's id
    trusted_keys: tuple[str, ...] = ()  # [law]: keys trusted besides the project's
    planned: tuple[str, ...] = ()  # [kinds] planned: the office's kinds known ahead

    @property
    def root(self) -> Path:
        return self.config_file.parent


@dataclass
class Workspace:
    """An office as loaded: its settings, the law in use, and what was read under them (its rules, its
    ledger, and the problems found reading them)."""

    settings: Settings
    law: Any  # the law in use (storage.law.Law): the national packs and the calendar
    calendar: Any  # the working calendar (dates.calendar.Calendar), with the office's own days
    store: Any  # where the ledger lives (storage.base.Store)
    bodies: dict[str, Body] = field(default_factory=dict)  # the settings' bodies and those the law's rules name
    rules: list[Rule] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    ids: set[str] | None = None  # every id the entries have, when a kept answer served in their stead
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, int] = field(default_factory=dict)  # file -> number of rules or entries read
    sources: bytes = b""  # a digest of the settings and rule packs as read (what kept results depend on)
    law_copies: list[str] = field(default_factory=list)  # the office's files that copy a law pack: not read

    @property
    def root(self) -> Path:
        return self.settings.root

    def body_name(self, body_id: str, lang: str = "vi") -> str:
        body = self.bodies.get(body_id)
        if body is None:
            return body_id
        return (body.name_en or body.name) if lang == "en" else body.name

    def group_name(self, by: str, key: str, lang: str = "vi") -> str:
        """An audit group as people name it: a body by its name, a rule by its title; else its key."""
        if by == "obligor":
            return self.body_name(key, lang)
        rule = next((r for r in self.rules if r.id == key), None) if by == "rule" else None
        if rule is None:
            return key
        return (rule.title_en or rule.title) if lang == "en" else rule.title
