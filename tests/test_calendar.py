"""The working calendar: statutory holidays, the announced days off and make-up days, office additions."""
import tomllib
from datetime import date, timedelta

import pytest

from conftest import CALENDAR, run
from hdnd_cli.dates.calendar import Calendar
from hdnd_cli.storage.bundled import calendar_file

DATA = tomllib.loads(calendar_file().read_text(encoding="utf-8"))

# calendar-sources.md, "Flat list for code": the weekdays off of each year.
FLAT = {
    2021: "01-01 02-10 02-11 02-12 02-15 02-16 04-21 04-30 05-03 09-02 09-03",
    2022: "01-03 01-31 02-01 02-02 02-03 02-04 04-11 05-02 05-03 09-01 09-02",
    2023: "01-02 01-20 01-23 01-24 01-25 01-26 05-01 05-02 05-03 09-01 09-04",
    2024: "01-01 02-08 02-09 02-12 02-13 02-14 04-18 04-29 04-30 05-01 09-02 09-03",
    2025: "01-01 01-27 01-28 01-29 01-30 01-31 04-07 04-30 05-01 05-02 09-01 09-02",
    2026: "01-01 01-02 02-16 02-17 02-18 02-19 02-20 04-27 04-30 05-01 08-31 09-01 09-02 11-24",
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
    package_only = Calendar({})
    bundled_only = {d for item in DATA["days_off"] for d in item["dates"] if d.year == year}
    from_package = {d for d in package_only.statutory(year) if d.weekday() < 5}
    # The one announcement the package lacks (calendar-sources.md): Fri 02/01/2026, VPCP 12729/VPCP-KGVX.
    assert bundled_only - from_package <= {date(2026, 1, 2)}
    assert from_package <= bundled_only


def test_every_bundled_day_cites_its_document():
    for group in ("days_off", "work_days"):
        for item in DATA[group]:
            assert item["document"].strip() and item["name"] and item["name_en"], item


def test_culture_day_is_a_day_off_from_2026():
    """Nghị quyết 28/2026/QH16 Điều 2 (in force 01/07/2026): 24/11 every year, paid; for 2026 one day,
    Tuesday 24/11, no swap (Công văn 10065/VPCP-KGVX). 2025's 24/11 was a working Monday."""
    assert not CALENDAR.is_working_day(date(2026, 11, 24))
    listed = dict(CALENDAR.year(2026))[date(2026, 11, 24)]
    assert listed.origin == "announced" and "28/2026/QH16" in listed.document and "10065/VPCP-KGVX" in listed.document
    assert CALENDAR.is_working_day(date(2025, 11, 24))
    assert CALENDAR.why_off(date(2026, 11, 28)).origin == "weekend"  # the proposed make-up Saturday was not adopted
    assert not CALENDAR.is_working_day(date(2027, 11, 24))  # Wednesday: the law, computed until announced


def test_a_day_the_package_lists_that_is_not_law_can_be_left_out():
    """The data may say that a day the `holidays` package lists is not a day off (as 24/11 was, in
    law, until 01/07/2026): it is then a working day, listed with the reason."""
    reason = "chưa là ngày nghỉ theo luật"
    cal = Calendar({"not_days_off": [{"name": "Ngày Văn hóa Việt Nam", "name_en": "Culture Day", "reason": reason}]})
    assert cal.is_working_day(date(2028, 11, 24))
    assert dict(cal.year(2028))[date(2028, 11, 24)].origin == "not-off"


def test_office_days_off_and_work_days_win():
    office = Calendar(DATA, office_off=[(date(2026, 11, 24), "Ngày Văn hóa Việt Nam")],
                      office_work=[(date(2026, 11, 28), "Làm bù")])
    assert not office.is_working_day(date(2026, 11, 24))
    assert office.why_off(date(2026, 11, 24)).origin == "office"
    assert office.is_working_day(date(2026, 11, 28))


def test_lunar_holidays_beyond_the_announced_years():
    """2028 is not announced; the statutory lunar days still apply (Tết: mùng 1 is Wed 26/01/2028)."""
    assert not CALENDAR.is_working_day(date(2028, 1, 26))
    assert not CALENDAR.is_working_day(date(2027, 4, 16))  # Fri, 10/3 âm lịch: Giỗ Tổ 2027, computed
    assert CALENDAR.why_off(date(2027, 4, 16)).origin == "statutory"


def test_2027s_tet_and_national_day_are_as_announced():
    """Công văn 10065/VPCP-KGVX (02/10/2026): Tết Đinh Mùi Thu 04/02 - Wed 10/02/2027, Quốc khánh Thu
    02/09 - Sun 05/09/2027; 04/02 is 28 Chạp (the twelfth month has 29 days), not '29 Tết'."""
    off = [d for d in (date(2027, 2, 4) + timedelta(days=n) for n in range(7)) if d.weekday() < 5]
    assert all(CALENDAR.why_off(d).origin == "announced" and "10065" in CALENDAR.why_off(d).document for d in off)
    assert CALENDAR.is_working_day(date(2027, 2, 3)) and CALENDAR.is_working_day(date(2027, 2, 11))
    assert "28 tháng Chạp" in CALENDAR.why_off(date(2027, 2, 4)).name
    assert [CALENDAR.is_working_day(date(2027, 9, d)) for d in (1, 2, 3, 6)] == [True, False, False, True]


def test_a_span_is_settled_only_where_no_day_off_is_still_computed():
    """'Tạm tính' goes from the announced parts of 2027: a span over its Tết is settled, one over Giỗ Tổ
    (computed) or into 2028 (nothing announced) is not; every span of 2021-2026 is."""
    assert CALENDAR.settled(date(2026, 11, 2), date(2026, 12, 31))
    assert CALENDAR.settled(date(2027, 1, 30), date(2027, 2, 16))
    assert not CALENDAR.settled(date(2027, 4, 13), date(2027, 4, 22))
    assert not CALENDAR.settled(date(2026, 12, 29), date(2027, 1, 7))  # New Year 2027: the law's, not announced
    assert not CALENDAR.settled(date(2028, 3, 1), date(2028, 3, 10))


def test_reasons_name_the_holiday():
    assert "Quốc khánh" in CALENDAR.why_off(date(2024, 9, 2)).name
    assert CALENDAR.why_off(date(2024, 9, 1)).name == "Chủ nhật"
    assert "9441/TB-BNV" in CALENDAR.why_off(date(2026, 2, 17)).document


@pytest.mark.parametrize("year, code", [(2012, "Bộ luật Lao động 1994"), (2020, "Bộ luật Lao động 2012 (10/2012/QH13), Điều 115"),
                                        (2027, "Bộ luật Lao động 2019 (45/2019/QH14), Điều 112")])
def test_a_computed_holiday_cites_the_labour_code_in_force_that_year(year, code):
    shown = run("calendar", str(year), "--example")
    assert shown.returncode == 0 and f"01/01/{year}" in shown.stdout
    first = next(line for line in shown.stdout.splitlines() if line.startswith(f"01/01/{year}"))
    assert code in first, first
