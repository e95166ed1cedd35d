"""rules + ledger + calendar + as-of date -> obligations. Pure: no files, no clock, no printing.

Two times, as bitemporal databases keep them. `as_of` is valid time: the entries' own dates decide,
so `done`, `extend` and `waive` entries dated later, and events dated later that would meet a count
or `satisfied_by` rule, do not count, while an entry back-filled today about an earlier day does.
Planned events (a session convened for next month) still make their obligations. `known_on` is
transaction time: `known()` leaves out the entries recorded after it, before they reach `compute`.
"""

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone
from functools import cache, cached_property, partial
from heapq import heappush, heapreplace
from itertools import chain
from operator import attrgetter
from typing import Any, NamedTuple, overload

from ..dates.counting import WorkingCalendar, due_after_trigger, due_in_period, parse_date, period_bounds, periods, roll, shift
from ..messages import fold
from ..model import (
    ACTS,
    EMPTY,
    Amount,
    ChainedRule,
    Completion,
    CountRule,
    Deadline,
    DeadlineRule,
    Due,
    Entry,
    EventRule,
    Obligation,
    Party,
    Problem,
    Rule,
    ScheduleRule,
    Span,
    Status,
    Step,
    holds,
    yes_no,
)
from ..parse.ledger import read_entry
from ..parse.rules import chain_order

ONE_DAY = timedelta(days=1)
_record = tuple.__new__  # a record from all its fields in order, without the constructor's Python frame


# Kinds of event that are planned ahead (a session convened for next month): dated after the evaluation
# date they exist already, and make their obligations (a report due before the session). Every other
# event dated after it (a complaint received later) does not exist yet on that date (SPEC §5).
PLANNED = frozenset({"session", "voter-contact", "meeting", "working-meeting", "dialogue"})


class EngineSettings(NamedTuple):
    horizon: int = 14  # days ahead that `due` shows and that count as 'soon' without a rule's `warn`
    level: str | None = None  # the office's level; packs of other levels do not apply
    since: date | None = None  # schedules start here; default: the year of the first ledger entry
    bodies: frozenset[str] | None = None  # the office's bodies; a rule's obligation for another is not made
    names: Mapping[str, str] = EMPTY  # a body's id, by its id or its name folded ("so giao duc va dao tao")
    planned: frozenset[str] = PLANNED  # the kinds that exist ahead of their date: PLANNED and the office's own

    @overload
    def body(self, text: str) -> str: ...

    @overload
    def body(self, text: None) -> None: ...

    def body(self, text: str | None) -> str | None:
        """A body's id from what a register wrote: its id, its exact name, or its name in another case
        or without diacritics (when that names one body only); else the text as written."""
        if text is None or not self.names or self.bodies is None or text in self.bodies:
            return text
        return self.names.get(name_key(str(text)), text)


ABBREVIATIONS = {  # how offices shorten a body's name ("UBND tỉnh", "TT HĐND"), folded, and the words in full
    "ubnd": "uy ban nhan dan", "hdnd": "hoi dong nhan dan", "tt": "thuong truc", "ct": "chu tich",
    "pct": "pho chu tich", "mttq": "mat tran to quoc", "vp": "van phong",
}


def name_key(text: str) -> str:
    """A body's name as it is compared: folded (case and diacritics aside), abbreviations in full."""
    return " ".join(ABBREVIATIONS.get(word, word) for word in fold(text).replace(".", " ").split())


class _Start(NamedTuple):
    """Where one obligation of a rule comes from, before its obligors and status are known."""

    key: str
    start: date
    origin: Entry | None
    due: Due
    period_end: date | None = None
    case: Entry | None = None  # the event the case began with (for a chained rule, its parent's)


def corrected(entries: list[Entry], as_of: date) -> tuple[list[Entry], list[Problem]]:
    """The entries as corrected on `as_of`: an entry a `void` dated on or before it names is gone; the
    fields a `set` names take its values from its date on (accounting reverses, it does not erase).
    A correction names an entry by its id, or an act as `done:OBLIGATION` (`@DATE` to pick one of
    several): the act that stands where the correction is written, the first of those written before
    it and not voided by an earlier correction, so that the right `done` recorded after voiding the
    wrong one stands. One that names nothing, or an act already voided, is a problem."""
    corrections = [e for e in entries if e.kind in ("set", "void")]
    if not corrections:
        return entries, []
    problems: list[Problem] = []
    voided: set[int] = set()
    changes: defaultdict[int, dict[str, Any]] = defaultdict(dict)
    find = Targets(entries)
    named = {}
    for correction in corrections:  # in the ledger's order: which act each one names
        named[id(correction)] = find.standing(str(correction.get("of")), correction, voided)
        if correction.kind == "void" and ":" in str(correction.get("of")):
            voided.update(id(t) for t in named[id(correction)])
        elif correction.kind == "set":
            problems += [_at(correction, p) for target in named[id(correction)] for p in _as_set(target, correction)]
    voided = set()
    for correction in sorted(corrections, key=attrgetter("date")):
        targets = named[id(correction)]
        if not targets:
            twice = find(str(correction.get("of")))
            problems.append(Problem(correction.file, correction.line, "void-again" if twice else "unknown-entry",
                                    {"id": correction.get("of"), "near": find.near(str(correction.get("of")))}))
        elif correction.date <= as_of:
            for target in targets:
                if correction.kind == "void":
                    voided.add(id(target))
                else:
                    changes[id(target)].update((k, v) for k, v in correction.fields.items() if k not in SET_ASIDE)
    kept = [e._replace(fields={**e.fields, **changes[id(e)]}) if id(e) in changes else e
            for e in entries if id(e) not in voided and e.kind not in ("set", "void")]
    return kept, problems


