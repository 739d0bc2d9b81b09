"""Reading the 政府信息公开工作年度报告's three template tables: every markup real sites serve,
text where the cells ran together, DOCX and PDF attachments, both template formats, and
inconsistent tables (recorded and named, never corrected)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govreports.disclosure import (
    _read_numbers,
    check_table,
    html_tables,
    read_disclosure,
    suspect_cells,
    template,
)
from govreports.extract import extract_document, extract_file
from govreports.testweb import disclosure as gen
from govreports.testweb.content import to_traditional

MARKUPS = ["national", "plain", "split", "nested", "blank_zeros"]


def _page(n: gen.Numbers, markup: str, seed: int = 0) -> str:
    body = gen.report_html_body("某某县人民政府", 2023, n, markup, seed)
    return f"<html><body><div class='content'>{body}</div></body></html>"


def _compare(d, n: gen.Numbers) -> tuple[list, list, list]:  # type: ignore[no-untyped-def]
    truth = n.cells()
    got = {(c.table, c.row, c.column): c for c in d.cells}
    wrong = [k for k, v in truth.items() if k in got and got[k].value is not None
             and got[k].value != v]
    missing = [k for k in truth if k not in got]
    unknown = [k for k in truth if k in got and got[k].value is None]
    assert set(got) <= set(truth), set(got) - set(truth)
    return wrong, missing, unknown


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("markup", MARKUPS)
def test_every_html_markup_yields_every_cell(markup: str, fmt: str) -> None:
    for seed in range(6):
        n = gen.numbers(seed, fmt)
        d = read_disclosure("", html_tables(_page(n, markup, seed)))
        assert (d.source, d.template) == ("html_tables", fmt)
        assert _compare(d, n) == ([], [], [])
        assert d.checks and all(c["status"] == "pass" for c in d.checks)
        assert all(c.status == "stated" for c in d.cells)


def test_the_national_layout_in_traditional_script() -> None:
    n = gen.numbers(11)
    d = read_disclosure("", html_tables(to_traditional(_page(n, "national"))))
    assert _compare(d, n) == ([], [], [])


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_run_together_text_never_guesses(fmt: str) -> None:
    """Cells run together: every cell is found; a determined one is always right, and the
    rest are unknown with the reason (most rows of the applications table are decided by
    the identities, rows and columns together)."""
    cells = unknown_total = 0
    for seed in range(40):
        n = gen.numbers(seed, fmt)
        text = "\n".join(gen.report_lines("某某县人民政府", 2023, n, runs=True))
        d = read_disclosure(text)
        assert d.source == "text" and d.template == fmt
        wrong, missing, unknown = _compare(d, n)
        assert wrong == [] and missing == []
        for c in d.cells:
            assert (c.value is None) == (c.status == "ambiguous")
            assert c.status != "ambiguous" or c.note
        assert all(c["status"] == "pass" for c in d.checks)
        cells += len(n.cells())
        unknown_total += len(unknown)
    # the applications table is nearly always decided; the proactive rows (no totals) are
    # the usual unknowns
    assert unknown_total / cells < (0.06 if fmt == "2021" else 0.15)


def test_row_lines_text_and_pdf_text_layer() -> None:
    n = gen.numbers(7)
    lines = gen.report_lines("某某县人民政府", 2023, n, runs=False)
    assert _compare(read_disclosure("\n".join(lines)), n) == ([], [], [])
    title = "某某县2023年政府信息公开工作年度报告"
    report = extract_document(gen.pdf_bytes(title, "某某县人民政府", 2023, n), filename="r.pdf")
    assert report.family == "disclosure_annual" and report.disclosure.source == "text"
    assert _compare(report.disclosure, n) == ([], [], [])


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_docx_tables_with_merged_group_cells(fmt: str) -> None:
    n = gen.numbers(3, fmt)
    title = "某某县2023年政府信息公开工作年度报告"
    report = extract_document(gen.docx_bytes(title, "某某县人民政府", 2023, n), filename="r.docx")
    d = report.disclosure
    assert (d.source, d.template) == ("docx_tables", fmt)
    assert _compare(d, n) == ([], [], [])


@pytest.mark.parametrize("sep", ["\n", " ", "\t"])
@pytest.mark.parametrize("markup", MARKUPS)
def test_a_pages_text_with_cells_separated_is_read_and_blank_cells_never_guessed(
    markup: str, sep: str
) -> None:
    """The page's text as a crawler keeps it (cells separated by newlines, spaces or tabs).
    Where the page left zeros blank, the text has fewer numbers than columns: those rows
    stay unknown (one number is not digits run together in a table whose cells are
    separated); every other cell is read."""
    from bs4 import BeautifulSoup

    for fmt in ("2021", "2019"):
        for seed in range(8):
            n = gen.numbers(seed, fmt)
            html = gen.report_html_body("某某县人民政府", 2023, n, markup, seed)
            d = read_disclosure(BeautifulSoup(html, "html.parser").get_text(sep))
            wrong, missing, unknown = _compare(d, n)
            assert wrong == []
            if markup != "blank_zeros":
                assert (missing, unknown) == ([], [])


def test_a_separator_lost_in_a_wrapped_line_is_recovered_by_the_row_total() -> None:
    spec = next(r for r in template().rows["applications"] if r.row == "予以公开")
    read = _read_numbers("0 1 0 00 0 1", spec)  # "0 0" lost its space at a PDF line end
    assert read is not None and read.candidates == [[0, 1, 0, 0, 0, 0, 1]]
    blank = _read_numbers("120 35 155", spec)  # four cells left blank: no split adds up
    assert blank is not None and blank.candidates == [] and "cells left blank" in blank.unreadable


def test_the_issue_examples_of_run_together_rows() -> None:
    spec = next(r for r in template().rows["applications"] if r.row == "予以公开")
    read = _read_numbers("801000081", spec)
    assert read is not None and read.candidates == [[80, 1, 0, 0, 0, 0, 81]]
    two = _read_numbers("220000022", spec)
    assert two is not None and sorted(two.candidates) == [[2, 20, 0, 0, 0, 0, 22],
                                                          [22, 0, 0, 0, 0, 0, 22]]


def _minimal(rows: dict[str, str]) -> str:
    """A run-together applications table: every template row, zeros unless given."""
    parts = ["三、收到和处理政府信息公开申请情况"]
    for spec in template().rows_for("applications", "2021"):
        parts.append(spec.labels[0] + rows.get(spec.row, "0000000"))
    return "".join(parts)


def test_column_sums_decide_a_row_that_alone_splits_two_ways() -> None:
    text = _minimal({
        "本年新收政府信息公开申请数量": "230000023",
        "予以公开": "220000022",   # alone: 22,0,… or 2,20,…
        "部分公开": "1000001",
        "总计": "230000023",
    })
    d = read_disclosure(text)
    assert d.value("applications", "予以公开", "自然人") == 22
    assert d.value("applications", "予以公开", "商业企业") == 0
    cell = next(c for c in d.cells if (c.row, c.column) == ("予以公开", "自然人"))
    assert cell.status == "split" and "satisfies the identities" in cell.note


def test_when_two_splits_satisfy_everything_the_cells_stay_unknown() -> None:
    # 新收, 予以公开 and 总计 all read "220000022": 22,0,… and 2,20,… both add up
    same = "220000022"
    d = read_disclosure(_minimal({"本年新收政府信息公开申请数量": same, "予以公开": same,
                                  "总计": same}))
    cell = next(c for c in d.cells if (c.row, c.column) == ("予以公开", "自然人"))
    assert cell.value is None and cell.status == "ambiguous"
    assert cell.note == "2 values satisfy the identities"
    assert d.value("applications", "予以公开", "总计") == 22  # the total is the same in both


def test_a_stated_total_that_disagrees_is_kept_and_named() -> None:
    n = gen.plant(gen.numbers(3))  # the grand total off by 3
    d = read_disclosure("", html_tables(_page(n, "national")))
    stated = n.applications["总计"][-1]
    assert d.value("applications", "总计", "总计") == stated  # recorded, not overwritten
    failed = {c["check"]: c for c in d.checks if c["status"] == "fail"}
    assert set(failed) == {"row_sum:总计", "column_sum:总计", "balance:总计"}
    assert failed["row_sum:总计"]["cells"] == [["总计", "总计"]]
    assert failed["balance:总计"]["cells"] == [["总计", "总计"]]  # explained by the total
    values = {(c.row, c.column): c.value for c in d.cells if c.table == "applications"}
    suspects = suspect_cells(check_table("applications", values, "2021"))  # type: ignore[arg-type]
    assert list(suspects) == [("总计", "总计")] and len(suspects[("总计", "总计")]) == 3


def test_a_broken_balance_with_sound_totals_blames_the_carried_counts() -> None:
    n = gen.numbers(4)
    n.applications["上年结转政府信息公开申请数量"][0] += 2
    n.applications["上年结转政府信息公开申请数量"][-1] += 2
    d = read_disclosure("", html_tables(_page(n, "plain")))
    failed = [c for c in d.checks if c["status"] == "fail"]
    assert [c["check"] for c in failed] == ["balance:自然人", "balance:总计"]
    for c in failed:  # the column totals are sound: one of the other three is wrong
        col = c["check"].split(":")[1]
        assert c["cells"] == [["本年新收政府信息公开申请数量", col],
                              ["上年结转政府信息公开申请数量", col], ["结转下年度继续办理", col]]


def test_a_planted_total_in_run_together_text_leaves_the_row_unknown() -> None:
    n = gen.plant(gen.numbers(3))
    d = read_disclosure("\n".join(gen.report_lines("某某县人民政府", 2023, n)))
    row = [c for c in d.cells if c.row == "总计" and c.table == "applications"]
    assert len(row) == 7 and all(c.value is None for c in row)
    assert "adds up to the row's 总计" in row[0].note
    assert _compare(d, n)[0] == []  # nothing else is guessed


def test_an_older_report_has_no_template_but_keeps_its_text() -> None:
    text = ("某某县人民政府2017年政府信息公开工作年度报告\n"
            "本报告根据《中华人民共和国政府信息公开条例》要求编制。\n一、概述\n全年主动公开政府信息1200条。\n二、依申请公开政府信息情况\n"
            "全年受理申请15件，均已按期答复。\n三、存在的主要问题及改进措施\n")
    report = extract_document(text.encode(), filename="r.txt")
    assert report.family == "disclosure_annual"
    assert report.disclosure.template == "older" and report.disclosure.cells == []
    assert report.text and report.report_year == 2017


def test_cli_extract_json_carries_the_cells(tmp_path: Path) -> None:
    from ui.cli import app

    n = gen.numbers(8)
    page = tmp_path / "r.html"
    page.write_text("<html><head><title>某某县2023年政府信息公开工作年度报告</title></head>"
                    + _page(n, "national")[6:], encoding="utf-8")
    res = CliRunner().invoke(app, ["extract", str(page), "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert {"metadata", "sections", "mentions", "disclosure"} <= set(out)
    cell = next(c for c in out["disclosure"]
                if (c["table"], c["row"], c["column"]) == ("applications",
                                                          "本年新收政府信息公开申请数量", "总计"))
    assert cell["value"] == n.applications["本年新收政府信息公开申请数量"][-1]
    assert {c["table"] for c in out["disclosure"]} == {"proactive", "applications",
                                                      "review_litigation"}
    assert out["family"] == "disclosure_annual" and out["disclosure_template"] == "2021"


# ------------------------------------------------------------------ the real 2024 report

def test_p04_html_every_cell_and_every_identity(real_html: Path) -> None:
    report = extract_file(real_html / "p04_pingtan_xxgk_annual_report_2024.html")
    d = report.disclosure
    assert (report.family, d.source, d.template) == ("disclosure_annual", "html_tables", "2021")
    assert len(d.cells) == 200 and all(c.value is not None for c in d.cells)
    assert len(d.checks) == 42 and all(c["status"] == "pass" for c in d.checks)
    assert d.value("applications", "本年新收政府信息公开申请数量", "总计") == 218
    assert d.value("proactive", "行政事业性收费", "本年收费金额（万元）") == 18651.06


def test_p04_run_together_text_agrees_with_its_html(real_html: Path) -> None:
    html = extract_file(real_html / "p04_pingtan_xxgk_annual_report_2024.html").disclosure
    text = extract_file(real_html / "p04_pingtan_xxgk_annual_report_2024.page.txt").disclosure
    assert text.source == "text" and all(c["status"] == "pass" for c in text.checks)
    truth = {(c.table, c.row, c.column): c.value for c in html.cells}
    got = {(c.table, c.row, c.column): c for c in text.cells}
    assert set(got) == set(truth)
    assert all(c.value == truth[k] for k, c in got.items() if c.value is not None)
    unknown = sorted({k[1] for k, c in got.items() if c.value is None})
    # "6233440" (制发, 废止, 现行有效 with no total) splits many ways: honestly unknown
    assert unknown == ["行政规范性文件"]
