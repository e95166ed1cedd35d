"""Rule packs: TOML text -> (pack, rules, problems). Pure; the loader reads the files.

A pack is one source document (`[source]`) and its `[[rules]]`; docs/files.md lists every key.
Problems carry the line of the offending key, so `hdnd check` can say `rules/x.toml:41: ...`.
"""
from __future__ import annotations

import re
import tomllib
from datetime import date
from typing import Any, TypeGuard, overload

from ..dates.counting import parse_amount
from ..model import (
    Amount,
    Case,
    ChainedRule,
    CountRule,
    Deadline,
    EventRule,
    Example,
    Extensions,
    Match,
    Pack,
    Party,
    Problem,
    Requirement,
    Rule,
    Schedule,
    ScheduleRule,
    Span,
    Subject,
)
from .schema import EVERY, LEVELS, MATCH, PACK, ROLLS, RULE_STATUSES, keys_of, names
from .tomllines import KeyPath, decode_error_line, key_lines, line_of, reason

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_WEEKDAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}

SOURCE_KEYS = names(keys_of(PACK, "source"))
RULE_KEYS = names(keys_of(PACK, "rules"))
TABLE_KEYS = {key.name: names(key.keys) for key in keys_of(PACK, "rules") if key.keys}  # trigger, deadline ...
SPAN_KEYS = names(keys_of(PACK, "source", "in_force"))
MATCH_KEYS = names(MATCH)
STATUSES = RULE_STATUSES


