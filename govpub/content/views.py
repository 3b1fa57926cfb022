"""Staff UI for items (稿件): thin views over content actions; policy decides, templates only show."""

from __future__ import annotations

import difflib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from govpub.orgs.policy import get_visible_or_404, require
from govpub.ui.forms import add_form_errors
from govpub.ui.paging import paginate
from govpub.textcheck.findings import SEVERITY_LABELS  # 阻断 / 警告 / 提示, one set of words everywhere

from . import actions, panels, policy
from .files import MAX_ATTACHMENT_BYTES, clean_name, store_upload, stored_path
from .forms import ITEM_FIELDS, ItemFilterForm, ItemForm, initial_for, revision_values
from .images import accept_image
from .merge import merge
from .models import FIELD_LABELS, Attachment, Item, ItemState, Revision
from .references import body_url
from .suggestions import visible_text
from .wordimport import read_upload

CATEGORY_LABELS = {
    "secret": "涉密", "privacy": "个人隐私", "political": "政治性表述错误", "prohibited": "第十条禁止内容",
    "sensitive": "敏感性问题", "typo": "错别字", "wording": "表述不规范/格式", "advertising": "商业广告",
    "opinion": "情绪化个人观点", "link": "链接问题", "source": "来源问题",
}


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _get_item(request, pk) -> Item:
    return get_visible_or_404(policy.can_view_item, request.user,
                              Item.objects.select_related("current_revision", "live_revision", "unit", "author"), pk=pk)


# --- list ----------------------------------------------------------------------------------------------

def item_list(request):
    # A list shows titles: the bodies (kilobytes each) stay in the database.
    items = (policy.visible_items(request.user).select_related("current_revision", "unit", "author")
             .defer("current_revision__body_html"))
    from govpub.orgs.policy import visible_units

    form = ItemFilterForm(request.GET or None, units=visible_units(request.user).order_by("name"))
    if form.is_valid():
        if form.cleaned_data["state"]:
            items = items.filter(state=form.cleaned_data["state"])
        if form.cleaned_data["unit"]:
            items = items.filter(unit_id=form.cleaned_data["unit"])
        if form.cleaned_data["q"].strip():
            items = items.filter(Q(current_revision__title__contains=form.cleaned_data["q"].strip()))
    page, querystring = paginate(request, items.order_by("-updated_at", "-id"))
    return render(request, "content/item_list.html", {
        "page": page, "querystring": querystring, "form": form,
        "can_create": policy.editor_units(request.user).exists()})


# --- create / edit -------------------------------------------------------------------------------------

def _check_uploads(request, form) -> dict | None:
    """Validate everything before anything is saved; on trouble add Chinese errors and return None."""
    too_large = getattr(request, "upload_too_large", None)
    if too_large:
        form.add_error(None, f"文件“{too_large}”过大，单个文件不能超过 {MAX_ATTACHMENT_BYTES // 1048576} MB，"
                             f"未能上传。您填写的其他内容已保留，请重新选择较小的文件。")
    if not form.is_valid():
        return None
    data = form.cleaned_data
    result = {"word": None, "files": [], "cover": None}
    word = data.get("word_file")
    if word:
        try:
            result["word"] = read_upload(word)
        except ValidationError as error:
            form.add_error("word_file", _error_text(error))
    for upload in data.get("attachments") or []:
        try:
            store_upload(upload)
            result["files"].append(upload)
        except ValidationError as error:
            form.add_error("attachments", _error_text(error))
    if data.get("cover"):
        try:
            accept_image(data["cover"], clean_name(data["cover"].name))
            result["cover"] = data["cover"]
        except ValidationError as error:
            form.add_error("cover", _error_text(error))
    if form.errors:
        form.add_error(None, "未保存：请根据提示修改后重新提交。您填写的文字内容已保留，文件需要重新选择。")
        return None
    return result


def _fields_from(form) -> dict:
    return {name: form.cleaned_data[name] for name in ITEM_FIELDS if name in form.cleaned_data}


