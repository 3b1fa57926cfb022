"""Creating and changing items: every content change makes a new immutable revision (DESIGN.md §2 inv. 1)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse

from govpub.audit import log as audit
from govpub.channels.targets import validate_targets
from govpub.ops.text import CONTROL_CHARS, MESSAGE as SINGLE_LINE_MESSAGE
from govpub.orgs.policy import require

from . import lifecycle, policy
from .files import IMAGE_TYPES, WORD_TYPES, StoredFile, clean_name, keep_bytes, store_bytes, store_upload
from .hashing import HASHED_FIELDS, content_hash
from .images import accept_image
from .models import Attachment, Item, Rendition, Revision, SourceKind
from .references import image_attachment_ids, images_without_alt, referenced_attachment_ids
from .sanitize import sanitize_html
from .wordimport import WordImport, hidden_kinds, word_docx

REVISION_FIELDS = HASHED_FIELDS + ("targets", "attachment_ids", "cover_id")


class EditConflict(ValidationError):
    """A save based on a revision that is no longer the current one: someone else saved in between, and
    writing this save over theirs would silently lose their work."""

    def __init__(self, current: Revision, base: int):
        self.current, self.base = current, base
        author = current.created_by.display_name if current.created_by_id else "其他人"
        super().__init__(f"未保存：您是在第 {base} 版上修改的，但{author}已于 "
                         f"{current.created_at:%Y-%m-%d %H:%M} 保存了第 {current.number} 版。"
                         f"请对照对方的修改合并后再保存。")


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


def _clean(item: Item, fields: dict, *, imported: bool = False) -> dict:
    """The fields as a revision stores them, or a ValidationError naming each problem. `imported`: the body was
    just taken from a Word file, whose pictures may have no description yet — the import is kept (the editor is
    told to describe them, and 机审 blocks submitting until they are)."""
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
    missing_alt = images_without_alt(fields["body_html"])
    if missing_alt and not imported:
        numbers = "、".join(str(n) for n in missing_alt)
        raise ValidationError({"body_html": f"正文第 {numbers} 张图片缺少替代文字（图片说明）：请点击该图片填写，"
                                            f"供使用读屏软件的读者了解图片内容。"})
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


@dataclass(frozen=True)
class _Upload:
    """An uploaded file checked, stored and read before the save's transaction begins: LibreOffice may take seconds
    to read a .doc, Pillow to re-encode a photo, and neither must hold the transaction (on SQLite, every writer)."""
    stored: StoredFile
    hidden: bool = False
    size: dict = field(default_factory=dict)  # an image's width and height
    copies: tuple = ()  # an image's renditions: (use, StoredFile, the copy's width, height)


def _prepared(uploaded, kind: str) -> _Upload | None:
    if uploaded is None:
        return None
    if kind == Attachment.Kind.IMAGE:
        return _prepared_image(uploaded, clean_name(getattr(uploaded, "name", "")))
    stored = store_upload(uploaded)
    hidden = False
    if stored.content_type in WORD_TYPES:
        uploaded.seek(0)
        hidden = bool(_hidden_or_unknown(uploaded.read(), stored.name))
    return _Upload(stored, hidden)


def _prepared_image(source, name: str) -> _Upload:
    """An image as accept_image cleaned it (re-encoded, metadata gone), stored with its copies."""
    accepted = accept_image(ContentFile(source, name=name) if isinstance(source, bytes) else source, name)
    stored = keep_bytes(accepted.image.data, name=accepted.name, content_type=accepted.image.content_type)
    copies = [(Rendition.Use.WEB, c) for c in accepted.web]
    copies += [(Rendition.Use.WECHAT, accepted.wechat)] if accepted.wechat else []
    return _Upload(stored, size={"width": accepted.image.width, "height": accepted.image.height},
                   copies=tuple((use, keep_bytes(c.data, name=stored.name, content_type=c.content_type), c.width,
                                 c.height) for use, c in copies))


def _hidden_or_unknown(data: bytes, name: str) -> list[str]:
    """An attachment 机审 cannot read is not refused here: its check blocks submitting until it is replaced or
    dismissed with a reason, which says more than a refused upload would."""
    try:
        return hidden_kinds(word_docx(data, name), name)
    except ValidationError:
        return []


def _record(item: Item, upload: _Upload, acting_user, kind: str, **details) -> Attachment:
    stored = upload.stored
    attachment = Attachment.objects.create(
        item=item, kind=kind, name=stored.name, content_type=stored.content_type, size=stored.size,
        sha256=stored.sha256, storage_name=stored.storage_name, uploaded_by=acting_user,
        has_hidden_content=upload.hidden, **upload.size)
    for use, kept, width, height in upload.copies:
        Rendition.objects.create(attachment=attachment, use=use, content_type=kept.content_type, width=width,
                                 height=height, size=kept.size, sha256=kept.sha256, storage_name=kept.storage_name)
    audit.record("item.attachment", actor=acting_user, obj=item, unit=item.unit_id,
                 details={"attachment": attachment.pk, "name": stored.name, "sha256": stored.sha256,
                          "size": stored.size, "kind": kind, "hidden_content": upload.hidden, **upload.size,
                          **details})
    return attachment


def _imported(fields: dict, word: WordImport | None) -> dict:
    """The fields with the imported body, and the import's title when none was typed."""
    if word is None:
        return fields
    fields = {**fields, "body_html": word.body_html}
    if not (fields.get("title") or "").strip():
        fields["title"] = word.title
    return fields


