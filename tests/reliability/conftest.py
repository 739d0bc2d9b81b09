"""One test web for the reliability tests, and the reference tables of a fault-free run."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from govreports.testweb import TestWeb

from .harness import fast_settings, run_pipeline, table_checksums

# Three sites, three CMS families, the three distinct reports: TRS static pages (robots.txt,
# createPageHTML paging), the Hanweb XML datastore + dataproxy, and the GB18030 legacy site.
# The Hanweb column also carries 隆昌's 政府信息公开工作年度报告 (the second family): four.
SOURCES = ["sc-wanyuan-trs", "sc-longchang-hanweb", "jl-chuanying-legacy"]


@pytest.fixture(scope="package")
def web() -> Iterator[TestWeb]:
    with TestWeb(base_port=0) as w:
        yield w


@pytest.fixture(scope="package")
def registry(web: TestWeb, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return web.write_registry(tmp_path_factory.mktemp("registry") / "sources.yaml")


@pytest.fixture(scope="package")
def reference(
    web: TestWeb, registry: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[int, str]]:
    """Table checksums after one uninterrupted, fault-free run of ``SOURCES``."""
    web.set_faults(None)
    settings = fast_settings(tmp_path_factory.mktemp("reference"))
    result = run_pipeline(registry, settings, only=SOURCES)
    assert result["errors"] == [] and result["new_reports"] == 4, result["errors"]
    checks: dict[str, tuple[int, str]] = table_checksums(settings)
    return checks
