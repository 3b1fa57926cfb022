"""The REST API /api/v1/ — thin: parse the request, call the action, shape the answer (DESIGN.md §3, §4)."""

from __future__ import annotations

from typing import Literal, Optional

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import File, Form, NinjaAPI, Status, UploadedFile
from ninja.errors import HttpError
from ninja.renderers import JSONRenderer

from govpub.channels.targets import allowed_targets
from govpub.content import actions as content_actions
from govpub.content import policy as content_policy
from govpub.content.files import MAX_ATTACHMENT_BYTES
from govpub.content.models import Attachment, Item, MachineFinding, Revision
from govpub.content.paste import HTML_TOO_LARGE, MAX_HTML_BYTES, clean_paste
from govpub.content.references import body_url
from govpub.content.typeset import typeset
from govpub.content.wordimport import read_upload
from govpub.notifications import actions as notification_actions
from govpub.notifications.models import Notification
from govpub.notifications.policy import unread_for
from govpub.orgs.models import Unit
from govpub.orgs.policy import can_view_unit, get_visible_or_404, require
from govpub.publishing import actions as publishing_actions
from govpub.publishing.models import Publication
from govpub.review import actions as review_actions
from govpub.review.models import Decision, ReviewRun, RunStatus, Step
from govpub.review.policy import required_steps
from govpub.supervision import actions as supervision_actions
from govpub.supervision import policy as supervision_policy
from govpub.supervision import uptime
from govpub.supervision.desk import desk
from govpub.supervision.duties import duties_for
from govpub.supervision.indicators import current_version
from govpub.supervision.models import Ticket

from . import errors
from . import schemas as s
from .auth import TokenAuth

class Utf8JSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese stays readable in responses


api = NinjaAPI(
    renderer=Utf8JSONRenderer(),
    title="GovPub 政务信息审核发布接口",
    version="1",
    description="稿件、版本、机审、三审三校、发布与撤稿。认证：`Authorization: Bearer <令牌>`"
                "（令牌由 `govpub token create 用户名` 生成）。不提供批量操作：一次请求只处理一个稿件、一个版本。",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url=None,  # the interactive docs page would load assets from a CDN; the schema is at /openapi.json
    openapi_url="/openapi.json",
)
errors.install(api)

E = s.Error
# 429: the rate limit (govpub/web/ratelimit.py) answers before any operation runs.
COMMON = {401: E, 404: E, 429: E}
MUTATION = {**COMMON, 400: s.FieldError, 403: E, 422: s.Invalid}


# ---- shaping ----

def _revision(rev: Revision) -> dict:
    return {
        "number": rev.number, "hash": rev.content_hash, "title": rev.title, "body_html": rev.body_html,
        "summary": rev.summary, "source": {"kind": rev.source_kind, "name": rev.source_name, "url": rev.source_url},
        "major": rev.major, "major_reason": rev.major_reason, "correction_note": rev.correction_note,
        "metadata": {"index_no": rev.index_no, "issuing_org": rev.issuing_org, "written_on": rev.written_on,
                     "doc_no": rev.doc_no, "topic": rev.topic},
        "targets": list(rev.targets), "created_at": rev.created_at, "created_by": rev.created_by.username,
    }


def _steps(item: Item) -> tuple[list[dict], str | None]:
    """The steps of the current revision's latest run (or the steps it will need), and the step waiting now."""
    revision = item.current_revision
    run = (ReviewRun.objects.filter(item=item, revision=revision).exclude(status=RunStatus.VOIDED)
           .prefetch_related("decisions__reviewer").order_by("-id").first())
    if run is None:
        return [{"step": step, "label": Step(step).label, "status": "not_started"}
                for step in required_steps(revision.major)], None
    decisions = {d.step: d for d in run.decisions.all()}
    current = run.next_step
    rows = []
    for step in run.steps:
        row = {"step": step, "label": Step(step).label}
        decision = decisions.get(step)
        if decision is not None:
            status = {Decision.Outcome.APPROVE: "approved", Decision.Outcome.RETURN: "returned",
                      Decision.Outcome.REJECT: "rejected"}[decision.decision]
            row.update(status=status, reviewer=decision.reviewer.username, decided_at=decision.decided_at,
                       comment=decision.comment)
        elif step == current:
            row["status"] = "pending"
        else:
            row["status"] = "waiting" if run.status == RunStatus.ACTIVE else "not_reached"
        rows.append(row)
    return rows, current