def _prepared_import(word: WordImport | None) -> tuple[_Upload, list[tuple[str, _Upload]]] | None:
    """A Word import's original and images, checked and stored before the transaction (images cleaned like any)."""
    if word is None:
        return None
    original = _Upload(store_bytes(word.original, word.name), hidden=bool(word.hidden))
    return original, [(image.placeholder, _prepared_image(image.data, image.name)) for image in word.images]


def _store_import(item: Item, fields: dict, acting_user, prepared) -> dict:
    """Keep the Word original (for reference, never published) and each of its images as an image of the item,
    shown where it stood in the Word file."""
    original, images = prepared
    _record(item, original, acting_user, Attachment.Kind.SOURCE_DOCX)
    body = fields["body_html"]
    for placeholder, image in images:
        attachment = _record(item, image, acting_user, Attachment.Kind.IMAGE, use="import")
        body = body.replace(f'src="{placeholder}"', f'src="{reverse("attachment_download", args=[attachment.pk])}"')
    return {**fields, "body_html": body}


def _with_uploads(item: Item, fields: dict, acting_user, files: list[_Upload], cover: _Upload | None,
                  word_files) -> dict:
    """Store the uploads of one save and make the new files (and cover, and imported images) part of the
    revision being written. Runs inside the save's transaction: a save that is refused keeps neither the files
    nor a revision."""
    new_ids = [_record(item, f, acting_user, Attachment.Kind.FILE).pk for f in files]
    fields = {**fields, "attachment_ids": list(fields.get("attachment_ids") or []) + new_ids}
    if cover is not None:
        fields["cover_id"] = _record(item, cover, acting_user, Attachment.Kind.IMAGE).pk
    if word_files is not None:
        fields = _store_import(item, fields, acting_user, word_files)
    return fields


def create_item(*, acting_user, unit, files=(), cover_file=None, word: WordImport | None = None, **fields) -> Item:
    """A new item whose first revision holds everything of this save, uploaded files and a Word import included."""
    require(policy.can_create_item(acting_user, unit), policy.CREATE_ITEM_REFUSAL)  # before any file is read
    return _create_item(acting_user, unit, [_prepared(f, Attachment.Kind.FILE) for f in files],
                        _prepared(cover_file, Attachment.Kind.IMAGE), word, _prepared_import(word), fields)


@transaction.atomic(durable=True)
def _create_item(acting_user, unit, files: list[_Upload], cover: _Upload | None, word, word_files,
                 fields: dict) -> Item:
    require(policy.can_create_item(acting_user, unit), policy.CREATE_ITEM_REFUSAL)
    _check_known(fields)
    item = Item(unit=unit, author=acting_user)
    fields = _imported({**_current_fields(None), **fields}, word)
    # Refuse bad fields before anything is stored (the body cannot show this new item's files yet).
    title = _clean(item, {**fields, "attachment_ids": [], "cover_id": None}, imported=word is not None)["title"]
    item.save()
    audit.record("item.create", actor=acting_user, obj=item, unit=unit.pk, details={"title": title})
    fields = _with_uploads(item, fields, acting_user, files, cover, word_files)
    _write_revision(item, _clean(item, fields, imported=word is not None), acting_user)
    return item


def save_revision(item: Item, *, acting_user, base_revision: int | None = None, files=(), cover_file=None,
                  word: WordImport | None = None, **changes) -> tuple[Revision, bool]:
    """Apply changes, uploads and a Word import (its body replaces the body) as one revision; returns
    (revision, created). A save that changes nothing creates nothing. `base_revision` is the revision number
    the editor started from: when another save came in between, the save is refused (EditConflict) instead
    of overwriting it."""
    require(policy.can_edit_item(acting_user, item), policy.EDIT_ITEM_REFUSAL)  # before any file is read
    return _save_revision(item, acting_user, base_revision, [_prepared(f, Attachment.Kind.FILE) for f in files],
                          _prepared(cover_file, Attachment.Kind.IMAGE), word, _prepared_import(word), changes)


@transaction.atomic(durable=True)
def _save_revision(item: Item, acting_user, base_revision, files: list[_Upload], cover: _Upload | None, word,
                   word_files, changes: dict) -> tuple[Revision, bool]:
    item = Item.objects.locked(item)
    require(policy.can_edit_item(acting_user, item), policy.EDIT_ITEM_REFUSAL)
    _check_known(changes)
    current = item.current_revision
    if base_revision is not None and current is not None and int(base_revision) != current.number:
        raise EditConflict(current, int(base_revision))
    fields = _imported({**_current_fields(current), **changes}, word)
    fields = _with_uploads(item, fields, acting_user, files, cover, word_files)
    return _write_revision(item, _clean(item, fields, imported=word is not None), acting_user)


