"""Content rescan: every published item re-checked with the current lexicons (after a lexicon update the
archive is rescanned in chunks across workers). Serious problems (block findings in the 涉密、隐私、政治性表述、
禁止内容 categories that reviewers have not dismissed) become monitor findings on each channel the item is on."""

from __future__ import annotations

SERIOUS_CATEGORIES = ("secret", "privacy", "political", "prohibited")
CHUNK = 200


def _checker(lexicon_files=(), extra_rows=()):
    from govpub.textcheck.engine import get_checker

    if not lexicon_files and not extra_rows:
        from govpub.lexicons.checker import current_checker

        return current_checker()  # the shipped lexicons plus the admins' current rows
    return get_checker(lexicon_files, extra_rows, statistical=False)


def scan_items(item_ids, *, lexicon_files=(), extra_rows=()) -> dict[int, list[dict]]:
    """item id → serious problems found now in its live revision (dismissed ones excluded)."""
    from govpub.content.models import Item, ItemState
    from govpub.review.machine_check import revision_findings

    checker = _checker(lexicon_files, extra_rows)
    results = {}
    items = (Item.objects.filter(pk__in=item_ids, state=ItemState.PUBLISHED, live_revision__isnull=False)
             .select_related("live_revision"))
    for item in items:
        revision = item.live_revision
        dismissed = {(f.field, f.rule, f.start, f.end) for f in revision.findings.filter(dismissed_at__isnull=False)}
        problems = []
        # Unreadable attachments were flagged at review time (a warn finding), so the filter below drops them.
        for field, findings in revision_findings(revision, checker):
            for f in findings:
                if f.severity != "block" or f.category not in SERIOUS_CATEGORIES:
                    continue
                if (field, f.rule[:60], f.start, f.end) in dismissed:
                    continue
                problems.append({"field": field, "category": f.category, "rule": f.rule, "start": f.start,
                                 "text": f.text[:200], "message": f.message, "revision": revision.pk,
                                 "title": revision.title})
        results[item.pk] = problems
    return results


def published_item_ids() -> list[int]:
    from govpub.content.models import Item, ItemState

    return list(Item.objects.filter(state=ItemState.PUBLISHED, live_revision__isnull=False)
                .order_by("pk").values_list("pk", flat=True))


def chunks(ids: list[int], size: int = CHUNK) -> list[list[int]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]
