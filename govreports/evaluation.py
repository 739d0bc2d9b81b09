"""``govreports eval GOLD_DIR``: every development set in one run, and the baseline gate.

What a gold folder may hold (each part is scored when present):
- ``*.yaml`` with ``seed:``: full reports (mentions and indicators, via
  ``govreports.indicators.evaluate``; their metadata and outline too);
- ``metadata/*.yaml`` and ``metadata_validation/*.yaml``: page openings (per-field accuracy,
  invented values, section F1; ``govreports.extract.evaluate``);
- ``classify/*.yaml``: list titles and page openings (report / look-alike / other);
- ``phrasings/*.yaml`` (and ``phrasings_validation/``, ``phrasings_blind/``): sentences with
  every quantity and its indicator id (per-indicator precision and recall, the confusion list
  and the unassigned share). The ``*_validation`` and ``*_blind`` sets are measured, never
  tuned on: rules are written from the development sets and checked on these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govreports.extract import evaluate as meta_ev
from govreports.indicators import evaluate as ind_ev

PHRASING_SETS = ("phrasings", "phrasings_validation", "phrasings_blind")
METADATA_FIELDS = ("title", "issuer", "admin_code", "report_year", "publish_date", "sign_date",
                   "source_agency", "issuer_in_text")


@dataclass
class Classification:
    right: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return self.right + len(self.wrong)

    @property
    def accuracy(self) -> float:
        return self.right / self.n if self.n else 1.0


@dataclass
class Evaluation:
    reports: list[ind_ev.ReportEval]
    total: ind_ev.ReportEval
    metadata: dict[str, meta_ev.MetadataEval] = field(default_factory=dict)
    classification: Classification | None = None
    phrasings: dict[str, ind_ev.PhrasingEval] = field(default_factory=dict)


def seed_cases(gold_dir: Path) -> list[dict[str, Any]]:
    """The full gold reports as metadata cases: their text, metadata and top-level outline."""
    from govreports import yamlfile

    out = []
    for path in sorted(Path(gold_dir).glob("*.yaml")):
        gold = yamlfile.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(gold, dict) or "seed" not in gold:
            continue
        md = gold.get("metadata") or {}
        text = ind_ev.find_seed(Path(gold_dir), str(gold["seed"])).read_text(encoding="utf-8")
        out.append({
            "id": path.stem, "format": "text", "input": text,
            "expect": {k: md[k] for k in METADATA_FIELDS if k in md},
            "sections": [{"heading": s["heading"], "role": s.get("role")}
                         for s in gold.get("sections") or []],
        })
    return out


def classification(folder: Path) -> Classification:
    from govreports import yamlfile
    from govreports.classify import decide

    out = Classification()
    for path in sorted(folder.glob("*.yaml")):
        for c in (yamlfile.safe_load(path.read_text(encoding="utf-8")) or {}).get("cases") or []:
            d = decide(c["title"], c.get("body"))
            if d.kind == c["expect"]:
                out.right += 1
            else:
                out.wrong.append(f"{c['id']}: {d.kind} != {c['expect']} ({d.reason})")
    return out


def run(gold_dir: Path) -> Evaluation:
    gold_dir = Path(gold_dir)
    reports, total = ind_ev.evaluate_dir(gold_dir)
    ev = Evaluation(reports, total)
    ev.metadata["reports"] = meta_ev.evaluate_cases(seed_cases(gold_dir))
    for name in ("metadata", "metadata_validation"):
        if (gold_dir / name).is_dir():
            ev.metadata[name] = meta_ev.evaluate_cases(meta_ev.load_cases(gold_dir / name))
    if (gold_dir / "classify").is_dir():
        ev.classification = classification(gold_dir / "classify")
    ev.phrasings["reports"] = ind_ev.evaluate_phrasings(ind_ev.report_cases(gold_dir),
                                                        ind_ev.extract_with_outline)
    for name in PHRASING_SETS:
        if (gold_dir / name).is_dir():
            ev.phrasings[name] = ind_ev.evaluate_phrasings(ind_ev.load_phrasings(gold_dir / name))
    return ev


def scores(ev: Evaluation) -> dict[str, Any]:
    """The figures a baseline keeps."""
    out = ind_ev.scores(ev.reports, ev.total)
    for name, m in ev.metadata.items():
        out[f"metadata:{name}"] = {
            "fields": {k: round(v.accuracy, 4) for k, v in m.fields.items() if v.n},
            "invented": m.invented, "section_f1": round(m.section_f1, 4),
        }
    if ev.classification is not None:
        out["classification"] = {"accuracy": round(ev.classification.accuracy, 4)}
    for name, p in ev.phrasings.items():
        out[f"phrasings:{name}"] = p.summary()
    return out


def regressions(current: dict[str, Any], baseline: dict[str, Any], tol: float = 1e-4) -> list[str]:
    def reports(d: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in d.items() if ":" not in k and k != "classification"}

    out = ind_ev.regressions(reports(current), reports(baseline), tol)
    if set(reports(current)) != set(reports(baseline)):
        return out  # another gold folder: its sets are not the baseline's
    for name, b in baseline.items():
        if not name.startswith("metadata:") or name not in current:
            continue
        cur = current[name]
        for f, want in (b.get("fields") or {}).items():
            got = (cur.get("fields") or {}).get(f)
            if got is not None and got + tol < want:
                out.append(f"{name} {f}: accuracy {got} < baseline {want}")
        if cur.get("invented", 0) > b.get("invented", 0):
            out.append(f"{name}: {cur['invented']} invented values > baseline {b['invented']}")
        if cur.get("section_f1", 1) + tol < b.get("section_f1", 0):
            out.append(f"{name}: section F1 {cur['section_f1']} < baseline {b['section_f1']}")
    for key, metric in (("classification", "accuracy"),):
        if key in baseline and key in current:
            got, want = current[key][metric], baseline[key][metric]
            if got + tol < want:
                out.append(f"{key}: {metric} {got} < baseline {want}")
    for name, b in baseline.items():
        if name.startswith("phrasings:") and name in current:
            out += [f"{name}: {line}" for line in
                    ind_ev.phrasing_regressions(current[name], b, tol)]
    return out


def render_table(ev: Evaluation) -> str:
    parts = [ind_ev.render_table(ev.reports, ev.total)]
    for name, m in ev.metadata.items():
        parts.append(f"\nmetadata ({name}: {len(m.cases)} cases)\n" + meta_ev.render_table(m))
    if ev.classification is not None:
        c = ev.classification
        parts.append(f"\nclassification: {c.right}/{c.n} right (accuracy {c.accuracy:.3f})")
        parts += [f"  {w}" for w in c.wrong]
    for name, p in ev.phrasings.items():
        parts.append(f"\nper indicator ({name}) " + ind_ev.render_phrasings(p))
    return "\n".join(parts)


def render_json(ev: Evaluation) -> str:
    data: dict[str, Any] = json.loads(ind_ev.render_json(ev.reports, ev.total))
    for name, m in ev.metadata.items():
        data[f"metadata:{name}"] = meta_ev.as_dict(m)
    if ev.classification is not None:
        data["classification"] = {"accuracy": round(ev.classification.accuracy, 4),
                                  "right": ev.classification.right,
                                  "wrong": ev.classification.wrong}
    for name, p in ev.phrasings.items():
        data[f"phrasings:{name}"] = p.as_dict()
    return json.dumps(data, ensure_ascii=False, indent=2)
