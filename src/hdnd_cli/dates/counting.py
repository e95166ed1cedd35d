"""Pure date arithmetic as Vietnamese law counts time (Civil Code 2015, arts. 147-148).

- The trigger day is not counted (art. 147 §2-3): the count starts the next day.
- A period in days ends at the end of its last day; if that is a weekend or a public holiday, at
  the end of the next working day (art. 148 §5) - the `forward` roll.
- A period in months ends on the corresponding day of the last month, or that month's last day
  if there is none (art. 148 §3).
- Working-day periods count only working days, so they always end on one.

Every function returns the steps it took, so `explain` can show a clerk the whole computation.
"""
from __future__ import annotations

import calendar as _cal
import re
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache
from typing import Protocol

from ..model import Amount, Deadline, Due, Schedule, Step
from .calendar import DayOff

ONE_DAY = timedelta(days=1)
MAX_AMOUNT = {"d": 3660, "wd": 2600, "m": 120}  # ten years: longer periods are typing mistakes
_AMOUNT = re.compile(r"^\s*(\d+)\s*(wd|d|m)\s*$")
_DMY = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$")  # 30/11/2024, 30.11.2024, 30-11-2024, 1/1/26


class WorkingCalendar(Protocol):
    def is_working_day(self, day: date) -> bool: ...
    def why_off(self, day: date) -> DayOff: ...
    def settled(self, first: date, last: date) -> bool: ...


def provisional(cal: WorkingCalendar, first: date, last: date) -> bool:
    """Whether a computation that looked at the days from `first` to `last` depends on days off not
    yet announced (a year's holidays as the law gives them, its Tết days a computation)."""
    return not cal.settled(min(first, last), max(first, last))


def parse_amount(text: str) -> Amount:
    """`"30d"`, `"5wd"`, `"1m"` -> Amount; ValueError otherwise."""
    found = _AMOUNT.match(str(text))
    if not found or int(found[1]) > MAX_AMOUNT[found[2]]:
        raise ValueError(text)
    return Amount(int(found[1]), found[2])


@lru_cache(maxsize=8192)  # a ledger repeats its days: parse each once, and share the date
def parse_date(text: str) -> date:
    """`2024-11-30`, or day, month and year as offices write them (`30/11/2024`, `30.11.2024`,
    `30-11-2024`, `1/1/26`: a year of two digits is of this century) -> date; ValueError (also for
    30/02) otherwise."""
    text = text.strip()
    found = _DMY.match(text)
    if found:
        year = int(found[4]) + (2000 if len(found[4]) == 2 else 0)
        return date(year, int(found[3]), int(found[1]))
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return date.fromisoformat(text)


def month_day(year: int, month: int, day: int) -> date:
    """The given day of a month; `-1` (or a day past the end) means the month's last day."""
    last = _cal.monthrange(year, month)[1]
    return date(year, month, last if day == -1 or day > last else day)


def roll(cal: WorkingCalendar, day: date, direction: str) -> tuple[date, list[Step]]:
    """Move a last day that is not a working day to the next (or previous) working day."""
    if direction == "none" or cal.is_working_day(day):
        if not cal.is_working_day(day):
            return day, [Step("no-roll", {"date": day, "reason": cal.why_off(day)})]
        return day, []
    step = ONE_DAY if direction == "forward" else -ONE_DAY
    skipped, moved = [], day
    while not cal.is_working_day(moved):
        skipped.append((moved, cal.why_off(moved)))
        moved += step
    return moved, [Step("roll", {"direction": direction, "from": day, "to": moved, "skipped": skipped})]


def count_working_days(cal: WorkingCalendar, start: date, count: int, sign: int) -> tuple[date, list[tuple[date, DayOff]]]:
    """The `count`-th working day after (sign 1) or before (sign -1) `start`, not counting `start`."""
    day, seen = start, 0
    skipped: list[tuple[date, DayOff]] = []
    while seen < count:
        day += sign * ONE_DAY
        if cal.is_working_day(day):
            seen += 1
        else:
            skipped.append((day, cal.why_off(day)))
    return day, skipped


