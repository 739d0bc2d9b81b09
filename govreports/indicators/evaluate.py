"""Precision, recall and F1 of extracted mentions against the hand-checked gold.

Two scores per report and overall:
- mentions: a prediction matches a gold mention with the same offset, value and unit
  (units compared after folding, so 項 = 项; a shared rate phrase counts once per name);
- indicators: the same, on (offset, indicator, value) for mentions that have an indicator.
Matching is one-to-one (multisets). Misses and false hits are listed for reading.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govreports.models import Mention
from govreports.normalize import fold

Key = tuple[Any, ...]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class ReportEval:
    name: str
    mentions: Score
    indicators: Score
    missed: list[str] = field(default_factory=list)  # gold not found
    spurious: list[str] = field(default_factory=list)  # predicted, not in gold
    excluded_hits: list[str] = field(default_factory=list)  # excluded numbers reported
    # for matched mentions: how often each attribute agrees with the gold (agree, compared)
    attributes: dict[str, tuple[int, int]] = field(default_factory=dict)


ATTRIBUTES = ("kind", "approx", "raw_unit", "not_a_level", "scope", "part_of", "line", "context")


def _attribute_agreement(
    gold: Sequence[dict[str, Any]], predicted: Sequence[Mention]
) -> dict[str, tuple[int, int]]:
    by_key: dict[Key, list[Mention]] = {}
    for m in predicted:
        by_key.setdefault(mention_key(m.offset, m.value, m.unit), []).append(m)
    agree = dict.fromkeys(ATTRIBUTES, 0)
    compared = 0
    for g in gold:
        cands = by_key.get(mention_key(g["offset"], g["value"], g["unit"]))
        if not cands:
            continue
        p = cands[0]
        compared += 1
        for a in ATTRIBUTES:
            want, got = g.get(a), getattr(p, a)
            if a == "not_a_level":
                want, got = bool(want), bool(got)
            agree[a] += (want or None) == (got or None) if a != "not_a_level" else want == got
    return {a: (agree[a], compared) for a in ATTRIBUTES}


def _unit(u: str) -> str:
    return fold(u).text


def _value(v: Any) -> float:
    return round(float(v), 4)


def mention_key(offset: int, value: Any, unit: str) -> Key:
    return (int(offset), _value(value), _unit(unit))


def indicator_key(offset: int, indicator: str, value: Any) -> Key:
    return (int(offset), indicator, _value(value))


def _compare(gold: Iterable[Key], pred: Iterable[Key]) -> tuple[Score, list[Key], list[Key]]:
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    missed = sorted((g - p).elements())
    spurious = sorted((p - g).elements())
    return Score(tp, len(spurious), len(missed)), missed, spurious


def evaluate_report(
    name: str,
    gold: dict[str, Any],
    predicted: Sequence[Mention],
    excluded: Sequence[dict[str, Any]] = (),
) -> ReportEval:
    """Score one report's predicted mentions against its gold YAML document."""
    gm = gold.get("mentions") or []
    ms, m_missed, m_spurious = _compare(
        (mention_key(m["offset"], m["value"], m["unit"]) for m in gm),
        (mention_key(m.offset, m.value, m.unit) for m in predicted),
    )
    is_, i_missed, i_spurious = _compare(
        (indicator_key(m["offset"], m["indicator"], m["value"]) for m in gm if m.get("indicator")),
        (indicator_key(m.offset, m.indicator, m.value) for m in predicted if m.indicator),
    )
    text_at = {m["offset"]: m.get("text", "") for m in gm} | {m.offset: m.text for m in predicted}
    gold_ind = {(m["offset"], _value(m["value"])): m.get("indicator") for m in gm}
    pred_ind = {(m.offset, _value(m.value)): m.indicator for m in predicted}
    missed = [f"mention {k[0]} {text_at.get(k[0], '')!r} value={k[1]:g} unit={k[2]}"
              for k in m_missed]
    missed += [
        f"indicator {k[0]} {text_at.get(k[0], '')!r} gold={k[1]} got={pred_ind.get((k[0], k[2]))}"
        for k in i_missed
    ]
    spurious = [f"mention {k[0]} {text_at.get(k[0], '')!r} value={k[1]:g} unit={k[2]}"
                for k in m_spurious]
    spurious += [
        f"indicator {k[0]} {text_at.get(k[0], '')!r} got={k[1]} gold={gold_ind.get((k[0], k[2]))}"
        for k in i_spurious
    ]
    hits = []
    for ex in excluded:
        s = int(ex["offset"])
        e = s + len(str(ex["text"]))
        for m in predicted:
            if m.offset < e and s < m.offset + len(m.text):
                hits.append(f"{s} {ex['text']!r} ({ex.get('reason')}) reported as {m.text!r}")
    return ReportEval(name, ms, is_, missed, spurious, hits, _attribute_agreement(gm, predicted))