def _findings(revision: Revision) -> list[dict]:
    return [f.as_dict() for f in revision.findings.all()]


def _item(item: Item) -> dict:
    item = (Item.objects.select_related("unit", "author", "current_revision__created_by", "live_revision")
            .get(pk=item.pk))
    steps, current = _steps(item)
    return {"id": item.pk, "unit": {"id": item.unit_id, "name": item.unit.name}, "author": item.author.username,
            "state": item.state, "current_step": current, "revision": _revision(item.current_revision),
            "live_revision": item.live_revision.number if item.live_revision_id else None,
            "steps": steps, "findings": _findings(item.current_revision),
            "withdrawn_reason": item.withdrawn_reason,
            "source_documents": [_source_document(a) for a in item.attachments.filter(kind=Attachment.Kind.SOURCE_DOCX)]}


def _source_document(attachment: Attachment) -> dict:
    return {"id": attachment.pk, "name": attachment.name, "size": attachment.size,
            "uploaded_at": attachment.uploaded_at, "has_hidden_content": attachment.has_hidden_content}


def _item_with_publications(request, item: Item) -> dict:
    publications = Publication.objects.filter(item=item)
    return {**_item(item), "publications": _publications(request, publications.order_by("id"))}


def _publications(request, publications) -> list[dict]:
    rows = []
    for p in publications.select_related("channel", "column", "revision"):
        label = f"{p.channel.name} / {p.column.path_name}" if p.column_id else str(p.channel)
        rows.append({"target": p.target, "label": label, "status": p.status, "status_label": p.get_status_display(),
                     "revision_number": p.revision.number, "created_at": p.created_at,
                     "url": request.build_absolute_uri(p.url) if p.url else None})
    return rows


def _revision_fields(data: dict) -> dict:
    """API field names → the content action's field names."""
    data = dict(data)
    fields = {f"source_{key}": value for key, value in (data.pop("source", None) or {}).items()}
    fields.update(data.pop("metadata", None) or {})
    fields.update(data)
    return fields


# ---- lookups: what the caller may not see is a 404, as if it did not exist (the actions answer 403 for
# what the caller sees but may not do) ----

def _visible(request, item_id: int) -> Item:
    return get_visible_or_404(content_policy.can_view_item, request.auth, Item, pk=item_id)


# ---- endpoints ----

@api.post("/items", response={201: s.ItemCreatedOut, **MUTATION}, tags=["稿件"], summary="新建稿件（第 1 版）")
def create_item(request, payload: s.ItemCreateIn):
    data = payload.model_dump()
    unit_id = data.pop("unit")
    unit = (get_visible_or_404(can_view_unit, request.auth, Unit, pk=unit_id) if unit_id is not None
            else content_policy.only_editor_unit(request.auth))
    item = content_actions.create_item(acting_user=request.auth, unit=unit, **_revision_fields(data))
    item.refresh_from_db()
    return Status(201, {"id": item.pk, "state": item.state, "revision": _revision(item.current_revision)})


@api.patch("/items/{int:item_id}", response={200: s.RevisionSavedOut, 409: s.EditConflictOut, **MUTATION},
           tags=["稿件"], summary="修改稿件：内容有变化则生成新版本（created=true），否则返回当前版本；"
                                "base_revision 不是当前版本时返回 409 及当前版本，不覆盖他人的修改")
def update_item(request, item_id: int, payload: s.ItemPatchIn):
    item = _visible(request, item_id)
    changes = payload.model_dump(exclude_unset=True)
    base = changes.pop("base_revision", None)
    revision, created = content_actions.save_revision(item, acting_user=request.auth, base_revision=base,
                                                      **_revision_fields(changes))
    item.refresh_from_db()
    return {"id": item.pk, "state": item.state, "created": created, "revision": _revision(revision)}


@api.post("/items/{int:item_id}/files", response={201: s.FileOut, **MUTATION}, tags=["稿件"], url_name="upload_file",
          summary="上传文件（multipart/form-data）：kind=image 为正文图片（须填 alt 替代文字；经重新编码去除 EXIF/GPS 等"
                  "元数据，不单独生成版本，引用它的正文保存时进入新版本），kind=file 为附件（随即生成新版本）")