def shift(cal: WorkingCalendar, start: date, amount: Amount, sign: int) -> tuple[date, list[Step]]:
    """`start` moved by `amount` (sign 1 after, -1 before); the start day itself is not counted."""
    if amount.unit == "d":
        end = start + sign * amount.number * ONE_DAY
        return end, [Step("days", {"count": amount.number, "sign": sign, "end": end})]
    if amount.unit == "m":
        from dateutil.relativedelta import relativedelta  # imported only where months are counted

        end = start + relativedelta(months=sign * amount.number)
        clamped = end.day != start.day
        return end, [Step("months", {"count": amount.number, "sign": sign, "end": end, "clamped": clamped})]
    end, skipped = count_working_days(cal, start, amount.number, sign)
    return end, [Step("working-days", {"count": amount.number, "sign": sign, "end": end, "skipped": skipped})]


def due_after_trigger(cal: WorkingCalendar, trigger: date, deadline: Deadline) -> Due:
    """The last day of a period that starts at `trigger` (art. 147: that day is not counted)."""
    sign = 1 if deadline.direction == "after" else -1
    end, steps = shift(cal, trigger, deadline.amount, sign)
    final, rolled = roll(cal, end, deadline.roll)
    looked_from = trigger + sign * ONE_DAY if deadline.amount.unit == "wd" else end  # a day count looks at its last day only
    return Due(final, (Step("trigger", {"date": trigger, "direction": deadline.direction}), *steps, *rolled),
               provisional(cal, looked_from, final))


# --- schedules: one obligation per period -------------------------------------------------------

def period_key(every: str, start: date) -> str:
    if every == "year":
        return f"{start.year}"
    if every == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    if every == "month":
        return f"{start.year}-{start.month:02d}"
    year, week, _ = start.isocalendar()
    return f"{year}-W{week:02d}"


def period_bounds(every: str, day: date) -> tuple[date, date]:
    """The first and last day of the period of kind `every` that contains `day`."""
    if every == "year":
        return date(day.year, 1, 1), date(day.year, 12, 31)
    if every == "quarter":
        first = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return first, month_day(first.year, first.month + 2, -1)
    if every == "month":
        return day.replace(day=1), month_day(day.year, day.month, -1)
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def parse_period_key(every: str, key: str) -> date:
    """The first day of the period `2024`, `2024-Q2`, `2024-06` or `2024-W23`; ValueError otherwise."""
    patterns = {"year": r"(\d{4})", "quarter": r"(\d{4})-Q([1-4])", "month": r"(\d{4})-(\d{2})",
                "week": r"(\d{4})-W(\d{2})"}
    found = re.fullmatch(patterns[every], key)
    if not found:
        raise ValueError(key)
    year = int(found[1])
    if every == "year":
        return date(year, 1, 1)
    if every == "quarter":
        return date(year, (int(found[2]) - 1) * 3 + 1, 1)
    if every == "month":
        return date(year, int(found[2]), 1)
    return date.fromisocalendar(year, int(found[2]), 1)


def periods(every: str, first: date, last: date) -> Iterator[tuple[date, date]]:
    """Yield (start, end) of every period touching [first, last]."""
    start, end = period_bounds(every, first)
    while start <= last:
        yield start, end
        start, end = period_bounds(every, end + ONE_DAY)


def scheduled_day(schedule: Schedule, start: date) -> date:
    """The nominal due day of the period beginning `start`."""
    if schedule.every == "week":
        return start + timedelta(days=(schedule.weekday or 7) - 1)
    if schedule.every == "year":
        month = schedule.month or 12
    elif schedule.every == "quarter":
        month = start.month + (schedule.month or 3) - 1
    else:
        month = start.month
    return month_day(start.year, month, schedule.day if schedule.day is not None else -1)


def due_in_period(cal: WorkingCalendar, schedule: Schedule, start: date) -> Due:
    nominal = scheduled_day(schedule, start)
    final, rolled = roll(cal, nominal, schedule.roll)
    key = period_key(schedule.every, start)
    return Due(final, (Step("scheduled", {"period": key, "date": nominal}), *rolled), provisional(cal, nominal, final))