class _Reader:
    """Collects problems for one file, each at the line of the key it concerns."""

    def __init__(self, file: str, text: str):
        self.file = file
        self.lines = key_lines(text)
        self.problems: list[Problem] = []

    def problem(self, path: KeyPath, key: str, **params: Any) -> None:
        self.problems.append(Problem(self.file, line_of(self.lines, *path), key, params))

    def unknown_keys(self, table: dict[str, Any], allowed: set[str], path: KeyPath) -> None:
        for name in table.keys() - allowed:
            self.problem(path + (name,), "unknown-key", name=name, allowed=", ".join(sorted(allowed)))

    def table(self, value: Any, path: KeyPath, allowed: set[str]) -> dict[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(path, "not-a-table", name=path[-1])
            return None
        self.unknown_keys(value, allowed, path)
        return value

    def text(self, table: dict[str, Any], name: str, path: KeyPath, required: bool = False) -> str | None:
        value = table.get(name)
        if value is None:
            if required:
                self.problem(path, "missing-key", name=name)
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(path + (name,), "not-text", name=name)
            return None
        return value

    @overload
    def choice(self, table: dict[str, Any], name: str, path: KeyPath, choices: tuple[str, ...], default: str) -> str: ...

    @overload
    def choice(self, table: dict[str, Any], name: str, path: KeyPath, choices: tuple[str, ...],
               default: None) -> str | None: ...

    def choice(self, table: dict[str, Any], name: str, path: KeyPath, choices: tuple[str, ...],
               default: str | None) -> str | None:
        value = table.get(name, default)
        if value is not None and value not in choices:
            self.problem(path + (name,), "bad-choice", name=name, value=value, choices=", ".join(choices))
            return default
        return value

    def integer(self, table: dict[str, Any], name: str, path: KeyPath, low: int, high: int) -> int | None:
        value = table.get(name)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(path + (name,), "bad-integer", name=name, value=value, low=low, high=high)
            return None
        return value

    def amount(self, value: Any, path: KeyPath, units: str = "d wd m") -> Amount | None:
        try:
            amount = parse_amount(value)
        except (ValueError, TypeError):
            self.problem(path, "bad-amount", name=path[-1], value=value, units=units)
            return None
        if amount.unit not in units.split():
            self.problem(path, "bad-amount", name=path[-1], value=value, units=units)
            return None
        return amount

    def span(self, value: Any, path: KeyPath) -> Span:
        table = self.table(value, path, SPAN_KEYS)
        if not table:
            return Span()
        ends = []
        for name in ("from", "until"):
            day = table.get(name)
            if day is not None and not _is_date(day):
                self.problem(path, "not-a-date", name=name, value=day)
                day = None
            ends.append(day)
        if ends[0] and ends[1] and ends[1] < ends[0]:
            self.problem(path, "span-backwards", start=ends[0], end=ends[1])
        return Span(*ends)

    def match(self, table: dict[str, Any], path: KeyPath) -> Match | None:
        event = self.text(table, "event", path, required=True)
        filters = []
        for name in ("where", "unless"):
            value = table.get(name, {})
            if not isinstance(value, dict):
                self.problem(path + (name,), "not-a-table", name=name)
                value = {}
            filters.append(value)
        has = table.get("has", [])
        if not isinstance(has, list) or not all(isinstance(h, str) and h for h in has):
            self.problem(path + ("has",), "bad-has")
            has = []
        return Match(event, filters[0], filters[1], tuple(has)) if event else None

    def party(self, value: Any, path: KeyPath) -> str | Party | None:
        """A body id, or `{ field = "handler", default = "chu-tich-ubnd" }`: the body the case's event names."""
        if isinstance(value, str) and value:
            return value
        table = self.table(value, path, {"field", "default"}) if isinstance(value, dict) else None
        if table is None or not isinstance(table.get("field"), str) or not table["field"]:
            self.problem(path, "bad-party")
            return None
        default = table.get("default")
        if default is not None and not (isinstance(default, str) and default):
            self.problem(path + ("default",), "not-text", name="default")
        return Party(table["field"], default)


def _is_date(value: Any) -> TypeGuard[date]:
    return isinstance(value, date) and not hasattr(value, "hour")


def parse_pack(text: str, file: str) -> tuple[Pack | None, list[Rule], list[Problem]]:
    """One rule pack; rules with problems are left out, and every problem is returned."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        return None, [], [Problem(file, decode_error_line(error), "toml-syntax", {"error": str(error)})]
    except (ValueError, RecursionError) as error:  # a number of 5,000 digits, arrays nested 3,000 deep
        return None, [], [Problem(file, 1, "toml-syntax", {"error": reason(error)})]
    reader = _Reader(file, text)
    reader.unknown_keys(data, names(PACK), ())
    source = reader.table(data.get("source"), ("source",), SOURCE_KEYS)
    if source is None:
        reader.problem(("source",), "missing-key", name="[source]")
        return None, [], reader.problems
    pack = Pack(
        id=reader.text(source, "id", ("source",), required=True) or "?",
        title=reader.text(source, "title", ("source",), required=True) or "?",
        scope=reader.choice(source, "scope", ("source",), ("national", "local"), "local"),
        level=reader.choice(source, "level", ("source",), LEVELS + ("any",), "any"),
        in_force=reader.span(source.get("in_force"), ("source", "in_force")),
        file=file,
        line=line_of(reader.lines, "source"),
        url=reader.text(source, "url", ("source",)),
        note=reader.text(source, "note", ("source",)),
    )
    for where, value in _leaves(source, ("source",)):
        if value == "?":
            reader.problem(where, "blank-source", name=".".join(str(p) for p in where[1:]))
    raw_rules = data.get("rules", [])
    if not isinstance(raw_rules, list):
        reader.problem(("rules",), "not-a-table", name="rules")
        raw_rules = []
    rules = []
    for index, raw in enumerate(raw_rules):
        before = len(reader.problems)
        rule = _parse_rule(reader, pack, raw, ("rules", index))
        if rule and len(reader.problems) == before:
            rules.append(rule)
            _unconfirmed(reader, rule, raw, ("rules", index))
        elif isinstance(raw, dict) and isinstance(raw.get("id"), str):  # left out: name it in its problems
            subject = Subject("rule", raw["id"], line_of(reader.lines, "rules", index))
            reader.problems[before:] = [p._replace(subject=subject) for p in reader.problems[before:]]
    return pack, rules, reader.problems


def _parse_rule(reader: _Reader, pack: Pack, raw: Any, path: KeyPath) -> Rule | None:
    table = reader.table(raw, path, RULE_KEYS)
    if table is None:
        return None
    rule_id = reader.text(table, "id", path, required=True)
    if rule_id and not _ID.match(rule_id):
        reader.problem(path + ("id",), "bad-rule-id", id=rule_id)
    title = reader.text(table, "title", path, required=True)
    name = "obligors" if "obligors" in table else "obligor"
    obligors = table.get(name)
    obligors = obligors if isinstance(obligors, list) else [obligors] if obligors else []
    if not obligors:
        reader.problem(path + (name,), "missing-obligor")
    obligors = [reader.party(o, path + (name,)) for o in obligors]
    recipient = reader.party(table["recipient"], path + ("recipient",)) if "recipient" in table else None
    trigger, schedule = table.get("trigger"), table.get("schedule")
    if (trigger is None) == (schedule is None):
        reader.problem(path, "trigger-or-schedule", id=rule_id)
        return None
    kind, fields = (_parse_trigger_rule if trigger is not None else _parse_schedule_rule)(reader, table, path)
    extensions = reader.table(table.get("extensions"), path + ("extensions",), TABLE_KEYS["extensions"])
    if extensions is not None:
        needed = extensions.get("requires", [])
        if not isinstance(needed, list) or not all(isinstance(n, dict) for n in needed):
            reader.problem(path + ("extensions", "requires"), "not-a-table", name="requires")
            needed = []
        fields["extensions"] = Extensions(
            reader.integer(extensions, "max", path + ("extensions",), 1, 100) or 1,
            reader.amount(extensions.get("each"), path + ("extensions", "each")) or Amount(0, "d"),
            tuple(needed),
        )
    if "warn" in table:
        warn = reader.amount(table["warn"], path + ("warn",), "d")
        fields["warn"] = warn.number if warn else None
    fields["examples"] = _parse_examples(reader, table.get("examples", []), path + ("examples",))
    fields["status"] = reader.choice(table, "status", path, STATUSES, None)
    guessed = table.get("guessed", [])
    if not isinstance(guessed, list) or not all(isinstance(x, str) for x in guessed):
        reader.problem(path + ("guessed",), "not-text", name="guessed")
    else:
        fields["guessed"] = tuple(guessed)
    for key in ("url", "note", "basis", "quote", "title_en"):
        fields[key] = reader.text(table, key, path)
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        reader.problem(path + ("enabled",), "bad-choice", name="enabled", value=enabled, choices="true, false")
    level = reader.choice(table, "level", path, LEVELS + ("any",), "any")
    if level != "any" and pack.level not in ("any", level):
        reader.problem(path + ("level",), "rule-level-outside-pack", level=level, pack=pack.level)
    if kind is None:  # what makes its kind is missing or wrong: said at its line
        return None
    return kind(
        id=rule_id or "?", title=title or "?", obligors=tuple(obligors), recipient=recipient, pack=pack,
        in_force=pack.in_force.intersect(reader.span(table.get("in_force"), path + ("in_force",))),
        line=line_of(reader.lines, *path), enabled=enabled is not False, level=level or "any", **fields,
    )


def _unconfirmed(reader: _Reader, rule: Rule, raw: dict[str, Any], path: KeyPath) -> None:
    """A drafted rule is kept (so `rules show` shows it) but stops every computation until a person
    has confirmed it, and a blank ("?") left in any rule is an error at its line."""
    if rule.status == "draft":
        reader.problem(path + ("status",), "draft-rule", id=rule.id)
    for where, value in _leaves(raw, path):
        if value == "?":
            reader.problem(where, "blank-left", id=rule.id, name=".".join(str(p) for p in where[2:] if isinstance(p, str)))


def _leaves(value: Any, path: KeyPath) -> list[tuple[KeyPath, Any]]:
    if isinstance(value, dict):
        return [leaf for key, item in value.items() for leaf in _leaves(item, path + (key,))]
    if isinstance(value, list):
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, path + (index,))]
    return [(path, value)]


RuleKind = type[EventRule] | type[ChainedRule] | type[ScheduleRule] | type[CountRule]


def _parse_trigger_rule(reader: _Reader, table: dict[str, Any], path: KeyPath) -> tuple[RuleKind | None, dict[str, Any]]:
    """An event rule's or a chained rule's own fields, and which of the two it is (None: in error)."""
    trigger = reader.table(table["trigger"], path + ("trigger",), TABLE_KEYS["trigger"])
    if trigger is None:
        return None, {}
    kind: RuleKind | None
    fields: dict[str, Any]
    if "done" in trigger:
        follows = reader.text(trigger, "done", path + ("trigger",), required=True)
        kind, fields = (ChainedRule if follows else None), {"follows": follows}
        if (MATCH_KEYS | {"date"}) & trigger.keys():
            reader.problem(path + ("trigger",), "done-with-event")
    else:
        match = reader.match(trigger, path + ("trigger",))
        kind, fields = (EventRule if match else None), {
            "match": match, "date_field": reader.text(trigger, "date", path + ("trigger",)) or "date"}
    where = path + ("deadline",)
    deadline = reader.table(table.get("deadline"), where, TABLE_KEYS["deadline"])
    if deadline is None or ("after" in deadline) == ("before" in deadline):
        reader.problem(where, "after-or-before")
    else:
        direction = "after" if "after" in deadline else "before"
        amount = reader.amount(deadline[direction], where)
        roll = reader.choice(deadline, "roll", where, ROLLS, "forward" if direction == "after" else "none")
        cases = _parse_cases(reader, deadline.get("cases", []), direction, where + ("cases",))
        pause = reader.text(deadline, "pause", where)
        if amount:
            fields["deadline"] = Deadline(direction, amount, roll, cases, pause)
    if "deadline" not in fields:
        kind = None
    if "requires" in table:
        reader.problem(path + ("requires",), "requires-needs-schedule")
    satisfied = reader.table(table.get("satisfied_by"), path + ("satisfied_by",), MATCH_KEYS)
    if satisfied is not None:
        fields["satisfied_by"] = reader.match(satisfied, path + ("satisfied_by",))
    return kind, fields


def _parse_schedule_rule(reader: _Reader, table: dict[str, Any], path: KeyPath) -> tuple[RuleKind | None, dict[str, Any]]:
    """A schedule rule's own fields, and whether it counts events (None: in error)."""
    where = path + ("schedule",)
    schedule = reader.table(table["schedule"], where, TABLE_KEYS["schedule"])
    if schedule is None:
        return None, {}
    every = reader.choice(schedule, "every", where, EVERY, None)
    if every is None:
        reader.problem(where, "missing-key", name="every")
        return None, {}
    months = {"year": 12, "quarter": 3}.get(every)  # `month` is the month of the year or of the quarter
    month = reader.integer(schedule, "month", where, 1, months) if months else None
    day = reader.integer(schedule, "day", where, -1, 31)
    if day == 0:
        reader.problem(where + ("day",), "bad-integer", name="day", value=0, low=-1, high=31)
    weekday = schedule.get("weekday")
    if isinstance(weekday, str):
        weekday = _WEEKDAYS.get(weekday.lower()[:3], weekday)
    if every == "week":
        weekday = reader.integer({"weekday": 5 if weekday is None else weekday}, "weekday", where, 1, 7)
    if (weekday is not None and every != "week") or ("month" in schedule and not months):
        reader.problem(where, "schedule-fields", every=every)
    fields: dict[str, Any] = {"schedule": Schedule(every, month, day, weekday,
                                                   reader.choice(schedule, "roll", where, ROLLS, "forward"))}
    if "deadline" in table or "satisfied_by" in table:
        reader.problem(path + ("deadline" if "deadline" in table else "satisfied_by",), "schedule-no-deadline")
    requires = reader.table(table.get("requires"), path + ("requires",), TABLE_KEYS["requires"])
    if requires is None:
        return (None if "requires" in table else ScheduleRule), fields
    count = reader.integer(requires, "count", path + ("requires",), 1, 10_000) or 1
    match = reader.match(requires, path + ("requires",))
    if match is None:
        return None, fields
    fields["requires"] = Requirement(count, match)
    return CountRule, fields


def _parse_cases(reader: _Reader, raw: Any, direction: str, path: KeyPath) -> tuple[Case, ...]:
    """`cases = [{ where = { complex = true }, after = "45d" }, ...]`: periods chosen by facts of the case."""
    if not isinstance(raw, list):
        reader.problem(path, "not-a-table", name="cases")
        return ()
    cases = []
    for item in raw:
        table = reader.table(item, path, {"where", direction})
        if table is None:
            continue
        where, amount = table.get("where"), reader.amount(table.get(direction), path)
        if not isinstance(where, dict) or not where:
            reader.problem(path, "bad-case", direction=direction)
        elif amount:
            cases.append(Case(where, amount))
    return tuple(cases)


def _parse_examples(reader: _Reader, raw: Any, path: KeyPath) -> tuple[Example, ...]:
    if not isinstance(raw, list):
        reader.problem(path, "not-a-table", name="examples")
        return ()
    examples = []
    for item in raw:
        table = reader.table(item, path, TABLE_KEYS["examples"])
        if table is None:
            continue
        due, trigger, period = table.get("due"), table.get("trigger"), table.get("period")
        if not _is_date(due) or (trigger is not None and not _is_date(trigger)):
            reader.problem(path, "bad-example")
            continue
        examples.append(Example(due, trigger, str(period) if period is not None else None,
                                line_of(reader.lines, *path)))
    return tuple(examples)


def check_rule_set(rules: list[Rule]) -> list[Problem]:
    """Problems across packs: overlapping versions of one id, chains to unknown rules, cycles (through
    any version of a rule)."""
    problems = []
    by_id: dict[str, list[Rule]] = {}
    for rule in rules:
        for other in by_id.get(rule.id, []):
            if other.in_force.overlaps(rule.in_force):
                problems.append(_about(rule, "duplicate-rule", other=f"{other.pack.file}:{other.line}"))
        by_id.setdefault(rule.id, []).append(rule)
    looping = _in_cycles(_parents(rules))
    for rule in rules:
        parent = rule.follows if isinstance(rule, ChainedRule) else None
        if parent and parent not in by_id:
            problems.append(_about(rule, "unknown-parent", parent=parent))
        elif parent and rule.id in looping:
            problems.append(_about(rule, "chain-cycle"))
    return problems


def _about(rule: Rule, key: str, **params: Any) -> Problem:
    """A problem of a whole rule, which keeps it out of the computation."""
    return Problem(rule.pack.file, rule.line, key, {"id": rule.id, **params}, Subject("rule", rule.id, rule.line))


def _parents(rules: list[Rule]) -> dict[str, set[str]]:
    """Each rule id and the ids its versions follow (`trigger = { done = ... }`)."""
    parents: dict[str, set[str]] = {}
    for rule in rules:
        parents.setdefault(rule.id, set())
        if isinstance(rule, ChainedRule):
            parents[rule.id].add(rule.follows)
    return parents


def _in_cycles(parents: dict[str, set[str]]) -> set[str]:
    """The ids that follow themselves through any chain: strongly connected components of more than
    one id, or an id that follows itself (Tarjan's algorithm, iterative: linear in rules and links)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    looping: set[str] = set()
    for root in parents:
        if root in index:
            continue
        work = [(root, iter(sorted(parents[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next((c for c in children if c in parents), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(parents[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in parents[node]:
                    looping.update(component)
    return looping


def chain_order(rules: list[Rule]) -> list[Rule]:
    """Rules ordered so that a chained rule comes after the rules it follows: each id's depth in the
    chain, found in one pass (Kahn's algorithm); ids on a cycle, which `check` reports, are roots."""
    parents = _parents(rules)
    looping = _in_cycles(parents)
    followers: dict[str, set[str]] = {rule_id: set() for rule_id in parents}
    waiting = {}
    for rule_id, followed in parents.items():
        followed = {p for p in followed if p in parents and p not in looping} if rule_id not in looping else set()
        waiting[rule_id] = len(followed)
        for parent in followed:
            followers[parent].add(rule_id)
    depth = {rule_id: 0 for rule_id, count in waiting.items() if count == 0}
    ready = list(depth)
    while ready:
        rule_id = ready.pop()
        for follower in followers[rule_id]:
            depth[follower] = max(depth.get(follower, 0), depth[rule_id] + 1)
            waiting[follower] -= 1
            if waiting[follower] == 0:
                ready.append(follower)
    return sorted(rules, key=lambda rule: depth.get(rule.id, 0))