def _upload_args(uploads) -> dict:
    return {"files": uploads["files"], "cover_file": uploads["cover"], "word": uploads["word"]}


def _imported_notes(request, uploads):
    word = uploads["word"]
    if word:
        kept = f"，其中 {len(word.images)} 张图片已作为本稿件的图片保存在正文原位置" if word.images else ""
        messages.info(request, f"已导入 Word 文件“{word.name}”{kept}；原文件已作为“Word 原稿”保存（不发布）。")
        for note in word.notes:
            messages.warning(request, note)


def item_create(request):
    units = list(policy.editor_units(request.user).order_by("name"))
    require(bool(units), "只有经办人可以撰写稿件。")
    unit_id = request.POST.get("unit") or request.GET.get("unit")
    unit = next((u for u in units if str(u.pk) == str(unit_id)), units[0] if len(units) == 1 else None)
    if unit is None:
        return render(request, "content/choose_unit.html", {"units": units})
    form = ItemForm(request.POST or None, request.FILES or None, unit=unit)
    if request.method == "POST":
        uploads = _check_uploads(request, form)
        if uploads is not None:
            fields = _fields_from(form)
            try:
                item = actions.create_item(acting_user=request.user, unit=unit, **fields, **_upload_args(uploads))
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                _imported_notes(request, uploads)
                if request.POST.get("then") == "edit":  # the editor saved a draft so that images can be uploaded
                    messages.success(request, "稿件已保存为草稿，现在可以在正文中插入图片。")
                    return redirect("item_edit", pk=item.pk)
                messages.success(request, "稿件已保存。")
                return redirect("item_detail", pk=item.pk)
    return render(request, "content/item_form.html", {"form": form, "unit": unit, "item": None,
                                                      "title": "撰写稿件"})


def item_edit(request, pk):
    item = _get_item(request, pk)
    require(policy.can_edit_item(request.user, item), policy.EDIT_ITEM_REFUSAL)
    form = ItemForm(request.POST or None, request.FILES or None, unit=item.unit, item=item,
                    initial=None if request.method == "POST" else initial_for(item))
    if request.method == "POST":
        uploads = _check_uploads(request, form)
        if uploads is not None:
            fields = _fields_from(form)
            previous_state = item.state
            fields["attachment_ids"] = list(form.cleaned_data.get("keep_attachments") or [])
            fields["cover_id"] = form.cleaned_data.get("cover_id")
            try:
                revision, created = actions.save_revision(item, acting_user=request.user,
                                                          base_revision=form.cleaned_data.get("base_revision"),
                                                          **fields, **_upload_args(uploads))
            except actions.EditConflict as conflict:
                return _edit_conflict(request, item, form, conflict)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                _imported_notes(request, uploads)
                if not created:
                    messages.info(request, "内容没有变化，未产生新版本。")
                else:
                    messages.success(request, f"已保存为第 {revision.number} 版。")
                    if previous_state in (ItemState.IN_REVIEW, ItemState.APPROVED, ItemState.SCHEDULED,
                                          ItemState.PUBLISHED):
                        messages.warning(request, "稿件内容已修改：原审核流程作废，须重新机审并提交审核。")
                return redirect("item_detail", pk=item.pk)
    return render(request, "content/item_form.html", {"form": form, "unit": item.unit, "item": item,
                                                      "title": f"{'更正' if item.live_revision_id else '编辑'}稿件"})