def add_attachment(item: Item, uploaded, *, acting_user, kind: str = Attachment.Kind.FILE) -> Attachment:
    """Store one uploaded file for the item; unless it is the Word original, it joins a new revision."""
    require(policy.can_edit_item(acting_user, item), policy.EDIT_ITEM_REFUSAL)  # before the file is read
    return _add_attachment(item, _prepared(uploaded, kind), acting_user, kind)


@transaction.atomic(durable=True)
def _add_attachment(item: Item, upload: _Upload, acting_user, kind: str) -> Attachment:
    item = Item.objects.locked(item)
    require(policy.can_edit_item(acting_user, item), policy.EDIT_ITEM_REFUSAL)
    attachment = _record(item, upload, acting_user, kind)
    if kind != Attachment.Kind.SOURCE_DOCX:
        fields = _current_fields(item.current_revision)
        fields["attachment_ids"] = fields["attachment_ids"] + [attachment.pk]
        _write_revision(item, _clean(item, fields), acting_user)
    return attachment


ALT_LIMIT = 200


def clean_alt(alt: str | None) -> str:
    """The alternative text of a body image: required (a screen reader reads it instead of the picture)."""
    alt = " ".join((alt or "").split())
    if not alt:
        raise ValidationError({"alt": "请填写图片的替代文字（图片说明），简要说明图片内容。"})
    if len(alt) > ALT_LIMIT:
        raise ValidationError({"alt": f"图片的替代文字不能超过 {ALT_LIMIT} 个字。"})
    return alt


def add_body_image(item: Item, uploaded, *, acting_user, alt: str) -> Attachment:
    """Store an image for the item's body — and make no revision: the revision that holds it is the save of
    the body that shows it (_attachments_for takes the item's images the body refers to)."""
    require(policy.can_edit_item(acting_user, item), policy.EDIT_ITEM_REFUSAL)  # before the image is decoded
    alt = clean_alt(alt)
    return _add_body_image(item, _prepared(uploaded, Attachment.Kind.IMAGE), acting_user, alt)


@transaction.atomic(durable=True)
def _add_body_image(item: Item, upload: _Upload, acting_user, alt: str) -> Attachment:
    item = Item.objects.locked(item)
    require(policy.can_edit_item(acting_user, item), policy.EDIT_ITEM_REFUSAL)
    return _record(item, upload, acting_user, Attachment.Kind.IMAGE, use="body", alt=alt)


@transaction.atomic(durable=True)
def apply_suggestion(finding, *, acting_user) -> Revision:
    """One click: a new revision in which exactly the finding's span is replaced by its suggestion."""
    return _apply(finding.revision.item_id, [finding.pk], acting_user)


@transaction.atomic(durable=True)
def apply_suggestions(item: Item, finding_ids, *, acting_user) -> Revision:
    """Several suggestions of the current revision in one save, so one new revision (not one per click)."""
    return _apply(item.pk, finding_ids, acting_user)


def _apply(item_id: int, finding_ids, acting_user) -> Revision:
    from .models import MachineFinding
    from .suggestions import replace_in_html, replace_in_text

    item = Item.objects.locked(item_id)
    require(policy.can_edit_item(acting_user, item), policy.EDIT_ITEM_REFUSAL)
    findings = list(MachineFinding.objects.filter(pk__in=set(finding_ids), revision__item_id=item.pk))
    if not findings or len(findings) != len(set(finding_ids)):
        raise ValidationError("请选择本稿件的机审问题。")
    for finding in findings:
        if finding.field not in ("title", "summary", "body") or finding.suggestion is None:
            raise ValidationError("该问题没有可自动应用的修改建议，请在编辑页手动修改。")
        if finding.dismissed_at is not None:
            raise ValidationError("该问题已被忽略，不能再应用修改建议。")
        if finding.revision_id != item.current_revision_id:
            raise ValidationError("该问题属于稿件的旧版本，稿件已有更新：请重新机审后再处理。")
    fields = _current_fields(item.current_revision)
    names = {"body": "body_html", "title": "title", "summary": "summary"}
    # From the end backwards, so each replacement leaves the offsets of those before it valid; a span that
    # overlaps one already replaced is refused rather than guessed.
    done: dict[str, int] = {}
    for finding in sorted(findings, key=lambda f: (f.field, -f.start)):
        if finding.end > done.get(finding.field, 1 << 62):
            raise ValidationError(f"修改建议“{finding.text}→{finding.suggestion}”与另一条所选建议重叠，请分两次应用。")
        replace = replace_in_html if finding.field == "body" else replace_in_text
        name = names[finding.field]
        fields[name] = replace(fields[name], finding.start, finding.end, finding.text, finding.suggestion)
        done[finding.field] = finding.start
    revision, _created = _write_revision(item, _clean(item, fields), acting_user)
    for finding in findings:
        audit.record("finding.apply", actor=acting_user, obj=item, unit=item.unit_id,
                     details={"finding": finding.pk, "rule": finding.rule, "field": finding.field,
                              "text": finding.text, "suggestion": finding.suggestion, "revision": revision.number})
    return revision
