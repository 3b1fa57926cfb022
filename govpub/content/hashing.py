"""The content hash: everything that will be published, in one canonical form."""

import hashlib
import json

HASHED_FIELDS = (
    "title", "body_html", "summary", "source_kind", "source_name", "source_url", "major", "major_reason",
    "correction_note", "index_no", "issuing_org", "written_on", "doc_no", "topic",
)


def content_hash(fields: dict, attachment_hashes: list[tuple[str, str]], cover_hash: str | None,
                 targets: list[str]) -> str:
    payload = {name: fields.get(name) for name in HASHED_FIELDS}
    if payload.get("written_on") is not None:
        payload["written_on"] = str(payload["written_on"])
    payload["attachments"] = [list(pair) for pair in attachment_hashes]
    payload["cover"] = cover_hash
    payload["targets"] = sorted(targets)
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