def _edit_conflict(request, item, form, conflict):
    """The form again, merged: the other person's changes where the editor did not touch a field, the
    editor's own typing everywhere else, and a diff of what the other person changed."""
    current = conflict.current
    base = item.revisions.filter(number=conflict.base).first() or current
    names = [n for n in (*ITEM_FIELDS, "keep_attachments", "cover_id") if n in form.fields]
    mine = {name: form.cleaned_data.get(name) for name in names}
    merged = merge(revision_values(base), revision_values(current), mine)
    item.refresh_from_db()
    fresh = ItemForm(unit=item.unit, item=item, initial={**merged.values, "base_revision": current.number})
    label = lambda name: str(form.fields[name].label)  # noqa: E731
    return render(request, "content/item_form.html", {
        "form": fresh, "unit": item.unit, "item": item, "title": "合并修改", "conflict": {
            "message": " ".join(conflict.messages), "base": base.number, "current": current.number,
            "rows": revision_diff(base, current) if base.pk != current.pk else [],
            "theirs": [label(n) for n in merged.theirs], "both": [label(n) for n in merged.both]}},
        status=409)


@require_POST
def item_image_upload(request, pk):
    """An image for the body, uploaded by the editor before the body that shows it is saved (no revision yet).
    Answers JSON: the editor inserts `url` into the body."""
    item = _get_item(request, pk)
    if not policy.can_edit_item(request.user, item):
        return JsonResponse({"error": policy.EDIT_ITEM_REFUSAL}, status=403)
    too_large = getattr(request, "upload_too_large", None)
    if too_large:
        return JsonResponse({"error": f"图片“{too_large}”过大，未能上传；请压缩后重新选择。"}, status=400)
    upload = request.FILES.get("image")
    if upload is None:
        return JsonResponse({"error": "请选择要上传的图片。"}, status=400)
    try:
        image = actions.add_body_image(item, upload, acting_user=request.user, alt=request.POST.get("alt", ""))
    except ValidationError as error:
        return JsonResponse({"error": _error_text(error)}, status=400)
    return JsonResponse(image_reply(image), status=201)


def image_reply(image: Attachment) -> dict:
    """The body refers to the image by its staff URL (content/references.py)."""
    return {"id": image.pk, "url": body_url(image.pk), "name": image.name,
            "content_type": image.content_type, "width": image.width, "height": image.height}


# --- item page -----------------------------------------------------------------------------------------

def highlight(text: str, findings) -> str:
    """The visible text with <mark> around each finding's span (overlaps clipped), HTML-escaped."""
    out, pos = [], 0
    for f in sorted(findings, key=lambda f: (f.start, f.end)):
        start, end = max(f.start, pos), min(f.end, len(text))
        if end <= start:
            continue
        out.append(escape(text[pos:start]))
        out.append(f'<mark id="mark-{f.pk}" class="sev-{escape(f.severity)}" title="{escape(f.message)}">'
                   f"{escape(text[start:end])}</mark>")
        pos = end
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


def diff_html(old: str, new: str) -> str:
    """Character-level diff (Chinese has no spaces to split words on) with <del>/<ins>."""
    out = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape(old[a1:a2]))
            continue
        if a2 > a1:
            out.append(f"<del>{escape(old[a1:a2])}</del>")
        if b2 > b1:
            out.append(f"<ins>{escape(new[b1:b2])}</ins>")
    return mark_safe("".join(out))


DIFF_FIELDS = [("title", "标题"), ("summary", "摘要"), ("source_kind", "信息来源"), ("source_name", "来源名称"),
               ("source_url", "来源网址"), ("major", "重大信息"), ("major_reason", "重大信息说明"),
               ("correction_note", "更正说明"), ("index_no", "索引号"), ("issuing_org", "发布机构"),
               ("written_on", "成文日期"), ("doc_no", "文号"), ("topic", "主题分类"), ("targets", "发布目标")]


def revision_diff(old: Revision, new: Revision) -> list[tuple[str, str]]:
    """(label, diff html) for every field that differs, the body compared by its visible text."""
    rows = []
    for name, label in DIFF_FIELDS:
        a, b = getattr(old, name), getattr(new, name)
        if name == "targets":
            a, b = "、".join(sorted(a)), "、".join(sorted(b))
        if a != b:
            rows.append((label, diff_html("" if a is None else str(a), "" if b is None else str(b))))
    old_body, new_body = visible_text(old.body_html), visible_text(new.body_html)
    if old_body != new_body:
        rows.append(("正文", diff_html(old_body, new_body)))
    elif old.body_html != new.body_html:
        rows.append(("正文（格式）", diff_html(old.body_html, new.body_html)))
    old_files = sorted(old.attachments.values_list("name", flat=True))
    new_files = sorted(new.attachments.values_list("name", flat=True))
    if old_files != new_files or old.cover_id != new.cover_id:
        rows.append(("附件", diff_html("、".join(old_files), "、".join(new_files))))
    return rows


