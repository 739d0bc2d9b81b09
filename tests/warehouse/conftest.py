"""Realistic batches for the warehouse tests, built from the bundled seed reports and their
hand-checked gold annotations (not from the extractor, which is developed in parallel)."""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from govreports import yamlfile
from govreports.models import Batch, FetchResult, Mention, Region, Report, Section, Source
from govreports.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "govreports" / "data" / "seeds"
GOLD = REPO / "tests" / "gold"
SEED_IDS = ["000_0e31c3dbbb217a42", "001_d68dadcd5706f4a5", "003_fc5a606910346e4f"]
SOURCE_IDS = {"000": "sc-wanyuan", "001": "sc-longchang", "003": "jl-chuanying"}
HOSTS = {"000": "www.wanyuan.gov.cn", "001": "www.longchang.gov.cn", "003": "www.jlcy.gov.cn"}
MENTION_FIELDS = {f for f in Mention.__dataclass_fields__}


def _date(v: Any) -> date | None:
    return date.fromisoformat(v) if isinstance(v, str) else v


def _sections(items: list[dict[str, Any]]) -> list[Section]:
    return [
        Section(
            heading=s["heading"],
            line=s["line"],
            role=s.get("role"),
            run_in=bool(s.get("run_in", False)),
            level=2 if "role" not in s else 1,
            subsections=_sections(s.get("subsections") or []),
        )
        for s in items
    ]


def seed_report(seed: str, version: str = "0.1.0") -> tuple[FetchResult, Report]:
    text = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    gold = yamlfile.safe_load((GOLD / f"{seed}.yaml").read_text(encoding="utf-8"))
    md = gold["metadata"]
    mentions = []
    for m in gold["mentions"]:
        fields = {k: v for k, v in m.items() if k in MENTION_FIELDS}
        fields["value"] = float(fields["value"])
        fields["sentence"] = m.get("context", "")
        mentions.append(Mention(**fields))
    report = Report(
        url=f"http://{HOSTS[seed[:3]]}/zwgk/fzzfjs/{seed}.html",
        title=md["title"],
        issuer=md["issuer"],
        region=Region(**md["region"]),
        admin_code=md["admin_code"],
        report_year=md["report_year"],
        sign_date=_date(md.get("sign_date")),
        publish_date=_date(md.get("publish_date")),
        source_agency=md.get("source_agency"),
        script=md["script"],
        text=text,
        sections=_sections(gold["sections"]),
        mentions=mentions,
        extractor_version=version,
    )
    body = text.encode("utf-8")
    page = FetchResult(
        url=report.url or "",
        source_id=SOURCE_IDS[seed[:3]],
        status=200,
        outcome="ok",
        content=body,
        content_type="text/html; charset=utf-8",
        etag=f'"{hashlib.md5(body).hexdigest()[:12]}"',
        last_modified="Thu, 16 Feb 2023 08:00:00 GMT",
        fetched_at=datetime(2024, 5, 1, 12, 0, tzinfo=UTC),
        elapsed_ms=120.0,
    )
    return page, report


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(warehouse=tmp_path / "wh.duckdb", data_dir=tmp_path / "data")


@pytest.fixture(params=["sqlite", "postgres"])
def lake_settings(tmp_path: Path, request: pytest.FixtureRequest) -> Settings:
    """The DuckLake target on both catalogs: a SQLite file (one machine) and a PostgreSQL
    database on the suite's own server (several processes and hosts)."""
    if request.param == "postgres":
        catalog = request.getfixturevalue("pg_catalog")
    else:
        catalog = f"sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}"
    return Settings(
        warehouse=tmp_path / "unused.duckdb",
        data_dir=tmp_path / "data",
        warehouse_target="ducklake",
        ducklake_catalog=catalog,
        ducklake_data_path=str(tmp_path / "lake" / "files") + "/",
    )


@pytest.fixture
def seeds() -> Callable[..., list[tuple[FetchResult, Report]]]:
    def make(version: str = "0.1.0") -> list[tuple[FetchResult, Report]]:
        return [seed_report(s, version) for s in SEED_IDS]

    return make


def batch_of(
    pairs: list[tuple[FetchResult, Report]],
    run_id: str = "run-1",
    skipped: list[tuple[str, str]] | None = None,
    errors: list[tuple[str, str]] | None = None,
) -> Batch:
    pairs = copy.deepcopy(pairs)
    return Batch(
        run_id=run_id,
        source_id=None,
        fetches=[p for p, _ in pairs],
        reports=pairs,
        skipped=list(skipped or []),
        errors=list(errors or []),
    )


def edited(pairs: list[tuple[FetchResult, Report]], suffix: str = "", host: str | None = None,
           source: str | None = None) -> list[tuple[FetchResult, Report]]:
    """Copies of (page, report) pairs with ``suffix`` added to the text, the host's ``www.``
    replaced by ``host`` (another site's copy) and the page credited to ``source``."""
    pairs = copy.deepcopy(pairs)
    for page, rep in pairs:
        rep.text += suffix
        page.content = rep.text.encode("utf-8")
        page.sha256 = None
        if host:
            page.url = rep.url = page.url.replace("www.", host)
        if source:
            page.source_id = source
    return pairs


@pytest.fixture
def edit() -> Callable[..., list[tuple[FetchResult, Report]]]:
    return edited


@pytest.fixture
def make_batch() -> Callable[..., Batch]:
    return batch_of


@pytest.fixture
def registry() -> list[Source]:
    return [
        Source(
            id=sid,
            name=f"{sid} 法治政府建设年度报告栏目",
            issuer=issuer,
            homepage=f"http://{HOSTS[k]}/",
            lists=(f"http://{HOSTS[k]}/zwgk/fzzfjs/index.html",),
            cms="trs_static",
            admin_code=code,
            level="county_gov",
            province=prov,
        )
        for k, sid, issuer, code, prov in [
            ("000", "sc-wanyuan", "万源市人民政府", "511781", "四川省"),
            ("001", "sc-longchang", "隆昌市人民政府", "511083", "四川省"),
            ("003", "jl-chuanying", "船营区人民政府", "220204", "吉林省"),
        ]
    ]