def upload_file(request, item_id: int, file: File[UploadedFile] = None, kind: Form[Literal["image", "file"]] = "image",
                alt: Form[str] = ""):
    item = _visible(request, item_id)
    require(content_policy.can_edit_item(request.auth, item), content_policy.EDIT_ITEM_REFUSAL)
    if file is None:
        too_large = getattr(request, "upload_too_large", None)
        raise ValidationError({"file": [f"文件“{too_large}”过大，未能上传。" if too_large else "请在 file 字段上传文件。"]})
    if kind == "image":
        attachment = content_actions.add_body_image(item, file, acting_user=request.auth, alt=alt)
        revision = None
    else:
        attachment = content_actions.add_attachment(item, file, acting_user=request.auth)
        item.refresh_from_db()
        revision = item.current_revision.number
    return Status(201, {"id": attachment.pk, "kind": kind, "name": attachment.name, "size": attachment.size,
                        "content_type": attachment.content_type, "width": attachment.width,
                        "height": attachment.height, "url": body_url(attachment.pk), "revision": revision})


WORD_FILE = File(None, description="Word 或 WPS 文件：.docx、.doc、.wps（类型按内容判断，不超过附件大小上限）")


def _imported(item: Item, revision: Revision, created: bool, word) -> dict:
    item.refresh_from_db()
    original = item.attachments.filter(kind=Attachment.Kind.SOURCE_DOCX).order_by("-uploaded_at", "-id").first()
    return {"id": item.pk, "state": item.state, "created": created, "revision": _revision(revision),
            "images": len(word.images), "notes": word.notes, "source_document": _source_document(original)}


def _word(request, file):
    """The imported file; asked for only after the caller was found allowed to import."""
    too_large = getattr(request, "upload_too_large", None)
    if too_large:
        raise ValidationError({"file": [f"文件“{too_large}”过大，单个文件不能超过 {MAX_ATTACHMENT_BYTES // 1048576} MB。"]})
    if file is None:
        raise ValidationError({"file": ["请在 file 字段上传要导入的 Word 或 WPS 文件（.docx、.doc、.wps）。"]})
    return read_upload(file)


@api.post("/items/import", response={201: s.ImportedOut, **MUTATION}, tags=["稿件"], url_name="import_item",
          summary="从 Word / WPS 文件新建稿件（multipart：file，及 unit——只为一个单位撰稿时可省略）",
          description="与页面上“导入 Word 或 WPS 文件”相同：.doc、.wps 由服务器上的 LibreOffice 转换（限时）；"
                      "正文取自文件，标题取文件中的第一个标题（没有则取文件名）；文件中的 JPEG、PNG、GIF 图片"
                      "（及可转换为 PNG 的图片）保存为本稿件的图片并保留在正文原位置；原文件作为“Word 原稿”保存，不发布。")
def import_item(request, file: UploadedFile = WORD_FILE,
                unit: Optional[int] = Form(None, description="单位 id；只为一个单位撰稿时可省略")):
    target = (get_visible_or_404(can_view_unit, request.auth, Unit, pk=unit) if unit is not None
              else content_policy.only_editor_unit(request.auth))
    require(content_policy.can_create_item(request.auth, target), content_policy.CREATE_ITEM_REFUSAL)
    word = _word(request, file)
    item = content_actions.create_item(acting_user=request.auth, unit=target, word=word)
    return Status(201, _imported(item, item.current_revision, True, word))


@api.post("/items/{int:item_id}/import", response={200: s.ImportedOut, **MUTATION}, tags=["稿件"],
          url_name="import_into_item",
          summary="用 Word / WPS 文件替换稿件正文（multipart：file），生成一个新版本",
          description="与编辑页上“导入 Word 或 WPS 文件”相同：正文整体替换为文件内容，标题等其他内容不变，"
                      "图片保存为本稿件的图片并保留在正文原位置，原文件作为“Word 原稿”保存。")
