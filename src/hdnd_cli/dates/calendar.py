"""The Vietnamese working calendar: which days count as working days (ngày làm việc).

A working day is Monday-Friday, not a public holiday and not an announced day off, or an announced
make-up day (làm bù). Three layers, later ones winning:

1. statutory holidays from the `holidays` package (lunar dates for Vietnam), loaded per year on
   first use, minus the days the bundled data says are not yet law (the loader keeps each year's
   list in the cache, so the package is imported once per year and version, not every run);
2. the announced days off and make-up days of the bundled data (`calendar/vn.toml`); for the years
   it covers completely (`announced`), it is the authority and the package is not consulted, which
   also keeps the package's import (~150 ms) out of the morning run;
3. the office's own `[calendar]` additions in hdnd.toml.
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, NamedTuple


class DayOff(NamedTuple):
    """Why a day is (or is not) a day off, in both languages, with the document that says so."""

    name: str
    name_en: str
    document: str | None = None
    origin: str = "statutory"  # statutory | announced | office | weekend | make-up | not-off


def package_holidays(year: int) -> dict[date, tuple[str, str]]:
    """Vietnam's public holidays of `year` from the `holidays` package: date -> (Vietnamese, English)."""
    import holidays  # imported on first use: it costs more than the rest of start-up

    names_vi = holidays.country_holidays("VN", years=year, language="vi")
    names_en = holidays.country_holidays("VN", years=year, language="en_US")
    return {day: (name, names_en.get(day, name)) for day, name in names_vi.items()}


SATURDAY = DayOff("Thứ Bảy", "Saturday", origin="weekend")
SUNDAY = DayOff("Chủ nhật", "Sunday", origin="weekend")


class Calendar:
    def __init__(self, data: dict[str, Any], office_off: Iterable[tuple[date, str]] = (),
                 office_work: Iterable[tuple[date, str]] = (),
                 holidays: Callable[[int], dict[date, tuple[str, str]]] = package_holidays):
        self.holidays = holidays
        self.days_off: dict[date, DayOff] = {}
        self.work_days: dict[date, DayOff] = {}
        self.not_off = {item["name"]: item for item in data.get("not_days_off", [])}
        announced = data.get("source", {}).get("announced", {})
        self.announced = range(announced.get("from", 0), announced.get("until", -1) + 1)
        # Years of which some days off are announced (2027's Tết), the rest still computed.
        self.partly = {day.year for item in data.get("days_off", []) for day in item["dates"]} - set(self.announced)
        self._statutory: dict[int, dict[date, DayOff]] = {}
        self.codes = [(item.get("from", 0), item.get("until", 9999), item["document"]) for item in data.get("statutory", [])]
        for group, target, origin in (("days_off", self.days_off, "announced"),
                                      ("work_days", self.work_days, "make-up")):
            for item in data.get(group, []):
                reason = DayOff(item["name"], item.get("name_en", item["name"]), item.get("document"), origin)
                for day in item["dates"]:
                    target[day] = reason
        for day, name in office_off:
            self.days_off[day] = DayOff(name, name, "hdnd.toml [calendar]", "office")
            self.work_days.pop(day, None)
        for day, name in office_work:
            self.work_days[day] = DayOff(name, name, "hdnd.toml [calendar]", "make-up")
            self.days_off.pop(day, None)

    def statutory(self, year: int) -> dict[date, DayOff]:
        """The public holidays of `year` from the `holidays` package, without those not yet law."""
        if year not in self._statutory:
            source = next((document for first, last, document in self.codes if first <= year <= last), None)
            self._statutory[year] = {day: DayOff(vi, en, source) for day, (vi, en) in self.holidays(year).items()
                                     if vi not in self.not_off}
        return self._statutory[year]

    def day_off(self, day: date) -> DayOff | None:
        """The holiday or announced day off on `day`, if any (weekends aside)."""
        if day in self.work_days:
            return None
        if day.year in self.announced:
            return self.days_off.get(day)
        return self.days_off.get(day) or self.statutory(day.year).get(day)

    def is_announced(self, year: int) -> bool:
        """Whether the government's days off of `year` are in the bundled data (else they are computed)."""
        return year in self.announced

    def settled(self, first: date, last: date) -> bool:
        """Whether no day off from `first` to `last` can still change: each of their years is announced,
        or is announced in part (2027 once its Tết was) and no day off in the span is a computed one."""
        for year in range(first.year, last.year + 1):
            if year in self.announced:
                continue
            if year not in self.partly:
                return False
            low, high = max(first, date(year, 1, 1)), min(last, date(year, 12, 31))
            if any(low <= day <= high and day not in self.days_off for day in self.statutory(year)):
                return False
        return True

    def is_working_day(self, day: date) -> bool:
        if day in self.work_days:
            return True
        return day.weekday() < 5 and self.day_off(day) is None

    def why_off(self, day: date) -> DayOff:
        """Why `day` is not a working day: its holiday, else the weekend."""
        return self.day_off(day) or (SATURDAY if day.weekday() == 5 else SUNDAY)

    def year(self, year: int) -> list[tuple[date, DayOff]]:
        """Every special day of `year`: holidays, days off, make-up days, and the days not off."""
        days: dict[date, DayOff] = dict(self.statutory(year))
        days.update((d, r) for d, r in self.days_off.items() if d.year == year)
        days.update((d, r) for d, r in self.work_days.items() if d.year == year)
        if self.not_off:
            for day, (name, _) in self.holidays(year).items():
                if name in self.not_off and day not in days:
                    item = self.not_off[name]
                    days[day] = DayOff(name, item.get("name_en", name), item["reason"], "not-off")
        return sorted(days.items())
