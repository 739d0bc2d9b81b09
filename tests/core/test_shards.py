"""Shards of the registry: stable, by host, every source in exactly one."""

from __future__ import annotations

import hashlib
from collections import Counter

import pytest
from typer.testing import CliRunner

from govreports.models import Source
from govreports.registry import parse_shard, shard_host, shard_of


def src(sid: str, url: str) -> Source:
    return Source(id=sid, name=sid, issuer="某县人民政府", homepage=url, lists=(url,))


def test_parse_shard() -> None:
    assert parse_shard("2/3") == (2, 3) and parse_shard(" 1 / 1 ") == (1, 1)
    for bad in ("0/3", "4/3", "3", "a/b", "1/0", "-1/3"):
        with pytest.raises(ValueError, match="shard"):
            parse_shard(bad)


def test_a_site_stays_in_one_shard_and_shards_are_stable() -> None:
    a = src("x-fzzf", "http://www.example.gov.cn/col/col1/index.html")
    b = src("x-xxgknb", "http://WWW.example.gov.cn/col/col9/index.html")
    other_port = src("x-test", "http://www.example.gov.cn:8080/list.html")
    assert shard_host(a) == shard_host(b) == "www.example.gov.cn"
    assert shard_host(other_port) == "www.example.gov.cn:8080"
    for n in (2, 3, 7):
        assert shard_of(a, n) == shard_of(b, n)
    # a hash of the host bytes (not Python's salted hash): the same in every process
    digest = hashlib.sha256(b"www.wanyuan.gov.cn").digest()
    for n in (2, 3, 5, 7):
        assert shard_of(src("s", "http://www.wanyuan.gov.cn/"), n) == 1 + int.from_bytes(
            digest[:8], "big") % n


def test_shards_split_many_sites_about_evenly_and_cover_each_once() -> None:
    sites = [src(f"s{i}", f"http://www.county{i}.gov.cn/zwgk/index.html") for i in range(900)]
    counts = Counter(shard_of(s, 3) for s in sites)
    assert set(counts) == {1, 2, 3}
    assert all(250 <= c <= 350 for c in counts.values()), counts


def test_the_command_line_refuses_a_bad_shard_before_anything_runs() -> None:
    from ui.cli import app

    res = CliRunner().invoke(app, ["crawl", "--shard", "4/3"])
    assert res.exit_code == 2
    assert res.output.strip().splitlines() == [
        "error: shard '4/3': K must be between 1 and N"]
