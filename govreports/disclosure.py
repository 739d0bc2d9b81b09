"""The 政府信息公开工作年度报告's three statistical tables, read as cells of the national
template (``data/disclosure_template.yaml``): from HTML tables where the page has them, else
from the text, where crawlers and PDF text layers often run the cells together
("本年新收政府信息公开申请数量801000081" is 80, 1, 0, 0, 0, 0, 81).

Pure. Run-together digits are split with the identities the page itself states — each row's
总计 is the sum of its columns; in each column (七)总计 is the sum of the result rows; 新收 +
上年结转 = 总计 + 结转下年度; a review/litigation group's 总计 is the sum of its four — rows
and columns together. Where more than one split satisfies them all, the cell stays unknown
and says so (``status: ambiguous``); nothing is guessed. The identities are checked again on
the values read, and each result is kept (a stated total that disagrees with its parts is
recorded, never overwritten).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from govreports.normalize import fold

TEMPLATE = Path(__file__).resolve().parent / "data" / "disclosure_template.yaml"
_MAX_COMBINATIONS = 20_000  # product of the ambiguous rows' splits searched exhaustively


@dataclass(frozen=True)
class RowSpec:
    table: str
    row: str
    labels: tuple[str, ...]
    columns: tuple[str, ...]
    group: str = ""
    decimals: bool = False
    signed: bool = False  # 本年增/减 may be negative
    format: str | None = None  # the template format the row belongs to (None: every one)
    of: str = ""  # the result group whose reasons the row counts (不予公开, 无法提供…)


@dataclass(frozen=True)
class Template:
    version: str  # the current format
    rows: dict[str, tuple[RowSpec, ...]]  # table → its rows, every format
    identities: dict[str, tuple[dict[str, Any], ...]]
    markers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # format → headings

    def rows_for(self, table: str, fmt: str) -> tuple[RowSpec, ...]:
        return tuple(r for r in self.rows[table] if r.format in (None, fmt))

    def format_of(self, folded: str) -> str:
        """The format whose own column headings the page prints, else the current one."""
        flat = re.sub(r"\s+", "", folded)
        for fmt, marks in self.markers.items():
            if any(m in flat for m in marks):
                return fmt
        return self.version


@lru_cache(maxsize=1)
def template() -> Template:
    from govreports import yamlfile

    data = yamlfile.safe_load(TEMPLATE.read_text(encoding="utf-8"))
    rows: dict[str, tuple[RowSpec, ...]] = {}
    ids: dict[str, tuple[dict[str, Any], ...]] = {}
    for name, t in data["tables"].items():
        cols = tuple(t.get("columns") or ())
        rows[name] = tuple(
            RowSpec(name, r["row"], tuple(_norm(x) for x in (r.get("labels") or [r["row"]])),
                    tuple(r.get("columns") or cols), r.get("group", ""),
                    bool(r.get("decimals")), bool(r.get("signed")),
                    str(r["format"]) if r.get("format") else None, str(r.get("of", "")))
            for r in t["rows"]
        )
        ids[name] = tuple(t.get("identities") or ())
    markers = {str(k): tuple(v.get("markers") or ())
               for k, v in (data.get("formats") or {}).items()}
    return Template(str(data["version"]), rows, ids, markers)


@lru_cache(maxsize=1)
def groups() -> dict[tuple[str, str], tuple[str, int]]:
    """(table, row) → (its result group, how many reasons the group has in the row's
    format): a group may be summed only when all of them are known."""
    t = template()
    out: dict[tuple[str, str], tuple[str, int]] = {}
    for table, specs in t.rows.items():
        for spec in specs:
            if spec.of:
                same = [r for r in t.rows_for(table, spec.format or t.version) if r.of == spec.of]
                out[(table, spec.row)] = (spec.of, len(same))
    return out


def _norm(s: str) -> str:
    """Folded, without spaces, numbering (1. / （一） / 一、) or parenthetical notes."""
    t = fold(s).text
    t = re.sub(r"\s+", "", t)
    t = re.sub(r"\([^)]{0,40}\)", "", t)
    t = re.sub(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[.、])", "", t)
    return t.replace("“", "").replace("”", "").replace('"', "")


@dataclass(frozen=True)
class Cell:
    table: str  # proactive | applications | review_litigation
    row: str
    column: str
    value: float | None
    status: str  # stated (a cell of its own) | split (run-together, one split) | ambiguous
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Disclosure:
    template: str | None  # the template version the tables follow; "older" when they do not
    source: str  # html_tables | docx_tables | text | none
    cells: list[Cell] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)

    def value(self, table: str, row: str, column: str) -> float | None:
        for c in self.cells:
            if (c.table, c.row, c.column) == (table, row, column):
                return c.value
        return None


# ------------------------------------------------------------------ splitting digit runs

def _number(tok: str) -> float:
    return float(tok)


def _tokens(digits: str, k: int) -> list[list[str]]:
    """Every split of ``digits`` into ``k`` integers (no leading zeros)."""
    if k == 1:
        ok = digits and (digits == "0" or digits[0] != "0")
        return [[digits]] if ok else []
    out: list[list[str]] = []
    for i in range(1, len(digits) - k + 2):
        head = digits[:i]
        if len(head) > 1 and head[0] == "0":
            break
        for rest in _tokens(digits[i:], k - 1):
            out.append([head, *rest])
    return out


def _row_sum_splits(digits: str, k: int) -> list[list[str]]:
    """Splits of ``digits`` into ``k`` integers whose last is the sum of the others."""
    out: list[list[str]] = []
    for j in range(1, len(digits)):
        total = digits[len(digits) - j :]
        if len(total) > 1 and total[0] == "0":
            continue
        out.extend([*parts, total] for parts in _summing(digits[: len(digits) - j], k - 1,
                                                          int(total)))
    return out


def _summing(s: str, n: int, target: int, acc: int = 0) -> list[list[str]]:
    """Splits of ``s`` into ``n`` integers (no leading zeros) adding up to ``target``."""
    if n == 0:
        return [[]] if not s and acc == target else []
    out: list[list[str]] = []
    for i in range(1, len(s) - n + 2):
        head = s[:i]
        if len(head) > 1 and head[0] == "0":
            break
        v = int(head)
        if acc + v > target:
            break
        out.extend([head, *rest] for rest in _summing(s[i:], n - 1, target, acc + v))
    return out


def _separated_sum_splits(parts: list[str], k: int) -> list[list[str]]:
    """``k`` integers from separated ``parts`` (each part one or more of them, run
    together), the last part the total the others add up to."""
    total, others = parts[-1], parts[:-1]
    need = k - 1
    out: list[list[str]] = []

    def rec(i: int, left: int, acc: list[str], acc_sum: int) -> None:
        if acc_sum > int(total):
            return
        if i == len(others):
            if left == 0 and acc_sum == int(total):
                out.append([*acc, total])
            return
        for n in range(1, left - (len(others) - i - 1) + 1):
            for toks in _tokens(others[i], n):
                rec(i + 1, left - n, [*acc, *toks], acc_sum + sum(int(x) for x in toks))

    if len(others) <= need:
        rec(0, need, [], 0)
    return out


# ------------------------------------------------------------------ reading rows

_NUM_CELL = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_DIGITS_AFTER = re.compile(r"[\s”\"]*(?:\([^)]{0,40}\)\s*)?([-+\d\s.,，]*)")


@dataclass
class _RowRead:
    spec: RowSpec
    candidates: list[list[float]]  # possible value lists (one when the cells were separate)
    stated: bool  # each value was a cell (or separated) of its own
    unreadable: str = ""  # the row is there but its numbers cannot be split (no candidate)


def _read_numbers(raw: str, spec: RowSpec) -> _RowRead | None:
    """A row's numbers from the text after its label: separated, or run together."""
    k = len(spec.columns)
    raw = raw.replace(",", " ").replace("，", " ")
    parts = raw.split()
    if len(parts) == k and all(_NUM_CELL.match(p) for p in parts):
        return _RowRead(spec, [[_number(p) for p in parts]], True)
    if len(parts) > 1 and all(_NUM_CELL.match(p) for p in parts):
        # separate numbers, but not one per column. Blank cells, or a separator the text
        # lost ("0 00 0 1" from a wrapped PDF line): keep every separator there is and the
        # last number as the row's 总计; only splits whose parts still add up to it are
        # candidates (a lost separator after a 0 keeps the sum; a blank cell never does)
        splits = (_separated_sum_splits(parts, k) if len(parts) < k and
                  spec.columns[-1] == "总计" and all(p.isdigit() for p in parts) else [])
        if splits:
            return _RowRead(spec, [[float(x) for x in sp] for sp in splits], False)
        return _RowRead(spec, [], False, f"{len(parts)} separate numbers where the template "
                                         f"has {k} columns (cells left blank?)")
    digits = re.sub(r"\s+", "", raw)
    if not digits:
        return None
    if spec.decimals or "." in digits:
        if k == 1 and re.fullmatch(r"\d+(?:\.\d+)?", digits):
            return _RowRead(spec, [[float(digits)]], True)
        # an amount run into a count ("21234.56"): present, but no split can be trusted
        return _RowRead(spec, [], False, "run-together decimals cannot be split")
    if not digits.isdigit():
        if re.fullmatch(r"[-+\d]+", digits):
            return _RowRead(spec, [], False, "run-together signed numbers cannot be split")
        return None
    if k == 1:
        return _RowRead(spec, [[float(digits)]], True) if _tokens(digits, 1) else None
    has_total = spec.columns[-1] == "总计"
    splits = _row_sum_splits(digits, k) if has_total else _tokens(digits, k)
    if not splits:
        why = ("no split of the run-together digits adds up to the row's 总计" if has_total
               else f"the run-together digits do not make {k} numbers")
        return _RowRead(spec, [], False, why)
    return _RowRead(spec, [[float(x) for x in s] for s in splits], False)


