"""Chinese numerals, one definition for classification, dates, headings and quantities."""

from __future__ import annotations

from govreports.classify import report_year
from govreports.extract.metadata import year_of_title
from govreports.extract.page import find_date
from govreports.indicators.numbers import parse_chinese
from govreports.numerals import small_number, year_digits


def test_years_digit_by_digit_with_every_zero() -> None:
    for text in ("二〇二三", "二○二三", "二零二三", "二О二三", "二O二三", "二Ｏ二三", "二0二三"):
        assert year_digits(text) == 2023, text
    assert year_digits("二〇二") is None and year_digits("二十二年") is None


def test_small_numbers_of_headings_and_dates() -> None:
    assert [small_number(s) for s in ("一", "十", "十一", "二十", "二十三", "九十九", "12")] == [
        1, 10, 11, 20, 23, 99, 12]


def test_the_title_year_is_the_same_for_the_classifier_and_the_metadata() -> None:
    for title, year in (("某县2023年度法治政府建设情况报告", 2023),
                        ("某县人民政府二〇二二年法治政府建设工作报告", 2022),
                        ("关于法治政府建设情况的报告（2024）", 2024),
                        ("法治政府建设年度报告", None)):
        assert report_year(title) == year_of_title(title) == year, title


def test_dates_and_quantities_read_the_same_digits() -> None:
    got = find_date("二〇二四年三月二十九日")
    assert got is not None and got[0].isoformat() == "2024-03-29"
    assert parse_chinese("两千三百") == 2300
