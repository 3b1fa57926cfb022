"""privacy — ID numbers (GB 11643), mobiles, bank cards (Luhn), passports, personal e-mail.

Runs on the compact view (so zero-width characters inserted into a number do not hide it) and
allows the usual space/hyphen grouping inside numbers.  Masked forms (420704**********3X) are
fine.  The suggestion is always the masked form.
"""

from __future__ import annotations

import datetime as _dt
import re

BASIS = "第八条(一)"
PROVINCES = {
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
    50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83, 91,
}
_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SEP = r"[ \-]?"

ID18_RE = re.compile(
    r"(?<![0-9a-z*])(\d{6}" + _SEP + r"(?:18|19|20)\d{2}" + _SEP + r"\d{4}" + _SEP + r"\d{3}[0-9x])(?![0-9a-z*])"
)
ID15_RE = re.compile(r"(?<![0-9a-z*.])(\d{15})(?![0-9a-z*.])")
MOBILE_RE = re.compile(
    r"(?<![0-9a-z*])((?:\+?86[ \-]?)?1[3-9]\d(?:[ \-]?\d){8})(?![0-9a-z*])"
)
CARD_RE = re.compile(r"(?<![0-9a-z*])(\d{4}(?:[ \-]?\d){12,15})(?![0-9a-z*])")
PASSPORT_RE = re.compile(r"(?<![0-9a-z])((?:e[a-hj-np-z0-9]|g\d|[psd]e?)\d{7})(?![0-9a-z])")
EMAIL_RE = re.compile(r"(?<![0-9a-z._%+\-])([a-z0-9._%+\-]{1,64}@([a-z0-9\-]+(?:\.[a-z0-9\-]+)+))")
PERSONAL_MAIL = {
    "qq.com", "vip.qq.com", "foxmail.com", "163.com", "126.com", "yeah.net", "vip.163.com",
    "sina.com", "sina.cn", "vip.sina.com", "sohu.com", "139.com", "189.cn", "wo.cn",
    "aliyun.com", "tom.com", "21cn.com", "gmail.com", "hotmail.com", "outlook.com",
    "live.com", "yahoo.com", "yahoo.com.cn", "icloud.com", "me.com", "msn.com", "proton.me",
    "protonmail.com",
}
PASSPORT_CTX = re.compile(r"护照|通行证|证件|passport")
ID_CTX = re.compile(r"身份证|公民身份|证件号|身份号")
CARD_CTX = re.compile(r"银行卡|卡号|账号|帐号|账户|帐户|储蓄卡|信用卡|借记卡|打入|转入|汇入|开户行|开户银行|"
                      r"工商银行|农业银行|建设银行|中国银行|交通银行|邮储|邮政储蓄|农商|农村商业银行|信用社|招商银行|社保卡")
CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "一": "1", "幺": "1", "二": "2", "两": "2", "三": "3",
             "四": "4", "五": "5", "六": "6", "七": "7", "八": "8", "九": "9"}
CN_RUN_RE = re.compile("[〇零○一幺二两三四五六七八九]{11,18}")
# Mobile prefixes spelt in numerals (一三八…); 一九… is left out: it starts every year 一九八六.
_CN_TRIGGERS = tuple(a + b + c for a in "一幺" for b in "三四五六七八" for c in "〇零一幺二三四五六七八九")
CARD_BIN = re.compile(r"^(?:62|4|5[1-5]|2[2-7]|35|37|60|9)")
MOBILE_PREFIX = {
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147",
    "149", "150", "151", "152", "153", "155", "156", "157", "158", "159", "162", "165",
    "166", "167", "170", "171", "172", "173", "175", "176", "177", "178", "180", "181",
    "182", "183", "184", "185", "186", "187", "188", "189", "190", "191", "192", "193",
    "195", "196", "197", "198", "199",
}


def _digits(s: str) -> str:
    return s.replace(" ", "").replace("-", "")


def valid_date(y: int, m: int, d: int) -> bool:
    try:
        day = _dt.date(y, m, d)
    except ValueError:
        return False
    return _dt.date(1890, 1, 1) <= day <= _dt.date.today()


def valid_region(code: str) -> bool:
    return int(code[:2]) in PROVINCES and (code[2:4] != "00" or code[:2] in ("71", "81", "82", "83", "91") or code[2:6] == "0000")


def id18_valid(s: str) -> bool:
    s = s.upper()
    if len(s) != 18 or not s[:17].isdigit():
        return False
    if not valid_region(s[:6]) or not valid_date(int(s[6:10]), int(s[10:12]), int(s[12:14])):
        return False
    total = sum(int(c) * w for c, w in zip(s[:17], _W))
    return _CHECK[total % 11] == s[17]


def id15_valid(s: str) -> bool:
    return (len(s) == 15 and s.isdigit() and valid_region(s[:6])
            and valid_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12])))


def id18_plausible(s: str) -> bool:
    return (len(s) == 18 and s[:17].isdigit() and valid_region(s[:6])
            and valid_date(int(s[6:10]), int(s[10:12]), int(s[12:14])))


