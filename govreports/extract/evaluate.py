"""Metadata and outline accuracy on the development cases, and the count of invented values.

A case (``tests/gold/metadata/*.yaml``, format in its README) is a page opening or fragment
with the values a careful reader gives it. Per field the scorer counts right, wrong, missed
(the gold has a value, the extractor none) and **invented**: a value the page does not support
— given where the gold says the page states nothing, or a title/issuer that is wrong and whose
words appear nowhere on the page (built from a place the body happens to name).

Equivalence: text is compared simplified with spaces and 《》 removed; an issuer may carry its
parent's name as a prefix (天津市静海区人民政府 = 静海区人民政府). Sections, where a case lists
them, are compared by heading text (without its number) and role.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from govreports.models import ExtractionError, Report
from govreports.normalize import to_simplified

FIELDS = (
    "title", "issuer", "admin_code", "report_year", "publish_date", "sign_date",
    "source_agency", "is_department", "functional_zone", "issuer_in_text",
)
TEXT_FIELDS = ("title", "issuer", "source_agency")
_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十]+[)）])\s*")


def norm(v: Any) -> Any:
    if isinstance(v, str):
        return re.sub(r"[\s《》]", "", to_simplified(v)).replace("管理委员会", "管委会")
    if isinstance(v, date):
        return v.isoformat()
    return v


def same(name: str, want: Any, got: Any) -> bool:
    w, g = norm(want), norm(got)
    if w == g:
        return True
    if name == "issuer" and isinstance(w, str) and isinstance(g, str) and w and g:
        from govreports.extract import region
        from govreports.extract.metadata import canonical_government

        if canonical_government(w, None) == canonical_government(g, None):
            return True  # 延边州政府 = 延边朝鲜族自治州人民政府

        long, short = (w, g) if len(w) > len(g) else (g, w)
        if long.endswith(short):
            prefix = long[: len(long) - len(short)]
            hit = region.table(None).name_at_start(prefix)
            return hit is not None and len(hit[0]) == len(prefix)
    return False


@dataclass
class FieldScore:
    right: int = 0
    wrong: int = 0
    missed: int = 0  # gold has a value, the extractor none
    invented: int = 0  # a value the page does not support

    @property
    def n(self) -> int:
        return self.right + self.wrong + self.missed

    @property
    def accuracy(self) -> float:
        return self.right / self.n if self.n else 1.0


@dataclass
class CaseResult:
    id: str
    wrong: list[str] = field(default_factory=list)
    invented: list[str] = field(default_factory=list)
    sections: tuple[int, int, int] = (0, 0, 0)  # tp, fp, fn
    error: str | None = None


@dataclass
class MetadataEval:
    fields: dict[str, FieldScore]
    cases: list[CaseResult]
    sections: tuple[int, int, int]

    @property
    def invented(self) -> int:
        return sum(f.invented for f in self.fields.values())

    @property
    def section_f1(self) -> float:
        tp, fp, fn = self.sections
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


def load_cases(folder: Path) -> list[dict[str, Any]]:
    from govreports import yamlfile

    out: list[dict[str, Any]] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            data = yamlfile.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yamlfile.YAMLError) as exc:
            raise ValueError(f"{path}: cannot read cases: {exc}") from exc
        for c in (data or {}).get("cases") or []:
            if not isinstance(c, dict) or "input" not in c or "id" not in c:
                raise ValueError(f"{path}: every case needs 'id' and 'input'")
            out.append({**c, "_file": path.name})
    return out


def extract_case(case: dict[str, Any]) -> Report:
    from govreports.extract import extract_document

    fmt = case.get("format", "text")
    name = "case.html" if fmt == "html" else "case.txt"
    return extract_document(str(case["input"]).encode("utf-8"), filename=name,
                            url=case.get("url"))


def _value(report: Report, name: str) -> Any:
    return getattr(report, name)


def _heads(items: Sequence[Any]) -> list[tuple[str, str | None]]:
    out = []
    for s in items:
        head = s["heading"] if isinstance(s, dict) else s.heading
        role = s.get("role") if isinstance(s, dict) else s.role
        out.append((norm(_NUMBER.sub("", str(head))).rstrip("。：:"), role))
    return out


def evaluate_cases(cases: Sequence[dict[str, Any]]) -> MetadataEval:
    scores = {f: FieldScore() for f in FIELDS}
    results: list[CaseResult] = []
    s_tp = s_fp = s_fn = 0
    for case in cases:
        res = CaseResult(str(case["id"]))
        results.append(res)
        want = case.get("expect") or {}
        page = norm(str(case["input"]))
        try:
            report = extract_case(case)
        except ExtractionError as exc:
            res.error = str(exc)
            for f in FIELDS:
                if f in want and want[f] is not None:
                    scores[f].missed += 1
            continue
        for f in FIELDS:
            if f not in want:
                continue
            w, g = want[f], _value(report, f)
            if f == "publish_date" or f == "sign_date":
                w = str(w) if w is not None else None
            sc = scores[f]
            if same(f, w, g):
                sc.right += 1
                continue
            if g is None:
                sc.missed += 1
                res.wrong.append(f"{f}: missed {w!r}")
                continue
            if isinstance(g, bool) and w is None:
                continue  # a flag the gold leaves open
            if w is None:
                sc.invented += 1
                res.invented.append(f"{f}: {g!r} (the page states none)")
            elif f in TEXT_FIELDS and norm(g) not in page:
                sc.invented += 1
                res.invented.append(f"{f}: {g!r} (not on the page; gold {w!r})")
            if w is not None:
                sc.wrong += 1
                res.wrong.append(f"{f}: {g!r} != {w!r}")
            else:
                sc.wrong += 1
        want_secs = case.get("sections") or want.get("sections")
        if want_secs:
            gold, got = _heads(want_secs), _heads(report.sections)
            tp = sum(1 for x in got if x in gold)
            res.sections = (tp, len(got) - tp, len(gold) - tp)
            s_tp, s_fp, s_fn = s_tp + tp, s_fp + len(got) - tp, s_fn + len(gold) - tp
            if got != gold:
                res.wrong.append(f"sections: {got} != {gold}")
    return MetadataEval(scores, results, (s_tp, s_fp, s_fn))


def render_table(ev: MetadataEval, show_cases: bool = True) -> str:
    head = f"{'field':<16} {'accuracy':>8} {'right':>6} {'wrong':>6} {'missed':>7} {'invented':>9}"
    lines = [head, "-" * len(head)]
    for name, sc in ev.fields.items():
        lines.append(f"{name:<16} {sc.accuracy:>8.3f} {sc.right:>6} {sc.wrong:>6} {sc.missed:>7}"
                     f" {sc.invented:>9}")
    tp, fp, fn = ev.sections
    lines.append(f"sections F1 {ev.section_f1:.3f} (tp {tp}, fp {fp}, fn {fn});"
                 f" invented values: {ev.invented}; cases: {len(ev.cases)}")
    if show_cases:
        for c in ev.cases:
            for item in ([f"error: {c.error}"] if c.error else []) + c.invented + c.wrong:
                lines.append(f"{c.id}: {item}")
    return "\n".join(lines)


def as_dict(ev: MetadataEval) -> dict[str, Any]:
    return {
        "fields": {k: {"accuracy": round(v.accuracy, 4), "right": v.right, "wrong": v.wrong,
                       "missed": v.missed, "invented": v.invented}
                   for k, v in ev.fields.items()},
        "invented": ev.invented,
        "section_f1": round(ev.section_f1, 4),
        "cases": {c.id: {"wrong": c.wrong, "invented": c.invented, "error": c.error}
                  for c in ev.cases if c.wrong or c.invented or c.error},
    }


def render_json(ev: MetadataEval) -> str:
    return json.dumps(as_dict(ev), ensure_ascii=False, indent=2)
