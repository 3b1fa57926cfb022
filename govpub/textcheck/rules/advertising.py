"""advertising — commercial promotion (第七条: 不得刊登、转发商业广告).

Phrase lists live in lexicons/advertising.tsv.  Here: contact-for-sale patterns and the
Advertising-Law absolute claims (广告法第九条), which count only when used to sell.
"""

from __future__ import annotations

import re

BASIS = "第七条"
CONTACT_RE = re.compile(
    r"(?:加|添加|联系|咨询|私信|扫码加)[ ]?(?:我|本人|客服|老师)?[ ]?(?:微信|威信|薇信|v信|vx|wx|v|qq|扣扣)"
    r"(?:号|群)?[ ]?[:：]?[ ]?[a-z0-9_\-]{5,20}"
)
ABSOLUTE_RE = re.compile(
    "包治百病|国家级产品|最高级|最佳|最优|最低价|最便宜|最实惠|最先进|最好|第一品牌|销量第一|全网第一|"
    "全网最低|全国第一|行业第一|世界级|顶级|极品|独一无二|绝无仅有|史无前例|万能|100%有效|"
    "百分百有效|无效退款|零风险|永不反弹|根治|药到病除|首选品牌|领导品牌|王牌|驰名商标"
)
COMMERCIAL_RE = re.compile(
    "价格|售价|特价|优惠|折扣|促销|购买|抢购|下单|订购|选购|包邮|元/|￥|¥|产品|商品|品牌|"
    "厂家|专卖|旗舰店|门店|销量|热销|代理|加盟|招商|咨询热线|订购热线|疗效|功效|保健品"
)


def check(ctx) -> None:
    view = ctx.view
    for m in CONTACT_RE.finditer(view):
        ctx.add("advertising", "advertising.contact", "block", m.start(), m.end(),
                "含有添加微信/QQ等联系方式的推广内容，属商业广告", None, BASIS)
    for m in ABSOLUTE_RE.finditer(view):
        sent = ctx.sentence(m.start(), m.end())
        if COMMERCIAL_RE.search(sent):
            ctx.add("advertising", "advertising.absolute_claim", "block", m.start(), m.end(),
                    f"商业宣传中使用绝对化用语“{m.group()}”（违反广告法，不得刊登商业广告）",
                    None, BASIS)
