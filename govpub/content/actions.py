"""Creating and changing items: every content change makes a new immutable revision (DESIGN.md §2 inv. 1)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from govpub.audit import log as audit
from govpub.channels.targets import validate_targets
from govpub.ops.text import CONTROL_CHARS, MESSAGE as SINGLE_LINE_MESSAGE
from govpub.orgs.policy import require

from . import lifecycle, policy
from .files import IMAGE_TYPES, store_upload
from .hashing import HASHED_FIELDS, content_hash
from .models import Attachment, Item, Revision, SourceKind
from .references import image_attachment_ids, referenced_attachment_ids
from .sanitize import sanitize_html

REVISION_FIELDS = HASHED_FIELDS + ("targets", "attachment_ids", "cover_id")
TEXT_FIELDS = ("title", "summary", "source_name", "source_url", "major_reason", "correction_note", "index_no",
               "issuing_org", "doc_no", "topic")


def _current_fields(revision: Revision | None) -> dict:
    if revision is None:
        return {"title": "", "body_html": "", "summary": "", "source_kind": SourceKind.ORIGINAL, "source_name": "",
                "source_url": "", "major": False, "major_reason": "", "correction_note": "", "index_no": "",
                "issuing_org": "", "written_on": None, "doc_no": "", "topic": "", "targets": [],
                "attachment_ids": [], "cover_id": None}
    fields = {name: getattr(revision, name) for name in HASHED_FIELDS}
    fields["targets"] = list(revision.targets)
    fields["attachment_ids"] = list(revision.attachments.order_by("pk").values_list("pk", flat=True))
    fields["cover_id"] = revision.cover_id
    return fields


def _clean(item: Item, fields: dict) -> dict:
    fields = dict(fields)
    for name in TEXT_FIELDS:
        fields[name] = (fields.get(name) or "").strip()
    if (size := len(fields.get("body_html") or "")) > settings.GOVPUB_MAX_BODY_HTML_CHARS:  # before sanitising it
        raise ValidationError({"body_html": f"正文过长（含格式代码共 {size} 个字符），上限为 "
                                            f"{settings.GOVPUB_MAX_BODY_HTML_CHARS} 个字符，请拆分为几篇稿件。"})
    fields["body_html"] = sanitize_html(fields.get("body_html") or "")
    fields["major"] = bool(fields.get("major"))
    if isinstance(fields.get("written_on"), str):
        try:
            fields["written_on"] = dt.date.fromisoformat(fields["written_on"]) if fields["written_on"] else None
        except ValueError:
            raise ValidationError({"written_on": "成文日期格式应为 YYYY-MM-DD。"}) from None
    errors = {}
    if not fields["title"]:
        errors["title"] = "请填写标题。"
    for name in TEXT_FIELDS:
        limit = Revision._meta.get_field(name).max_length
        label = Revision._meta.get_field(name).verbose_name
        if len(fields[name]) > limit:
            errors[name] = f"{label}不能超过 {limit} 个字。"
        elif CONTROL_CHARS.search(fields[name]):
            errors[name] = f"{label}{SINGLE_LINE_MESSAGE}"
    if fields["source_url"]:
        try:
            URLValidator(schemes=["http", "https"])(fields["source_url"])
        except ValidationError:
            errors["source_url"] = "来源网址格式不正确，应以 http:// 或 https:// 开头。"
    if fields.get("source_kind") not in SourceKind.values:
        errors["source_kind"] = "信息来源只能是原创或转载。"
    elif fields["source_kind"] == SourceKind.REPRINT and not (fields["source_name"] and fields["source_url"]):
        errors["source_name"] = "转载的信息须注明来源名称和来源网址。"
    if fields["major"] and not fields["major_reason"]:
        errors["major_reason"] = "标记为重大信息时须说明理由。"
    if errors:
        raise ValidationError(errors)
    fields["targets"] = validate_targets(item.unit, fields.get("targets") or [])
    fields["attachment_ids"] = _attachments_for(item, fields)
    cover_id = fields.get("cover_id")
    if cover_id and (not item.pk or not item.attachments.filter(pk=cover_id, kind=Attachment.Kind.IMAGE).exists()):
        raise ValidationError({"cover": "封面图须是本稿件上传的图片。"})
    fields["cover_id"] = cover_id or None
    return fields


def _attachments_for(item: Item, fields: dict) -> list[int]:
    """The revision's files: those chosen plus every stored file the body shows or links to, all of this item."""
    chosen = {int(a) for a in fields.get("attachment_ids") or []}
    referenced = set(referenced_attachment_ids(fields["body_html"]))
    wanted = chosen | referenced
    owned = {pk: ctype for pk, ctype in item.attachments.filter(pk__in=wanted).exclude(
        kind=Attachment.Kind.SOURCE_DOCX).values_list("pk", "content_type")} if item.pk else {}
    if chosen - set(owned):
        raise ValidationError({"attachments": "附件不属于本稿件。"})
    if referenced - set(owned):
        raise ValidationError({"body_html": "正文中引用的图片或文件不属于本稿件，请在本稿件中上传后再插入。"})
    # A body <img> showing a non-image (a PDF, say) would show nothing and publish nothing reviewable.
    if any(owned[pk] not in IMAGE_TYPES for pk in image_attachment_ids(fields["body_html"])):
        raise ValidationError({"body_html": "正文中插入的图片须是本稿件上传的 JPEG、PNG 或 GIF 图片。"})
    return sorted(wanted)


