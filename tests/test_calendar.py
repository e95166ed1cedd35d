"""The working calendar: statutory holidays, the announced days off and make-up days, office additions."""
import tomllib
from datetime import date, timedelta

import pytest

from hdnd_cli.dates.calendar import Calendar
from hdnd_cli.storage.bundled import calendar_file

from conftest import CALENDAR

DATA = tomllib.loads(calendar_file().read_text(encoding="utf-8"))

# calendar-sources.md, "Flat list for code": the weekdays off of each year.
FLAT = {
    2021: "01-01 02-10 02-11 02-12 02-15 02-16 04-21 04-30 05-03 09-02 09-03",
    2022: "01-03 01-31 02-01 02-02 02-03 02-04 04-11 05-02 05-03 09-01 09-02",
    2023: "01-02 01-20 01-23 01-24 01-25 01-26 05-01 05-02 05-03 09-01 09-04",
    2024: "01-01 02-08 02-09 02-12 02-13 02-14 04-18 04-29 04-30 05-01 09-02 09-03",
    2025: "01-01 01-27 01-28 01-29 01-30 01-31 04-07 04-30 05-01 05-02 09-01 09-02",
    2026: "01-01 01-02 02-16 02-17 02-18 02-19 02-20 04-27 04-30 05-01 08-31 09-01 09-02",
}
MAKE_UP = [date(2024, 5, 4), date(2025, 4, 26), date(2026, 1, 10), date(2026, 8, 22)]


@pytest.mark.parametrize("year", sorted(FLAT))
def test_weekdays_off_are_exactly_the_announced_ones(year):
    expected = {date.fromisoformat(f"{year}-{md}") for md in FLAT[year].split()}
    day, weekdays_off = date(year, 1, 1), set()
    while day.year == year:
        if day.weekday() < 5 and not CALENDAR.is_working_day(day):
            weekdays_off.add(day)
        day += timedelta(days=1)
    assert weekdays_off == expected


def test_make_up_saturdays_are_working_days():
    for day in MAKE_UP:
        assert day.weekday() == 5 and CALENDAR.is_working_day(day)
    assert not CALENDAR.is_working_day(date(2024, 5, 11))  # an ordinary Saturday


@pytest.mark.parametrize("year", sorted(FLAT))
def test_the_holidays_package_agrees_with_the_bundled_data(year):
    """Each bundled day is a documented announcement; the package must not disagree where it knows."""
    package_only = Calendar({"not_days_off": DATA["not_days_off"]})
    bundled_only = {d for item in DATA["days_off"] for d in item["dates"] if d.year == year}
    from_package = {d for d in package_only.statutory(year) if d.weekday() < 5}
    # The one announcement the package lacks (calendar-sources.md): Fri 02/01/2026, VPCP 12729/VPCP-KGVX.
    assert bundled_only - from_package <= {date(2026, 1, 2)}
    assert from_package <= bundled_only


def test_every_bundled_day_cites_its_document():
    for group in ("days_off", "work_days"):
        for item in DATA[group]:
            assert item["document"].strip() and item["name"] and item["name_en"], item


def test_culture_day_is_not_a_day_off_until_it_is_law():
    """24/11/2026 (Tue): the package lists it, the Labour Code did not (calendar-sources.md)."""
    assert CALENDAR.is_working_day(date(2026, 11, 24))
    listed = dict(CALENDAR.year(2026))[date(2026, 11, 24)]
    assert listed.origin == "not-off" and "Điều 112" in listed.document


def test_office_days_off_and_work_days_win():
    office = Calendar(DATA, office_off=[(date(2026, 11, 24), "Ngày Văn hóa Việt Nam")],
                      office_work=[(date(2026, 11, 28), "Làm bù")])
    assert not office.is_working_day(date(2026, 11, 24))
    assert office.why_off(date(2026, 11, 24)).origin == "office"
    assert office.is_working_day(date(2026, 11, 28))


def test_lunar_holidays_beyond_the_announced_years():
    """2027 is not announced; the statutory lunar days still apply (Tết 06/02/2027, Giỗ Tổ 16/04/2027)."""
    assert not CALENDAR.is_working_day(date(2027, 2, 8))   # Mon, mùng 3 Tết Đinh Mùi
    assert not CALENDAR.is_working_day(date(2027, 4, 16))  # Fri, 10/3 âm lịch
    assert not CALENDAR.is_working_day(date(2027, 9, 2))
    assert CALENDAR.is_working_day(date(2027, 11, 24))


def test_reasons_name_the_holiday():
    assert "Quốc khánh" in CALENDAR.why_off(date(2024, 9, 2)).name
    assert CALENDAR.why_off(date(2024, 9, 1)).name == "Chủ nhật"
    assert "9441/TB-BNV" in CALENDAR.why_off(date(2026, 2, 17)).document
