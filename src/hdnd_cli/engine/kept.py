"""What the engine derived from a ledger, kept between runs, so that a morning run costs what is new.

`keep` makes it from a full computation. `on` gives the open obligations again on another day, for
as long as nothing they depend on changes (`Kept.valid`). `extended` brings it up to date with
entries appended to the ledger, or answers None where that cannot be shown to give what a full
computation gives; the caller then computes everything afresh. Pure, like the rest of the engine;
`storage/kept.py` keeps it in the cache. tests/test_kept.py holds both paths to a full computation
over random ledgers and random appends.

Why a day range is safe: the as-of day enters the computation only through comparisons with the
entries' own dates (acts, facts, corrections and events count when dated on or before it), the
span of periods a schedule makes (up to the later of the day and the last entry), and each open
obligation's days left. Between two consecutive entry dates, within one period of every schedule
in use and one year (the default `since` is the first entry's year), only the days left change.
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from datetime import date, timedelta
from pathlib import PurePath
from typing import NamedTuple

from ..dates.counting import WorkingCalendar, period_bounds
from ..model import ACTS, ChainedRule, Entry, EventRule, Obligation, Problem, Rule, ScheduleRule
from ..parse.rules import chain_order
from .compute import (
    EngineSettings,
    _Ledger,
    applies,
    in_due_order,
    judge_entry,
    made_by_rules,
    near_misses,
    other_level_warnings,
    rejudge,
    status_on,
    window,
    yes_no_problems,
)

ONE_DAY = timedelta(days=1)
# Problems about what is not (yet) there: their "did you mean" hints are drawn from the whole ledger.
REFERENCES = ("unknown-obligation", "unknown-event", "unknown-entry")


class Kept(NamedTuple):
    day: date  # the as-of day the open obligations' status was counted on
    valid: tuple[date, date]  # the as-of days on which these are the ledger's obligations
    unsettled: list[Obligation]  # open, by due date then id; their days left are re-counted each day
    settled: list[Obligation]  # closed by entries appended since the closed obligations were stored
    problems: list[Problem]  # what the ledger and the engine found, warnings included
    ids: str  # every id an entry has (an act's too), each between newlines: looked up, not scanned
    span: tuple[date, date] | None  # the first and the last entry's dates
    facts: dict[str, tuple[Entry, ...]]  # facts by the id of the event they are about (few)
    touched: frozenset[str]  # ids that corrections name: an append there is not safe


def keep(rules: list[Rule], entries: list[Entry], problems: list[Problem], obligations: list[Obligation],
         as_of: date, settings: EngineSettings) -> tuple[Kept, list[Obligation]]:
    """The kept form of a full computation on `as_of`, and its closed obligations (stored apart)."""
    dates = sorted({e.date for e in entries})
    taken = {str(e.id) for e in entries if e.id is not None}
    taken |= {p.subject.id for p in problems if p.subject and p.subject.kind == "entry"}
    facts: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.kind == "fact":
            facts[str(entry.get("of"))].append(entry)
    refs = [str(e.get("of")) for e in entries if e.kind in ("set", "void")]
    kept = Kept(as_of, _valid(dates, as_of, _in_use(rules, settings)), [o for o in obligations if o.is_open], [],
                problems, "\n" + "".join(f"{i}\n" for i in sorted(taken)), (dates[0], dates[-1]) if dates else None,
                {k: tuple(v) for k, v in facts.items()}, _names(refs))
    return kept, [o for o in obligations if not o.is_open]


def on(kept: Kept, day: date, horizon: int) -> list[Obligation]:
    """The open obligations on `day` (one of `kept.valid`), their days left and status counted again."""
    if day == kept.day:
        return list(kept.unsettled)
    found = []
    for o in kept.unsettled:
        if o.due is None:  # suspended: its days left wait for the continuation
            found.append(o)
            continue
        status, left = status_on(o.due, day, window(o.rule, horizon))
        found.append(o if left == o.days_left else o._replace(status=status, days_left=left))
    return found


def extended(kept: Kept, tail: list[Entry], rules: list[Rule], cal: WorkingCalendar, day: date,
             settings: EngineSettings) -> Kept | None:
    """`kept` with the entries `tail` appended, on `day`; None unless that is shown to be what a full
    computation gives. Shown safe: acts on open obligations whose rules count no events, obligation
    entries, and events with new ids that rules only start from (their obligations, and what rules
    chained to them make). Facts, corrections, a repeated id, a date that moves the ledger's span,
    anything a correction names, and any append to a ledger with a reference to what is not there
    (whose hints an append may change) are computed afresh."""
    if kept.span is None or not kept.valid[0] <= day <= kept.valid[1] or not tail:
        return None
    if any(p.key in REFERENCES for p in kept.problems):
        return None
    in_use = _in_use(rules, settings)
    starts = {r.match.event for r in in_use if isinstance(r, EventRule)}
    counted = {m.event for r in in_use for m in r.meets}
    first, last = kept.span
    new_ids: set[str] = set()
    for entry in tail:
        kind = entry.kind
        if kind in ("fact", "set", "void") or entry.date < first or entry.date > max(last, day):
            return None
        if "supersedes" in entry.fields:  # it takes an obligation away: computed afresh
            return None
        if kind not in ACTS and kind != "obligation" and (kind not in starts or kind in counted):
            return None
        if kind in ACTS and entry.fields["obligation"] in kept.touched:
            return None
        if entry.id is not None and kind not in ACTS:
            name = str(entry.id)
            if f"\n{name}\n" in kept.ids or name in new_ids or name in kept.touched:
                return None
            new_ids.add(name)
        elif entry.id is not None:  # an act's id names nothing, but it is one an entry has
            new_ids.add(str(entry.id))
    opened = {o.id: o for o in kept.unsettled}
    affected = [opened[i] for i in dict.fromkeys(e.fields["obligation"] for e in tail if e.kind in ACTS)
                if i in opened]
    kinds = {e.kind for e in tail}
    run = [r for r in chain_order(in_use)
           if isinstance(r, ChainedRule) or isinstance(r, EventRule) and r.match.event in kinds]
    if any(r.meets for r in run) or any(o.rule and o.rule.meets for o in affected):
        return None
    known = [e for o in affected for e in (*o.extensions, *(kept.facts.get(str(o.case.id), ()) if o.case else ()))]
    ledger = _Ledger(sorted([*tail, *known], key=_read_order), day, settings.planned)
    problems: list[Problem] = []
    made: dict[str, Obligation] = {}
    by_rule: dict[str, list[Obligation]] = defaultdict(list)
    for old in affected:
        made[old.id] = rejudge(old, ledger, cal, day, settings, problems)
        if old.rule is not None:
            by_rule[old.rule.id].append(made[old.id])
    made_by_rules(run, ledger, by_rule, made, set(), cal, day, settings, problems)
    for entry in ledger.obligations:
        obligation = judge_entry(entry, ledger, cal, day, settings, problems)
        made[obligation.id] = obligation
    problems += other_level_warnings(ledger, rules, settings.level) + yes_no_problems(ledger, in_use)
    problems += near_misses(ledger, in_use)
    fresh = made.keys() - {o.id for o in affected}
    if any(name not in made for name in ledger.acts) or not fresh.isdisjoint(opened):
        return None  # an act on what is not open, or a new obligation where an open one is
    open_ = in_due_order([*(o for o in on(kept, day, settings.horizon) if o.id not in made),
                          *(o for o in made.values() if o.is_open)])
    lo, hi = kept.valid
    for entry in tail:
        lo, hi = (max(lo, entry.date), hi) if entry.date <= day else (lo, min(hi, entry.date - ONE_DAY))
    dates = [e.date for e in tail]
    said: dict[tuple[str, int, str, str], Problem | None] = dict.fromkeys(map(_said, kept.problems))
    for problem in problems:
        said.setdefault(_said(problem), problem)  # a new one, once
    return kept._replace(
        day=day, valid=(lo, hi), unsettled=open_, settled=kept.settled + [o for o in made.values() if not o.is_open],
        problems=kept.problems + [p for p in said.values() if p is not None],
        ids=kept.ids + "".join(f"{i}\n" for i in sorted(new_ids)), span=(min(first, *dates), max(last, *dates)))


def _read_order(entry: Entry) -> tuple[tuple[str, ...], int]:
    """Where an entry stands in a full read: files in path order (by their parts, as the store sorts
    them: `data/x` before `data-2/x`), then by line."""
    return PurePath(entry.file).parts, entry.line


def _in_use(rules: list[Rule], settings: EngineSettings) -> list[Rule]:
    return [r for r in rules if r.enabled and applies(r, settings.level)]


def _valid(dates: list[date], as_of: date, in_use: list[Rule]) -> tuple[date, date]:
    """The as-of days that give the same obligations as `as_of`, but for their days left."""
    lo, hi = date(as_of.year, 1, 1), date(as_of.year, 12, 31)
    index = bisect_right(dates, as_of)
    if index:
        lo = max(lo, dates[index - 1])
    if index < len(dates):
        hi = min(hi, dates[index] - ONE_DAY)
    for every in {r.schedule.every for r in in_use if isinstance(r, ScheduleRule)}:
        first, end = period_bounds(every, as_of)
        lo, hi = max(lo, first), min(hi, end)
    return lo, hi


def _names(refs: list[str]) -> frozenset[str]:
    """Every id a reference could mean: `KIND:OBLIGATION@DATE` names the obligation, and each part of
    `RULE/KEY/OBLIGOR` may be an event's id."""
    names = set()
    for ref in refs:
        whole = ref.partition("@")[0]
        whole = whole.partition(":")[2] or whole
        names |= {ref, whole, *whole.split("/")}
    return frozenset(names)


def _said(problem: Problem) -> tuple[str, int, str, str]:
    return problem.file, problem.line, problem.key, repr(sorted(problem.params.items(), key=str))

