"""Build real .docx/.xlsx/.pdf test files."""

from __future__ import annotations

import io
import zipfile

VALID_ID = "110101199003074514"


def make_docx(path) -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    d.core_properties.title = "关于印发工作方案的通知"
    d.core_properties.author = "张三"
    d.core_properties.comments = f"联系人身份证{VALID_ID}"
    d.add_paragraph("各单位要认真布署落实。")
    p = d.add_paragraph("正文可见部分。")
    hidden = p.add_run("隐藏的手机号13912345678")
    hidden.font.hidden = True
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text = "单元格"
    t.cell(0, 1).text = "加微信abc12345"
    d.sections[0].header.paragraphs[0].text = "秘密★1年"
    d.sections[0].footer.paragraphs[0].text = "页脚 http://192.168.1.10/oa"
    tracked = d.add_paragraph("修订：")
    w_ins = parse_xml(
        f'<w:ins {nsdecls("w")} w:id="1" w:author="李四" w:date="2024-01-01T00:00:00Z">'
        '<w:r><w:t>插入了赌博网站链接</w:t></w:r></w:ins>')
    w_del = parse_xml(
        f'<w:del {nsdecls("w")} w:id="2" w:author="李四" w:date="2024-01-01T00:00:00Z">'
        f'<w:r><w:delText>删除的身份证号{VALID_ID}</w:delText></w:r></w:del>')
    tracked._p.append(w_ins)
    tracked._p.append(w_del)
    cp = d.add_paragraph("批注所在段落")
    d.add_comment(cp.runs, text="批注：这个狗官", author="王五")
    d.save(path)


def make_xlsx(path) -> None:
    import openpyxl
    from openpyxl.comments import Comment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名单"
    ws["A1"] = "姓名"
    ws["B1"] = "说明"
    ws["C1"] = "身份证号"
    ws["A2"] = "张三"
    ws["B2"] = "截止2023年底"
    ws["C2"] = VALID_ID
    ws.column_dimensions["C"].hidden = True
    ws["A3"] = "隐藏行：加微信abc12345"
    ws.row_dimensions[3].hidden = True
    ws["A4"] = 13912345678
    ws["B4"].comment = Comment("批注里的赌博网站", "王五")
    hs = wb.create_sheet("隐藏表")
    hs["A1"] = "秘密★1年"
    hs.sheet_state = "hidden"
    wb.properties.title = "名单表"
    wb.save(path)


def make_pdf(lines: list[str], title: str = "") -> bytes:
    """A tiny valid PDF (Helvetica, ASCII text) written by hand."""
    content = "BT /F1 12 Tf 72 720 Td " + " ".join(
        f"({ln}) Tj 0 -16 Td" for ln in lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Title ({title}) /Author (Tester) >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R /Info 6 0 R >>\n"
              f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def make_zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()