def _label_of(cells: list[str]) -> str:
    return _norm("".join(c for c in cells if not _NUM_CELL.match(c.strip()) and c.strip()))


def _match(label: str, specs: tuple[RowSpec, ...], used: set[str]) -> RowSpec | None:
    best: RowSpec | None = None
    best_len = 0
    for spec in specs:
        if spec.row in used:
            continue
        for lab in spec.labels:
            hit = (label == lab) if len(lab) <= 2 else (lab in label)
            if hit and len(lab) > best_len:
                best, best_len = spec, len(lab)
    return best


def _from_tables(tables: list[list[list[str]]], fmt: str) -> dict[str, list[_RowRead]]:
    t = template()
    rows_of = {name: t.rows_for(name, fmt) for name in t.rows}
    reads: dict[str, list[_RowRead]] = {name: [] for name in t.rows}
    used: dict[str, set[str]] = {name: set() for name in t.rows}
    for rows in tables:
        for cells in rows:
            cells = [fold(c).text.strip() for c in cells]
            nums = [c for c in cells if _NUM_CELL.match(c)]
            label = _label_of(cells)
            if not label and len(cells) == 15 and nums and all(
                    not c or _NUM_CELL.match(c) for c in cells):
                nums = [c or "0" for c in cells]  # blank cells of a site that leaves 0 out
            if not label and len(nums) == 15:  # the review/litigation table's one data row
                specs = rows_of["review_litigation"]
                for n, rspec in enumerate(specs):
                    vals = [float(v) for v in nums[5 * n : 5 * n + 5]]
                    reads["review_litigation"].append(_RowRead(rspec, [vals], True))
                    used["review_litigation"].add(rspec.row)
                continue
            if not label:
                continue
            # the row's own label is its last text cell (group cells such as 三、本年度办理结果
            # or （三）不予公开 come first, repeated in every row by some exports)
            words = [c for c in cells if c and not _NUM_CELL.match(c)]
            own = _norm(words[-1]) if words else ""
            for name in ("applications", "proactive", "review_litigation"):
                spec = _match(own, rows_of[name], used[name]) or _match(
                    label, rows_of[name], used[name])
                if spec is None:
                    continue
                k = len(spec.columns)
                # empty cells mean 0 (a site that leaves zeros blank)
                values = [c for c in cells[len(cells) - k :]] if len(cells) >= k else []
                if len(nums) == k or (len(values) == k and all(
                        not v or _NUM_CELL.match(v) for v in values)):
                    src = nums if len(nums) == k else values
                    reads[name].append(_RowRead(spec, [[float(v or 0) for v in src]], True))
                    used[name].add(spec.row)
                    break
    return reads