class Targets:
    """What a correction's `of` names: an entry's id, or `KIND:OBLIGATION[@DATE]` for acts."""

    def __init__(self, entries: list[Entry]):
        self.order = {id(e): n for n, e in enumerate(entries)}  # the ledger's order, as read
        self.ids = {e.id: e for e in entries if e.id is not None and e.kind not in ("set", "void")}
        self.acts: dict[str, list[Entry]] = defaultdict(list)
        for entry in entries:
            if entry.kind in ACTS:
                self.acts[f"{entry.kind}:{entry.fields['obligation']}"].append(entry)
        self.near = Nearest(chain(self.ids, self.acts))  # what a correction that names nothing may mean

    def __call__(self, ref: str) -> list[Entry]:
        if ref in self.ids:
            return [self.ids[ref]]
        name, _, day = ref.partition("@")
        return [a for a in self.acts.get(name, ()) if not day or a.date.isoformat() == day]

    def standing(self, ref: str, correction: Entry, voided: set[int]) -> list[Entry]:
        """What `correction` names: an entry by its id; or, of the acts `ref` names and not in `voided`,
        the first written before the correction."""
        found = self(ref)
        if ref in self.ids:
            return found
        return [a for a in found if id(a) not in voided and self.before(a, correction)][:1]

    def before(self, first: Entry, then: Entry) -> bool:
        """Whether `first` was written before `then`: by their stamps when both have one (an entry typed
        by hand has none, and counts as there from the start); else by their place in the ledger."""
        if first.recorded_at is not None and then.recorded_at is not None:
            return _aware(first.recorded_at) < _aware(then.recorded_at)
        if (first.recorded_at is None) != (then.recorded_at is None):
            return first.recorded_at is None
        return self.order[id(first)] < self.order[id(then)]


SET_ASIDE = ("of", "reason", "recorded", "note")  # a correction's own fields, not the values it sets


def _as_set(target: Entry, correction: Entry) -> list[Problem]:
    """The problems of `target` as `correction` makes it: it must read as any entry does (closed
    values, dates, a session's end after its start, the keys its kind takes)."""
    raw = {"kind": target.kind, "date": target.date, **({"id": target.id} if target.id is not None else {}),
           **target.fields, **{k: v for k, v in correction.fields.items() if k not in SET_ASIDE}}
    problems: list[Problem] = []
    read_entry(raw, correction.file, problems)
    return problems


def _at(correction: Entry, problem: Problem) -> Problem:
    return problem._replace(file=correction.file, line=correction.line, subject=None)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=VIETNAM)


VIETNAM = timezone(timedelta(hours=7))  # a stamp written without its zone: the office's


def corrections_of(obligation: Obligation, entries: list[Entry]) -> list[Entry]:
    """The `set` and `void` entries about an obligation's own entries (its event, the case's, its
    acts), for `explain`."""
    names = {e.id for e in (obligation.origin, obligation.case) if e is not None and e.id}
    names |= {f"{kind}:{obligation.id}" for kind in ACTS}
    return [e for e in entries if e.kind in ("set", "void") and str(e.get("of")).partition("@")[0] in names]


class _Ledger:
    """The entries known on `as_of`, indexed once so that matching is by key, never by scanning."""

    def __init__(self, entries: list[Entry], as_of: date, planned: frozenset[str] = PLANNED):
        self.events: dict[str, list[Entry]] = defaultdict(list)
        self.acts: dict[str, list[Entry]] = defaultdict(list)
        self.obligations: list[Entry] = []
        self.facts: dict[str, list[Entry]] = defaultdict(list)  # facts of a case, by its event's id
        events, acts, obligations = self.events, self.acts, self.obligations
        first = last = as_of
        for entry in entries:
            kind, day = entry.kind, entry.date
            if kind in ACTS:
                if day <= as_of:
                    acts[entry.fields["obligation"]].append(entry)  # required text (ledger.py)
            elif kind == "obligation":
                if day <= as_of:  # set by a document that did not exist yet: nothing
                    obligations.append(entry)
            elif kind == "fact":
                if day <= as_of:
                    self.facts[str(entry.fields["of"])].append(entry)
            elif day <= as_of or kind in planned:  # received later: it does not exist yet on as_of
                events[kind].append(entry)
            if day < first:
                first = day
            elif day > last:
                last = day
        self.first, self.last = first, last
        # Events that another of their kind replaces (a re-run election): they start nothing.
        self.superseded = {(kind, str(e.fields["supersedes"])) for kind, group in events.items() for e in group
                           if e.fields.get("supersedes") is not None and e.date <= as_of}
        for group in (*events.values(), *acts.values(), *self.facts.values()):
            if len(group) > 1:
                group.sort(key=attrgetter("date"))
        self.dates = {kind: [e.date for e in group] for kind, group in events.items()}

    def value(self, case: Entry | None, name: str, on: date = date.max) -> tuple[object, Entry | None]:
        """A field of a case: as the latest fact about it (on or before `as_of`, and `on`) says, else as
        its event says; and the entry that said it."""
        if case is None:
            return None, None
        for fact in reversed(self.facts_of(case)):
            if name in fact.fields and fact.date <= on:
                return fact.fields[name], fact
        value = case.fields.get(name)
        return value, case if value is not None else None

    def facts_of(self, case: Entry | None) -> list[Entry]:
        """The facts about a case's event, in date order (an event without an id has none)."""
        return self.facts.get(case.id, []) if case is not None and case.id is not None else []

    def events_in(self, kind: str, span: Span) -> list[Entry]:
        """Events of `kind` dated within `span`, in date order (found by bisection, not a scan)."""
        group, dates = self.events.get(kind, []), self.dates.get(kind, [])
        first = bisect_left(dates, span.start) if span.start else 0
        return group[first:bisect_right(dates, span.end) if span.end else len(group)]

    def events_from(self, kind: str, day: date) -> Iterator[Entry]:
        """Events of `kind` dated `day` or later, in date order (found by bisection, not a scan)."""
        group = self.events.get(kind, [])
        for index in range(bisect_left(self.dates.get(kind, []), day), len(group)):
            yield group[index]