def _hash_for(fields: dict) -> str:
    attachments = list(Attachment.objects.filter(pk__in=fields["attachment_ids"]).order_by("pk")
                       .values_list("name", "sha256"))
    cover = Attachment.objects.filter(pk=fields["cover_id"]).values_list("sha256", flat=True).first()
    return content_hash(fields, attachments, cover, fields["targets"])


def _write_revision(item: Item, fields: dict, acting_user) -> tuple[Revision, bool]:
    """A new revision if the content differs from the current one; otherwise the current one."""
    digest = _hash_for(fields)
    current = item.current_revision
    if current is not None and current.content_hash == digest:
        return current, False
    number = (current.number if current else 0) + 1
    revision = Revision(item=item, number=number, content_hash=digest, created_by=acting_user, cover_id=fields["cover_id"],
                        targets=fields["targets"], **{name: fields[name] for name in HASHED_FIELDS})
    revision.save()
    revision.attachments.set(fields["attachment_ids"])
    previous_state = item.state
    item.current_revision = revision
    if lifecycle.allowed(item, "revise"):  # what reviewers approved is void: review starts again at 初审
        lifecycle.move(item, "revise", acting_user=acting_user, current_revision=revision, scheduled_at=None)
    else:
        item.save()
    audit.record("item.revise", actor=acting_user, obj=item, unit=item.unit_id,
                 details={"revision": number, "hash": digest, "previous_state": previous_state,
                          "state": item.state})
    return revision, True


def _check_known(fields: dict) -> None:
    unknown = set(fields) - set(REVISION_FIELDS)
    if unknown:
        raise ValueError(f"unknown item fields: {sorted(unknown)}")


def _store(item: Item, uploaded, acting_user, kind: str) -> Attachment:
    stored = store_upload(uploaded, images_only=(kind == Attachment.Kind.IMAGE))
    attachment = Attachment.objects.create(
        item=item, kind=kind, name=stored.name, content_type=stored.content_type, size=stored.size,
        sha256=stored.sha256, storage_name=stored.storage_name, uploaded_by=acting_user)
    audit.record("item.attachment", actor=acting_user, obj=item, unit=item.unit_id,
                 details={"attachment": attachment.pk, "name": stored.name, "sha256": stored.sha256,
                          "size": stored.size, "kind": kind})
    return attachment


def _with_uploads(item: Item, fields: dict, acting_user, files, cover_file, source_file) -> dict:
    """Store the uploads of one save and make the new files (and cover) part of the revision being written.
    Runs inside the save's transaction: a save that is refused keeps neither the files nor a revision."""
    new_ids = [_store(item, f, acting_user, Attachment.Kind.FILE).pk for f in files]
    fields = {**fields, "attachment_ids": list(fields.get("attachment_ids") or []) + new_ids}
    if cover_file is not None:
        fields["cover_id"] = _store(item, cover_file, acting_user, Attachment.Kind.IMAGE).pk
    if source_file is not None:  # the Word original is kept for reference, never published
        _store(item, source_file, acting_user, Attachment.Kind.SOURCE_DOCX)
    return fields


