"""A real warehouse for the report tests, loaded through ``Warehouse.load_batch``.

The three seed reports (万源市 2022, 隆昌市 2021, 船营区 2023) go in with their gold mentions,
so every value, unit, 余 flag and evidence sentence on the page is one a person checked by
hand. Around them the scenario adds what a crawl produces: sources that published nothing,
a fetch that failed, an attachment that could not be read, a mention the schema refuses.
"""

from __future__ import annotations

# ruff: noqa: E501  (report lines are kept whole)
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from govreports import yamlfile
from govreports.models import Batch, FetchResult, Mention, Region, Report, Source
from govreports.settings import Settings

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "govreports" / "data" / "seeds"
GOLD = REPO / "tests" / "gold"
HOSTILE = "<script>alert(1)</script>"
_SENTENCE_END = re.compile(r"[。；！？\n]")


@dataclass(frozen=True)
class Seed:
    stem: str
    source_id: str
    url: str
    # Scenario dates: the seed texts carry no page date except 隆昌's (2022-02-17, gold).
    publish_date: date | None


SEEDS_IN_SCENARIO = [
    Seed(
        "000_0e31c3dbbb217a42",
        "wanyuan",
        "http://www.wanyuan.gov.cn/zwgk/fzzfjs/202305/t20230510_1829.html",
        date(2023, 5, 10),  # 40 days after the 31 March deadline
    ),
    Seed(
        "001_d68dadcd5706f4a5",
        "longchang",
        "http://www.longchang.gov.cn/art/2022/2/17/art_6157_1.html",
        date(2022, 2, 17),
    ),
    Seed(
        "003_fc5a606910346e4f",
        "chuanying",
        "http://www.chuanying.gov.cn/xxgk/zfxxgk/fdzdgknr/fzzfjs/2024/detail_1.html",
        None,  # published, but the page states no date
    ),
]


def _source(
    sid: str, issuer: str, code: str, level: str, province: str, host: str
) -> Source:
    home = f"http://{host}/"
    return Source(
        id=sid, name=issuer, issuer=issuer, homepage=home, lists=(home + "fzzfjs/",),
        admin_code=code, level=level, province=province,
    )  # fmt: skip


def scenario_sources(hostile: bool = False) -> list[Source]:
    return [
        _source("wanyuan", "万源市人民政府", "511781", "county_gov", "四川省",
                "www.wanyuan.gov.cn"),
        _source("longchang", "隆昌市人民政府", "511083", "county_gov", "四川省",
                "www.longchang.gov.cn"),
        _source("chuanying", "船营区人民政府", "220204", "district_gov", "吉林省",
                "www.chuanying.gov.cn"),
        _source("dazhou", "达州市人民政府", "511700", "prefecture_gov", "四川省",
                "www.dazhou.gov.cn"),
        _source("sc-sft", ("四川省司法厅" + HOSTILE) if hostile else "四川省司法厅", "510000",
                "department", "四川省", "sft.sc.gov.cn"),
    ]  # fmt: skip


