"""Loads: idempotence, quarantine with reconciling counts, revisions, copies, re-parse."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from govreports.models import Batch, FetchResult, Mention, Report, Source
from govreports.settings import Settings
from warehouse import Warehouse

TABLES = [
    "runs", "sources", "fetch_log", "documents", "reports", "report_documents", "sections",
    "mentions", "indicators", "quarantine", "skips", "schema_migrations",
]  # fmt: skip

Pairs = list[tuple[FetchResult, Report]]


def dump(wh: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    return {t: wh.query(f"SELECT * FROM {t} ORDER BY ALL")[1] for t in TABLES}


def scalar(wh: Warehouse, sql: str, params: list[Any] | None = None) -> Any:
    return wh.query(sql, params)[1][0][0]


def test_seed_batch_loads_and_reconciles(settings: Settings, seeds: Callable[..., Pairs],
                                         make_batch: Callable[..., Batch]) -> None:  # fmt: skip
    pairs = seeds()
    with Warehouse(settings) as wh:
        s = wh.load_batch(
            make_batch(pairs, skipped=[("http://www.wanyuan.gov.cn/a.html", "lookalike")])
        )
        n_sections = scalar(wh, "SELECT count(*) FROM sections")
        n_mentions = scalar(wh, "SELECT count(*) FROM mentions")
        assert s.new_reports == 3 and s.quarantined == 0 and s.reconciles
        assert n_mentions == sum(len(r.mentions) for _, r in pairs) == 253
        assert s.loaded == 3 + n_sections + n_mentions
        assert s.skipped == 1 and s.extracted == s.loaded + 1
        keys = wh.query("SELECT report_key FROM reports_current ORDER BY 1")[1]
        assert keys == [("220204:2023",), ("511083:2021",), ("511781:2022",)]
        # the raw bytes are stored and re-readable for a re-parse, with no network
        stored = list(wh.stored_documents(["sc-longchang"]))
        assert len(stored) == 1 and stored[0][1] == pairs[1][0].content
        assert wh.is_known(pairs[0][0].url) and not wh.is_known("http://www.wanyuan.gov.cn/new")
        assert wh.is_known("http://www.wanyuan.gov.cn/a.html")  # a classified look-alike
        assert wh.validators(pairs[1][0].url) == (pairs[1][0].etag, pairs[1][0].last_modified)
        # fetched 2024-05-01 12:00 UTC; `since` is compared in UTC whatever its zone
        cst = timezone(timedelta(hours=8))
        assert len(list(wh.stored_documents(since=datetime(2024, 5, 1, 19, 59, tzinfo=cst)))) == 3
        assert list(wh.stored_documents(since=datetime(2024, 5, 1, 20, 1, tzinfo=cst))) == []


def test_error_pages_are_logged_not_stored(
    settings: Settings, make_batch: Callable[..., Batch]
) -> None:
    gone = FetchResult(url="http://www.wanyuan.gov.cn/gone.html", source_id="sc-wanyuan",
                       status=404, outcome="http_error", content=b"<html>404 Not Found</html>",
                       error="HTTP 404")  # fmt: skip
    with Warehouse(settings) as wh:
        s = wh.load_batch(Batch(run_id="r404", source_id="sc-wanyuan", fetches=[gone],
                                errors=[(gone.url, "HTTP 404")]))  # fmt: skip
        assert (s.fetches, s.documents, s.skipped, s.reconciles) == (1, 0, 1, True)
        assert wh.query("SELECT outcome, status, size FROM fetch_log")[1] == [
            ("http_error", 404, 26)
        ]
        assert not wh.is_known(gone.url)  # failures are retried


def _hostile(pairs: Pairs) -> Pairs:
    pairs = copy.deepcopy(pairs)
    page, rep = pairs[0]
    rep.title = "'); DROP TABLE reports; --"
    rep.issuer = "O'Brien\"; DELETE FROM mentions; --"
    rep.admin_code = None  # the key then comes from the hostile issuer
    rep.mentions[0].sentence = "\\'; DROP TABLE mentions; -- 次"
    return pairs


def test_hostile_strings_are_stored_verbatim(settings: Settings, seeds: Callable[..., Pairs],
                                             make_batch: Callable[..., Batch]) -> None:  # fmt: skip
    pairs = _hostile(seeds())
    with Warehouse(settings) as wh:
        s = wh.load_batch(make_batch(pairs))
        assert s.reconciles and s.new_reports == 3
        key = f"{pairs[0][1].issuer}:2022"
        got = wh.query("SELECT title, issuer FROM reports WHERE report_key = ?", [key])[1]
        assert got == [("'); DROP TABLE reports; --", pairs[0][1].issuer)]
        assert scalar(wh, "SELECT count(*) FROM mentions WHERE sentence = ?",
                      ["\\'; DROP TABLE mentions; -- 次"]) == 1  # fmt: skip
        assert scalar(wh, "SELECT count(*) FROM mentions") == 253


def _bad_batch(pairs: Pairs) -> Batch:
    pairs = copy.deepcopy(pairs)
    wanyuan, longchang, chuanying = (r for _, r in pairs)
    rate = next(m for m in longchang.mentions if m.kind == "rate" and not m.not_a_level)
    rate.value = 198.33  # a rate above 100
    wanyuan.mentions[0].indicator = "made_up_indicator"
    part = next(m for m in wanyuan.mentions if m.scope == "part" and m.part_of)
    part.value = 10_000  # a part larger than its total
    study = next(m for m in longchang.mentions if m.indicator == "pre_meeting_law_study_sessions")
    study.value = 2800  # 2800 pre-meeting study sessions in one county-year: implausible
    chuanying.publish_date = date(2023, 6, 30)  # before the 2023 report year ended
    keyless_page = copy.deepcopy(pairs[0][0])
    keyless_page.url = "http://www.wanyuan.gov.cn/zwgk/undated.html"
    keyless = dataclasses.replace(copy.deepcopy(wanyuan), report_year=None)
    bad_fetch = FetchResult(url="ftp://example/x", source_id="sc-wanyuan", status=None,
                            outcome="exploded")  # fmt: skip
    return Batch(
        run_id="run-bad",
        source_id=None,
        fetches=[p for p, _ in pairs] + [bad_fetch],
        reports=pairs + [(keyless_page, keyless)],
        skipped=[("http://www.wanyuan.gov.cn/notice.html", "lookalike: 征求意见稿")],
        errors=[("http://www.wanyuan.gov.cn/broken.html", "ExtractionError: no body text")],
    )


def test_bad_rows_are_quarantined_good_rows_load(settings: Settings,
                                                 seeds: Callable[..., Pairs]) -> None:  # fmt: skip
    pairs = seeds()
    batch = _bad_batch(pairs)
    with Warehouse(settings) as wh:
        s = wh.load_batch(batch)
        assert s.reconciles, s.line()
        reasons = {k.split(": ", 1)[1] for k in s.quarantine_by_reason}
        assert {
            "value is a rate outside 0-100",
            "indicator id not in the catalog",
            "value of a part exceeds its total (part_of)",
            "publish_date before the report year ends",
            "value outside the catalog's plausible range",
            "report_key: needs report_year and admin_code or issuer",
        } <= reasons
        # 船营区's report row failed, so its 81 mentions and sections are skipped, not orphaned
        assert scalar(wh, "SELECT count(*) FROM reports") == 2
        assert scalar(wh, "SELECT count(*) FROM mentions WHERE report_key = '220204:2023'") == 0
        n_good = sum(len(r.mentions) for _, r in pairs[:2]) - 4
        assert scalar(wh, "SELECT count(*) FROM mentions") == n_good
        assert s.quarantined == 6  # 4 mentions, 1 report row, 1 keyless report
        assert s.skipped_by_reason["report quarantined"] > 81
        q = wh.query(
            "SELECT table_name, check_name, failing_value, row_json FROM quarantine "
            "WHERE run_id = 'run-bad' AND check_name = 'value is a rate outside 0-100'"
        )[1]
        assert q[0][0] == "mentions" and q[0][2] == "198.33" and '"value": 198.33' in q[0][3]
        # the fetch log rejects the nonsense fetch and keeps the real ones
        assert scalar(wh, "SELECT count(*) FROM fetch_log") == 3
        assert scalar(wh, "SELECT count(*) FROM quarantine WHERE table_name = 'fetch_log'") >= 2
        assert scalar(wh, "SELECT count(*) FROM skips WHERE run_id = 'run-bad'") == 2
        # quarantined rows are in the quarantine table, one per failing check
        content_q = scalar(
            wh,
            "SELECT count(DISTINCT table_name || row_key) FROM quarantine "
            "WHERE table_name IN ('reports', 'sections', 'mentions')",
        )
        assert content_q == s.quarantined


def test_revisions_and_copies(settings: Settings, seeds: Callable[..., Pairs],
                              make_batch: Callable[..., Batch], registry: list[Source],
                              edit: Callable[..., Pairs]) -> None:  # fmt: skip
    one = seeds()[:1]
    with Warehouse(settings) as wh:
        wh.upsert_sources([*registry, PLATFORM])
        assert wh.load_batch(make_batch(one, run_id="r1")).new_reports == 1
        # same words, re-flowed and re-punctuated: the fingerprint ignores that
        reflow = edit(one)
        reflow[0][1].text = reflow[0][1].text.replace("。", ". ").replace(",", "，")
        s = wh.load_batch(make_batch(reflow, run_id="r2"))
        assert (s.new_reports, s.new_revisions) == (0, 0)
        # the primary URL's text changed: one new revision
        changed = edit(one, "\n附:2023年1月补充说明本报告数据。")
        s = wh.load_batch(make_batch(changed, run_id="r3"))
        assert s.new_revisions == 1
        assert scalar(wh, "SELECT max(revision) FROM reports") == 2
        assert scalar(wh, "SELECT count(*) FROM reports_current") == 1
        assert scalar(wh, "SELECT revision FROM reports_current") == 2
        before = dump(wh)
        s = wh.load_batch(make_batch(changed, run_id="r3"))  # same content again: nothing
        assert (s.new_revisions, dump(wh)) == (0, before)
        # a provincial-platform copy with different text: a document of the report, no revision
        copy_pairs = edit(one, "\n(转载自省级平台)", host="sthj.")
        copy_pairs[0][0].source_id = PLATFORM.id
        s = wh.load_batch(make_batch(copy_pairs, run_id="r4"))
        assert (s.new_reports, s.new_revisions) == (0, 0) and s.reconciles
        roles = wh.query("SELECT role, count(*) FROM report_documents GROUP BY 1 ORDER BY 1")[1]
        assert roles == [("copy", 1), ("primary", 2)]
        assert scalar(wh, "SELECT max(revision) FROM reports") == 2


PLATFORM = Source(id="sc-platform", name="四川省政府信息公开平台", issuer="四川省人民政府",
                  homepage="http://sthj.wanyuan.gov.cn/", lists=("http://sthj.wanyuan.gov.cn/",),
                  cms="generic", admin_code="510000", level="province_gov", province="四川省")


def test_the_issuers_own_site_is_primary_whatever_order_the_copies_arrive_in(
    tmp_path: Path, seeds: Callable[..., Pairs], make_batch: Callable[..., Batch],
    registry: list[Source], edit: Callable[..., Pairs],
) -> None:
    """A night of faults may load a provincial platform's copy first; when the issuer's own
    page arrives it becomes the report's primary document (its revision's rows re-read from
    it) and the tables end as those of a night that loaded the own page first."""
    own = seeds()[:1]
    platform = edit(own, "\n(转载自省级平台)", host="sthj.")
    platform[0][0].source_id = PLATFORM.id
    dumps = []
    for name, order in (("own-first", (own, platform)), ("copy-first", (platform, own))):
        settings = Settings(warehouse=tmp_path / name / "wh.duckdb", data_dir=tmp_path / name)
        with Warehouse(settings) as wh:
            wh.upsert_sources([*registry, PLATFORM])
            first = wh.load_batch(make_batch(order[0], run_id="n1"))
            second = wh.load_batch(make_batch(order[1], run_id="n2"))
            assert first.new_reports == 1 and second.new_reports == 0
            assert second.rehomed == (name == "copy-first")
            roles = wh.query("SELECT role, source_id FROM report_documents ORDER BY role")[1]
            assert roles == [("copy", PLATFORM.id), ("primary", "sc-wanyuan")]
            primary = wh.query("SELECT primary_url, revision, text FROM reports")[1]
            assert len(primary) == 1 and "www.wanyuan" in primary[0][0]
            assert "转载自省级平台" not in primary[0][2]
            dumps.append(_content(wh))
    assert dumps[0] == dumps[1]


def _content(wh: Warehouse) -> dict[str, list[tuple[Any, ...]]]:
    """A report's rows without lineage (which run wrote them, when)."""
    out = {}
    for table in ("reports", "sections", "mentions", "report_documents"):
        cols = [c for c in wh.query(f"SELECT * FROM {table} LIMIT 0")[0]
                if c not in ("run_id", "loaded_at")]
        out[table] = wh.query(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL")[1]
    return out


def test_reparse_with_newer_extractor_replaces_rows(settings: Settings,
        seeds: Callable[..., Pairs], make_batch: Callable[..., Batch]) -> None:  # fmt: skip
    old = seeds("0.1.0")
    with Warehouse(settings) as wh:
        wh.load_batch(make_batch(old, run_id="crawl"))
        new = seeds("0.2.0")
        for _, rep in new:  # the new extractor finds fewer mentions and fixes one value
            rep.mentions = rep.mentions[: len(rep.mentions) // 2]
            rep.mentions[0] = dataclasses.replace(rep.mentions[0], value=rep.mentions[0].value + 1)
        s = wh.load_batch(make_batch(new, run_id="reparse"))
        assert (s.new_reports, s.new_revisions) == (0, 0) and s.reconciles
        got = wh.query("SELECT extractor_version, count(*) FROM mentions GROUP BY 1")[1]
        assert got == [("0.2.0", sum(len(r.mentions) for _, r in new))]
        assert scalar(wh, "SELECT count(*) FROM reports") == 3
        assert scalar(wh, "SELECT count(DISTINCT extractor_version) FROM sections") == 1
        # an older extractor never overwrites a newer one's rows
        s = wh.load_batch(make_batch(old, run_id="late"))
        assert s.skipped_by_reason.get("older extractor than the stored rows", 0) > 0
        assert scalar(wh, "SELECT min(extractor_version) FROM mentions") == "0.2.0"


# -------------------------------------------------------------------------- property test
def _mutate(pairs: Pairs, data: st.DataObject) -> Batch:
    pairs = copy.deepcopy(pairs)
    keep = data.draw(st.lists(st.sampled_from(range(len(pairs))), min_size=0, max_size=4))
    chosen = [copy.deepcopy(pairs[i]) for i in keep]
    for page, rep in chosen:
        rep.title = data.draw(st.text(max_size=30))
        rep.extractor_version = data.draw(st.sampled_from(["0.1.0", "0.1.1", "0.2.0"]))
        if rep.mentions:
            n = data.draw(st.integers(0, len(rep.mentions) - 1))
            m: Mention = rep.mentions[n]
            rep.mentions[n] = dataclasses.replace(
                m,
                value=data.draw(st.floats(-10, 1e7, allow_nan=False)),
                kind=data.draw(st.sampled_from(["count", "rate", "bogus"])),
            )
        if data.draw(st.booleans()):
            rep.text += data.draw(st.text(min_size=1, max_size=20))
            page.content = rep.text.encode("utf-8")
            page.sha256 = None
        rep.publish_date = data.draw(st.none() | st.dates(date(2020, 1, 1), date(2025, 12, 31)))
    skipped = data.draw(
        st.lists(
            st.tuples(st.just("http://www.jlcy.gov.cn/x.html"), st.text(max_size=10)), max_size=2
        )  # fmt: skip
    )
    return Batch(
        run_id=data.draw(st.sampled_from(["run-a", "run-b"])),
        source_id=None,
        fetches=[p for p, _ in chosen],
        reports=chosen,
        skipped=skipped,
    )


@hsettings(
    max_examples=8,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking reloads for minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_any_batch_loaded_twice_changes_nothing(
    data: st.DataObject, settings: Settings, seeds: Callable[..., Pairs]
) -> None:
    # One warehouse across examples (the fixtures are stateless factories and a path): each
    # example starts from whatever earlier examples left, which is the property's "any state".
    pairs = seeds()
    with Warehouse(settings) as wh:
        batch = _mutate(pairs, data)
        first = wh.load_batch(copy.deepcopy(batch))
        before = dump(wh)
        second = wh.load_batch(copy.deepcopy(batch))
        assert dump(wh) == before
        assert first.reconciles and second.reconciles
        assert (second.new_reports, second.new_revisions) == (0, 0)
        assert second.quarantined == first.quarantined
        # the counters say nothing changed: no row written, each report seen unchanged
        assert second.written == 0
        assert second.unchanged_reports + second.copies + second.failed_reports == (
            first.new_reports + first.new_revisions + first.unchanged_reports
            + first.copies + first.failed_reports)


def test_replayed_old_batch_is_not_a_revision_but_a_revert_is(
    settings: Settings, seeds: Callable[..., Pairs], make_batch: Callable[..., Batch],
    edit: Callable[..., Pairs],
) -> None:
    v1 = seeds()[:1]
    v2 = edit(v1, "\n附:数据更正说明。")
    v2[0][0].fetched_at = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
    with Warehouse(settings) as wh:
        wh.load_batch(make_batch(v1, run_id="may"))
        assert wh.load_batch(make_batch(v2, run_id="june")).new_revisions == 1
        # the May batch again (a retried old task): older than revision 2, not a change
        s = wh.load_batch(make_batch(v1, run_id="may"))
        assert s.new_revisions == 0 and s.reconciles
        assert s.skipped_by_reason["fetched before the current revision"] > 1
        # the page really went back to the May text in July: that is a revision
        v3 = copy.deepcopy(v1)
        v3[0][0].fetched_at = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)
        assert wh.load_batch(make_batch(v3, run_id="july")).new_revisions == 1
        assert scalar(wh, "SELECT revision FROM reports_current") == 3
