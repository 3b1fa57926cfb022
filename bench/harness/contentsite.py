"""The generated test site (bench/harness/testsite.py) with article bodies and planted content problems,
for the whole-site content scan (tests/supervision/test_site_scan.py, bench/site_scan.py).

Each plant sits on its own article page or attachment and names what a scan must report there: the
finding's kind and a rule prefix. A clean copy has the same bodies and no plants. The bodies are plain
district-news paragraphs written for this harness (not taken from the typo model's training text)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from .testsite import generate_site

PARAGRAPHS = [
    "近日，区政务服务中心组织开展窗口服务能力提升培训，各进驻部门业务骨干参加培训。培训围绕办事指南编制、"
    "首问负责、一次性告知等内容进行讲解，并结合群众反映的问题开展案例分析。",
    "为做好冬季安全生产工作，区应急管理局联合相关部门对辖区重点企业开展安全检查，督促企业落实主体责任，"
    "对检查中发现的隐患建立台账，明确整改时限和责任人，确保隐患及时消除。",
    "街道组织社区工作人员和志愿者走访辖区独居老人，了解老人的生活和健康状况，帮助解决实际困难，"
    "并宣传防范电信网络诈骗知识，提醒老人不轻信陌生来电。",
    "区教育局召开秋季学期教育教学工作会议，总结上半年工作，部署下一阶段重点任务。会议要求各学校"
    "落实课后服务工作，规范办学行为，保障校园安全。",
    "区农业农村局组织农技人员深入田间地头，指导农户做好秋冬种生产，推广良种良法，"
    "帮助农户解决生产中遇到的技术问题。",
    "为方便群众办事，区不动产登记中心推出延时服务和预约服务，工作日中午和周末均可办理部分业务，"
    "群众可通过政务服务网查询办理条件和所需材料。",
]

# path (an article of the generated site; "/files/…" is an attachment linked from the first article),
# kind, rule prefix, the markup or text that is planted.
PLANTS = [
    ("/articles/gzdt/3.html", "page_content", "privacy.id_card",
     "<p>经核实，申请人王某（身份证号：420704198805123417）符合申请条件。</p>"),
    ("/articles/gzdt/4.html", "page_content", "typo.",
     "<p>各部门要认真贯切落实区委区政府的决策部署。</p>"),
    ("/articles/tzgg/2.html", "page_content", "secret.marker", "<p>本通知密级：机密★5年。</p>"),
    ("/articles/bmdt/2.html", "page_content", "advertising.", "<p>本店商品全网最低价，欢迎选购。</p>"),
    ("/articles/bmdt/3.html", "hidden_link", "crawl.hidden_link",
     '<div style="position:absolute;left:-9999px;top:-9999px"><a href="http://www.bet-888-casino.com/">'
     "澳门新葡京娱乐场</a></div>"),
    ("/articles/xzdt/2.html", "hidden_link", "crawl.hidden_link",
     '<style>.ft-links{display:none}</style><p class="ft-links"><a href="https://porn-xx.example.net/">x</a></p>'),
    ("/articles/zcwj/2.html", "injected_code", "crawl.foreign_script",
     '<script src="http://cdn.stats-union.example.ru/tj.js"></script>'),
    ("/articles/gkzn/1.html", "injected_code", "crawl.obfuscated_script",
     "<script>eval(unescape('%64%6f%63%75%6d%65%6e%74'))</script>"),
    ("/articles/fdzdgknr/2.html", "page_content", "advertising.commercial_link",
     '<p>相关产品可在<a href="https://item.taobao.com/item.htm?id=10001">网店</a>购买。</p>'),
    ("/files/notice.docx", "page_content", "privacy.id_card", "联系人李某，身份证号 420704198805123417。"),
    ("/files/list.txt", "page_content", "secret.marker", "本名单密级：秘密★1年。"),
]


@dataclass
class ContentPlanted:
    pages: int
    plants: list[tuple[str, str, str]]  # path, kind, rule prefix


def _docx(text: str) -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("附件：名单")
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def generate_content_site(root: Path, *, pages: int = 200, clean: bool = False, paragraphs=None) -> ContentPlanted:
    """The generated site with bodies of `paragraphs` (default: PARAGRAPHS, three per article) and, unless
    clean, every plant; the two attachments exist in both copies (clean ones without the plant)."""
    paragraphs = paragraphs or PARAGRAPHS
    plants = {} if clean else {path: markup for path, _, _, markup in PLANTS}

    def body(slug: str, n: int) -> str:
        start = (sum(map(ord, slug)) + n * 3) % len(paragraphs)
        picked = [paragraphs[(start + i) % len(paragraphs)] for i in range(3)]
        extra = plants.get(f"/articles/{slug}/{n}.html", "")
        if slug == "gzdt" and n == 0:
            extra += '<p>附件：<a href="/files/notice.docx">名单</a> <a href="/files/list.txt">名单（文本）</a></p>'
        return "".join(f"<p>{p}</p>" for p in picked) + extra

    planted = generate_site(root, pages=pages, clean=True, body=body)
    files = root / "files"
    (files / "notice.docx").write_bytes(_docx(plants.get("/files/notice.docx", PARAGRAPHS[0])))
    (files / "list.txt").write_text(plants.get("/files/list.txt", PARAGRAPHS[1]), encoding="utf-8")
    return ContentPlanted(planted.pages, [] if clean else [(p, k, r) for p, k, r, _ in PLANTS])