def _from_text(folded: str, fmt: str) -> dict[str, list[_RowRead]]:
    """Rows found in order in the text: the numbers between one row's label and the next."""
    t = template()
    reads: dict[str, list[_RowRead]] = {name: [] for name in t.rows}
    for name in ("proactive", "applications"):
        pos = _section_start(folded, name)
        if pos < 0:
            continue
        raws: list[tuple[RowSpec, str]] = []
        for spec in t.rows_for(name, fmt):
            hit = _find_label(folded, spec, pos)
            if hit is None:
                continue
            start, end = hit
            m = _DIGITS_AFTER.match(folded, end)
            raw = m.group(1) if m else ""
            raw = re.sub(r"\d\s*[.、]\s*$", "", raw.rstrip())  # the next row's "2."
            raws.append((spec, raw.rstrip(".")))
            pos = end
        # A table whose numbers are separated somewhere is a separated table: there, one
        # number in a row of several columns is blank cells, not digits run together.
        separated = any(len(raw.split()) > 1 for _, raw in raws)
        for spec, raw in raws:
            if separated and len(spec.columns) > 1 and len(raw.split()) == 1:
                read: _RowRead | None = _RowRead(
                    spec, [], False, f"one number where the template has "
                    f"{len(spec.columns)} columns, in a table whose cells are separated "
                    "(cells left blank?)")
            else:
                read = _read_numbers(raw, spec)
            if read is not None:
                reads[name].append(read)
    i = _section_start(folded, "review_litigation")
    specs = t.rows_for("review_litigation", fmt)
    labelled = _labelled_rows(folded, specs, i) if i >= 0 else []
    if len(labelled) == len(specs):  # one row per case type, each label then its numbers
        reads["review_litigation"] = labelled
    elif i >= 0:
        head = folded.rfind("总计", i, i + 400)
        m = re.compile(r"\s*([\d\s]+)").match(folded, head + 2) if head >= 0 else None
        if m:
            raw = m.group(1)
            parts = raw.split()
            if len(parts) == 15:
                for n, spec in enumerate(specs):
                    vals = [float(v) for v in parts[5 * n : 5 * n + 5]]
                    reads["review_litigation"].append(_RowRead(spec, [vals], True))
            elif len(parts) > 1:  # separate numbers, not fifteen: blank cells
                reads["review_litigation"] = [
                    _RowRead(spec, [], False, f"{len(parts)} separate numbers where the "
                             "table has 15 (cells left blank?)") for spec in specs]
            else:
                splits = _group_splits(re.sub(r"\s+", "", raw))
                if splits:
                    for n, spec in enumerate(specs):
                        cands = sorted({tuple(s[5 * n : 5 * n + 5]) for s in splits})
                        reads["review_litigation"].append(
                            _RowRead(spec, [list(c) for c in cands], False))
    return reads