def known(entries: list[Entry], known_on: datetime) -> tuple[list[Entry], list[Entry]]:
    """The entries recorded by `known_on` (an aware time) and those recorded after it. An entry
    without a stamp (typed into the file by hand) counts as known; a stamp without a zone is read
    in `known_on`'s zone, the office's."""
    kept: list[Entry] = []
    later: list[Entry] = []
    for entry in entries:
        at = entry.recorded_at
        if at is not None and at.tzinfo is None:
            at = at.replace(tzinfo=known_on.tzinfo)
        (later if at is not None and at > known_on else kept).append(entry)
    return kept, later


def counted(obligation: Obligation, entries: list[Entry], as_of: date) -> list[Entry]:
    """For a count rule ("at least 2 working meetings a year"): the events of its period, by `as_of`,
    that count towards it, in date order. For `explain`."""
    rule = obligation.rule
    if not isinstance(rule, CountRule):
        return []
    last, match = min(period_bounds(rule.schedule.every, obligation.start)[1], as_of), rule.requires.match
    return sorted((e for e in entries if e.kind == match.event and obligation.start <= e.date <= last
                   and match.matches(e)), key=attrgetter("date", "line"))


def not_counted(obligation: Obligation, entries: list[Entry], later: list[Entry],
                as_of: date) -> list[tuple[Entry, str]]:
    """The entries about `obligation` that did not count, each with the time that left it out:
    "known-on" (recorded after it, among `later`) or "as-of" (dated after it). For `explain`."""
    rule, first, last = obligation.rule, obligation.start, date.max
    meets = rule.meets if rule else ()
    if isinstance(rule, CountRule):
        last = period_bounds(rule.schedule.every, first)[1]

    def about(entry: Entry) -> bool:
        if entry.kind in ACTS:
            return bool(entry.fields["obligation"] == obligation.id)
        return first <= entry.date <= last and any(m.matches(entry) for m in meets)

    left = {id(e) for e in later}
    return [(e, "known-on" if id(e) in left else "as-of") for e in entries
            if (id(e) in left or e.date > as_of) and about(e)]


def compute(rules: list[Rule], entries: list[Entry], cal: WorkingCalendar, as_of: date, settings: EngineSettings = EngineSettings(),
            meter: Callable[[float], Any] | None = None) -> tuple[list[Obligation], list[Problem]]:
    """Every obligation known on `as_of`, sorted by due date then id, and the problems found (some
    of them warnings: see `Problem.warning`). `meter(total)` makes a progress display, told of each
    rule done (the command line draws it on long work)."""
    entries, problems = corrected(entries, as_of)
    ledger = _Ledger(entries, as_of, settings.planned)
    made: dict[str, Obligation] = {}
    hidden: set[str] = set()  # periods not begun on as_of: known, so acts may name them, not shown
    in_use = [r for r in rules if r.enabled and applies(r, settings.level)]
    problems += _office_warnings(rules, in_use, settings)
    progress = meter(len(in_use) + 1) if meter else None
    made_by_rules(chain_order(in_use), ledger, defaultdict(list), made, hidden, cal, as_of, settings, problems,
                  progress)
    for entry in ledger.obligations:
        obligation = judge_entry(entry, ledger, cal, as_of, settings, problems)
        made[obligation.id] = obligation
    if progress:
        progress.advance(1)
        progress.close()
    unknown = ledger.acts.keys() - made.keys()  # most often none: found in one pass in C
    if unknown:
        hints = Nearest(made)
        for obligation_id, acts in ledger.acts.items():
            if obligation_id in unknown:
                for act in acts:
                    problems.append(Problem(act.file, act.line, "unknown-obligation",
                                            {"id": obligation_id, "near": hints(obligation_id)}))
    problems += _ledger_warnings(ledger, in_use)
    problems += other_level_warnings(ledger, rules, settings.level)
    problems += yes_no_problems(ledger, in_use) + near_misses(ledger, in_use)
    return in_due_order(o for o in made.values() if o.id not in hidden), problems


def in_due_order(obligations: Iterable[Obligation]) -> list[Obligation]:
    """The documented order: by due date, then id; a suspended case, which has none, last (by id).
    Two stable sorts by attribute: a key function made 50,000 times costs more than both."""
    dated: list[Obligation] = []
    suspended: list[Obligation] = []
    for obligation in obligations:
        (dated if obligation.due is not None else suspended).append(obligation)
    dated.sort(key=attrgetter("id"))
    dated.sort(key=attrgetter("due"))
    suspended.sort(key=attrgetter("id"))
    return dated + suspended


def made_by_rules(rules: Sequence[Rule], ledger: "_Ledger", by_rule: dict[str, list[Obligation]],
                  made: dict[str, Obligation], hidden: set[str], cal: WorkingCalendar, as_of: date,
                  settings: EngineSettings, problems: list[Problem], progress: Any = None) -> None:
    """The obligations `rules` (parents before the rules chained to them) make from `ledger`, into
    `made` by id and `by_rule` (what chained rules count from); `progress` is told of each rule done."""
    for rule in rules:
        if progress:
            progress.advance(1)
        made_here, about = by_rule[rule.id], _About.of(rule, settings)
        named = any(isinstance(p, Party) for p in rule.obligors)  # else the same bodies for every start
        fixed = [o for o in rule.obligors if isinstance(o, str) and (settings.bodies is None or o in settings.bodies)]
        several = len(rule.obligors) > 1
        for start in _starts(rule, ledger, by_rule, cal, settings, problems):
            recipient = rule.recipient
            if isinstance(recipient, Party):
                recipient = _named(rule, recipient, start, ledger, settings, problems)
            key, ahead = f"{rule.id}/{start.key}", start.period_end is not None and start.start > as_of
            for obligor in _obligors(rule, start, ledger, settings, problems) if named else fixed:
                obligation = _judge(about, f"{key}/{obligor}" if several else key, obligor, recipient, start, ledger,
                                    cal, as_of, problems)
                made[obligation.id] = obligation
                made_here.append(obligation)
                if ahead:
                    hidden.add(obligation.id)


