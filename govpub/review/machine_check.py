"""Running 机审 on a revision: title, summary, body (visible text of the HTML) and attachments."""

from __future__ import annotations

from govpub.content.files import ALLOWED, stored_path
from govpub.content.models import MachineFinding, Revision
from govpub.content.references import foreign_images
from govpub.lexicons.checker import current_checker
from govpub.textcheck import ExtractionError

# The attachment types textcheck reads (content types come from the file's real bytes, govpub.content.files).
# One of these that cannot be read — corrupt, a zip bomb, encrypted — may hide anything, so it blocks; the
# other allowed types (images, .pptx, .ofd) are outside what 机审 reads and only warn that a person must read them.
MACHINE_READ_TYPES = {ALLOWED[ext][0] for ext in (".pdf", ".docx", ".xlsx")}


def revision_findings(revision: Revision, checker=None):
    """(field, findings) for everything a revision publishes: title, summary, body and each attachment."""
    checker = checker or current_checker()
    yield "title", checker.check_text(revision.title)
    if revision.summary:
        yield "summary", checker.check_text(revision.summary)
    yield "body", checker.check_html(revision.body_html).findings + _foreign_images(revision.body_html)
    for attachment in revision.attachments.all():
        try:
            data = stored_path(attachment.storage_name).read_bytes()
            result = checker.check_file(attachment.name, data=data)
        except ExtractionError as error:
            if attachment.content_type in MACHINE_READ_TYPES:
                yield "attachment", [_unreadable_block(attachment.name, str(error))]
            else:
                yield "attachment", [_unreadable(attachment.name, str(error))]
            continue
        except OSError:  # the stored file is missing or cannot be opened: nothing of it was checked
            yield "attachment", [_unreadable_block(attachment.name, "存储的文件无法打开")]
            continue
        yield "attachment", [f if f.location else f.with_(location=attachment.name) for f in result.findings]


def _foreign_images(body_html: str) -> list:
    """Images shown from another site: their bytes were never reviewed and can change at any time, so the gate
    refuses them; said here already, at 机审, so the editor replaces them before anyone reviews."""
    from govpub.textcheck import Finding

    return [Finding(category="link", rule="link.foreign_image", severity="block", start=0, end=0, text=src[:500],
                    message="正文中的图片来自外部网站，其内容未经审核且可能随时被更换：请下载后作为本稿件的图片上传。",
                    basis="第七条") for src in foreign_images(body_html)]


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
    for field, findings in revision_findings(revision):
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
