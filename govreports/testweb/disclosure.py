"""政府信息公开工作年度报告 for the test web and the tests: consistent numbers for the three
template tables, and the markups real sites serve them in.

The rows are printed the way sites print them (numbering, group cells, the parenthetical
notes), written out here on their own, not taken from the template file the reader uses, so
a test of the reader is not the template read back. ``Numbers.cells()`` is the truth a test
compares with: ``(table, row, column) → value`` in the template's own labels.

Markups (``render_tables``):
- ``national``: the national layout, merged header cells (rowspan/colspan), the group cells
  (三、本年度办理结果 / （三）不予公开) spanning their rows, review/litigation as one data row;
- ``plain``: one row per template row, label then numbers, review/litigation one row each;
- ``split``: the applications table split across two ``<table>``s, ``&nbsp;`` padding;
- ``nested``: the tables inside a layout table, full-width digits in some cells;
- ``blank_zeros``: zeros left empty (a site that prints nothing for 0).
``render_runs`` gives what crawlers and PDF text layers leave: every cell run together.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from html import escape

REQUESTERS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
APP_COLUMNS = [*REQUESTERS, "总计"]
REVIEW_COLUMNS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
REVIEW_ROWS = ["行政复议", "未经复议直接起诉", "复议后起诉"]

# (template row, group cell printed beside it or "", the row's own printed label)
_APPLICATION_ROWS_2021: list[tuple[str, str, str]] = [
    ("本年新收政府信息公开申请数量", "", "一、本年新收政府信息公开申请数量"),
    ("上年结转政府信息公开申请数量", "", "二、上年结转政府信息公开申请数量"),
    ("予以公开", "", "（一）予以公开"),
    ("部分公开", "", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("属于国家秘密", "（三）不予公开", "1.属于国家秘密"),
    ("其他法律行政法规禁止公开", "（三）不予公开", "2.其他法律行政法规禁止公开"),
    ("危及“三安全一稳定”", "（三）不予公开", "3.危及“三安全一稳定”"),
    ("保护第三方合法权益", "（三）不予公开", "4.保护第三方合法权益"),
    ("属于三类内部事务信息", "（三）不予公开", "5.属于三类内部事务信息"),
    ("属于四类过程性信息", "（三）不予公开", "6.属于四类过程性信息"),
    ("属于行政执法案卷", "（三）不予公开", "7.属于行政执法案卷"),
    ("属于行政查询事项", "（三）不予公开", "8.属于行政查询事项"),
    ("本机关不掌握相关政府信息", "（四）无法提供", "1.本机关不掌握相关政府信息"),
    ("没有现成信息需要另行制作", "（四）无法提供", "2.没有现成信息需要另行制作"),
    ("补正后申请内容仍不明确", "（四）无法提供", "3.补正后申请内容仍不明确"),
    ("信访举报投诉类申请", "（五）不予处理", "1.信访举报投诉类申请"),
    ("重复申请", "（五）不予处理", "2.重复申请"),
    ("要求提供公开出版物", "（五）不予处理", "3.要求提供公开出版物"),
    ("无正当理由大量反复申请", "（五）不予处理", "4.无正当理由大量反复申请"),
    ("要求行政机关确认或重新出具已获取信息", "（五）不予处理",
     "5.要求行政机关确认或重新出具已获取信息"),
    ("申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "（六）其他处理",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
     "（六）其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("其他处理-其他", "（六）其他处理", "3.其他"),
    ("总计", "", "（七）总计"),
    ("结转下年度继续办理", "", "四、结转下年度继续办理"),
]
# the 2019 format: one (六)其他处理 row
_APPLICATION_ROWS_2019 = [r for r in _APPLICATION_ROWS_2021 if r[1] != "（六）其他处理"]
_APPLICATION_ROWS_2019.insert(
    _APPLICATION_ROWS_2019.index(("总计", "", "（七）总计")), ("其他处理", "", "（六）其他处理"))
_NOT_RESULTS = {"本年新收政府信息公开申请数量", "上年结转政府信息公开申请数量", "总计",
                "结转下年度继续办理"}

# (item heading, column headings, rows) of the proactive table, per format
_PROACTIVE: dict[str, list[tuple[str, list[str], list[str]]]] = {
    "2021": [
        ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"],
         ["规章", "行政规范性文件"]),
        ("第二十条第（五）项", ["本年处理决定数量"], ["行政许可"]),
        ("第二十条第（六）项", ["本年处理决定数量"], ["行政处罚", "行政强制"]),
        ("第二十条第（八）项", ["本年收费金额（单位：万元）"], ["行政事业性收费"]),
    ],
    "2019": [
        ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"],
         ["规章", "规范性文件"]),
        ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         ["行政许可", "其他对外管理服务事项"]),
        ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"],
         ["行政处罚", "行政强制"]),
        ("第二十条第（八）项", ["上一年项目数量", "本年增/减"], ["行政事业性收费"]),
        ("第二十条第（九）项", ["采购项目数量", "采购总金额"], ["政府集中采购"]),
    ],
}
# the template's column names where the printed heading differs
_COLUMN_NAME = {"本年收费金额（单位：万元）": "本年收费金额（万元）"}


@dataclass(frozen=True)
class Numbers:
    """One report's tables: row → values in column order."""

    fmt: str  # "2021" | "2019"
    proactive: dict[str, list[float]]
    applications: dict[str, list[int]]
    review: dict[str, list[int]]
    planted: tuple[str, str, str] | None = None  # the cell made inconsistent, if any
    notes: dict[str, str] = field(default_factory=dict)

    def application_rows(self) -> list[tuple[str, str, str]]:
        return _APPLICATION_ROWS_2021 if self.fmt == "2021" else _APPLICATION_ROWS_2019

    def cells(self) -> dict[tuple[str, str, str], float]:
        out: dict[tuple[str, str, str], float] = {}
        for _, cols, rows in _PROACTIVE[self.fmt]:
            for row in rows:
                for col, v in zip(cols, self.proactive[row], strict=True):
                    out[("proactive", row, _COLUMN_NAME.get(col, col))] = float(v)
        for row, _, _ in self.application_rows():
            for col, v in zip(APP_COLUMNS, self.applications[row], strict=True):
                out[("applications", row, col)] = float(v)
        for row in REVIEW_ROWS:
            for col, v in zip(REVIEW_COLUMNS, self.review[row], strict=True):
                out[("review_litigation", row, col)] = float(v)
        return out