def judge_entry(entry: Entry, ledger: "_Ledger", cal: WorkingCalendar, as_of: date, settings: EngineSettings,
                problems: list[Problem]) -> Obligation:
    """The obligation a `kind: obligation` entry sets, judged on `as_of`."""
    obligor = settings.body(str(entry.get("obligor")))
    if settings.bodies is not None and obligor not in settings.bodies:
        problems.append(Problem(entry.file, entry.line, "unknown-body-entry",
                                {"body": obligor, "near": nearest(obligor, settings.bodies)}))
    start = _set_by(entry)
    return _judge(_About.of_entry(entry, settings), start.key, obligor, settings.body(entry.get("recipient")),
                  start, ledger, cal, as_of, problems)


def rejudge(obligation: Obligation, ledger: "_Ledger", cal: WorkingCalendar, as_of: date, settings: EngineSettings,
            problems: list[Problem]) -> Obligation:
    """An obligation judged again on `as_of` with the acts in `ledger` (its start and parties as made)."""
    about = (_About.of(obligation.rule, settings) if obligation.rule
             else _About.of_entry(_set_entry(obligation), settings))
    start = _Start(obligation.key, obligation.start, obligation.origin, obligation.computation, None, obligation.case)
    return _judge(about, obligation.id, obligation.obligor, obligation.recipient, start, ledger, cal, as_of,
                  problems)


def status_on(due: date, as_of: date, window: int) -> tuple[Status, int]:
    """An open obligation's status and days left on `as_of`; 'soon' within `window` days."""
    left = (due - as_of).days
    return (Status.OVERDUE if left < 0 else Status.TODAY if left == 0 else Status.SOON if left <= window
            else Status.OPEN), left


def window(rule: Rule | None, horizon: int) -> int:
    """Days before the due date that count as 'soon': the rule's `warn`, else the office's horizon."""
    return rule.warn if rule is not None and rule.warn is not None else horizon


def _office_warnings(rules: list[Rule], in_use: list[Rule], settings: EngineSettings) -> list[Problem]:
    """Rules that silently make nothing here: packs of another level, bodies the office does not have."""
    warnings = []
    for pack in {r.pack: None for r in rules if settings.level and r.pack.level not in ("any", settings.level)}:
        warnings.append(Problem(pack.file, pack.line, "pack-level-mismatch",
                                {"pack": pack.id, "level": pack.level, "office": settings.level}))
    if settings.bodies is not None:
        for rule in in_use:
            named = [b for b in (*rule.obligors, rule.recipient)
                     if isinstance(b, str) and b not in settings.bodies and b != "?"]  # a blank is its own error
            for body in dict.fromkeys(named):
                warnings.append(Problem(rule.pack.file, rule.line, "unknown-body", {"rule": rule.id, "body": body}))
    return warnings


def _ledger_warnings(ledger: "_Ledger", in_use: list[Rule]) -> list[Problem]:
    """Events of a kind no rule here uses (one warning per kind, at its first entry), and facts about
    an event that does not exist."""
    warnings = []
    used = {m.event for r in in_use for m in r.reads}
    for kind, group in ledger.events.items():
        if kind not in used:
            from difflib import get_close_matches

            first = min(group, key=attrgetter("file", "line"))
            warnings.append(Problem(first.file, first.line, "unused-kind",
                                    {"kind": kind, "count": len(group), "near": get_close_matches(kind, used, 1, 0.8)}))
    if ledger.facts:
        ids = {e.id for group in ledger.events.values() for e in group if e.id is not None}
        hints = Nearest(ids)
        for case_id, facts in ledger.facts.items():
            if case_id not in ids:
                near = hints(case_id)
                for fact in facts:
                    warnings.append(Problem(fact.file, fact.line, "unknown-event", {"id": case_id, "near": near}))
    return warnings


def near_misses(ledger: "_Ledger", rules: list[Rule]) -> list[Problem]:
    """A field of an event that is one letter or two from a field the rules filter or choose by
    (`fowarded_by` for `has = ["forwarded_by"]`), where the event lacks that field: a rule then silently
    makes nothing, or something else. One warning at each such event. (A missing date or body field
    has its own warning, with the same hint: `missing-trigger-field`.)"""
    from difflib import get_close_matches

    by_id = {r.id: r for r in rules}
    read: dict[str, set[str]] = defaultdict(set)  # event kind -> the fields rules read of it
    for rule in rules:
        for match in rule.reads:
            read[match.event] |= {*match.where, *match.unless, *match.has}
        kind = _case_kind(rule, by_id)
        if kind and isinstance(rule, DeadlineRule):
            read[kind] |= {n for c in rule.deadline.cases for n in c.where}
            read[kind] |= {rule.deadline.pause} if rule.deadline.pause else set()
    warnings = []
    for kind, names in read.items():
        guesses: dict[str, str | None] = {}
        shapes: dict[tuple[str, ...], list[tuple[str, str]]] = {}  # a few shapes serve thousands of events
        for event in ledger.events.get(kind, ()):
            shape = tuple(event.fields)
            misses = shapes.get(shape)
            if misses is None:
                for name in shape:
                    if name not in names and name not in guesses:
                        near = get_close_matches(str(name), sorted(names), n=1, cutoff=0.8)
                        guesses[name] = near[0] if near else None
                misses = shapes[shape] = [(n, m) for n in shape
                                          if n not in names and (m := guesses[n]) is not None and m not in shape]
            for name, meant in misses:
                warnings.append(Problem(event.file, event.line, "field-near-miss", {"name": name, "meant": meant}))
    return warnings