def _load_yaml(path: Path) -> Any:
    from govreports import yamlfile

    try:
        return yamlfile.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yamlfile.YAMLError) as exc:
        raise ValueError(f"{path}: cannot read gold file: {exc}") from exc


def find_seed(gold_dir: Path, seed: str, extra_dirs: Sequence[Path] = ()) -> Path:
    """The seed text named by a gold file: GOLD_DIR/seeds/, GOLD_DIR/../seeds/, then the
    bundled seeds."""
    bundled = Path(__file__).resolve().parent.parent / "data" / "seeds"
    for d in (gold_dir / "seeds", gold_dir.parent / "seeds", *extra_dirs, bundled):
        if (d / seed).is_file():
            return d / seed
    raise FileNotFoundError(f"{gold_dir}: seed {seed!r} not found in ../seeds or {bundled}")


def extract_with_outline(text: str) -> Sequence[Mention]:
    """Mentions as the pipeline finds them: with the report's outline (a plans section's
    numbers are targets)."""
    from govreports.extract.sections import find_sections
    from govreports.indicators import extract_mentions
    from govreports.pipeline import flatten_sections

    return extract_mentions(text, flatten_sections(find_sections(text)))


def evaluate_dir(
    gold_dir: Path,
    extract: Callable[[str], Sequence[Mention]] | None = None,
) -> tuple[list[ReportEval], ReportEval]:
    """Evaluate every ``*.yaml`` gold file of ``gold_dir``; returns per report and overall."""
    if extract is None:
        extract = extract_with_outline
    gold_dir = Path(gold_dir)
    files = sorted(p for p in gold_dir.glob("*.yaml") if not p.name.endswith(".excluded.yaml"))
    if not files:
        raise FileNotFoundError(f"{gold_dir}: no gold *.yaml files")
    reports: list[ReportEval] = []
    total = ReportEval("overall", Score(), Score())
    for path in files:
        gold = _load_yaml(path)
        if not isinstance(gold, dict) or "seed" not in gold:
            raise ValueError(f"{path}: gold file has no 'seed:' key")
        text = find_seed(gold_dir, str(gold["seed"])).read_text(encoding="utf-8")
        excl_path = gold_dir / "excluded" / f"{path.stem}.excluded.yaml"
        excluded = (_load_yaml(excl_path) or {}).get("excluded", []) if excl_path.is_file() else []
        r = evaluate_report(path.stem, gold, extract(text), excluded)
        reports.append(r)
        total.mentions.add(r.mentions)
        total.indicators.add(r.indicators)
        total.excluded_hits += [f"{r.name}: {h}" for h in r.excluded_hits]
        for a, (ok, n) in r.attributes.items():
            t_ok, t_n = total.attributes.get(a, (0, 0))
            total.attributes[a] = (t_ok + ok, t_n + n)
    return reports, total


def scores(reports: Sequence[ReportEval], total: ReportEval) -> dict[str, Any]:
    """The figures a baseline keeps: F1 (and P/R) per report and overall."""
    out: dict[str, Any] = {}
    for r in [*reports, total]:
        out[r.name] = {"mentions": r.mentions.as_dict(), "indicators": r.indicators.as_dict()}
    return out


def regressions(current: dict[str, Any], baseline: dict[str, Any], tol: float = 1e-4) -> list[str]:
    """Every F1 in ``baseline`` that ``current`` dropped below (one line each).

    Reports are compared by name; ``overall`` only when both cover the same reports, so
    evaluating another gold folder (held-back reports) is not a regression of this one.
    """
    out = []
    same_set = set(current) - {"overall"} == set(baseline) - {"overall"}
    for name, b in baseline.items():
        if name not in current or (name == "overall" and not same_set):
            continue
        for part in ("mentions", "indicators"):
            want = b.get(part, {}).get("f1")
            got = current[name].get(part, {}).get("f1")
            if want is None:
                continue
            if got is None:
                out.append(f"{name} {part}: missing (baseline F1 {want})")
            elif got + tol < want:
                out.append(f"{name} {part}: F1 {got} < baseline {want}")
    return out