def numbers(seed: int, fmt: str = "2021") -> Numbers:
    """Consistent tables: every identity the template states holds."""
    rng = random.Random(seed)
    proactive: dict[str, list[float]] = {}
    for _, cols, items in _PROACTIVE[fmt]:
        for row in items:
            if "本年收费金额（单位：万元）" in cols:
                proactive[row] = [round(rng.uniform(0, 30000), 2) if rng.random() < 0.8 else 0.0]
            elif fmt == "2019" and "本年增/减" in cols:
                last = rng.randint(0, 300)
                counts = [float(last), float(rng.randint(-min(last, 20), 20))]
                if len(cols) == 3:
                    counts.append(float(rng.randint(0, 5000)))
                proactive[row] = counts
            elif fmt == "2019" and row == "政府集中采购":
                proactive[row] = [float(rng.randint(0, 80)), round(rng.uniform(0, 9000), 2)]
            elif len(cols) == 3:
                made, repealed = rng.randint(0, 60), rng.randint(0, 30)
                in_force = rng.randint(made, made + 500)
                proactive[row] = [float(made), float(repealed), float(in_force)]
            else:
                decided = rng.choice([0, rng.randint(1, 99), rng.randint(100, 9000)])
                proactive[row] = [float(decided)]
    rows = _APPLICATION_ROWS_2021 if fmt == "2021" else _APPLICATION_ROWS_2019
    results = [r for r, _, _ in rows if r not in _NOT_RESULTS]
    scale = [rng.choice([5, 40, 300]), rng.choice([0, 3, 20]), rng.choice([0, 0, 2]),
             rng.choice([0, 0, 1]), rng.choice([0, 2]), rng.choice([0, 0, 4])]
    common = {"予以公开": 1.0, "部分公开": 0.4, "本机关不掌握相关政府信息": 0.5,
              "属于三类内部事务信息": 0.15, "重复申请": 0.1, "其他处理-其他": 0.1,
              "其他处理": 0.15, "信访举报投诉类申请": 0.1, "属于国家秘密": 0.05}
    apps: dict[str, list[int]] = {}
    for r in results:
        weight = common.get(r, 0.0 if rng.random() < 0.8 else 0.05)
        vals = [int(rng.random() < 0.9) * int(round(s * weight * rng.uniform(0.5, 1.5)))
                for s in scale]
        apps[r] = [*vals, sum(vals)]
    total = [sum(apps[r][j] for r in results) for j in range(6)]
    apps["总计"] = [*total, sum(total)]
    carried_in = [rng.randint(0, min(3, t)) for t in total]
    carried_out = [rng.randint(0, 3) if t else 0 for t in total]
    new = [t + o - i for t, o, i in zip(total, carried_out, carried_in, strict=True)]
    apps["上年结转政府信息公开申请数量"] = [*carried_in, sum(carried_in)]
    apps["结转下年度继续办理"] = [*carried_out, sum(carried_out)]
    apps["本年新收政府信息公开申请数量"] = [*new, sum(new)]
    review: dict[str, list[int]] = {}
    for row in REVIEW_ROWS:
        four = [rng.choice([0, 0, 1, 2, rng.randint(3, 30)]) for _ in range(4)]
        review[row] = [*four, sum(four)]
    return Numbers(fmt, proactive, apps, review)