def luhn_ok(s: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def mask(s: str, head: int, tail: int) -> str:
    return s[:head] + "*" * max(0, len(s) - head - tail) + (s[-tail:] if tail else "")


_PASSPORT_WORDS = ("护照", "通行证", "passport")
TRIGGERS = _PASSPORT_WORDS + ("@",) + tuple(a + d for a in "eg" for d in "0123456789") + _CN_TRIGGERS
CANDIDATE_RE = re.compile(r"[0-9+][0-9 \-]{6,}[0-9x]")
_BOUND = re.compile(r"[0-9a-z*]")


def _classify(c: str, cs: int, ce: int, raw: str, add, ctx_before: str) -> bool:
    """Try every number type on one digit run; True when something was reported."""
    d = _digits(raw)
    if d.startswith("+"):
        d = d[1:]
    body = d[:-1] if d.endswith("x") else d
    if not body.isdigit():
        return False
    if len(d) == 18 and d[:17].isdigit():
        up = d.upper()
        if id18_valid(up):
            add(cs, ce, "privacy.id_card", "block", "未脱敏的居民身份证号码", mask(up, 6, 2))
            return True
        if id18_plausible(up):
            # Region and birth date are real, only the check digit is off (a typo or a
            # made-up example): still personal-looking, so reviewers must see it.
            sev = "block" if ID_CTX.search(ctx_before) else "warn"
            add(cs, ce, "privacy.id_card", sev, "疑似未脱敏的居民身份证号码（校验位不符）",
                mask(up, 6, 2))
            return True
    if not d.isdigit():
        return False
    if len(d) == 15 and id15_valid(d):
        sev = "block" if ID_CTX.search(ctx_before) else "warn"
        add(cs, ce, "privacy.id_card_15", sev, "未脱敏的居民身份证号码（15位旧号码）", mask(d, 6, 2))
        return True
    if 16 <= len(d) <= 19 and CARD_BIN.match(d):
        if luhn_ok(d):
            add(cs, ce, "privacy.bank_card", "block", "未脱敏的银行卡号", mask(d, 4, 4))
            return True
        if CARD_CTX.search(ctx_before):
            # Named as a card: a leak whether or not the check digit is right (typos, examples).
            add(cs, ce, "privacy.bank_card", "block", "未脱敏的银行卡号（校验位不符）",
                mask(d, 4, 4))
            return True
    mob = d[2:] if len(d) == 13 and d.startswith("86") else d
    if len(mob) == 11 and mob[:3] in MOBILE_PREFIX:
        add(cs, ce, "privacy.mobile", "warn",
            "含有个人手机号码，公开发布前请确认已获授权或脱敏", mask(mob, 3, 4))
        return True
    return False


def check(ctx) -> None:
    c = ctx.compact
    norm = ctx.norm
    n = len(c)

    def add(cs, ce, rule, sev, msg, sug):
        s, e = norm.to_original(cs, ce)
        ctx.add("privacy", rule, sev, s, e, msg, sug, BASIS)

    for m in CANDIDATE_RE.finditer(c):
        cs, ce = m.span()
        raw = m.group()
        while raw and raw[-1] in " -":
            raw = raw[:-1]
            ce -= 1
        if cs > 0 and _BOUND.match(c[cs - 1]) or ce < n and _BOUND.match(c[ce]):
            continue
        before = c[max(0, cs - 15):cs]
        if _classify(c, cs, ce, raw, add, before):
            continue
        if " " in raw or "-" in raw:
            for part in re.finditer(r"[^ ]+", raw):
                if len(_digits(part.group())) >= 11:
                    _classify(c, cs + part.start(), cs + part.end(), part.group(), add,
                              c[max(0, cs + part.start() - 15):cs + part.start()])
    if ctx.triggers.intersection(_CN_TRIGGERS):
        # Numbers spelt in Chinese numerals (一三八…) to dodge the filter.
        for m in CN_RUN_RE.finditer(c):
            digits = "".join(CN_DIGITS[ch] for ch in m.group())
            _classify(c, m.start(), m.end(), digits, add, c[max(0, m.start() - 15):m.start()])
    if ctx.triggers.intersection(_PASSPORT_WORDS) or (
            ctx.triggers.intersection(TRIGGERS[4:24]) and _PASSPORT_GATE.search(c)):
        for m in PASSPORT_RE.finditer(c):
            raw = m.group(1).upper()
            before = c[max(0, m.start() - 15):m.start()]
            if PASSPORT_CTX.search(before):
                add(m.start(1), m.end(1), "privacy.passport", "block", "未脱敏的护照或通行证号码",
                    mask(raw, 2, 2))
            elif _BARE_PASSPORT.fullmatch(raw):
                add(m.start(1), m.end(1), "privacy.passport", "warn", "疑似护照号码",
                    mask(raw, 2, 2))
    if "@" in ctx.triggers:
        for m in EMAIL_RE.finditer(c):
            dom = m.group(2).lower()
            if dom in PERSONAL_MAIL:
                local = m.group(1).partition("@")[0]
                add(m.start(1), m.end(1), "privacy.email", "warn",
                    "含有个人电子邮箱地址", (local[:1] + "***@" + dom))
    # An ID number next to other identifiers makes every one of them a leak.
    if any(f.rule == "privacy.id_card" and f.severity == "block" for f in ctx.findings):
        ctx.findings[:] = [f.with_(severity="block") if f.rule == "privacy.mobile" else f
                           for f in ctx.findings]


_BARE_PASSPORT = re.compile(r"[EG]\d{8}|E[A-HJ-NP-Z]\d{7}")
_PASSPORT_GATE = re.compile(r"[eg][0-9a-z]\d{7}")