def yes_no_problems(ledger: "_Ledger", rules: list[Rule]) -> list[Problem]:
    """A field that a rule reads as yes or no (`complex = true`, a pause), with another value in an event
    of a kind the rules read, or in a fact: a problem at its line, not a silent 'no'."""
    by_id = {r.id: r for r in rules}
    names: dict[str, set[str]] = defaultdict(set)  # event kind -> its yes/no fields
    for rule in rules:
        for match in rule.reads:
            names[match.event] |= _yes_no_names(match.where, match.unless)
        case_kind = _case_kind(rule, by_id)
        if case_kind and isinstance(rule, DeadlineRule):
            names[case_kind] |= _yes_no_names(*(c.where for c in rule.deadline.cases))
            names[case_kind] |= {rule.deadline.pause} if rule.deadline.pause else set()
        if case_kind and rule.extensions:
            names[case_kind] |= _yes_no_names(*rule.extensions.requires)
    every = set().union(*names.values())
    problems = []
    groups = [(group, names[kind]) for kind, group in ledger.events.items() if names.get(kind)]
    groups += [(facts, every) for facts in ledger.facts.values()]
    for group, fields in groups:
        for entry in group:
            if fields.isdisjoint(entry.fields):  # most entries write none of them
                continue
            for name in fields:
                value = entry.fields.get(name)
                if value is not None and yes_no(value) is None:
                    problems.append(Problem(entry.file, entry.line, "not-yes-no", {"name": name, "value": value}))
    return problems


def _yes_no_names(*mappings: Mapping[str, Any]) -> set[str]:
    return {name for mapping in mappings for name, wanted in mapping.items() if isinstance(wanted, bool)}


def _case_kind(rule: Rule, by_id: dict[str, Rule]) -> str | None:
    """The kind of event a rule's case begins with, through the rules it is chained to."""
    seen = set()
    while isinstance(rule, ChainedRule) and rule.id not in seen:
        seen.add(rule.id)
        parent = by_id.get(rule.follows)
        if parent is None:
            return None
        rule = parent
    return rule.match.event if isinstance(rule, EventRule) else None


def other_level_warnings(ledger: "_Ledger", rules: list[Rule], level: str | None) -> list[Problem]:
    """Events that a rule of this office's packs would count from, were it not for another level (a
    commune that records a second complaint, which the province settles): one warning at each."""
    warnings = {}
    for rule in rules:
        if not isinstance(rule, EventRule) or not rule.enabled or not level or rule.level in ("any", level):
            continue
        for event in ledger.events.get(rule.match.event, ()):
            if rule.match.matches(event) and (rule.date_field != "date" or event.date in rule.in_force):
                warnings[rule.id, id(event)] = Problem(event.file, event.line, "event-for-another-level", {
                    "rule": rule.id, "title": rule.title, "level": rule.level, "office": level})
    return list(warnings.values())


def _obligors(rule: Rule, start: "_Start", ledger: "_Ledger", settings: EngineSettings,
              problems: list[Problem]) -> list[str]:
    """The bodies that owe this obligation: a rule's fixed bodies the office has, and the bodies the
    case names."""
    bodies = []
    for party in rule.obligors:
        if isinstance(party, str):
            if settings.bodies is None or party in settings.bodies:
                bodies.append(party)
            continue
        body = _named(rule, party, start, ledger, settings, problems)
        if body is not None:
            if settings.bodies is not None and body not in settings.bodies and start.case is not None:
                problems.append(Problem(start.case.file, start.case.line, "unknown-body-entry",
                                        {"body": body, "near": nearest(body, settings.bodies)}))
            bodies.append(body)
    return bodies


def _named(rule: Rule, party: Party, start: "_Start", ledger: "_Ledger", settings: EngineSettings,
           problems: list[Problem]) -> str | None:
    """The body the case's event (or a later fact) names in the party's field, else its default; a warning
    where the event lacks the field and the rule gives no default."""
    value, _ = ledger.value(start.case, party.field)
    if value is not None:
        return settings.body(str(value))
    if party.default is None and start.case is not None:
        problems.append(_missing_field(rule, start.case, party.field))
    return party.default


def _missing_field(rule: Rule, event: Entry, name: str) -> Problem:
    """A warning: the event matches the rule but lacks the field it needs, with a near miss (`fowarded`)."""
    from difflib import get_close_matches

    near = get_close_matches(name, [str(k) for k in event.fields], 1, 0.75)
    return Problem(event.file, event.line, "missing-trigger-field", {"rule": rule.id, "name": name, "near": near})


def applies(rule: Rule, level: str | None) -> bool:
    """A pack applies to offices of its level, and a rule within it to those of its own; `any` packs and
    rules, and offices of no stated level, to all."""
    return level is None or (rule.pack.level in ("any", level) and rule.level in ("any", level))


def _set_by(entry: Entry) -> _Start:
    """A `kind: obligation` entry: its due date was set by a document, not computed."""
    due = entry.get("due")
    return _Start(str(entry.id), entry.date, entry, Due(due, (Step("set-by", {"date": entry.date, "due": due}),)))


def _set_entry(obligation: Obligation) -> Entry:
    """The `kind: obligation` entry an obligation without a rule was set by (its origin, always)."""
    assert obligation.origin is not None, obligation.id
    return obligation.origin


def _starts(rule: Rule, ledger: _Ledger, by_rule: dict[str, list[Obligation]], cal: WorkingCalendar,
            settings: EngineSettings, problems: list[Problem]) -> Iterator[_Start]:
    """Where each obligation of `rule` starts: each period of a schedule, each event of an event rule,
    each of the parent's obligations met for a chained rule."""
    if isinstance(rule, ScheduleRule):
        first = max(rule.in_force.start or date.min, settings.since or date(ledger.first.year, 1, 1))
        last = min(ledger.last, rule.in_force.end) if rule.in_force.end else ledger.last
        for start, end in periods(rule.schedule.every, first, last):
            due = due_in_period(cal, rule.schedule, start)
            # A period due before the office began tracking (`since`) is not the office's to answer for.
            if due.steps[0].params["date"] in rule.in_force and (settings.since is None or _day(due) >= settings.since):
                yield _Start(due.steps[0].params["period"], start, None, due, end)
        return
    cases = bool(rule.deadline.cases or rule.deadline.pause)  # facts of the case: counted per case
    # Thousands of triggers share a few hundred days: count each day's deadline once (with `cases`, the
    # deadline of a case that has no fact of its own: most of them).
    after = cache(partial(due_after_trigger, cal, deadline=rule.deadline))
    plain, names = cache(lambda day: _period(rule, day, {}, {}, cal)), _case_names(rule.deadline)
    if isinstance(rule, ChainedRule):
        for parent in tuple(by_rule.get(rule.follows, ())):  # a copy: a rule may (wrongly) follow itself
            if parent.done and parent.done.date in rule.in_force:
                key, day = parent.id.split("/", 1)[1], parent.done.date
                due = _due(rule, key, day, parent.case, ledger, cal, problems, names, plain) if cases else after(day)
                yield _record(_Start, (key, day, parent.done.entry, due, None, parent.case))
    else:
        match, field, span, superseded = rule.match, rule.date_field, rule.in_force, ledger.superseded
        filtered, by_date = bool(match.where or match.unless or match.has), field == "date"
        # The rule's kind, within its span where the event's own date triggers: filters left to check.
        for event in ledger.events_in(match.event, span) if by_date else ledger.events.get(match.event, ()):
            if (filtered and not match.matches(event)) or (superseded and (match.event, event.id) in superseded):
                continue
            trigger = event.date if by_date else _trigger_date(rule, event, field, problems)
            if trigger is None or (not by_date and trigger not in span):  # an event's own date: found in the span
                continue
            if event.id is None:
                problems.append(Problem(event.file, event.line, "event-needs-id", {"rule": rule.id}))
                continue
            due = _due(rule, event.id, trigger, event, ledger, cal, problems, names, plain) if cases else after(trigger)
            yield _record(_Start, (event.id, trigger, event, due, None, event))


