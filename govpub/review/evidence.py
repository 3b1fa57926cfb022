"""The machine check's evidence beside the 第八条 checklist: which open findings of the revision concern
which point — privacy and secrets beside (一), ads and 第十条 content beside (二), wording and typos beside
(四), opinions and links beside (十)… A reviewer who answers 是 on a point that has open findings says in
a word why (record_decision refuses an unexplained 是). Reads only."""

from __future__ import annotations

from govpub.content.models import MachineFinding

from .models import CHECKLIST_KEYS

# textcheck category → the checklist point it bears on
CATEGORY_POINTS = {
    "secret": "secrets", "privacy": "secrets",
    "prohibited": "law_and_policy", "advertising": "law_and_policy",
    "political": "political",
    "typo": "language", "wording": "language",
    "sensitive": "sensitive",
    "source": "truthful",
    "opinion": "other", "link": "other",
}


def open_findings(revision):
    return (MachineFinding.objects.filter(revision=revision, dismissed_at__isnull=True, severity__in=("block", "warn"))
            .order_by("field", "start", "id"))


def by_point(revision) -> dict[str, list]:
    """checklist key → the revision's open findings that concern it (points without any are left out)."""
    points: dict[str, list] = {}
    for finding in open_findings(revision):
        key = CATEGORY_POINTS.get(finding.category, "other")
        points.setdefault(key, []).append(finding)
    return {key: points[key] for key in CHECKLIST_KEYS if key in points}


def acknowledged(revision, note: str = "已核对机审提示，不影响发布") -> dict[str, str]:
    """The same reason for every point that has evidence: for the demo's seeded reviews and load tests,
    never for a person's decision."""
    return {key: note for key in by_point(revision)}
