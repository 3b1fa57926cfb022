"""Published demo items for the public website (`govpub serve --demo`). Idempotent: an item whose title
already exists is skipped. Every item goes through the real actions: written by demo-editor, machine-checked
on submit, reviewed by demo-editor2 (初审), demo-office-head (复审) and demo-deputy (终审), published."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from govpub.channels.models import Channel, ChannelKind
from govpub.content import actions as content_actions
from govpub.content.models import Item
from govpub.orgs.models import Person, Unit
from govpub.publishing import actions as publishing_actions
from govpub.review import actions as review_actions
from govpub.review.evidence import acknowledged
from govpub.review.models import CHECKLIST_KEYS

DISTRICT = "鄂州市临空经济区管理委员会"
REVIEWERS = ["demo-editor2", "demo-office-head", "demo-deputy"]


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


# (column slug, title, body html, extra revision fields, attach the demo PDF)
ITEMS = [
    ("gzdt", "临空经济区召开招商引资工作推进会", _p(
        "11月20日，临空经济区召开招商引资工作推进会，总结前三季度招商引资工作，部署下一阶段重点任务。",
        "会议指出，今年以来全区新签约项目42个，协议投资额186亿元，航空物流、电子信息等产业链项目加快集聚。",
        "会议要求，各部门要坚持把招商引资和项目建设作为经济工作的重要抓手，强化要素保障，优化营商环境，"
        "推动签约项目早开工、早投产、早见效。"), {}, False),
    ("gzdt", "临空经济区开展冬季安全生产大检查", _p(
        "为切实做好冬季安全生产工作，临空经济区近日组织应急管理、住建、市场监管等部门开展安全生产大检查。",
        "检查组深入建筑工地、物流仓储企业和人员密集场所，重点检查消防设施、用电安全和应急预案落实情况，"
        "对发现的问题当场反馈，督促企业限期整改。"), {}, False),
    ("gzdt", "临空经济区举办政务公开业务培训班", _p(
        "为提升政务公开工作人员业务能力，临空经济区举办政务公开业务培训班，各乡镇、各部门政务公开工作人员参加培训。",
        "培训围绕政府信息公开条例、政府网站与政务新媒体管理、信息发布审核等内容进行讲解，"
        "要求严格落实“先审查、后公开”和“谁公开、谁审核”的要求。"), {}, False),
    ("gzdt", "管委会主要负责同志调研重点项目建设", _p(
        "近日，管委会主要负责同志深入临空经济区重点项目建设现场，实地查看项目进展情况。",
        "调研指出，要紧盯项目建设时间节点，统筹做好质量、安全和进度管理，确保重点项目按期投用。"), {}, False),
    ("tzgg", "关于2026年元旦放假安排的通知", _p(
        "各乡镇人民政府，区直各部门：",
        "根据国务院办公厅通知精神，现将2026年元旦放假安排通知如下：1月1日放假，共1天。",
        "节日期间，各单位要妥善安排值班和安全保卫等工作，遇有重大突发事件及时报告并妥善处置。"),
     {"summary": "2026年元旦放假安排。"}, False),
    ("tzgg", "关于开展政府网站和政务新媒体自查工作的通知", _p(
        "各乡镇人民政府，区直各部门：",
        "为进一步加强政府网站和政务新媒体管理，现决定在全区开展自查工作。",
        "请各单位对照政府网站与政务新媒体检查指标，重点检查信息更新、互动回应和信息发布审核等情况，"
        "于12月15日前将自查报告报送区政务公开办。"), {}, False),
    ("tzgg", "关于公开征求《临空经济区促进现代物流业发展若干措施（征求意见稿）》意见的公告", _p(
        "为促进现代物流业高质量发展，区发展改革局起草了《临空经济区促进现代物流业发展若干措施（征求意见稿）》，"
        "现向社会公开征求意见。",
        "公众可通过本网站互动交流栏目提出意见建议，征求意见时间为2026年11月25日至12月25日。"),
     {"issuing_org": "区发展改革局"}, False),
    ("tzgg", "燕矶大道部分路段施工期间交通管制的通告", _p(
        "因燕矶大道道路改造工程施工需要，自12月1日起对燕矶大道部分路段实行交通管制，请过往车辆绕行。",
        "施工期间给市民出行带来的不便，敬请谅解。"), {}, False),
    ("zcwj", "临空经济区管委会关于印发《临空经济区招商引资优惠政策实施办法》的通知", _p(
        "各乡镇人民政府，区直各部门：",
        "《临空经济区招商引资优惠政策实施办法》已经管委会研究同意，现印发给你们，请认真贯彻执行。",
        "本办法对新引进的先进制造业、航空物流和现代服务业项目，在用地保障、人才引进和企业服务等方面给予支持。"),
     {"index_no": "LKJJQ-2026-00031", "issuing_org": DISTRICT, "written_on": dt.date(2026, 3, 10),
      "doc_no": "鄂临管发〔2026〕3号", "topic": "综合政务"}, True),
    ("zcwj", "临空经济区管委会办公室关于印发《2026年政务公开工作要点》的通知", _p(
        "各乡镇人民政府，区直各部门：",
        "现将《临空经济区2026年政务公开工作要点》印发给你们，请结合实际认真抓好落实。",
        "各单位要围绕重点领域信息公开、政策解读回应和平台建设管理等方面，明确责任分工，确保各项任务落到实处。"),
     {"index_no": "LKJJQ-2026-00012", "issuing_org": "区党政办公室", "written_on": dt.date(2026, 2, 18),
      "doc_no": "鄂临管办发〔2026〕2号", "topic": "政务公开"}, False),
    ("zcwj", "临空经济区关于进一步优化营商环境的实施意见", _p(
        "为深入推进营商环境建设，激发市场主体活力，结合临空经济区实际，提出如下实施意见。",
        "一、深化政务服务改革，推行企业开办一日办结。二、加强要素保障，提高项目审批效率。"
        "三、健全政企沟通机制，及时回应企业诉求。"),
     {"index_no": "LKJJQ-2025-00088", "issuing_org": DISTRICT, "written_on": dt.date(2025, 9, 26),
      "doc_no": "鄂临管发〔2025〕15号", "topic": "经济管理"}, False),
    ("zcjd", "一图读懂《临空经济区招商引资优惠政策实施办法》", _p(
        "《临空经济区招商引资优惠政策实施办法》近日印发。办法明确了支持对象、支持方式和申报程序。",
        "符合条件的企业可向区发展改革局提出申请，经审核后按规定享受相关政策。"), {}, False),
    ("zcjd", "《临空经济区2026年政务公开工作要点》解读", _p(
        "工作要点从加强政策公开解读、推进重点领域信息公开、提升平台建设管理水平三个方面部署了年度重点任务。",
        "区政务公开办将加强日常监测和督促指导，推动各项任务落实。"), {}, False),
    ("xzdt", "燕矶镇开展冬季植树造林活动", _p(
        "近日，燕矶镇组织机关干部和志愿者开展冬季植树造林活动，在长江沿线栽种树苗三千余株。",
        "活动进一步增强了群众爱绿护绿意识，助力长江大保护。"), {}, False),
    ("xzdt", "杨叶镇扎实推进农村人居环境整治", _p(
        "杨叶镇以村庄清洁行动为抓手，组织开展房前屋后环境卫生整治，持续改善农村人居环境。",
        "全镇共清理生活垃圾二百余吨，整治沟渠十五公里。"), {}, False),
    ("bmdt", "区卫生健康局开展义诊进社区活动", _p(
        "区卫生健康局组织辖区医疗机构医务人员走进社区开展义诊活动，为居民提供健康咨询、血压测量等服务。",
        "活动共服务群众三百余人次，发放健康宣传资料五百余份。"), {}, False),
    ("bmdt", "区财政局召开预算绩效管理工作会议", _p(
        "区财政局召开预算绩效管理工作会议，通报上半年预算执行情况，部署下一阶段预算绩效管理工作。",
        "会议要求，各单位要强化绩效目标管理，提高财政资金使用效益。"), {}, False),
    ("gknb", "临空经济区2025年政府信息公开工作年度报告", _p(
        "本报告依据《中华人民共和国政府信息公开条例》编制，内容包括总体情况、主动公开政府信息情况、"
        "收到和处理政府信息公开申请情况等。",
        "2025年，临空经济区坚持以公开为常态、不公开为例外，全年主动公开政府信息一千二百余条。"),
     {"index_no": "LKJJQ-2026-00005", "issuing_org": "区政务公开办", "written_on": dt.date(2026, 1, 20),
      "topic": "政务公开"}, False),
    ("gkzn", "临空经济区政府信息公开指南", _p(
        "为便于公民、法人和其他组织获取政府信息，根据《中华人民共和国政府信息公开条例》，编制本指南。",
        "本指南包括主动公开、依申请公开、监督和救济等内容。"),
     {"index_no": "LKJJQ-2026-00001", "issuing_org": "区政务公开办", "written_on": dt.date(2026, 1, 5),
      "topic": "政务公开"}, False),
    ("fdzdgknr", "临空经济区2026年部门预算公开说明", _p(
        "根据预算公开有关规定，现将临空经济区管委会2026年部门预算公开如下。",
        "2026年收入预算、支出预算及“三公”经费预算情况详见附表。"),
     {"index_no": "LKJJQ-2026-00021", "issuing_org": "区财政局", "written_on": dt.date(2026, 2, 28),
      "topic": "财政预算"}, False),
    ("fdzdgknr", "临空经济区管委会机构职能", _p(
        "临空经济区管委会负责统筹区域经济社会发展，组织实施发展规划和产业政策，承担招商引资、项目建设、"
        "社会事务管理等职责。"),
     {"index_no": "LKJJQ-2026-00002", "issuing_org": DISTRICT, "written_on": dt.date(2026, 1, 8),
      "topic": "机构职能"}, False),
]


def demo_pdf() -> bytes:
    """A small valid one-page PDF, built in code (offsets computed, so readers accept it)."""
    stream = b"BT /F1 18 Tf 72 720 Td (Linkong Economic Zone - demo attachment) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _approve(item: Item, usernames, comment: str) -> None:
    for username in usernames:
        item.refresh_from_db()
        review_actions.record_decision(
            item, acting_user=Person.objects.get(username=username),
            revision_hash=item.current_revision.content_hash, decision="approve",
            checklist={key: True for key in CHECKLIST_KEYS}, confidentiality_ok=True, proofread_ok=True,
            comment=comment, point_notes=acknowledged(item.current_revision, "演示数据：已核对机审提示"))


def _publish(item: Item, editor: Person) -> None:
    review_actions.submit_for_review(item, acting_user=editor)
    _approve(item, REVIEWERS, "同意发布")
    item.refresh_from_db()
    publishing_actions.publish_item(item, acting_user=editor, revision_hash=item.current_revision.content_hash)


# One item left at 终审 so a leader signing in to the demo finds real work in the 待办: the 初审 and 复审
# have passed, the machine check warns about a typo beside (四).
WAITING = ("tzgg", "关于开展冬季安全生产大检查的通知", _p(
    "为切实做好冬季安全生产工作，经研究，决定在全区开展冬季安全生产大检查。",
    "各单位要认真贯切落实安全生产责任制，于12月20日前完成自查自纠，并将自查情况报区应急管理部门。"))


def _leave_at_final_review(item: Item, editor: Person) -> None:
    review_actions.submit_for_review(item, acting_user=editor)
    _approve(item, REVIEWERS[:2], "同意")


def seed_demo_content() -> int:
    """Create and publish the demo items that do not exist yet. Returns how many were published."""
    site = Channel.objects.filter(kind=ChannelKind.WEBSITE).order_by("id").first()
    if site is None:
        return 0
    editor = Person.objects.get(username="demo-editor")
    unit = Unit.objects.get(name="区党政办公室")
    columns = {c.slug: c for c in site.columns.all()}
    existing = set(Item.objects.filter(unit=unit).values_list("current_revision__title", flat=True))
    seeded = []
    for slug, title, body, extra, with_pdf in ITEMS:
        if title in existing or slug not in columns:
            continue
        item = content_actions.create_item(acting_user=editor, unit=unit, title=title, body_html=body,
                                           targets=[f"column:{columns[slug].pk}"], **extra)
        if with_pdf:
            upload = SimpleUploadedFile("招商引资优惠政策实施办法.pdf", demo_pdf(), content_type="application/pdf")
            content_actions.add_attachment(item, upload, acting_user=editor)
        _publish(item, editor)
        seeded.append(item.get_absolute_url())
    slug, title, body = WAITING
    if title not in existing and slug in columns:
        item = content_actions.create_item(acting_user=editor, unit=unit, title=title, body_html=body,
                                           targets=[f"column:{columns[slug].pk}"])
        _leave_at_final_review(item, editor)  # its 待终审 notification stays unread: it is real work
    # The history was made by the seeding, not by anyone at work: start the demo with a clean inbox.
    from django.utils import timezone

    from govpub.notifications.models import Notification

    Notification.objects.filter(link__in=seeded, read_at__isnull=True).update(read_at=timezone.now())
    return len(seeded)