def _due(rule: DeadlineRule, key: str, trigger: date, case: Entry | None, ledger: _Ledger, cal: WorkingCalendar,
         problems: list[Problem], names: tuple[str, ...], plain: Callable[[date], Due] | None) -> Due:
    """The due date from `trigger` with the period the facts of the case choose, and a step saying
    which facts chose it. The event's own fields count from the start; a later fact, in date order,
    counts if it is dated on or before the last day of the period it would lengthen: one that comes
    after the period ran out does not revive it (complexity is a written determination in the file,
    NĐ 155/2026 Điều 3a k.2), and is a warning at its line. A case with no fact at all, in its fields
    or apart, has the rule's own period from `trigger`: `plain(trigger)`, when given, is that. `names`:
    the rule's `_case_names`."""
    facts = ledger.facts_of(case)
    fields = case.fields if case is not None else EMPTY
    if plain is not None and not facts and fields.keys().isdisjoint(names):
        return plain(trigger)  # nothing chooses a case, nothing pauses the clock (a field of none: the same)
    values = {name: fields.get(name) for name in names}
    said: dict[str, Entry] = {} if case is None else {name: case for name in names if values[name] is not None}
    due = _period(rule, trigger, values, said, cal)
    late = []
    for fact in facts:
        told = {name: fact.fields[name] for name in names if name in fact.fields}
        if not told:
            continue
        longer = _period(rule, trigger, {**values, **told}, {**said, **dict.fromkeys(told, fact)}, cal)
        if _day(longer) > _day(due) and fact.date > _day(due):
            late.append(fact)
            problems.append(Problem(fact.file, fact.line, "fact-too-late",
                                    {"id": f"{rule.id}/{key}", "facts": ", ".join(told), "end": due.date}))
            continue
        values.update(told)
        said.update(dict.fromkeys(told, fact))
        due = longer
    if late:
        due = due._replace(steps=(*due.steps[:2], Step("late-facts", {"facts": tuple(late)}), *due.steps[2:]))
    pause = rule.deadline.pause
    return _paused(rule, pause, key, due, case, ledger, cal, problems) if pause else due


def _period(rule: DeadlineRule, trigger: date, values: dict[str, Any], said: dict[str, Entry], cal: WorkingCalendar) -> Due:
    """The due date with the period the first case whose facts all hold in `values` gives (else the
    rule's own), and the step that says so."""
    deadline = rule.deadline
    for option in deadline.cases:
        if holds(option.where, values.get):
            due = due_after_trigger(cal, trigger, deadline._replace(amount=option.amount))
            step = Step("case", {"where": dict(option.where), "amount": option.amount,
                                 "said": tuple({id(said[n]): said[n] for n in option.where if n in said}.values())})
            return due._replace(steps=(due.steps[0], step, *due.steps[1:]))
    due = due_after_trigger(cal, trigger, deadline)
    if not deadline.cases:
        return due
    return due._replace(steps=(due.steps[0], Step("no-case", {"names": _case_names(deadline)}), *due.steps[1:]))


def _case_names(deadline: Deadline) -> tuple[str, ...]:
    """The facts a deadline's cases choose by, in the order they first appear."""
    return tuple(dict.fromkeys(name for option in deadline.cases for name in option.where))


def _paused(rule: DeadlineRule, name: str, key: str, due: Due, case: Entry | None, ledger: _Ledger, cal: WorkingCalendar,
            problems: list[Problem]) -> Due:
    """The due date with the clock stopped while the case was suspended: a fact `pause: yes` (the
    suspension decision) stops it, `pause: no` (the continuation) restarts it. The days up to and
    including the suspension are used; the rest run from the day after the continuation, then roll
    (NĐ 155/2026 Điều 28b k.2; BLDS Đ.147 k.3); several pauses add up. Suspended and not yet
    continued: no due date, and the days left. A suspension after the period ran out stops nothing."""
    unit = "wd" if any(s.what == "working-days" for s in due.steps) else "d"  # a month is paused by its days
    total = _between(cal, unit, _counted_from(due), unrolled_end(due))
    end, steps = unrolled_end(due), list(due.steps)
    stopped: date | None = None
    decision: Entry | None = None
    for fact in ledger.facts_of(case):
        wanted = yes_no(fact.fields.get(name))
        if wanted is True and stopped is None:
            if fact.date > (roll(cal, end, rule.deadline.roll)[0]):
                problems.append(Problem(fact.file, fact.line, "fact-too-late",
                                        {"id": f"{rule.id}/{key}", "facts": name, "end": roll(cal, end, rule.deadline.roll)[0]}))
                continue
            stopped, decision = fact.date, fact
        elif wanted is False and stopped is not None:
            left = _between(cal, unit, stopped, end)
            end = _after(cal, unit, fact.date, left)
            steps.append(Step("pause", {"from": stopped, "to": fact.date, "used": total - left, "left": left,
                                        "unit": unit, "end": end}))
            stopped = None
    if stopped is not None:
        left = _between(cal, unit, stopped, end)
        return Due(None, (*steps, Step("suspended", {"from": stopped, "used": total - left, "left": left, "unit": unit,
                                                      "fact": decision})), due.provisional)
    if len(steps) == len(due.steps):
        return due
    final, rolled = roll(cal, end, rule.deadline.roll)
    return Due(final, (*[s for s in steps if s.what not in ("roll", "no-roll")], *rolled), due.provisional)