@transaction.atomic(durable=True)
def create_item(*, acting_user, unit, files=(), cover_file=None, source_file=None, **fields) -> Item:
    """A new item whose first revision holds everything of this save, uploaded files included."""
    require(policy.can_create_item(acting_user, unit), "只有本单位的经办人可以撰写稿件。")
    _check_known(fields)
    item = Item(unit=unit, author=acting_user)
    fields = {**_current_fields(None), **fields}
    # Refuse bad fields before anything is stored (the body cannot show this new item's files yet).
    title = _clean(item, {**fields, "attachment_ids": [], "cover_id": None})["title"]
    item.save()
    audit.record("item.create", actor=acting_user, obj=item, unit=unit.pk, details={"title": title})
    fields = _with_uploads(item, fields, acting_user, files, cover_file, source_file)
    _write_revision(item, _clean(item, fields), acting_user)
    return item


@transaction.atomic(durable=True)
def save_revision(item: Item, *, acting_user, files=(), cover_file=None, source_file=None,
                  **changes) -> tuple[Revision, bool]:
    """Apply changes and uploads as one revision; returns (revision, created). A save that changes nothing
    creates nothing."""
    item = Item.objects.locked(item)
    require(policy.can_edit_item(acting_user, item), policy.EDIT_ITEM_REFUSAL)
    _check_known(changes)
    fields = {**_current_fields(item.current_revision), **changes}
    fields = _with_uploads(item, fields, acting_user, files, cover_file, source_file)
    return _write_revision(item, _clean(item, fields), acting_user)


@transaction.atomic(durable=True)
def add_attachment(item: Item, uploaded, *, acting_user, kind: str = Attachment.Kind.FILE) -> Attachment:
    """Store one uploaded file for the item; unless it is the Word original, it joins a new revision."""
    item = Item.objects.locked(item)
    require(policy.can_edit_item(acting_user, item), "您不能修改该稿件。")
    attachment = _store(item, uploaded, acting_user, kind)
    if kind != Attachment.Kind.SOURCE_DOCX:
        fields = _current_fields(item.current_revision)
        fields["attachment_ids"] = fields["attachment_ids"] + [attachment.pk]
        _write_revision(item, _clean(item, fields), acting_user)
    return attachment


@transaction.atomic(durable=True)
def apply_suggestion(finding, *, acting_user) -> Revision:
    """One click: a new revision in which exactly the finding's span is replaced by its suggestion."""
    from .models import MachineFinding
    from .suggestions import replace_in_html, replace_in_text

    finding = MachineFinding.objects.select_related("revision").get(pk=finding.pk)
    item = Item.objects.locked(finding.revision.item_id)
    require(policy.can_edit_item(acting_user, item), policy.EDIT_ITEM_REFUSAL)
    if finding.field not in ("title", "summary", "body") or finding.suggestion is None:
        raise ValidationError("该问题没有可自动应用的修改建议，请在编辑页手动修改。")
    if finding.dismissed_at is not None:
        raise ValidationError("该问题已被忽略，不能再应用修改建议。")
    if finding.revision_id != item.current_revision_id:
        raise ValidationError("该问题属于稿件的旧版本，稿件已有更新：请重新机审后再处理。")
    fields = _current_fields(item.current_revision)
    if finding.field == "body":
        fields["body_html"] = replace_in_html(fields["body_html"], finding.start, finding.end, finding.text,
                                              finding.suggestion)
    else:
        fields[finding.field] = replace_in_text(fields[finding.field], finding.start, finding.end, finding.text,
                                                finding.suggestion)
    revision, _created = _write_revision(item, _clean(item, fields), acting_user)
    audit.record("finding.apply", actor=acting_user, obj=item, unit=item.unit_id,
                 details={"finding": finding.pk, "rule": finding.rule, "field": finding.field,
                          "text": finding.text, "suggestion": finding.suggestion, "revision": revision.number})
    return revision
