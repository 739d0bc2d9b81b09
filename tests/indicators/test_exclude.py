"""Numbers that are never quantities (gold README, excluded/ lists): realistic sentences."""

from __future__ import annotations

import pytest

from govreports.indicators import extract_mentions
from govreports.indicators.exclude import digit_reason, non_mentions
from govreports.normalize import fold


@pytest.mark.parametrize(
    "sentence",
    [
        "印发《关于做好人民调解工作的通知》(X司发〔2022〕32 号)。",
        "印发《法治政府建设实施方案(2021—2025年)》。",
        "清理结果经市政府第16次常务会议审议通过。",
        "全面认领第三批川渝通办事项。",
        "召开依法治区委员会第一次全体会议。",
        "截至11月18日,专窗运行良好。",
        "2023年,我县坚持以习近平法治思想为指导。",
        "持续完善“1 31 298”公共法律服务体系。",
        "推行“1+9+N”工作模式。",
        "严格落实12345政务服务便民热线运行办法。",
        "畅通“12348”法律服务热线。",
        "吉公网安备 22020402000210号",
        "开展“春雷行动2022”专项整治。",
        "对近5年来作出突出贡献的个人进行表彰。",
        "印发《关于加强行政执法的20条措施》。",
        "全面推进第八个五年法治宣传教育。",
        "2022年2月16日",
        "发布时间:2022-02-17",
        "【字体:大 中 小】 浏览次数: 1234次",
    ],
)
def test_never_a_mention(sentence: str) -> None:
    assert extract_mentions(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "run", "reason"),
    [
        ("X司发〔2022〕32 号", "2022", "document number"),
        ("X司发〔2022〕32 号", "32", "document number"),
        ("规划(2021-2025年)", "2021", "year or plan period"),
        ("第16次常务会议", "16", "ordinal"),
        ("12345热线", "12345", "hotline number"),
        ("截至11月18日", "11", "date"),
        ("吉公网安备 22020402000210号", "22020402000210", "registration number"),
    ],
)
def test_reasons(sentence: str, run: str, reason: str) -> None:
    text = fold(sentence).text
    found = {r: why for _, r, why in non_mentions(text, [])}
    assert found[run] == reason
    start = text.index(run)
    assert digit_reason(text, start, start + len(run)) == reason