def import_into_item(request, item_id: int, file: UploadedFile = WORD_FILE):
    item = _visible(request, item_id)
    require(content_policy.can_edit_item(request.auth, item), content_policy.EDIT_ITEM_REFUSAL)
    word = _word(request, file)
    revision, created = content_actions.save_revision(item, acting_user=request.auth, word=word)
    return _imported(item, revision, created, word)


def _annotation(a) -> dict:
    return {"id": a.pk, "step": a.step, "author": a.author.display_name, "quote": a.quote, "comment": a.comment,
            "revision_number": a.revision.number, "created_at": a.created_at}


@api.post("/items/{int:item_id}/annotations", response={201: s.AnnotationOut, **MUTATION}, tags=["审核"],
          summary="审核批注：对当前版本的一段原文提出意见（须为可办理当前审核环节的人员）")
def annotate(request, item_id: int, payload: s.AnnotationIn):
    note = review_actions.annotate(_visible(request, item_id), acting_user=request.auth, quote=payload.quote,
                                   comment=payload.comment)
    return Status(201, _annotation(note))


@api.get("/items/{int:item_id}/annotations", response={200: list[s.AnnotationOut], **COMMON}, tags=["审核"],
         summary="稿件的全部审核批注（撰稿人修改时查看）", url_name="annotations")
def annotations(request, item_id: int):
    from govpub.review.models import Annotation

    return [_annotation(a) for a in Annotation.objects.of_item(_visible(request, item_id))]


@api.get("/items/{int:item_id}/slip.pdf", response={**COMMON, 422: s.Invalid}, tags=["稿件"], url_name="slip_pdf",
         summary="审核签发单（PDF）：各审核环节的审核人、时间、十项审核要点、保密审查、校对、意见，版本指纹，发布渠道与时间",
         openapi_extra={"responses": {"200": {"description": "审核签发单", "content": {
             "application/pdf": {"schema": {"type": "string", "format": "binary"}}}}}})
