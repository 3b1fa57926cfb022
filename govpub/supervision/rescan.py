"""Content rescan: every published item re-checked with the current lexicons (after a lexicon update the
archive is rescanned in chunks across workers). Serious problems (block findings in the 涉密、隐私、政治性表述、
禁止内容 categories that reviewers have not dismissed) become monitor findings on each channel the item is on."""

from __future__ import annotations

SERIOUS_CATEGORIES = ("secret", "privacy", "political", "prohibited")
CHUNK = 200


def _checker(lexicon_files=(), extra_rows=()):
    """Only block findings in the serious categories count here, so the statistical typo stage (warn-level
    typos only, and ~35× the cost of the rest) is left out: the same serious findings, much sooner."""
    from govpub.textcheck.engine import get_checker

    if not lexicon_files and not extra_rows:
        from govpub.lexicons.checker import active_rows

        extra_rows = active_rows()  # the shipped lexicons plus the admins' current rows
    return get_checker(lexicon_files, extra_rows, statistical=False)


def scan_items(item_ids, *, lexicon_files=(), extra_rows=()) -> dict[int, list[dict]]:
    """item id → serious problems found now in its live revision (dismissed ones excluded)."""
    from django.db.models import Prefetch

    from govpub.content.models import Item, ItemState, MachineFinding
    from govpub.review.machine_check import revision_findings

    checker = _checker(lexicon_files, extra_rows)
    results = {}
    items = (Item.objects.filter(pk__in=item_ids, state=ItemState.PUBLISHED, live_revision__isnull=False)
             .select_related("live_revision")
             .prefetch_related("live_revision__attachments",  # two queries per chunk, not two per item
                               Prefetch("live_revision__findings", to_attr="dismissed_findings",
                                        queryset=MachineFinding.objects.filter(dismissed_at__isnull=False))))
    for item in items:
        revision = item.live_revision
        dismissed = {(f.field, f.rule, f.start, f.end) for f in revision.dismissed_findings}
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


class RescanJob:
    """The archive rescan as a durable job (govpub.jobs): one chunk per CHUNK published items.
    params: extra_rows (lexicon rows to add, tests), chunk_size, item_ids (only these). A chunk's record_rescan is idempotent
    (open findings are keyed per item, problem and channel), so a chunk that runs twice adds nothing."""

    label = "已发布稿件复查"

    @staticmethod
    def plan(params: dict):
        ids = params["item_ids"] if "item_ids" in params else published_item_ids()
        return [({"items": part}, len(part)) for part in chunks(ids, int(params.get("chunk_size") or CHUNK))]

    @staticmethod
    def run(params: dict, payload: dict) -> dict:
        from . import actions

        extra_rows = [tuple(r) for r in params.get("extra_rows") or ()]
        return actions.record_rescan(scan_items(payload["items"], extra_rows=extra_rows))

    @staticmethod
    def finish(params: dict, results: list[dict]) -> dict:
        totals = {key: sum(r.get(key, 0) for r in results) for key in ("items", "new", "again", "resolved")}
        totals["summary"] = (f"复查 {totals['items']} 篇：新发现严重问题 {totals['new']} 个，仍存在 {totals['again']} 个，"
                             f"已消除 {totals['resolved']} 个")
        return totals