def sentence_at(text: str, offset: int) -> str:
    """The sentence around ``offset``, as the extractor reports it for a mention."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, offset)), default=0)
    end_match = _SENTENCE_END.search(text, offset)
    end = end_match.end() if end_match else len(text)
    return text[start:end].strip()


def seed_report(seed: Seed, *, title_prefix: str = "") -> tuple[FetchResult, Report]:
    raw = (SEEDS / f"{seed.stem}.txt").read_bytes()
    text = raw.decode("utf-8")
    gold = yamlfile.safe_load((GOLD / f"{seed.stem}.yaml").read_text(encoding="utf-8"))
    md = gold["metadata"]
    mentions = [
        Mention(
            id=m["id"], text=m["text"], offset=m["offset"], value=float(m["value"]),
            unit=m["unit"], kind=m["kind"], line=m.get("line"), context=m.get("context") or "",
            sentence=sentence_at(text, m["offset"]), raw_unit=m.get("raw_unit"),
            approx=m.get("approx"), indicator=m.get("indicator"),
            not_a_level=bool(m.get("not_a_level")), scope=m.get("scope"),
            part_of=m.get("part_of"), rate_name=m.get("rate_name"), subtype=m.get("subtype"),
        )  # fmt: skip
        for m in gold["mentions"]
    ]
    from govreports.indicators import check_consistency

    report = Report(
        url=seed.url, title=title_prefix + (md["title"] or md["display_title"]), issuer=md["issuer"],
        region=Region(**md["region"]), admin_code=md["admin_code"],
        report_year=md["report_year"], publish_date=seed.publish_date, script=md["script"],
        text=text, mentions=mentions, extractor_version="gold",
        checks=check_consistency(mentions),
    )  # fmt: skip
    fetched = datetime(2025, 1, 6, 2, 30, tzinfo=UTC)
    page = FetchResult(
        url=seed.url, source_id=seed.source_id, status=200, outcome="ok", content=raw,
        content_type="text/html; charset=utf-8", final_url=seed.url, fetched_at=fetched,
    )  # fmt: skip
    return page, report


def _bad_rate() -> Mention:
    """A rate that lost its decimal point (98.0% read as 980%): the schema quarantines it."""
    return Mention(
        id="q001", text="980%", offset=0, value=980.0, unit="%", kind="rate",
        sentence="人民调解成功率达980%", indicator="mediation_success_rate",
    )  # fmt: skip


@dataclass
class Scenario:
    settings: Settings
    hostile: bool
    run_id: str = "20250106T023000-nightly-test0001"
    notes: list[str] = field(default_factory=list)


def build_warehouse(root: Path, *, hostile: bool = False, empty: bool = False) -> Scenario:
    from warehouse import Warehouse

    settings = Settings(warehouse=root / "wh.duckdb", data_dir=root / "data")
    scenario = Scenario(settings, hostile)
    with Warehouse(settings) as wh:
        if empty:
            wh.migrate()
            return scenario
        run_id = wh.start_run("nightly", {"scenario": "report tests"})
        scenario.run_id = run_id
        wh.upsert_sources(scenario_sources(hostile), run_id)
        for i, seed in enumerate(SEEDS_IN_SCENARIO):
            page, report = seed_report(seed, title_prefix=HOSTILE if hostile and i == 0 else "")
            batch = Batch(run_id=run_id, source_id=seed.source_id, fetches=[page])
            batch.reports.append((page, report))
            if seed.source_id == "wanyuan":
                report.mentions.append(_bad_rate())
            if seed.source_id == "longchang":
                att = "http://www.longchang.gov.cn/attach/2022/隆昌市2021年法治政府建设报告.doc"
                batch.errors.append((att, "attachment unsupported: legacy Word .doc (OLE2)"))
                batch.skipped.append(
                    ("http://www.longchang.gov.cn/art/2022/1/5/art_6157_9.html",
                     "lookalike: 政府信息公开工作年度报告")
                )  # fmt: skip
            wh.load_batch(batch, today=date(2025, 1, 6))
        failed = Batch(run_id=run_id, source_id="dazhou")
        err = "HTTP 404 for <img src=x onerror=alert(2)>" if hostile else "HTTP 404"
        failed.fetches = [
            FetchResult(
                url=f"http://www.dazhou.gov.cn/fzzfjs/index_{n}.html", source_id="dazhou",
                status=404, outcome="http_error", attempt=1, error=err,
            )  # fmt: skip
            for n in (1, 2)
        ] + [
            FetchResult(
                url="http://www.dazhou.gov.cn/fzzfjs/index.html", source_id="dazhou",
                status=None, outcome="timeout", attempt=a, error="read timeout after 20.0s",
            )  # fmt: skip
            for a in (1, 2, 3)
        ]
        wh.load_batch(failed, today=date(2025, 1, 6))
        wh.finish_run(run_id, {"scenario": "report tests"})
    return scenario


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return build_warehouse(tmp_path_factory.mktemp("wh"))


@pytest.fixture(scope="session")
def hostile_scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    return build_warehouse(tmp_path_factory.mktemp("wh-hostile"), hostile=True)


@pytest.fixture()
def make_warehouse(tmp_path: Path, scenario: Scenario) -> Iterator[Callable[..., Scenario]]:
    """A private warehouse a test may write to: empty, or a copy of the session scenario
    (copying the files is much faster than loading the batches again)."""

    def make(empty: bool = False) -> Scenario:
        if empty:
            return build_warehouse(tmp_path, empty=True)
        src = scenario.settings.warehouse.parent
        shutil.copytree(src, tmp_path / "copy")
        root = tmp_path / "copy"
        copied = Settings(warehouse=root / "wh.duckdb", data_dir=root / "data")
        return Scenario(copied, hostile=False, run_id=scenario.run_id)

    yield make


@pytest.fixture(scope="session")
def seed_reports() -> list[Report]:
    """The scenario's three reports as loaded (their checks are the indicator module's)."""
    return [seed_report(seed)[1] for seed in SEEDS_IN_SCENARIO]


@pytest.fixture()
def seed_report_for() -> Callable[[str], tuple[FetchResult, Report]]:
    by_source = {seed.source_id: seed for seed in SEEDS_IN_SCENARIO}
    return lambda source_id: seed_report(by_source[source_id])


@pytest.fixture()
def bad_rate_mention() -> Callable[[], Mention]:
    return _bad_rate