def _finding_rows(revision: Revision, user, item) -> tuple[list[dict], dict]:
    findings = list(revision.findings.select_related("dismissed_by"))
    can_edit = policy.can_edit_item(user, item)
    current = revision.pk == item.current_revision_id
    rows = [{"f": f, "category": CATEGORY_LABELS.get(f.category, f.category),
             "severity": SEVERITY_LABELS.get(f.severity, f.severity), "field": FIELD_LABELS.get(f.field, f.field),
             "can_apply": (can_edit and current and f.dismissed_at is None
                           and f.suggestion is not None and f.field in ("title", "summary", "body")
                           and f.severity in ("block", "warn")),
             # whether this user may dismiss is review's to say (its panel's `may_dismiss`)
             "dismissable": current and f.dismissed_at is None and f.severity in ("block", "warn")}
            for f in findings]
    texts = {"title": revision.title, "summary": revision.summary, "body": visible_text(revision.body_html)}
    marked = [{"label": FIELD_LABELS[name], "html": highlight(texts[name], [f for f in findings if f.field == name])}
              for name in ("title", "summary", "body") if any(f.field == name for f in findings)]
    return rows, marked


def render_item(request, item: Item, *, status=200, **extra):
    """The item page; other apps' views re-render it with their bound forms when an action refuses.

    The review and publishing parts come from the panels those apps register (content/panels.py), so
    content does not import their views; `extra` (a bound form of a refused action) overrides a panel's.
    """
    user = request.user
    revision = item.current_revision
    rows, marked = _finding_rows(revision, user, item)
    from govpub.channels.targets import resolve, wechat_accounts

    try:
        targets = resolve(revision.targets)
    except ValidationError:
        targets = []
    target_labels = [t.label for t in targets] or list(revision.targets)
    context = {
        "item": item, "revision": revision, "findings": rows, "marked": marked, "target_labels": target_labels,
        "has_wechat": bool(wechat_accounts(targets)),
        "revisions": item.revisions.select_related("created_by").order_by("-number"),
        "attachments": revision.attachments.all(), "cover": revision.cover,
        "source_docs": item.attachments.filter(kind=Attachment.Kind.SOURCE_DOCX),
        "can_edit": policy.can_edit_item(user, item),
        "open_blocks": [r for r in rows if r["f"].is_open_block],
        "applicable": [r for r in rows if r["can_apply"]],
    }
    context.update(panels.context_for(request, item))
    context.update(extra)
    return render(request, "content/item_detail.html", context, status=status)


def item_detail(request, pk):
    return render_item(request, _get_item(request, pk))


def item_diff(request, pk):
    item = _get_item(request, pk)
    revisions = {r.number: r for r in item.revisions.all()}
    try:
        a, b = int(request.GET.get("a", "")), int(request.GET.get("b", ""))
        old, new = revisions[min(a, b)], revisions[max(a, b)]
    except (ValueError, KeyError):
        raise Http404("没有这两个版本。") from None
    return render(request, "content/item_diff.html", {"item": item, "old": old, "new": new,
                                                      "rows": revision_diff(old, new)})


def attachment_download(request, pk):
    attachment = get_visible_or_404(policy.can_view_attachment, request.user,
                                    Attachment.objects.select_related("item"), pk=pk)
    path = stored_path(attachment.storage_name)
    if not path.exists():
        raise Http404("文件不存在。")
    response = FileResponse(path.open("rb"), as_attachment=True, filename=attachment.name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