def _labelled_rows(folded: str, specs: tuple[RowSpec, ...], pos: int) -> list[_RowRead]:
    """Rows printed label first (行政复议 1 0 0 0 1 …), in template order after ``pos``;
    empty unless every one reads as separate numbers."""
    out: list[_RowRead] = []
    for spec in specs:
        hit = _find_label(folded, spec, pos)
        if hit is None:
            return []
        m = _DIGITS_AFTER.match(folded, hit[1])
        read = _read_numbers(m.group(1) if m else "", spec)
        if read is None or not read.stated:
            return []
        out.append(read)
        pos = hit[1]
    return out


def _group_splits(digits: str) -> list[list[float]]:
    """Splits of the review/litigation digits: three groups of four and their 总计."""
    out: list[list[float]] = []
    for a in range(5, len(digits) - 9):
        for first in _row_sum_splits(digits[:a], 5):
            for b in range(a + 5, len(digits) - 4):
                for second in _row_sum_splits(digits[a:b], 5):
                    for third in _row_sum_splits(digits[b:], 5):
                        out.append([float(x) for x in (*first, *second, *third)])
                        if len(out) > 200:
                            return out
    return out


_SECTION_WORDS = {
    "proactive": r"主动公开政府信息情况",
    "applications": r"收到和处理政府信息公开申请情况",
    "review_litigation": r"政府信息公开行政复议[、和]?行政诉讼情况",
}


def _section_start(folded: str, table: str) -> int:
    """Where the table's part starts: its numbered heading (二、主动公开政府信息情况), not a
    mention of the part in the report's opening."""
    head = re.search(r"[一二三四五六七八九十]\s*[、.]\s*(?:" + _SECTION_WORDS[table] + ")", folded)
    if head:
        return head.end()
    hits = list(re.finditer(_SECTION_WORDS[table], folded))
    return hits[-1].end() if hits else -1


