"""A workspace's obligations on a day, and every problem at once: the engine run on what storage read.

Pure: the workspace (settings, rules, entries, calendar) comes read; the dates come from the caller.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from ..model import LOUD, Entry, Invalid, Obligation, Problem, Rule, Workspace
from .compute import PLANNED, EngineSettings, compute, known, name_key
from .examples import run_examples


def evaluate(workspace: Workspace, as_of: date, known_on: datetime | None = None, partial: bool = False,
             meter: Callable[[float], Any] | None = None) -> tuple[list[Obligation], list[Entry], list[Problem]]:
    """Every obligation of a workspace on `as_of`, with only what was recorded by `known_on` when it is
    given; the entries that left out; and the problems of the whole ledger. A problem stops the run
    (Invalid) unless `partial`: then the obligations are those of every valid rule and entry. `meter`
    makes a progress display (see compute)."""
    obligations, problems = find_problems(workspace, as_of, meter=meter)
    errors = [p for p in problems if not p.warning or p.key in LOUD]  # other warnings are for `check`
    if [p for p in errors if not p.warning] and not partial:
        raise Invalid(errors)
    if known_on is None:
        return obligations, [], errors
    entries, later = known(workspace.entries, known_on)
    if not later:  # nothing recorded after it: the same rules and entries, so the answer above
        return obligations, later, errors
    obligations, _ = compute(usable_rules(workspace), entries, workspace.calendar, as_of, settings_of(workspace))
    return obligations, later, errors  # every problem was found above, in the whole ledger


def _left_out(workspace: Workspace, kind: str | None = None) -> set[str]:
    """The ids of the rules or entries (`kind`; else both) left out for problems of their own."""
    return {p.subject.id for p in workspace.problems if p.subject and kind in (None, p.subject.kind)}


def usable_rules(workspace: Workspace, left_out: set[str] | None = None) -> list[Rule]:
    """The rules without a problem of their own (an invalid entry named like a rule leaves it alone)."""
    left_out = _left_out(workspace, "rule") if left_out is None else left_out
    return [r for r in workspace.rules if r.id not in left_out] if left_out else workspace.rules


def find_problems(workspace: Workspace, as_of: date, examples: bool = False,
                  meter: Callable[[float], Any] | None = None) -> tuple[list[Obligation], list[Problem]]:
    """The obligations and every problem at once, as `check` shows them: the files' own, and what the
    engine finds among the rules and entries that are valid. A rule or entry left out for its own
    problem still takes its id, and a reference to it is not reported again as unknown."""
    left_out = _left_out(workspace)
    rules = usable_rules(workspace, _left_out(workspace, "rule"))
    cal = workspace.calendar
    obligations, found = compute(rules, workspace.entries, cal, as_of, settings_of(workspace), meter)
    problems = workspace.problems + [p for p in found if not _names_left_out(p, left_out)]
    if examples:
        problems += run_examples(rules, cal)[1]
    return obligations, problems


def _names_left_out(problem: Problem, left_out: set[str]) -> bool:
    if problem.key != "unknown-obligation":
        return False
    rule, _, rest = problem.params["id"].partition("/")
    return bool(left_out) and not left_out.isdisjoint((rule, rest.partition("/")[0]))


def settings_of(workspace: Workspace) -> EngineSettings:
    settings = workspace.settings
    return EngineSettings(settings.horizon, settings.level, settings.since, frozenset(workspace.bodies) or None,
                          body_names(workspace), PLANNED | frozenset(settings.planned))


def body_names(workspace: Workspace) -> dict[str, str]:
    """Each body's id by its id and its names as compared (`name_key`: case, diacritics and the usual
    abbreviations aside, "UBND tỉnh" is "Ủy ban nhân dân tỉnh"); a name that two bodies share names neither."""
    names: dict[str, str | None] = {}
    for body in workspace.bodies.values():
        for text in {body.id, body.name, body.name_en or body.name}:
            key = name_key(text)
            names[key] = body.id if names.get(key, body.id) == body.id else None
    return {key: body_id for key, body_id in names.items() if body_id}
