"""What the test web publishes: the three seed reports and the pages that merely look like them.

The demo relies on a contract: the default test web holds exactly three distinct reports (the
seeds, each identified by issuer and report year). Every other report page is a copy of one of
them (a mirror, an attachment, a platform copy). Look-alikes and notices carry realistic short
bodies with numbers, so a classifier has to read titles, not count digits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "data" / "seeds"


@dataclass(frozen=True)
class SeedReport:
    key: str  # "wanyuan" | "longchang" | "chuanying"
    seed_file: str
    title: str  # the gold title (simplified)
    issuer: str
    report_year: int
    publish_date: date
    sign_date: date | None
    source_agency: str
    admin_code: str
    province: str
    prefecture: str
    level: str
    body_lines: tuple[str, ...]  # seed lines that are report text (page chrome dropped)
    closing: tuple[str, ...]  # 落款 lines to append when the seed does not carry them

    @property
    def text(self) -> str:
        return "\n".join(self.body_lines + self.closing)


def _seed_lines(name: str) -> list[str]:
    return (SEEDS / name).read_text(encoding="utf-8").splitlines()


@cache
def seed_reports() -> dict[str, SeedReport]:
    """The three seeds, keyed by short name; body lines exclude the seed's own page chrome."""
    wanyuan = _seed_lines("000_0e31c3dbbb217a42.txt")
    longchang = _seed_lines("001_d68dadcd5706f4a5.txt")
    chuanying = _seed_lines("003_fc5a606910346e4f.txt")
    # 隆昌: lines 1/3/5/35 are the saved page's header, title, 发布时间 line and 相关附件 label
    # (gold page_chrome_lines); blank separator lines are dropped too.
    lc_body = [ln for i, ln in enumerate(longchang, 1) if 7 <= i <= 33 and ln.strip()]
    # 船营: lines 30-34 are the saved page's footer; 28-29 are its own 落款.
    cy_body = [ln for ln in chuanying[:29] if ln.strip()]
    return {
        "wanyuan": SeedReport(
            key="wanyuan",
            seed_file="000_0e31c3dbbb217a42.txt",
            title="万源市2022年度法治政府建设情况报告",
            issuer="万源市人民政府",
            report_year=2022,
            publish_date=date(2023, 3, 20),
            sign_date=None,
            source_agency="万源市司法局",
            admin_code="511781",
            province="四川省",
            prefecture="达州市",
            level="county_gov",
            body_lines=tuple(ln for ln in wanyuan if ln.strip()),
            closing=(),
        ),
        "longchang": SeedReport(
            key="longchang",
            seed_file="001_d68dadcd5706f4a5.txt",
            title="隆昌市2021年度法治政府建设情况报告",
            issuer="隆昌市人民政府",
            report_year=2021,
            publish_date=date(2022, 2, 17),
            sign_date=date(2022, 2, 16),
            source_agency="隆昌市司法局",
            admin_code="511083",
            province="四川省",
            prefecture="内江市",
            level="county_gov",
            body_lines=tuple(lc_body),
            closing=(),
        ),
        "chuanying": SeedReport(
            key="chuanying",
            seed_file="003_fc5a606910346e4f.txt",
            title="船营区2023年度法治政府建设情况报告",
            issuer="船营区人民政府",
            report_year=2023,
            publish_date=date(2024, 3, 8),
            sign_date=date(2024, 1, 31),
            source_agency="船营区司法局",
            admin_code="220204",
            province="吉林省",
            prefecture="吉林市",
            level="district_gov",
            body_lines=tuple(cy_body),
            closing=(),
        ),
    }


# --------------------------------------------------------------------------- script mirrors
# Conversion mirrors annotate some characters with pinyin in brackets; these are the ones we
# annotate (the first few occurrences only, as such sites do for "hard" characters).
_PINYIN = {"設": "shè", "區": "qū", "執": "zhí", "產": "chǎn"}


@cache
def _s2t() -> object:
    import opencc

    return opencc.OpenCC("s2t")