def plant(n: Numbers, table: str = "applications", row: str = "总计", column: str = "总计",
          delta: int = 3) -> Numbers:
    """The same tables with one stated total that disagrees with its parts."""
    if table == "applications":
        apps = {k: list(v) for k, v in n.applications.items()}
        apps[row][APP_COLUMNS.index(column)] += delta
        return replace(n, applications=apps, planted=(table, row, column))
    review = {k: list(v) for k, v in n.review.items()}
    review[row][REVIEW_COLUMNS.index(column)] += delta
    return replace(n, review=review, planted=(table, row, column))


# ------------------------------------------------------------------ markups

_FULL = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _fmt_value(v: float) -> str:
    return f"{v:.2f}" if v != int(v) else str(int(v))


def _td(v: float, markup: str, rng: random.Random) -> str:
    text = _fmt_value(v)
    if markup == "blank_zeros" and v == 0:
        return "<td>&nbsp;</td>" if rng.random() < 0.5 else "<td></td>"
    if markup == "nested" and rng.random() < 0.3:
        text = text.translate(_FULL)
    if markup == "split":
        text = f"&nbsp;{text}&nbsp;"
    return f"<td>{text}</td>"


def _proactive_html(n: Numbers, markup: str, rng: random.Random) -> str:
    out = ['<table border="1" class="xxgk-table">']
    for item, cols, rows in _PROACTIVE[n.fmt]:
        out.append(f'<tr><td colspan="{len(cols) + 1}">{item}</td></tr>')
        out.append("<tr><td>信息内容</td>" + "".join(f"<td>{c}</td>" for c in cols) + "</tr>")
        for row in rows:
            vals = n.proactive[row]
            out.append(f"<tr><td>{row}</td>" + "".join(
                # money stays as printed: a blank fee is not a zero a site would leave empty
                _td(v, markup if len(cols) > 1 or v != 0 else "plain", rng) for v in vals
            ) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def _applications_html(n: Numbers, markup: str, rng: random.Random) -> str:
    rows = n.application_rows()
    head = (
        '<tr><td colspan="3" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项'
        '加第四项之和）</td><td colspan="7">申请人情况</td></tr>\n'
        '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td>'
        '<td rowspan="2">总计</td></tr>\n<tr>'
        + "".join(f"<td>{c}</td>" for c in REQUESTERS[1:]) + "</tr>"
    )
    body: list[str] = []
    n_results = sum(1 for r, _, _ in rows if r not in _NOT_RESULTS) + 1  # + (七)总计
    groups: dict[str, int] = {}
    for _, g, _ in rows:
        if g:
            groups[g] = groups.get(g, 0) + 1
    started: set[str] = set()
    first_result = True
    for row, group, label in rows:
        vals = "".join(_td(v, markup, rng) for v in n.applications[row])
        cells = ""
        if markup == "plain":
            cells = f"<td>{escape(label)}</td>"
        else:
            if row not in _NOT_RESULTS or row == "总计":
                if first_result:
                    cells += f'<td rowspan="{n_results}">三、本年度办理结果</td>'
                    first_result = False
                if group and group not in started:
                    started.add(group)
                    cells += f'<td rowspan="{groups[group]}">{group}</td>'
                cells += f"<td>{escape(label)}</td>" if group else (
                    f'<td colspan="2">{escape(label)}</td>')
            else:
                cells = f'<td colspan="3">{escape(label)}</td>'
        body.append(f"<tr>{cells}{vals}</tr>")
    if markup == "plain":
        head = ("<tr><td>申请人情况</td>" + "".join(f"<td>{c}</td>" for c in APP_COLUMNS)
                + "</tr>")
    if markup == "split":
        cut = next(i for i, (r, _, _) in enumerate(rows) if r == "本机关不掌握相关政府信息")
        return (f'<table border="1">{head}\n' + "\n".join(body[:cut]) + "</table>\n"
                '<p>&nbsp;</p><table border="1">' + "\n".join(body[cut:]) + "</table>")
    return f'<table border="1">{head}\n' + "\n".join(body) + "</table>"


def _review_html(n: Numbers, markup: str, rng: random.Random) -> str:
    if markup == "plain":
        head = "<tr><td></td>" + "".join(f"<td>{c}</td>" for c in REVIEW_COLUMNS) + "</tr>"
        rows = "".join(
            f"<tr><td>{r}</td>" + "".join(_td(v, markup, rng) for v in n.review[r]) + "</tr>"
            for r in REVIEW_ROWS)
        return f'<table border="1">{head}{rows}</table>'
    cols = "".join(f"<td>{c}</td>" for c in REVIEW_COLUMNS)
    data = "".join(_td(v, markup, rng) for r in REVIEW_ROWS for v in n.review[r])
    return (
        '<table border="1"><tr><td colspan="5" rowspan="2">行政复议</td>'
        '<td colspan="10">行政诉讼</td></tr>'
        '<tr><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>'
        f"<tr>{cols}{cols}{cols}</tr><tr>{data}</tr></table>"
    )


def render_tables(n: Numbers, markup: str = "national", seed: int = 0) -> dict[str, str]:
    """The three tables' HTML, keyed proactive / applications / review_litigation."""
    rng = random.Random(seed)
    parts = {
        "proactive": _proactive_html(n, markup, rng),
        "applications": _applications_html(n, markup, rng),
        "review_litigation": _review_html(n, markup, rng),
    }
    if markup == "nested":
        parts = {k: f'<table class="layout"><tr><td><div class="tb">{v}</div></td></tr></table>'
                 for k, v in parts.items()}
    return parts


def _strip_tags(html_text: str) -> str:
    import re

    t = re.sub(r"<[^>]+>", "", html_text).replace("&nbsp;", "")
    return re.sub(r"\s+", "", t)


def render_runs(n: Numbers) -> dict[str, str]:
    """Each table as a crawler's text of it: every cell run together, no separators."""
    return {k: _strip_tags(v) for k, v in render_tables(n, "national").items()}


# ------------------------------------------------------------------ whole reports

_HEADINGS = {
    "proactive": "二、主动公开政府信息情况",
    "applications": "三、收到和处理政府信息公开申请情况",
    "review_litigation": "四、政府信息公开行政复议、行政诉讼情况",
}


def opening(issuer: str, year: int) -> str:
    return (f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）的规定编制，"
            f"全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息"
            f"公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。本报告"
            f"所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。如对本报告有疑问，请与"
            f"{issuer}办公室联系。")


def _prose(issuer: str, year: int, n: Numbers) -> dict[str, list[str]]:
    received = n.applications["本年新收政府信息公开申请数量"][-1]
    return {
        "overall": [
            "一、总体情况",
            f"{year}年，{issuer}坚持以公开为常态、不公开为例外，持续推进政务公开标准化规范化。",
            "（一）主动公开。围绕重点领域及时公开政策文件、财政预决算和重大建设项目信息。",
            f"（二）依申请公开。全年新收政府信息公开申请{int(received)}件，均在法定期限内答复。",
            "（三）政府信息管理。定期清理已公开文件，动态更新政府信息公开目录。",
            "（四）平台建设。优化政府网站信息公开专栏，规范栏目设置。",
            "（五）监督保障。将政务公开纳入年度绩效考核。",
        ],
        "closing": [
            "五、存在的主要问题及改进情况",
            "政策解读形式还不够丰富，基层公开标准化水平有待提升。下一步将加强业务培训。",
            "六、其他需要报告的事项",
            "本年度未收取信息处理费。",
        ],
    }


def report_html_body(issuer: str, year: int, n: Numbers, markup: str, seed: int = 0) -> str:
    """The report's body as a site's content area: prose paragraphs and the three tables."""
    prose = _prose(issuer, year, n)
    tables = render_tables(n, markup, seed)
    parts = [f"<p>{opening(issuer, year)}</p>"]
    parts += [f"<p>{escape(line)}</p>" for line in prose["overall"]]
    for key, heading in _HEADINGS.items():
        parts.append(f"<p>{heading}</p>")
        parts.append(tables[key])
    parts += [f"<p>{escape(line)}</p>" for line in prose["closing"]]
    return "\n".join(parts)


def report_lines(issuer: str, year: int, n: Numbers, runs: bool = True) -> list[str]:
    """The report as text lines (an attachment's text layer, a saved page): prose lines, and
    each table either run together (``runs``) or one row per line, cells space-separated."""
    prose = _prose(issuer, year, n)
    lines = [opening(issuer, year), *prose["overall"]]
    run_text, row_lines = render_runs(n), _row_lines(n)
    for key, heading in _HEADINGS.items():
        lines.append(heading)
        lines.extend([run_text[key]] if runs else row_lines[key])
    lines += prose["closing"]
    return lines


def _row_lines(n: Numbers) -> dict[str, list[str]]:
    pro: list[str] = []
    for item, cols, rows in _PROACTIVE[n.fmt]:
        pro += [item, "信息内容 " + " ".join(cols)]
        pro += [f"{row} " + " ".join(_fmt_value(v) for v in n.proactive[row]) for row in rows]
    apps = [f"{label} " + " ".join(str(v) for v in n.applications[row])
            for row, _, label in n.application_rows()]
    rev = ["行政复议 行政诉讼", " ".join(REVIEW_COLUMNS * 3),
           " ".join(str(v) for r in REVIEW_ROWS for v in n.review[r])]
    return {"proactive": pro, "applications": apps, "review_litigation": rev}


# ------------------------------------------------------------------ attachments

def _grid(n: Numbers) -> dict[str, list[list[str]]]:
    """The tables as rows of cell texts (the national layout's group columns included)."""
    pro: list[list[str]] = []
    for item, cols, rows in _PROACTIVE[n.fmt]:
        width = len(cols) + 1
        pro.append([item] + [""] * (width - 1))
        pro.append(["信息内容", *cols])
        pro += [[row, *(_fmt_value(v) for v in n.proactive[row])] for row in rows]
    apps = [["", "", "申请人情况", *APP_COLUMNS]]
    for row, group, label in n.application_rows():
        top = "三、本年度办理结果" if row not in _NOT_RESULTS or row == "总计" else ""
        apps.append([top, group, label, *(str(v) for v in n.applications[row])])
    rev = [["", *REVIEW_COLUMNS]] + [[r, *(str(v) for v in n.review[r])] for r in REVIEW_ROWS]
    return {"proactive": pro, "applications": apps, "review_litigation": rev}


def docx_bytes(title: str, issuer: str, year: int, n: Numbers) -> bytes:
    """The report as a DOCX: paragraphs, and the three tables as Word tables with the group
    cells merged down their rows, as offices lay them out."""
    import io
    from datetime import datetime

    import docx

    document = docx.Document()
    document.core_properties.author = issuer
    document.core_properties.title = title
    fixed = datetime(year + 1, 1, 20)
    document.core_properties.created = fixed
    document.core_properties.modified = fixed
    document.add_heading(title, level=1)
    prose = _prose(issuer, year, n)
    for line in [opening(issuer, year), *prose["overall"]]:
        document.add_paragraph(line)
    grids = _grid(n)
    for key, heading in _HEADINGS.items():
        document.add_paragraph(heading)
        rows = grids[key]
        table = document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        for i, r in enumerate(rows):
            for j, text in enumerate(r):
                table.cell(i, j).text = text
        if key == "applications":  # merge each group cell down the rows it spans
            for col in (0, 1):
                i = 1
                while i < len(rows):
                    j = i
                    while j + 1 < len(rows) and rows[j + 1][col] == rows[i][col] != "":
                        j += 1
                    if j > i and rows[i][col]:
                        merged = table.cell(i, col).merge(table.cell(j, col))
                        merged.text = rows[i][col]
                    i = j + 1
    for line in prose["closing"]:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def pdf_bytes(title: str, issuer: str, year: int, n: Numbers) -> bytes:
    """The report as a PDF with a text layer: one table row per line, cells spaced."""
    from govreports.testweb.documents import make_pdf

    return make_pdf(title, report_lines(issuer, year, n, runs=False), issuer)
