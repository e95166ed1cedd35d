"""Compliance history for auditors: the obligations due in a period, and their counts per group.

Pure: obligations in, rows and figures out (the README's audit JSON).
"""
from __future__ import annotations

import statistics
from collections.abc import Iterable
from datetime import date
from typing import Any

from ..model import Obligation

GROUPINGS = ("obligor", "rule", "year", "quarter", "month")
COUNTED = ("done", "late", "overdue", "waived", "open")


def due_within(obligations: list[Obligation], start: date | None, end: date | None) -> list[Obligation]:
    """The obligations whose (possibly extended) due date falls in [start, end] (a suspended case has none)."""
    return [o for o in obligations if o.due is not None and (start is None or start <= o.due)
            and (end is None or o.due <= end)]


def group_key(o: Obligation, by: str) -> str:
    """The group of an obligation `due_within` kept (so it has a due date)."""
    if by == "obligor":
        return o.obligor
    if by == "rule":
        return o.rule.id if o.rule else "(obligation)"
    due = o.due or o.start  # never None here: `due_within` keeps only obligations with a due date
    if by == "year":
        return str(due.year)
    if by == "quarter":
        return f"{due.year}-Q{(due.month - 1) // 3 + 1}"
    return f"{due.year}-{due.month:02d}"


def figures(obligations: list[Obligation]) -> dict[str, Any]:
    """Counts, the on-time rate done / (done + late + overdue), and days late over late items."""
    counts = dict.fromkeys(COUNTED, 0)
    for o in obligations:
        counts[o.status if o.status in counts else "open"] += 1  # today and soon are still open
    judged = counts["done"] + counts["late"] + counts["overdue"]
    late_days = [o.days_late or 0 for o in obligations if o.status == "late"]  # a late one has its days
    median = statistics.median(late_days) if late_days else None
    return {
        "total": len(obligations), **counts,
        "on_time_rate": round(counts["done"] / judged, 4) if judged else None,
        "median_days_late": int(median) if median is not None and float(median).is_integer() else median,
        "max_days_late": max(late_days) if late_days else None,
    }


def audit(obligations: list[Obligation], by: str) -> list[dict[str, Any]]:
    groups: dict[str, list[Obligation]] = {}
    for o in obligations:
        groups.setdefault(group_key(o, by), []).append(o)
    return [{"key": key, **figures(items)} for key, items in sorted(groups.items())]


def per_office(each: Iterable[tuple[str, list[Obligation]]], by: str) -> list[dict[str, Any]]:
    """Several offices' figures: one group per office (`by` = "office"), else per office and key; each
    office's obligations are counted as they come, not held."""
    if by == "office":
        return [{"key": office, **figures(obligations)} for office, obligations in each]
    return [{**group, "key": f"{office}/{group['key']}", "office": office}
            for office, obligations in each for group in audit(obligations, by)]
