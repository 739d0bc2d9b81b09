"""Extra TRS-like county sites for crawl benchmarks (``TestWeb(generated_sites=N)``).

Each generated site has one column of 40 articles (4 list pages) of about 30 KB each. One
article per site is a reposted copy (转载) of a seed report, so the whole web still holds only
the three distinct reports; the rest are notices and look-alikes with deterministic filler.
Everything derives from ``(seed, index)``; article bodies are rendered on first request and
cached, so 200 sites cost little memory until crawled.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from govreports.testweb import templates as t
from govreports.testweb.content import filler_paragraphs, lookalikes, notices, seed_reports
from govreports.testweb.sites import ReportCopy, Resource, Site, html_resource, text_resource

ARTICLES, PER_PAGE, TARGET_CHARS = 40, 10, 9_000  # ~9k CJK chars ≈ 30 KB of page
COLUMN_PATH = "/xxgk/tzgg/"
_FIRST = ("青石 白水 安平 永和 长宁 东川 南溪 西林 北山 龙泉 "
          "桃源 清河 松江 柳城 金沙 云台 凤岭 平乐 石门 新化").split()
_SECOND = "县 市 区".split()
_PROVINCES = ("四川省", "湖南省", "河南省", "江西省", "云南省", "吉林省")
SEED_KEYS = ("wanyuan", "longchang", "chuanying")


@dataclass(frozen=True)
class GenArticle:
    n: int
    title: str
    day: date
    kind: str  # report | lookalike | notice
    path: str


def place_name(seed: int, index: int) -> str:
    rng = random.Random(f"govreports-testweb-place:{seed}")
    combos = [a + b for a in _FIRST for b in _SECOND]
    rng.shuffle(combos)
    base = combos[index % len(combos)]
    return base if index < len(combos) else f"{base[:-1]}{index // len(combos) + 1}{base[-1]}"


@lru_cache(maxsize=4096)
def articles(seed: int, index: int) -> tuple[GenArticle, ...]:
    rng = random.Random(f"govreports-testweb-site:{seed}:{index}")
    place = place_name(seed, index)
    issuer = f"{place}人民政府"
    report = seed_reports()[SEED_KEYS[index % len(SEED_KEYS)]]
    year = 2021 + rng.randint(0, 2)
    pool = lookalikes(place, issuer, year) + notices(place, issuer, year)
    slot = rng.randrange(ARTICLES)
    out = []
    day = date(year + 1, 12, 20)
    for n in range(ARTICLES):
        day -= timedelta(days=rng.randint(3, 16))
        if n == slot:
            title, kind, d = report.title, "report", report.publish_date
        else:
            page = pool[rng.randrange(len(pool))]
            title, kind, d = page.title, page.kind, day
            if kind == "notice" and rng.random() < 0.5:
                title = f"{place}{title}"
        path = f"{COLUMN_PATH}{d:%Y%m}/t{d:%Y%m%d}_{index * 1000 + 100 + n}.html"
        out.append(GenArticle(n, title, d, kind, path))
    return tuple(sorted(out, key=lambda a: (a.day, a.n), reverse=True))


@lru_cache(maxsize=256)
def _article_page(seed: int, index: int, path: str) -> Resource | None:
    arts = {a.path: a for a in articles(seed, index)}
    a = arts.get(path)
    if a is None:
        return None
    info = site_info(seed, index)
    if a.kind == "report":
        rep = seed_reports()[SEED_KEYS[index % len(SEED_KEYS)]]
        lines = list(rep.body_lines) + [f"（转载自{rep.issuer}门户网站）"]
        source = rep.source_agency
    else:
        rng = random.Random(f"govreports-testweb-article:{seed}:{index}:{a.n}")
        lines = filler_paragraphs(rng, TARGET_CHARS)
        source = f"{info.name}办公室"
    html = t.trs_detail(info, "通知公告", a.title, f"{a.day:%Y-%m-%d} 09:00", source,
                        t.paragraphs(lines))
    return html_resource(html, a.day)


def site_info(seed: int, index: int) -> t.SiteInfo:
    place = place_name(seed, index)
    return t.SiteInfo(f"{place}人民政府", f"www.gen{index:03d}.gov.cn",
                      f"ICP备{5000000 + index * 137:08d}号",
                      f"公网安备 {990000 + index:06d}02000{index % 10}号", f"99{index:08d}")


def build_generated(seed: int, index: int) -> Site:
    info = site_info(seed, index)
    arts = articles(seed, index)
    rng = random.Random(f"govreports-testweb-site:{seed}:{index}")
    site = Site(
        f"gen-{index:03d}",
        {
            "id": f"gen-{index:03d}",
            "name": f"{info.name} 通知公告（生成站点）",
            "issuer": info.name,
            "level": "county_gov",
            "province": _PROVINCES[rng.randrange(len(_PROVINCES))],
            "homepage": "/",
            "cms": "trs_static",
            "lists": [COLUMN_PATH + "index.html"],
        },
    )
    pages = (len(arts) + PER_PAGE - 1) // PER_PAGE
    for p in range(pages):
        chunk = arts[p * PER_PAGE:(p + 1) * PER_PAGE]
        items = [t.ListItem("./" + a.path.removeprefix(COLUMN_PATH), a.title, f"{a.day:%Y-%m-%d}")
                 for a in chunk]
        name = "index.html" if p == 0 else f"index_{p}.html"
        page = t.trs_list(info, "通知公告", items, pages, p)
        site.resources[COLUMN_PATH + name] = html_resource(page, chunk[0].day)
    site.resources["/robots.txt"] = text_resource(t.robots(["/search/"]))
    site.reports = [ReportCopy(SEED_KEYS[index % len(SEED_KEYS)], a.path)
                    for a in arts if a.kind == "report"]

    def dynamic(path: str, query: dict[str, list[str]]) -> Resource | None:
        if not path.startswith(COLUMN_PATH) or query:
            return None
        return _article_page(seed, index, path)

    site.dynamic = dynamic
    return site
