"""link — insecure (http), malformed, non-government external links, IP-address links; plus
URL shorteners and commercial sites (category advertising, 第七条)."""

from __future__ import annotations

import ipaddress
import re
from bisect import bisect_right
from urllib.parse import urlsplit

BASIS = "第七条"
URL_RE = re.compile(
    r"(?:(?:h?tt?ps?|ftp)[:：]/{1,3}(?=[a-z0-9])|https?//|hxxps?://|www\.)[^\s<>\"'，。；、）》】“”‘’（《【]+",
    re.I,
)
SHORT_RE = re.compile(r"(?<![a-z0-9.\-])(?:t\.cn|dwz\.cn|url\.cn|suo\.im|bit\.ly|tinyurl\.com|"
                      r"goo\.gl|t\.co|is\.gd|w\.url\.cn|reurl\.cc|0rz\.tw)/[a-z0-9]+", re.I)
SHORTENERS = {"t.cn", "dwz.cn", "url.cn", "suo.im", "bit.ly", "tinyurl.com", "goo.gl", "t.co",
              "is.gd", "w.url.cn", "reurl.cc", "0rz.tw", "sina.lt", "mrw.so", "u.nu"}
COMMERCIAL = {
    "taobao.com", "tmall.com", "jd.com", "pinduoduo.com", "yangkeduo.com", "1688.com",
    "alibaba.com", "meituan.com", "dianping.com", "amazon.com", "amazon.cn", "vip.com",
    "suning.com", "dangdang.com", "ctrip.com", "qunar.com", "fliggy.com", "xianyu.com",
    "kuaishou.com", "douyin.com", "xiaohongshu.com", "58.com", "ganji.com", "youzan.com",
    "weidian.com", "koudai.com", "ele.me", "temu.com", "shein.com", "aliexpress.com",
}
TRUSTED = {
    "gov.cn", "people.com.cn", "xinhuanet.com", "news.cn", "cctv.com", "cctv.cn", "cntv.cn",
    "gmw.cn", "chinadaily.com.cn", "qstheme.cn", "qstheme.com", "ce.cn", "cnr.cn", "chinanews.com.cn",
    "chinanews.com", "china.com.cn", "youth.cn", "cyol.com", "workercn.cn", "81.cn", "ccdi.gov.cn",
    "npc.gov.cn", "cppcc.gov.cn", "court.gov.cn", "spp.gov.cn", "12377.cn", "xuexi.cn",
    "cac.gov.cn", "stats.gov.cn", "mps.gov.cn", "org.cn", "edu.cn", "ac.cn", "cpcnews.cn",
    "12345.gov.cn", "beian.miit.gov.cn", "miit.gov.cn",
}


def _host_in(host: str, domains: set[str]) -> bool:
    parts = host.split(".")
    return any(".".join(parts[i:]) in domains for i in range(len(parts)))


def url_problems(url: str) -> list[tuple[str, str, str, str]]:
    """(category, rule, severity, message) for one URL."""
    out = []
    raw = url.strip()
    low = raw.lower()
    if low.startswith(("javascript:", "vbscript:", "data:")):
        return [("link", "link.script", "warn", "链接使用脚本或内嵌数据，存在安全风险")]
    if low.startswith(("mailto:", "tel:", "#", "/")) or "://" not in low and not low.startswith("www."):
        return out
    if low.startswith("www."):
        low = "http://" + low
        scheme_given = False
    else:
        scheme_given = True
    malformed = (not re.match(r"^(https?|ftp)://[^/]", low) or "：" in raw or " " in raw
                 or ".." in low.split("?", 1)[0] or re.search(r"[\u4e00-\u9fff\uff01-\uff5e]", raw.split("?")[0]))
    try:
        parts = urlsplit(low)
        host = (parts.hostname or "").rstrip(".")
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        host, malformed = "", True
    if malformed or not host or ("." not in host and host != "localhost"):
        return [("link", "link.malformed", "warn", f"链接格式错误：{raw}")]
    if scheme_given and low.startswith("http://"):
        out.append(("link", "link.insecure", "warn", "链接使用不安全的 http 协议，应使用 https"))
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        ip = None
    if ip is not None:
        sev = "block" if ip.is_private or ip.is_loopback else "warn"
        out.append(("link", "link.ip_address", sev,
                    "链接指向 IP 地址" + ("（内网地址，可能泄露内部系统）" if sev == "block" else "")))
        return out
    if _host_in(host, SHORTENERS):
        out.append(("advertising", "advertising.short_link", "warn",
                    "使用短链接，无法确认链接目标，可能链接商业广告页面"))
    elif _host_in(host, COMMERCIAL):
        out.append(("advertising", "advertising.commercial_link", "block",
                    "链接指向商业网站，不得链接商业广告页面"))
    elif not _host_in(host, TRUSTED):
        out.append(("link", "link.external", "warn", f"链接指向非政府网站“{host}”，请确认来源合法可靠"))
    return out


_URL_TRIGGERS = ("http", "www.", "ftp", "hxxp", "htp", "htt", "ttp")
TRIGGERS = _URL_TRIGGERS + tuple(d + "/" for d in SHORTENERS)


def check(ctx) -> None:
    view = ctx.view
    trig = ctx.triggers
    if not trig.intersection(TRIGGERS):
        return
    spans = []
    has_url = bool(trig.intersection(_URL_TRIGGERS))
    for m in (URL_RE.finditer(view) if has_url else ()):
        s, e = m.span()
        while e > s and view[e - 1] in ".,;:!?)]}":
            e -= 1
        spans.append((s, e))
        for cat, rule, sev, msg in url_problems(view[s:e]):
            ctx.add(cat, rule, sev, s, e, msg, None, BASIS)
    if len(trig.intersection(TRIGGERS)) == len(trig.intersection(_URL_TRIGGERS)):
        return
    ends = [e for _, e in spans]  # URL_RE matches do not overlap, so starts and ends both ascend
    for m in SHORT_RE.finditer(view):
        i = bisect_right(ends, m.start())
        if i < len(spans) and spans[i][0] <= m.start():
            continue
        ctx.add("advertising", "advertising.short_link", "warn", m.start(), m.end(),
                "使用短链接，无法确认链接目标，可能链接商业广告页面", None, BASIS)