def to_traditional(text: str, pinyin_every: int = 0) -> str:
    """opencc s2t; with ``pinyin_every=n`` every n-th annotatable character gets ``(pinyin)``."""
    converted: str = _s2t().convert(text)  # type: ignore[attr-defined]
    if pinyin_every <= 0:
        return converted
    out: list[str] = []
    seen = 0
    for ch in converted:
        out.append(ch)
        if ch in _PINYIN:
            seen += 1
            if seen % pinyin_every == 1 or pinyin_every == 1:
                out.append(f"({_PINYIN[ch]})")
    return "".join(out)


@cache
def _t2s() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return str(_t2s().convert(text))  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- look-alikes
@dataclass(frozen=True)
class Page:
    """A non-report article: a look-alike (must be rejected) or an ordinary notice."""

    title: str
    kind: str  # "lookalike" | "notice"
    body: tuple[str, ...]


def lookalikes(place: str, issuer: str, year: int) -> list[Page]:
    """Pages whose titles resemble the annual report but are something else.

    ``year`` is the report year of the site's genuine report; the look-alikes sit around it.
    """
    y, n = year, year + 1
    return [
        Page(
            f"{place}{y}年政府信息公开工作年度报告",
            "lookalike",
            (
                "本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息公开办公室"
                "有关要求编制，内容包括总体情况、主动公开政府信息情况、收到和处理政府信息公开"
                "申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况等。",
                f"一、总体情况。{y}年，{issuer}主动公开政府信息4217条，其中规范性文件12件，"
                f"政策解读稿件86篇；全年共收到政府信息公开申请37件，均在法定期限内答复。",
                "二、存在的主要问题及改进情况。部分单位栏目更新不够及时，政策解读形式较为单一。"
                "下一步将加强培训，每季度开展一次栏目巡查。",
            ),
        ),
        Page(
            f"{place}{n}年法治政府建设工作要点",
            "lookalike",
            (
                f"为深入贯彻习近平法治思想，扎实推进{n}年法治政府建设，结合我市实际，制定本要点。",
                "一、加强党对法治政府建设的领导。召开政府常务会议专题研究法治政府建设不少于2次，"
                "将法治政府建设纳入年度绩效考核，权重不低于5%。",
                "二、深化行政执法体制改革。开展行政执法案卷评查，抽查案卷不少于100件；"
                "全面落实行政执法“三项制度”。",
                "三、各责任单位于12月10日前报送年度工作总结。",
            ),
        ),
        Page(
            f"{place}法治政府建设实施方案（2021—2025年）",
            "lookalike",
            (
                "为全面推进依法行政，加快建设法治政府，根据《法治政府建设实施纲要（2021—2025年）》，"
                "制定本实施方案。",
                "到2025年，政府行为全面纳入法治轨道，职责明确、依法行政的政府治理体系日益健全，"
                "行政执法体制机制基本完善，行政执法质量和效能大幅提升。",
                "本方案共提出8个方面32项重点任务，由各牵头单位细化分解、逐项落实。",
            ),
        ),
        Page(
            f"《{place}{y}年度法治政府建设情况报告》解读",
            "lookalike",
            (
                f"近日，{issuer}公开发布了《{place}{y}年度法治政府建设情况报告》。"
                "现就报告主要内容解读如下。",
                "一、报告的主要内容。报告分为工作开展情况、存在的问题和下一步工作打算三个部分。",
                "二、主要亮点。全年审查规范性文件15件，办理行政复议案件42件，"
                "法律顾问参与重大决策论证23次。",
            ),
        ),
        Page(
            f"{place}“十三五”时期法治政府建设五年工作总结",
            "lookalike",
            (
                "“十三五”以来，我市坚持把法治政府建设作为全面依法治市的重点任务，"
                "五年累计清理规范性文件316件，取消和调整行政权力事项208项。",
                "五年来，全市行政复议案件纠错率保持在10%左右，行政机关负责人出庭应诉率逐年提高，"
                "2020年达到100%。",
            ),
        ),
        Page(
            f"{place}{y}年统计年报",
            "lookalike",
            (
                f"{y}年全市实现地区生产总值312.6亿元，按可比价格计算，比上年增长6.1%。",
                "年末户籍人口58.3万人，全年城镇新增就业6120人。一般公共预算收入18.7亿元。",
            ),
        ),
        Page(
            # a title that names no report: only the page's body shows it is a plan
            f"{place}{n}年依法行政工作",
            "lookalike",
            (
                f"为推进{n}年依法行政工作，结合实际，制定本工作安排。",
                "一、指导思想。以习近平法治思想为指导，全面提升依法行政水平。",
                "二、主要任务。（一）修订行政处罚裁量基准。责任单位：市司法局；完成时限：6月底前。"
                "（二）开展行政执法案卷评查。牵头单位：市司法局；配合单位：各执法部门。",
                "三、保障措施。各责任单位要加强组织领导，确保各项任务按时完成。",
            ),
        ),
    ]