def write_baseline(path: Path, current: dict[str, Any]) -> None:
    path.write_text(json.dumps(current, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                    encoding="utf-8")


DEFAULT_BASELINE = Path(__file__).resolve().parents[2] / "tests" / "indicators" / "baseline.json"


def render_table(reports: Sequence[ReportEval], total: ReportEval) -> str:
    """Plain-text table: P/R/F1 for mentions and indicators per report, then the misses."""
    head = f"{'report':<24} {'mentions P/R/F1':>22} {'indicators P/R/F1':>22}"
    lines = [head, "-" * len(head)]
    for r in [*reports, total]:
        m, i = r.mentions, r.indicators
        lines.append(
            f"{r.name:<24} {m.precision:>6.3f} {m.recall:>6.3f} {m.f1:>7.3f}"
            f"   {i.precision:>6.3f} {i.recall:>6.3f} {i.f1:>7.3f}"
        )
    if total.attributes:
        lines.append("attribute agreement on matched mentions (not scored): " + ", ".join(
            f"{a} {ok}/{n}" for a, (ok, n) in total.attributes.items()))
    for r in reports:
        for label, items in (("missed", r.missed), ("spurious", r.spurious),
                             ("excluded number reported", r.excluded_hits)):
            for item in items:
                lines.append(f"{r.name}: {label}: {item}")
    return "\n".join(lines)


def render_json(reports: Sequence[ReportEval], total: ReportEval) -> str:
    data = scores(reports, total)
    data["overall"]["attributes"] = {a: list(v) for a, v in total.attributes.items()}
    for r in reports:
        data[r.name].update(missed=r.missed, spurious=r.spurious, excluded_hits=r.excluded_hits)
    return json.dumps(data, ensure_ascii=False, indent=2)


def load_baseline(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: cannot read baseline: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: baseline must be a JSON object")
    return data


# --------------------------------------------------------------------------- phrasing cases
# Sentences with every quantity they state and its indicator (tests/gold/phrasings). Scored
# per indicator (precision, recall), with the confusion list (which id was given instead of
# which) and the share of gold-id mentions left unassigned, as classification_report and
# confusion_matrix do: a rule's gain on one indicator cannot hide a loss on another.


@dataclass
class PhrasingEval:
    mentions: Score = field(default_factory=Score)
    indicators: Score = field(default_factory=Score)
    per_indicator: dict[str, Score] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)  # (gold, got)
    unassigned: int = 0  # gold has an id, the extractor gave none
    with_gold_id: int = 0
    failures: list[str] = field(default_factory=list)
    cases: int = 0

    def summary(self) -> dict[str, Any]:
        return {
            "mentions": self.mentions.as_dict(),
            "indicators": self.indicators.as_dict(),
            "unassigned_share": round(self.unassigned / self.with_gold_id, 4)
            if self.with_gold_id else 0.0,
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.summary(),
            "cases": self.cases,
            "per_indicator": {k: v.as_dict() for k, v in sorted(self.per_indicator.items())},
            "confusion": [{"gold": g, "got": p, "n": n}
                          for (g, p), n in self.confusion.most_common()],
            "failures": self.failures,
        }


def load_phrasings(folder: Path) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        data = _load_yaml(path) or {}
        for c in data.get("cases") or []:
            if not isinstance(c, dict) or "sentence" not in c or "mentions" not in c:
                raise ValueError(f"{path}: every case needs 'sentence' and 'mentions'")
            out.append({**c, "_file": path.name})
    return out


def _gold_offsets(sentence: str, mentions: Sequence[dict[str, Any]]) -> list[int]:
    """Offsets of the gold spans, in order (a repeated span: the next occurrence; one rate
    phrase shared by several names: the same offset again)."""
    out: list[int] = []
    pos = 0
    prev: tuple[str, int] | None = None
    for m in mentions:
        span = str(m["span"])
        if prev is not None and prev[0] == span and m.get("rate_name"):
            out.append(prev[1])
            continue
        i = sentence.find(span, pos)
        if i < 0:
            i = sentence.find(span)
        out.append(i)
        prev = (span, i)
        if i >= 0:
            pos = i + len(span)
    return out


def evaluate_phrasings(
    cases: Sequence[dict[str, Any]],
    extract: Callable[[str], Sequence[Mention]] | None = None,
) -> PhrasingEval:
    """Per-indicator scores of ``cases`` (a sentence, or a whole report, with its gold
    mentions; a mention with an ``offset`` is placed there, else its ``span`` is found)."""
    if extract is None:
        from govreports.indicators import extract_mentions

        extract = extract_mentions
    ev = PhrasingEval(cases=len(cases))
    for case in cases:
        sentence = str(case["sentence"])
        gold = list(case["mentions"] or [])
        offsets = ([int(m["offset"]) for m in gold] if gold and all("offset" in m for m in gold)
                   else _gold_offsets(sentence, gold))
        pred = list(extract(sentence))
        g_keys = [mention_key(o, g["value"], g["unit"]) for o, g in zip(offsets, gold, strict=True)]
        p_keys = [mention_key(m.offset, m.value, m.unit) for m in pred]
        ms, missed, spurious = _compare(g_keys, p_keys)
        ev.mentions.add(ms)
        for k in missed:
            ev.failures.append(f"{case['id']}: mention missed {sentence[k[0]:k[0] + 8]!r}"
                               f" value={k[1]:g} unit={k[2]}")
        for k in spurious:
            ev.failures.append(f"{case['id']}: mention spurious at {k[0]} value={k[1]:g}"
                               f" unit={k[2]}")
        # indicators of matched mentions, paired within each (offset, value, unit) group
        groups: dict[Key, tuple[list[str | None], list[str | None]]] = {}
        for k, g in zip(g_keys, gold, strict=True):
            groups.setdefault(k, ([], []))[0].append(g.get("indicator"))
        for k, m in zip(p_keys, pred, strict=True):
            if k in groups:
                groups[k][1].append(m.indicator)
        for k, (gi, pi) in groups.items():
            pairs: list[tuple[str | None, str | None]] = []
            rest_p = list(pi)
            for g_id in gi:  # equal ids pair first
                if g_id in rest_p:
                    rest_p.remove(g_id)
                    pairs.append((g_id, g_id))
                else:
                    pairs.append((g_id, None if not rest_p else "?"))
            unpaired = [p for p in rest_p]
            for n, (g_id, p_id) in enumerate(pairs):
                if p_id == "?":
                    pairs[n] = (g_id, unpaired.pop(0) if unpaired else None)
            if len(pi) < len(gi):  # mention missed: its id is a miss only where the mention
                pairs = pairs[: len(pi)]  # was found; a missed mention counts above
            for g_id, p_id in pairs:
                _score_pair(ev, case["id"], sentence, k, g_id, p_id)
    return ev


def _score_pair(ev: PhrasingEval, cid: str, sentence: str, k: Key, g_id: str | None,
                p_id: str | None) -> None:
    if g_id:
        ev.with_gold_id += 1
        if p_id is None:
            ev.unassigned += 1
    if g_id == p_id:
        if g_id:
            ev.indicators.tp += 1
            ev.per_indicator.setdefault(g_id, Score()).tp += 1
        return
    where = f"{cid}: {sentence[k[0]:k[0] + 8]!r}"
    if g_id:
        ev.indicators.fn += 1
        ev.per_indicator.setdefault(g_id, Score()).fn += 1
    if p_id:
        ev.indicators.fp += 1
        ev.per_indicator.setdefault(p_id, Score()).fp += 1
    ev.confusion[(g_id or "-", p_id or "-")] += 1
    ev.failures.append(f"{where} indicator gold={g_id} got={p_id}")


def render_phrasings(ev: PhrasingEval, top: int = 40) -> str:
    m, i = ev.mentions, ev.indicators
    s = ev.summary()
    lines = [f"cases: {ev.cases}; mentions P/R/F1 {m.precision:.3f} {m.recall:.3f}"
             f" {m.f1:.3f}; indicators P/R/F1 {i.precision:.3f} {i.recall:.3f} {i.f1:.3f};"
             f" unassigned {s['unassigned_share']:.1%} of {ev.with_gold_id} with a gold id"]
    head = f"  {'indicator':<46} {'P':>6} {'R':>6} {'F1':>6} {'tp':>4} {'fp':>4} {'fn':>4}"
    lines += [head]
    for name, sc in sorted(ev.per_indicator.items(), key=lambda kv: kv[1].f1):
        lines.append(f"  {name:<46} {sc.precision:>6.3f} {sc.recall:>6.3f} {sc.f1:>6.3f}"
                     f" {sc.tp:>4} {sc.fp:>4} {sc.fn:>4}")
    lines.append("  confusion (gold -> got: n), '-' is no id:")
    for (g, p), n in ev.confusion.most_common(top):
        lines.append(f"    {g} -> {p}: {n}")
    return "\n".join(lines)


def report_cases(gold_dir: Path) -> list[dict[str, Any]]:
    """The full gold reports as cases for the per-indicator scores."""
    out = []
    for path in sorted(Path(gold_dir).glob("*.yaml")):
        gold = _load_yaml(path)
        if isinstance(gold, dict) and "seed" in gold:
            text = find_seed(Path(gold_dir), str(gold["seed"])).read_text(encoding="utf-8")
            out.append({"id": path.stem, "sentence": text, "mentions": [
                {**m, "span": m["text"]} for m in gold.get("mentions") or []]})
    return out


def phrasing_regressions(current: dict[str, Any], baseline: dict[str, Any],
                         tol: float = 1e-4) -> list[str]:
    out = []
    for part in ("mentions", "indicators"):
        for metric in ("f1", "precision"):
            want = baseline.get(part, {}).get(metric)
            got = current.get(part, {}).get(metric)
            if want is not None and got is not None and got + tol < want:
                out.append(f"{part}: {metric} {got} < baseline {want}")
    return out
