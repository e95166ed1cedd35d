"""`hdnd rules test`: every rule's own examples, computed with the working calendar."""
from __future__ import annotations

from datetime import date

from ..dates.counting import WorkingCalendar, due_after_trigger, due_in_period, parse_period_key
from ..model import Example, Problem, Rule, ScheduleRule


def run_examples(rules: list[Rule], cal: WorkingCalendar) -> tuple[int, list[Problem]]:
    count, problems = 0, list[Problem]()
    for rule in rules:
        for example in rule.examples:
            count += 1
            try:
                got = example_due(rule, example, cal)
            except (ValueError, OverflowError):  # a period key that is not one, a date past year 9999
                problems.append(Problem(rule.pack.file, example.line, "bad-example"))
                continue
            if got != example.due:
                problems.append(Problem(rule.pack.file, example.line, "example-wrong",
                                        {"got": got, "want": example.due}))
    return count, problems


def example_due(rule: Rule, example: Example, cal: WorkingCalendar) -> date | None:
    if isinstance(rule, ScheduleRule):
        if example.period is None:
            raise ValueError("a schedule example needs a period")
        return due_in_period(cal, rule.schedule, parse_period_key(rule.schedule.every, example.period)).date
    if example.trigger is None:
        raise ValueError("a trigger example needs a trigger date")
    return due_after_trigger(cal, example.trigger, rule.deadline).date