def _counted_from(due: Due) -> date:
    day: date = next(s.params["date"] for s in due.steps if s.what == "trigger")
    return day


def _day(due: Due) -> date:
    """The date of a due date counted from a trigger or in a period, never suspended (that comes after)."""
    assert due.date is not None, due
    return due.date


def _between(cal: WorkingCalendar, unit: str, first: date, last: date) -> int:
    """The days (working days for `wd`) after `first` up to and including `last`: what is left of a period."""
    if unit != "wd":
        return max((last - first).days, 0)
    return sum(1 for n in range(1, (last - first).days + 1) if cal.is_working_day(first + n * ONE_DAY))


def _after(cal: WorkingCalendar, unit: str, start: date, count: int) -> date:
    return shift(cal, start, Amount(count, "wd" if unit == "wd" else "d"), 1)[0]



def _trigger_date(rule: Rule, event: Entry, name: str, problems: list[Problem]) -> date | None:
    value = event.get(name)
    if value is None:
        problems.append(_missing_field(rule, event, name))
        return None
    if isinstance(value, date):
        return value
    try:
        return parse_date(str(value))
    except ValueError:
        problems.append(Problem(event.file, event.line, "bad-date", {"name": name, "value": value}))
        return None


class _About(NamedTuple):
    """What all obligations of one rule (or one `kind: obligation` entry) share."""

    rule: Rule | None
    title: str
    title_en: str | None
    basis: str | None
    source: str | None
    window: int  # days before the due date that count as 'soon'
    met_ahead: bool  # see Rule.met_ahead

    @classmethod
    def of(cls, rule: Rule, settings: EngineSettings) -> "_About":
        return cls(rule, rule.title, rule.title_en, rule.basis, rule.pack.id, window(rule, settings.horizon),
                   rule.met_ahead)

    @classmethod
    def of_entry(cls, entry: Entry, settings: EngineSettings) -> "_About":
        return cls(None, str(entry.get("title")), entry.get("title_en"), entry.get("basis"),
                   entry.get("source"), settings.horizon, False)


def _judge(about: _About, obligation_id: str, obligor: str, recipient: str | None, start: _Start, ledger: _Ledger,
           cal: WorkingCalendar, as_of: date, problems: list[Problem]) -> Obligation:
    rule = about.rule
    acts = ledger.acts.get(obligation_id, ())
    due = start.due.date
    extensions: tuple[Entry, ...] = ()
    waiver: Entry | None = None
    done: Entry | None = None
    if len(acts) == 1 and acts[0].kind == "done":  # most obligations: met once, nothing else
        done = acts[0]
    elif acts:
        extensions = tuple(a for a in acts if a.kind == "extend")
        if extensions:
            _check_extensions(rule, extensions, start, ledger, cal, problems)
            due = extensions[-1].get("until") if due is not None else None  # suspended: no date to move
        dones = [a for a in acts if a.kind == "done"]
        for extra in dones[1:]:
            problems.append(Problem(extra.file, extra.line, "done-twice",
                                    {"id": obligation_id, "other": f"{dones[0].file}:{dones[0].line}"}))
        done = dones[0] if dones else None
        waiver = next((a for a in acts if a.kind == "waive"), None)
    completion: Completion | None
    if done is not None:
        completion = _record(Completion, (done.date, _text(done.fields.get("ref")), done))
        status, left, late = _met(done.date, due)
        if not about.met_ahead and done.date < start.start:
            problems.append(Problem(done.file, done.line, "done-before-trigger",
                                    {"id": obligation_id, "date": done.date, "start": start.start}))
    else:
        completion = _met_by_events(rule, start, ledger, as_of)
        if completion:
            status, left, late = _met(completion.date, due)
        elif waiver:
            status, left, late = Status.WAIVED, None, None
        elif due is None:  # suspended: the days left are those the continuation will count
            status, left, late = Status.SUSPENDED, start.due.steps[-1].params["left"], None
        else:
            (status, left), late = status_on(due, as_of, about.window), None
    # Every field in Obligation's order, built as a plain tuple is (`_record`): made 50,000 times a run,
    # the named tuple's own constructor costs a third more.
    return _record(Obligation, (obligation_id, rule, about.title, about.title_en, obligor, recipient, start.key, due,
                                start.due.date, status, left, late, completion, about.basis, about.source, start.start,
                                start.origin, start.due, extensions, waiver, start.case))


def _met(day: date, due: date | None) -> tuple[Status, None, int | None]:
    """Status, days left and days late of an obligation met on `day` (met while suspended: in time)."""
    if due is None:
        return Status.DONE, None, None
    return (Status.DONE if day <= due else Status.LATE), None, (day - due).days


def _met_by_events(rule: Rule | None, start: _Start, ledger: _Ledger, as_of: date) -> Completion | None:
    """A count rule met by its n-th event in the period, or a rule met by its first `satisfied_by` event."""
    if isinstance(rule, CountRule):
        last, seen = min(start.period_end or as_of, as_of), 0  # a period's start has its end
        for event in ledger.events_from(rule.requires.match.event, start.start):
            if event.date > last:
                break
            if rule.requires.match.matches(event):
                seen += 1
                if seen == rule.requires.number:
                    return Completion(event.date, _text(event.get("ref")) or event.id, event)
    if isinstance(rule, DeadlineRule) and rule.satisfied_by:
        for event in ledger.events_from(rule.satisfied_by.event, start.start):
            if event.date > as_of:
                break
            if rule.satisfied_by.matches(event):
                return Completion(event.date, _text(event.get("ref")) or event.id, event)
    return None


