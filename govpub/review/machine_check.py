"""Running 机审 on a revision: title, summary, body (visible text of the HTML) and attachments."""

from __future__ import annotations

import os

from django.core.exceptions import ValidationError

from govpub.content.convert import to_docx
from govpub.content.files import ALLOWED, stored_path
from govpub.content.models import Attachment, MachineFinding, Revision
from govpub.content.references import foreign_images, images_without_alt
from govpub.lexicons.checker import current_checker
from govpub.textcheck import ExtractionError

# The attachment types textcheck reads (content types come from the file's real bytes, govpub.content.files).
# One of these that cannot be read — corrupt, a zip bomb, encrypted — may hide anything, so it blocks; the
# other allowed types (images, .pptx, .ofd) are outside what 机审 reads and only warn that a person must read them.
MACHINE_READ_TYPES = {ALLOWED[ext][0] for ext in (".pdf", ".docx", ".doc", ".wps", ".xlsx")}
# Old Word and WPS 文字 files are read as the .docx LibreOffice makes of them (govpub.content.convert).
CONVERTED_TYPES = {ALLOWED[ext][0] for ext in (".doc", ".wps")}


def revision_findings(revision: Revision, checker=None):
    """(field, findings) for everything a revision publishes: title, summary, body and each attachment."""
    checker = checker or current_checker()
    yield "title", checker.check_text(revision.title)
    if revision.summary:
        yield "summary", checker.check_text(revision.summary)
    yield "body", (checker.check_html(revision.body_html).findings + _foreign_images(revision.body_html)
                   + _images_without_alt(revision.body_html))
    for attachment in revision.attachments.all():
        yield "attachment", _attachment_findings(checker, attachment)


def original_findings(revision: Revision, checker=None) -> list:
    """Findings in the Word original the revision's body was last imported from (kept, downloadable by the unit,
    never published): its comments and tracked changes are exactly where an ID number hides."""
    original = (revision.item.attachments.filter(kind=Attachment.Kind.SOURCE_DOCX, uploaded_at__lte=revision.created_at)
                .order_by("-uploaded_at", "-id").first())
    if original is None:
        return []
    return [_as_original(f, original.name) for f in _attachment_findings(checker or current_checker(), original)]


def _attachment_findings(checker, attachment: Attachment) -> list:
    try:
        data = stored_path(attachment.storage_name).read_bytes()
        if attachment.content_type in CONVERTED_TYPES:
            result = checker.check_file(None, data=to_docx(data, attachment.name),
                                        name=os.path.splitext(attachment.name)[0] + ".docx")
        else:
            result = checker.check_file(attachment.name, data=data)
    except (ExtractionError, ValidationError) as error:
        reason = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        if attachment.content_type in MACHINE_READ_TYPES:
            return [_unreadable_block(attachment.name, reason)]
        return [_unreadable(attachment.name, reason)]
    except OSError:  # the stored file is missing or cannot be opened: nothing of it was checked
        return [_unreadable_block(attachment.name, "存储的文件无法打开")]
    return [f if f.location else f.with_(location=attachment.name) for f in result.findings]


def _as_original(finding, name: str):
    """The original is never published, and an editor cannot take it back: what is found in it is said, for the
    reviewers to weigh, but does not block the revision."""
    location = f"Word 原稿“{name}”" + (f"；{finding.location}" if finding.location and finding.location != name else "")
    return finding.with_(severity="warn" if finding.severity == "block" else finding.severity,
                         message=f"【Word 原稿，不发布】{finding.message}", location=location)


def _foreign_images(body_html: str) -> list:
    """Images shown from another site: their bytes were never reviewed and can change at any time, so the gate
    refuses them; said here already, at 机审, so the editor replaces them before anyone reviews."""
    from govpub.textcheck import Finding

    return [Finding(category="link", rule="link.foreign_image", severity="block", start=0, end=0, text=src[:500],
                    message="正文中的图片来自外部网站，其内容未经审核且可能随时被更换：请下载后作为本稿件的图片上传。",
                    basis="第七条") for src in foreign_images(body_html)]


def _images_without_alt(body_html: str) -> list:
    """Pictures with no description (a Word import's, until the editor writes one): a screen reader has nothing
    to read, and government sites must be accessible — blocked at 机审, fixed in the editor by clicking the image."""
    from govpub.textcheck import Finding

    return [Finding(category="wording", rule="image.no_alt", severity="block", start=0, end=0, text=f"第 {n} 张图片",
                    message=f"正文第 {n} 张图片缺少替代文字（图片说明）：请在编辑页点击该图片填写。",
                    basis="GB/T 37668-2019（信息无障碍）")
            for n in images_without_alt(body_html)]


def _unreadable(name: str, reason: str):
    from govpub.textcheck import Finding

    return Finding(category="source", rule="attachment.unreadable", severity="warn", start=0, end=0, text="",
                   message=f"附件无法机审，须人工审核：{reason}"[:300], location=name, basis="第八条")


def _unreadable_block(name: str, reason: str):
    """A file of a type 机审 reads that could not be read. Its own rule (not attachment.unreadable), so a warn
    recorded for it before this became a block is not reused for the revision and cannot let it through."""
    from govpub.textcheck import Finding

    return Finding(category="source", rule="attachment.extract_failed", severity="block", start=0, end=0, text="",
                   message=f"文件无法读取，机审无法检查其内容：请删除或更换该附件，或写明理由后忽略（{reason}）"[:300],
                   location=name, basis="第八条")


def run_machine_check(revision: Revision) -> list[MachineFinding]:
    """Check the revision with the current lexicons and return the findings that hold now.

    A finding already recorded for the same spot is reused, so its dismissal stands; new ones are
    stored. Recorded findings that the current lexicons no longer produce are kept but not returned."""
    existing = {_key(f.field, f): f for f in revision.findings.all()}
    current, fresh = [], []
    checker = current_checker()
    for field, findings in [*revision_findings(revision, checker), ("attachment", original_findings(revision, checker))]:
        for f in findings:
            key = _key(field, f)
            row = existing.get(key)
            if row is None:
                row = existing[key] = MachineFinding(
                    revision=revision, field=field, category=f.category, rule=f.rule[:60], severity=f.severity,
                    start=f.start, end=f.end, text=f.text[:500], message=f.message[:300],
                    suggestion=(f.suggestion or None) and f.suggestion[:500], basis=f.basis,
                    location=(f.location or None) and f.location[:300])
                fresh.append(row)
            if row not in current:
                current.append(row)
    MachineFinding.objects.bulk_create(fresh)
    return current


def _key(field: str, f) -> tuple:
    return (field, f.rule[:60], f.start, f.end, f.text[:500], (f.location or "")[:300])


def open_blocks(findings: list[MachineFinding]) -> list[MachineFinding]:
    return [f for f in findings if f.is_open_block]