def _find_label(folded: str, spec: RowSpec, pos: int) -> tuple[int, int] | None:
    """The first of the row's labels after ``pos`` (spaces inside a label allowed)."""
    best: tuple[int, int] | None = None
    for lab in (_norm(spec.row), *spec.labels):
        rx = re.compile(r"[\s“”\"]*".join(map(re.escape, lab)))
        m = rx.search(folded, pos)
        # the earliest, and there the longest (the full label before its short form)
        if m and (best is None or (m.start(), -m.end()) < (best[0], -best[1])):
            best = (m.start(), m.end())
    return best


# ------------------------------------------------------------------ solving with identities

def _solve(name: str, reads: list[_RowRead], fmt: str) -> tuple[list[Cell], int]:
    """Cells of one table: every combination of the rows' splits that satisfies the table's
    identities; a cell on which the surviving combinations disagree stays unknown."""
    ids = template().identities.get(name, ())
    lost = [r for r in reads if not r.candidates]
    reads = [r for r in reads if r.candidates]
    ambiguous = [r for r in reads if len(r.candidates) > 1]
    fixed = {r.spec.row: r.candidates[0] for r in reads if len(r.candidates) == 1}
    combos = 1
    for r in ambiguous:
        combos *= len(r.candidates)
    solutions: list[dict[str, list[float]]] = []
    if combos <= _MAX_COMBINATIONS:
        for choice in itertools.product(*(r.candidates for r in ambiguous)):
            values = dict(fixed)
            values.update({r.spec.row: c for r, c in zip(ambiguous, choice, strict=True)})
            if all(c.ok for c in _identities(name, values, ids, fmt)):
                solutions.append(values)
    cells: list[Cell] = []
    for r in reads:
        for j, col in enumerate(r.spec.columns):
            seen = {tuple(s[r.spec.row])[j] for s in solutions} if solutions else set()
            if len(r.candidates) == 1 and (not solutions or len(seen) <= 1):
                status = "stated" if r.stated else "split"
                cells.append(Cell(name, r.spec.row, col, r.candidates[0][j], status))
            elif len(seen) == 1:
                cells.append(Cell(name, r.spec.row, col, seen.pop(), "split",
                                  f"run-together digits: one split of {len(r.candidates)}"
                                  " satisfies the identities"))
            else:
                why = (f"{len(seen)} values satisfy the identities" if solutions else
                       f"no split of {len(r.candidates)} satisfies the identities"
                       if combos <= _MAX_COMBINATIONS else "too many splits to decide")
                cells.append(Cell(name, r.spec.row, col, None, "ambiguous", why))
    for r in lost:
        cells.extend(Cell(name, r.spec.row, col, None, "ambiguous", r.unreadable)
                     for col in r.spec.columns)
    return cells, len(solutions)


@dataclass(frozen=True)
class Check:
    """One identity on one row or column: does it hold on the values read?"""

    name: str  # row_sum:<row> | column_sum:<column> | balance:<column>
    ok: bool
    detail: str  # the arithmetic, e.g. "总计: 217 + 1 = 218 vs 总计 221"
    blamed: tuple[tuple[str, str], ...]  # (row, column) cells a failure casts doubt on


def _identities(name: str, values: dict[str, list[float]],
                ids: tuple[dict[str, Any], ...], fmt: str) -> list[Check]:
    """Each identity that the known rows allow to check. A failure blames the stated total
    (a row's 总计, a column's (七)总计); a failed balance whose column total is sound blames
    the balance's other cells (新收, 上年结转, 结转下年度): one of them is wrong."""
    specs = {s.row: s for s in template().rows_for(name, fmt)}
    out: list[Check] = []
    column_ok: dict[str, bool] = {}
    for ident in ids:
        kind = ident["kind"]
        if kind == "row_sum":
            for row, vals in values.items():
                cols = specs[row].columns
                if row not in specs or cols[-1] != ident["total"]:
                    continue
                ok = abs(sum(vals[:-1]) - vals[-1]) < 1e-6
                out.append(Check(f"row_sum:{row}", ok,
                                 f"{row}: {' + '.join(f'{v:g}' for v in vals[:-1])} = "
                                 f"{sum(vals[:-1]):g} vs 总计 {vals[-1]:g}",
                                 ((row, cols[-1]),)))
        elif kind == "column_sum":
            parts = [r for r, s in specs.items() if s.group == ident["parts"]]
            total = ident["total"]
            if total not in values or not all(p in values for p in parts):
                continue
            for j, col in enumerate(specs[total].columns):
                s = sum(values[p][j] for p in parts)
                ok = abs(s - values[total][j]) < 1e-6
                column_ok[col] = ok
                out.append(Check(f"column_sum:{col}", ok,
                                 f"{col}: results add up to {s:g} vs 总计 {values[total][j]:g}",
                                 ((total, col),)))
        elif kind == "balance":
            rows = [*ident["left"], *ident["right"]]
            if not all(r in values for r in rows):
                continue
            for j, col in enumerate(specs[rows[0]].columns):
                left = sum(values[r][j] for r in ident["left"])
                right = sum(values[r][j] for r in ident["right"])
                if column_ok.get(col) is False:  # the column's total explains it
                    blamed: tuple[tuple[str, str], ...] = (("总计", col),)
                else:
                    sound = {"总计"} if column_ok.get(col) else set()
                    blamed = tuple((r, col) for r in rows if r not in sound)
                out.append(Check(f"balance:{col}", abs(left - right) < 1e-6,
                                 f"{col}: 新收+结转 {left:g} vs 总计+结转下年度 {right:g}",
                                 blamed))
    return out