def _check_extensions(rule: Rule | None, extensions: tuple[Entry, ...], start: _Start, ledger: _Ledger,
                      cal: WorkingCalendar, problems: list[Problem]) -> None:
    """Each extension against the rule's `extensions`: how many, how long (at most `each` after the
    unrolled end of the period it extends, then rolled: Luật Tố cáo Đ.30 gives 30, 60 then 90 days
    from acceptance at most), and the facts the n-th one needs, true of the case on or before it."""
    if rule is None:
        return
    allowed, end = rule.extensions, unrolled_end(start.due)
    for number, extension in enumerate(extensions, 1):
        where, until = (extension.file, extension.line), extension.get("until")
        if allowed is None:
            problems.append(Problem(*where, "extension-not-allowed", {"rule": rule.id}))
            continue
        if number > allowed.max:
            problems.append(Problem(*where, "extension-too-many", {"rule": rule.id, "max": allowed.max}))
            continue
        cap, limit = extension_limit(cal, end, allowed.each)
        if until > limit:
            problems.append(Problem(*where, "extension-too-long", {"each": allowed.each, "limit": limit}))
        needed = allowed.requires[number - 1] if number <= len(allowed.requires) else {}
        facts = {name: ledger.value(start.case, name, extension.date)[0] for name in needed}  # as known that day
        if needed and not holds(needed, facts.get):
            problems.append(Problem(*where, "extension-needs-facts",
                                    {"rule": rule.id, "number": number, "facts": _facts_text(needed)}))
        end = min(until, cap)


def unrolled_end(due: Due) -> date:
    """The last day a period counted to, before a day off moved it (the due date itself otherwise)."""
    counted: list[date] = [s.params["end"] for s in due.steps if s.what in ("days", "working-days", "months")]
    return counted[-1] if counted else _day(due)


def extension_limit(cal: WorkingCalendar, end: date, each: Amount) -> tuple[date, date]:
    """The furthest an extension of a period that ran to `end` may go: counted, and rolled forward."""
    cap, _ = shift(cal, end, each, 1)
    return cap, roll(cal, cap, "forward")[0]


def _facts_text(where: Mapping[str, Any]) -> str:
    return ", ".join(f"{name} = {str(value).lower() if isinstance(value, bool) else value}"
                     for name, value in where.items())


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


class Nearest:
    """'Did you mean' hints: up to three known ids closest to a wanted one.

    Among many ids only two windows of 100 are compared: the ids that sort next to the wanted one
    (its rule's name corrected to the nearest rule's), which share its beginning, and those that sort
    next to it read backwards, which share its end (`kx-9` finds `kn-9`). A hint then costs about
    1 ms among any number of obligations (`close_matches`), so a register of a thousand wrong
    references is told in a second or two (one window of 2,000 and difflib's own search took 38 ms a hint).
    """

    POOL = 200

    def __init__(self, known: Iterable[str]):
        self.given = known  # read at the first hint: most runs ask for none

    @cached_property
    def known(self) -> list[str]:
        return sorted(self.given)

    @cached_property
    def backwards(self) -> list[str]:
        return sorted(k[::-1] for k in self.known)

    @cached_property
    def rules(self) -> set[str]:
        return {k.partition("/")[0] for k in self.known if "/" in k}

    def __call__(self, wanted: str) -> list[str]:
        from difflib import get_close_matches

        pool, side = self.known, self.POOL // 4
        if len(pool) > self.POOL:
            rule, slash, key = wanted.partition("/")
            closest = get_close_matches(rule, self.rules, n=1) if slash else []
            probe = f"{closest[0]}/{key}" if closest else wanted
            pool = [*_window(pool, probe, side), *(k[::-1] for k in _window(self.backwards, probe[::-1], side))]
        return close_matches(wanted, dict.fromkeys(pool), n=3, cutoff=0.5)


def close_matches(word: str, possibilities: Iterable[str], n: int, cutoff: float) -> list[str]:
    """`difflib.get_close_matches`, the same list, found faster among many alike: the costly `ratio`
    is taken best bound first and no further once a bound (`quick_ratio`, never less than the ratio)
    falls below the n-th best found (tests/test_engine.py holds the two to one answer)."""
    from difflib import SequenceMatcher

    matcher = SequenceMatcher()
    matcher.set_seq2(word)
    bounded = []
    for text in possibilities:
        matcher.set_seq1(text)
        if matcher.real_quick_ratio() >= cutoff and (bound := matcher.quick_ratio()) >= cutoff:
            bounded.append((bound, text))
    bounded.sort(reverse=True)
    best: list[tuple[float, str]] = []  # a heap of the n best (score, text), the n-th best first
    for bound, text in bounded:
        if len(best) == n and (bound, text) < best[0]:
            break  # neither this one nor any after it can be among the n best
        matcher.set_seq1(text)
        score = matcher.ratio()
        if score >= cutoff and (len(best) < n or (score, text) > best[0]):
            (heapreplace if len(best) == n else heappush)(best, (score, text))
    return [text for _, text in sorted(best, reverse=True)]


def _window(ordered: list[str], probe: str, side: int) -> list[str]:
    """The `side` items on each side of where `probe` sorts in `ordered`."""
    middle = bisect_left(ordered, probe)
    return ordered[max(0, middle - side):middle + side]


def nearest(wanted: str, known: Iterable[str]) -> list[str]:
    return Nearest(known)(wanted)


def in_view(obligation: Obligation, horizon: int) -> bool:
    """What `hdnd due` shows: everything open and due within the horizon (overdue included), and the
    suspended cases, which wait for a continuation."""
    status = obligation.status
    return status in (Status.OVERDUE, Status.TODAY, Status.SOON, Status.SUSPENDED) or (
        status == Status.OPEN and obligation.days_left is not None and obligation.days_left <= horizon)
