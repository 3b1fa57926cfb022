"""交办函 (problem-assignment letter) as .docx, laid out after GB/T 9704-2012 (党政机关公文格式)."""

from __future__ import annotations

import io
import os

from django.utils import timezone

# 发文机关代字: the issuing office's abbreviation in the 发文字号, e.g. 鄂州临空政务公开办函〔2026〕3号.
LETTER_PREFIX = os.environ.get("GOVPUB_LETTER_PREFIX", "鄂州临空政务公开办函")
ISSUER_DEFAULT = os.environ.get("GOVPUB_LETTER_ISSUER", "")

RED = (0xE6, 0x00, 0x12)
FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"


def letter_number(year: int, seq: int) -> str:
    # GB/T 9704 §7.2.4: year in 六角括号〔〕, sequence without leading zeros, ending in 号.
    return f"{LETTER_PREFIX}〔{year}〕{seq}号"


def chinese_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 35 → 三十五 (the 序数 of a letter's 一、二、… list; n < 100)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (digits[ones] if ones else "")


def issuer_name() -> str:
    if ISSUER_DEFAULT:
        return ISSUER_DEFAULT
    from govpub.orgs.models import Unit, UnitKind

    office = Unit.objects.filter(kind=UnitKind.OPEN_OFFICE).order_by("pk").first()
    return office.name if office else "政务公开办公室"


def _font(run, name: str, size_pt: float, *, bold=False, color=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = name
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)
    if color:
        run.font.color.rgb = RGBColor(*color)


def _paragraph(doc, text="", *, font=FANGSONG, size=16, align=None, indent_chars=0, bold=False, color=None,
               space_after=0):
    from docx.shared import Pt

    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(space_after)
    fmt.line_spacing = Pt(28.9)  # 22 lines on the 225 mm type area (GB/T 9704 §5.2.2)
    if align is not None:
        p.alignment = align
    if indent_chars:
        fmt.first_line_indent = Pt(size * indent_chars)
    if text:
        _font(p.add_run(text), font, size, bold=bold, color=color)
    return p


def _red_rule(paragraph):
    """The red separator line under the 版头 (GB/T 9704 §7.2.5), as a paragraph border."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "12"), ("space", "1"), ("color", "E60012")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    ppr.append(borders)


def official_document(issuer: str):
    """A new GB/T 9704 document: A4 with the standard margins, and the 版头 — the issuing office in red
    小标宋, centred, over the red rule."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    # A4, 天头 37 mm, 订口 28 mm, type area 156 × 225 mm (GB/T 9704 §5.2.1).
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _paragraph(doc, issuer, font=XIAOBIAOSONG, size=26, align=WD_ALIGN_PARAGRAPH.CENTER, color=RED)
    _red_rule(_paragraph(doc))
    return doc


def build_letter(ticket) -> bytes:
    """The letter for one ticket; deterministic from the ticket's data."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    issuer = issuer_name()
    doc = official_document(issuer)
    props = doc.core_properties
    props.title = f"关于限期整改{ticket.channel.name}有关问题的函"
    props.subject = ticket.letter_no
    props.author = issuer
    # 发文字号 (信函格式: right, under the red rule).
    _paragraph(doc, ticket.letter_no or "", size=16, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc)
    # 标题: 二号小标宋, centred.
    _paragraph(doc, f"关于限期整改{ticket.channel.name}有关问题的函", font=XIAOBIAOSONG, size=22,
               align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc)
    # 主送机关: flush left, followed by a full-width colon.
    _paragraph(doc, f"{ticket.unit.name}：")
    created = timezone.localtime(ticket.created_at).date()
    body = [
        f"根据《政府网站与政务新媒体检查指标》和本区政府网站与政务新媒体信息内容管理有关规定，"
        f"我办在日常监管中发现你单位承办的{ticket.channel.get_kind_display()}“{ticket.channel.name}”存在以下问题：",
        f"{ticket.title}。{ticket.description}" if not ticket.problems.exists() else f"{ticket.title}。",
    ]
    # Several problems in one letter: each on its own numbered line (一、二、…), with where it was seen.
    body += [f"{chinese_ordinal(p.position)}、{p.text.rstrip('。；;')}" + (f"（{p.url}）" if p.url else "") + "。"
             for p in ticket.problems.all()]
    if ticket.evidence:
        body.append(f"问题证据：{ticket.evidence}")
    body.append(f"请你单位高度重视，认真核查，立即整改，并于{chinese_date(ticket.deadline)}前将整改情况"
                f"（附整改证明材料）通过政务信息审核发布管理平台报送我办。逾期未整改的，将依规责令暂停信息发布直至关停。")
    body.append("特此函告。")
    for text in body:
        _paragraph(doc, text, indent_chars=2)
    _paragraph(doc)
    _paragraph(doc)
    # 落款 and 成文日期: right, the date in Arabic numerals (GB/T 9704 §7.3.5).
    _paragraph(doc, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc, chinese_date(created), align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(doc)
    _paragraph(doc, f"（联系人：{ticket.created_by.display_name}"
                    + (f"，联系电话：{ticket.created_by.phone}" if ticket.created_by.phone else "") + "）",
               indent_chars=2)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