def check_table(table: str, cells: dict[tuple[str, str], float], fmt: str) -> list[Check]:
    """The identities of one report's table on ``{(row, column): value}`` (rows with a
    missing cell are left out of every identity that needs them)."""
    t = template()
    fmt = fmt if fmt == t.version or fmt in t.markers else t.version
    values: dict[str, list[float]] = {}
    for spec in t.rows_for(table, fmt):
        vals = [cells.get((spec.row, c)) for c in spec.columns]
        if all(v is not None for v in vals):
            values[spec.row] = [float(v) for v in vals if v is not None]
    return _identities(table, values, t.identities.get(table, ()), fmt)


def suspect_cells(checks: list[Check]) -> dict[tuple[str, str], list[str]]:
    """(row, column) → why the cell cannot be trusted: the failed identities that blame it."""
    out: dict[tuple[str, str], list[str]] = {}
    for c in checks:
        if not c.ok:
            for cell in c.blamed:
                out.setdefault(cell, []).append(f"{c.name} does not hold ({c.detail})")
    return out


def read_disclosure(text: str, tables: list[list[list[str]]] | None = None,
                    tables_from: str = "html_tables") -> Disclosure:
    """The template's cells from a document's tables (``tables_from``: html_tables |
    docx_tables), else from its text."""
    t = template()
    folded = fold(text).text
    cells_text = " ".join(c for tab in tables or () for row in tab for c in row)
    fmt = t.format_of(fold(cells_text).text + " " + folded)
    reads = _from_tables(tables, fmt) if tables else {}
    source = tables_from
    if not reads or sum(len(v) for v in reads.values()) < 10:
        reads = _from_text(folded, fmt)
        source = "text"
    n = sum(len(v) for v in reads.values())
    if n == 0:
        return Disclosure("older", "none")
    out = Disclosure(fmt if len(reads.get("applications", [])) >= 20 else "older", source)
    for name, rows in reads.items():
        if not rows:
            continue
        cells, _ = _solve(name, rows, fmt)
        out.cells.extend(cells)
        known = {(c.row, c.column): c.value for c in cells if c.value is not None}
        for c in check_table(name, known, fmt):
            out.checks.append({"check": c.name, "table": name,
                               "status": "pass" if c.ok else "fail", "detail": c.detail,
                               "cells": [list(x) for x in c.blamed] if not c.ok else []})
    return out


def html_tables(page_html: str) -> list[list[list[str]]]:
    """Every ``<table>`` of a page as rows of cell texts (nested tables read on their own;
    a merged cell counted once, where the page puts it)."""
    from lxml import etree
    from lxml import html as lxml_html

    try:
        doc = lxml_html.document_fromstring(page_html)
    except (ValueError, etree.ParserError):
        return []
    out: list[list[list[str]]] = []
    for table in doc.iter("table"):
        rows: list[list[str]] = []
        for tr in table.iter("tr"):
            if tr.getparent() is not None and _owner_table(tr) is not table:
                continue
            cells = [re.sub(r"\s+", "", c.text_content().replace("\xa0", " "))
                     for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
            if cells:
                rows.append(cells)
        if rows:
            out.append(rows)
    return out


def _owner_table(el: Any) -> Any:
    p = el.getparent()
    while p is not None and p.tag != "table":
        p = p.getparent()
    return p