def item_slip(request, item_id: int, revision: int | None = None):
    from django.http import Http404, HttpResponse

    from govpub.publishing import slip

    item = _visible(request, item_id)
    chosen = slip.revision_for(item, revision)
    if chosen is None:
        raise Http404("该稿件没有这个版本。")
    response = HttpResponse(slip.pdf(slip.build(item, chosen)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="slip-{item.pk}-v{chosen.number}.pdf"'
    return response


@api.get("/items/{int:item_id}/preview", response={200: s.PreviewOut, **COMMON, 422: s.Invalid}, tags=["稿件"], url_name="preview",
         summary="预览：网站页面的地址与正文、微信图文（标题、摘要、正文及微信将拒绝的问题）；默认当前版本")
def preview(request, item_id: int, revision: int | None = None):
    from govpub.publishing.connectors import wechat

    item = _visible(request, item_id)
    rev = item.revision_or_current(revision)
    if rev is None:
        raise Http404
    return {"revision_number": rev.number, "title": rev.title, "body_html": rev.body_html,
            "site_preview_url": request.build_absolute_uri(
                reverse("item_preview_site", args=[item.pk]) + f"?revision={rev.number}"),
            "wechat": wechat.preview(rev)}


@api.get("/items/{int:item_id}", response={200: s.ItemOut, **COMMON}, tags=["稿件"],
         summary="稿件详情：状态、当前版本、审核环节、机审问题，以及各发布目标的投递状态和网址")
def get_item(request, item_id: int):
    return _item_with_publications(request, _visible(request, item_id))


@api.post("/items/{int:item_id}/submit", response={200: s.SubmitOut, 409: s.SubmitBlockedOut, **MUTATION},
          tags=["审核"], summary="提交审核（先机审；有未处理的阻断问题时返回 409 及问题列表）")
def submit(request, item_id: int):
    item = _visible(request, item_id)
    run = review_actions.submit_for_review(item, acting_user=request.auth)
    item.refresh_from_db()
    return {"id": item.pk, "state": item.state,
            "run": {"id": run.pk, "status": run.status, "steps": run.steps, "current_step": run.next_step,
                    "revision_number": run.revision.number, "revision_hash": run.revision_hash},
            "findings": _findings(run.revision)}


@api.post("/items/{int:item_id}/findings/apply", response={200: s.RevisionSavedOut, **MUTATION}, tags=["审核"],
          url_name="apply_suggestions",
          summary="应用所选机审修改建议：一次保存为一个新版本，随后按新版本重新机审")
def apply_suggestions(request, item_id: int, payload: s.ApplySuggestionsIn):
    item = _visible(request, item_id)
    revision = content_actions.apply_suggestions(item, payload.finding_ids, acting_user=request.auth)
    review_actions.check_current_revision(item, acting_user=request.auth)
    item.refresh_from_db()
    return {"id": item.pk, "state": item.state, "created": True, "revision": _revision(revision)}


@api.post("/items/{int:item_id}/findings/{int:finding_id}/dismiss",
          response={200: s.StoredFindingOut, 409: E, **MUTATION}, tags=["审核"],
          summary="忽略一个机审问题（须填写理由，审核人员可见）")
def dismiss_finding(request, item_id: int, finding_id: int, payload: s.DismissIn):
    item = _visible(request, item_id)
    finding = get_object_or_404(MachineFinding, pk=finding_id, revision__item=item)
    finding = review_actions.dismiss_finding(finding, acting_user=request.auth, reason=payload.reason)
    return finding.as_dict()


@api.post("/items/{int:item_id}/decisions", response={200: s.DecisionOut, 409: E, **MUTATION}, tags=["审核"],
          summary="对当前环节作出审核意见（一事一审；revision_hash 须为当前版本）")
def decide(request, item_id: int, payload: s.DecisionIn):
    item = _visible(request, item_id)
    record = review_actions.record_decision(
        item, acting_user=request.auth, revision_hash=payload.revision_hash, decision=payload.decision,
        checklist=payload.checklist.model_dump() if payload.checklist else {}, confidentiality_ok=payload.confidentiality_ok,
        proofread_ok=payload.proofread_ok, comment=payload.comment, point_notes=payload.point_notes)
    item.refresh_from_db()
    run = ReviewRun.objects.prefetch_related("decisions").get(pk=record.run_id)
    return {"id": record.pk, "step": record.step, "decision": record.decision, "reviewer": request.auth.username,
            "decided_at": record.decided_at, "revision_hash": record.revision_hash, "state": item.state,
            "current_step": run.next_step}


@api.get("/channels", response={200: list[s.UnitChannelsOut], 401: E, 429: E}, tags=["渠道"],
         summary="本人可发布的渠道与栏目（按本人担任经办人的单位）")
def channels(request):
    result = []
    for unit in content_policy.editor_units(request.auth).order_by("name"):
        by_channel: dict[int, dict] = {}
        for target in allowed_targets(unit):
            channel = by_channel.setdefault(target.channel.pk, {
                "id": target.channel.pk, "key": None if target.channel.is_website else target.key,
                "kind": target.channel.kind, "name": target.channel.name, "status": target.channel.status,
                "columns": []})
            if target.column is not None:
                channel["columns"].append({"id": target.column.pk, "key": target.key, "name": target.column.name,
                                           "path": target.column.path_name})
        result.append({"unit": {"id": unit.pk, "name": unit.name}, "channels": list(by_channel.values())})
    return result


@api.post("/items/{int:item_id}/publish", response={200: s.PublishOut, 409: s.GateRefusedOut, **MUTATION},
          tags=["发布"], summary="发布（或定时发布）审核通过的当前版本；发布闸门拒绝时返回 409 及原因")
def publish(request, item_id: int, payload: s.PublishIn):
    item = _visible(request, item_id)
    publications = publishing_actions.publish_item(item, acting_user=request.auth,
                                                   revision_hash=payload.revision_hash, at=payload.at)
    item.refresh_from_db()
    publications = Publication.objects.filter(pk__in=[p.pk for p in publications]).order_by("id")
    return {"id": item.pk, "state": item.state, "scheduled_at": item.scheduled_at,
            "publications": _publications(request, publications)}


@api.post("/items/{int:item_id}/withdraw", response={200: s.PublishOut, **MUTATION}, tags=["发布"],
          summary="撤稿（须填写原因；从所有渠道撤下，历史全部保留）")
def withdraw(request, item_id: int, payload: s.WithdrawIn):
    item = _visible(request, item_id)
    item = publishing_actions.withdraw_item(item, acting_user=request.auth, reason=payload.reason)
    publications = Publication.objects.filter(item=item).order_by("id")
    return {"id": item.pk, "state": item.state, "scheduled_at": None,
            "publications": _publications(request, publications)}


@api.get("/todo", response={200: list[s.TodoOut], 401: E, 429: E}, tags=["待办"], summary="本人的全部待办（审核、修改、发布、人工发布、交办问题的签收与整改、核验、督查），最早的在前")
def todo(request):
    return [{"item": {"id": e.item.pk, "title": e.item.title, "state": e.item.state,
                      "unit": {"id": e.item.unit_id, "name": e.item.unit.name}} if e.item is not None else None,
             "kind": e.kind, "label": e.label, "title": e.title, "link": e.link, "unit": e.unit, "since": e.since,
             "waited_seconds": max(int(e.waited.total_seconds()), 0), "waited_text": e.waited_text}
            for e in duties_for(request.auth)]


def _notification(note: Notification) -> dict:
    return {"id": note.pk, "verb": note.verb, "message": note.message, "link": note.link,
            "created_at": note.created_at, "read_at": note.read_at}


@api.get("/notifications", response={200: list[s.NotificationOut], 401: E, 429: E}, tags=["通知"],
         summary="本人的未读通知（最新的在前，最多 50 条）", url_name="notification_list")
def notification_list(request):
    return [_notification(n) for n in unread_for(request.auth)[:50]]


@api.post("/notifications/{int:notification_id}/read", response={200: s.NotificationOut, **MUTATION}, tags=["通知"],
          summary="将本人的一条通知标为已读（别人的通知：403）", url_name="notification_mark_read")
def notification_mark_read(request, notification_id: int):
    note = notification_actions.mark_read(get_object_or_404(Notification, pk=notification_id), acting_user=request.auth)
    return _notification(note)


@api.post("/notifications/read-all", response={200: s.MarkedOut, **COMMON}, tags=["通知"],
          summary="将本人的全部未读通知标为已读", url_name="notification_mark_all_read")
def notification_mark_all_read(request):
    return {"marked": notification_actions.mark_all_read(acting_user=request.auth)}


@api.post("/check", response={200: s.CheckOut, 400: E, 401: E, 413: E, 422: s.Invalid, 429: E}, tags=["机审"],
          summary="机审一段文本或 HTML（HTML 按可见文本检查，偏移量针对返回的 text）；超过长度上限：413")
def check(request, payload: s.CheckIn):
    from govpub.lexicons.checker import current_checker, oversize_message

    if problem := oversize_message(text=payload.text, html=payload.html):
        raise HttpError(413, problem)
    checker = current_checker()

    if payload.html is not None:
        result = checker.check_html(payload.html, as_of=payload.as_of)
        return {"findings": [f.to_dict() for f in result.findings], "text": result.text}
    return {"findings": [f.to_dict() for f in checker.check_text(payload.text, as_of=payload.as_of)],
            "text": payload.text}


EDITOR_TOOL = {400: E, 401: E, 403: E, 413: E, 422: s.Invalid, 429: E}


def _editor_html(request, payload) -> str | None:
    """The HTML to transform, or None when it is over the editor's size limit (the caller answers 413)."""
    require(content_policy.can_use_editor_tools(request.auth), content_policy.EDITOR_TOOLS_REFUSAL)
    return payload.html if len(request.body) <= MAX_HTML_BYTES else None


@api.post("/editor/clean", response={**EDITOR_TOOL, 200: s.CleanedOut}, tags=["编辑"], url_name="clean_pasted_html",
          summary="清理粘贴的 HTML（Word、WPS、网页）：保留标题、段落、列表、表格（含合并单元格）、加粗斜体下划线和链接，"
                  "按保存正文时的同一规则净化；notes 说明未能带入的内容（如图片）。不保存任何内容")
def editor_clean(request, payload: s.EditorHtmlIn):
    html = _editor_html(request, payload)
    if html is None:
        return Status(413, {"detail": HTML_TOO_LARGE})
    pasted = clean_paste(html)
    return {"html": pasted.html, "notes": pasted.notes}


@api.post("/editor/typeset", response={**EDITOR_TOOL, 200: s.TypesetOut}, tags=["编辑"], url_name="typeset_body",
          summary="一键排版：删除空段落，中文语境下的半角标点改为全角，全角数字改为半角，"
                  "“一、”“（一）”“1.”开头的短段落设为二、三、四级标题；网址、数字、时间、英文和发文字号不动。不保存任何内容")
def editor_typeset(request, payload: s.EditorHtmlIn):
    html = _editor_html(request, payload)
    if html is None:
        return Status(413, {"detail": HTML_TOO_LARGE})
    return {"html": typeset(html)}


def _desk_row(row) -> dict:
    if isinstance(row, Ticket):
        return {"id": row.pk, "kind": "ticket", "title": row.title, "channel": row.channel.name, "unit": row.unit.name,
                "at": row.state_changed_at, "deadline": row.deadline, "page": reverse("ticket_detail", args=[row.pk])}
    return {"id": row.pk, "kind": row.kind, "title": row.message, "channel": row.channel.name,
            "unit": row.channel.operator_unit.name, "at": row.first_seen, "deadline": None,
            "page": f"{reverse('ticket_create')}?monitor={row.pk}"}


@api.get("/supervision/desk", response={200: list[s.DeskQueueOut], 401: E, 403: E, 429: E}, tags=["监管"],
         summary="区政务公开办的工作台：紧急监测问题、待核验整改、逾期和 3 天内到期的交办问题、可能触发单项否决的问题",
         url_name="desk_queues")
def desk_queues(request):
    supervision_policy.require(supervision_policy.can_view_desk(request.auth), supervision_policy.DESK_REFUSAL)
    return [{"key": q.key, "title": q.title, "count": q.count, "rows": [_desk_row(r) for r in q.rows]} for q in desk()]


@api.get("/supervision/uptime", response={200: list[s.UptimeOut], 401: E, 403: E, 422: s.Invalid, 429: E}, tags=["监管"],
         summary="各网站近几周的可用性（每周探测次数、失败次数、结论；没有探测的周为“无数据”）",
         url_name="uptime_table")
def uptime_table(request, weeks: int = 4):
    supervision_policy.require(supervision_policy.can_view_indicators(request.auth), supervision_policy.MONITOR_REFUSAL)
    rows = uptime.channel_table(current_version().config, timezone.localdate(), weeks=min(max(weeks, 1), 26))
    return [{"channel": r.channel.pk, "name": r.channel.name, "url": r.channel.url,
             "weeks": [{"week": w.start, "probes": w.probes, "failed": w.failed, "status": w.status, "label": w.label}
                       for w in r.weeks]} for r in rows]


def _scan_out(job) -> dict:
    result = job.result or {}
    return {"id": job.pk, "state": job.state, "url": job.params.get("url", ""), "pages": result.get("pages"),
            "serious": result.get("serious"), "total": result.get("total"), "error": result.get("error", ""),
            "findings": result.get("findings", [])}


@api.post("/supervision/scans", response={201: s.SiteScanOut, **MUTATION}, tags=["监管"],
          summary="临时检查任意网站（后台任务；结果用 GET 查询；已有临时检查进行中时 400）")
def start_site_scan(request, payload: s.SiteScanIn):
    job = supervision_actions.start_site_scan(acting_user=request.auth, url=payload.url, max_pages=payload.max_pages)
    return Status(201, _scan_out(job))


@api.get("/supervision/scans/{job_id}", response={200: s.SiteScanOut, 401: E, 403: E, 404: E, 422: s.Invalid, 429: E},
         tags=["监管"], summary="临时检查的进度和发现的问题（前 500 个）", url_name="site_scan")
def site_scan(request, job_id: int):
    from govpub.jobs.models import Job

    supervision_policy.require(supervision_policy.can_view_indicators(request.auth), supervision_policy.MONITOR_REFUSAL)
    return _scan_out(get_object_or_404(Job, kind="scan", pk=job_id))


@api.post("/supervision/monitoring", response={201: s.JobOut, **MUTATION}, tags=["监管"],
          summary="立即启动监测（与定时任务相同的后台任务；同类任务进行中时 400）")
def start_monitoring(request, payload: s.MonitoringIn):
    job = supervision_actions.start_monitoring(acting_user=request.auth, what=payload.what)
    label = supervision_actions.MONITORING_JOBS[job.kind]
    return Status(201, {"id": job.pk, "kind": job.kind, "state": job.state, "label": label})