def notices(place: str, issuer: str, year: int) -> list[Page]:
    """Ordinary column traffic: notices, public announcements, meeting reports."""
    n = year + 1
    return [
        Page(
            f"关于开展{n}年度行政执法人员培训考试的通知",
            "notice",
            (
                "各乡镇人民政府、街道办事处，市政府各部门：",
                f"为提升行政执法人员素质，经研究，定于{n}年4月12日至14日组织全市行政执法人员"
                "培训考试，共计约650人参加。请各单位于4月5日前报送参训人员名单。",
                f"{issuer}办公室",
            ),
        ),
        Page(
            f"{place}重大行政决策事项目录（{n}年度）公示",
            "notice",
            (
                f"根据《重大行政决策程序暂行条例》，现将{place}{n}年度重大行政决策事项目录"
                "予以公示，公示期为10个工作日。",
                "本年度共确定重大行政决策事项6项，涉及城市更新、教育布局调整和养老服务等领域。",
            ),
        ),
        Page(
            f"市政府召开第{18 + year % 7}次常务会议",
            "notice",
            (
                f"{n}年3月2日，市长主持召开市政府第{18 + year % 7}次常务会议，"
                "研究春季森林防灭火、安全生产等工作。",
                "会议审议通过了《关于进一步优化营商环境的若干措施》等3个文件。",
            ),
        ),
        Page(
            "关于公开征集行政规范性文件制定计划建议的公告",
            "notice",
            (
                "为提高行政规范性文件制定的科学性和民主性，现面向社会公开征集建议。",
                "征集时间为30日，建议可通过信函或电子邮件方式提交。",
            ),
        ),
    ]


# --------------------------------------------------------------------------- filler text
_FILLER = (
    "会议强调，要坚持以人民为中心的发展思想，统筹发展和安全，扎实做好各项工作。",
    "全年共办理人大代表建议和政协委员提案{n}件，办结率100%。",
    "截至{m}月底，全县累计完成固定资产投资{x}亿元，同比增长{p}%。",
    "各部门要加强协调配合，压实工作责任，确保各项任务按期完成。",
    "本次检查共发现问题{n}个，已全部督促整改到位。",
    "下一步，将持续深化“放管服”改革，进一步提升政务服务便利度。",
    "活动现场共发放宣传资料{n}份，接受群众咨询{k}人次。",
)


def filler_paragraphs(rng: random.Random, target_chars: int) -> list[str]:
    """Deterministic government-notice prose of about ``target_chars`` characters."""
    out: list[str] = []
    size = 0
    while size < target_chars:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            s = rng.choice(_FILLER).format(
                n=rng.randint(12, 480),
                m=rng.randint(1, 12),
                x=f"{rng.uniform(1, 90):.1f}",
                p=f"{rng.uniform(0.5, 15):.1f}",
                k=rng.randint(50, 3000),
            )
            sentences.append(s)
        para = "".join(sentences)
        out.append(para)
        size += len(para)
    return out
