"""督查: planning an inspection, the reproducible sample draw, and the re-review of each sampled item."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govpub.audit import log as audit

from .. import policy


def inspection_candidates(units, start: dt.date, end: dt.date) -> list[int]:
    """Published items of the units that went live on any channel in [start, end], by id (a stable order)."""
    from govpub.content.models import Item, ItemState
    from govpub.publishing.models import Publication

    tz = timezone.get_current_timezone()
    start_at = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    end_at = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    live = Publication.objects.filter(live_at__gte=start_at, live_at__lt=end_at).values("item_id")
    return list(Item.objects.filter(unit__in=units, state=ItemState.PUBLISHED, live_revision__isnull=False,
                                    pk__in=live).order_by("pk").values_list("pk", flat=True))


def sample_ids(candidates: list[int], size: int, seed: int) -> list[int]:
    """The reproducible draw: random.Random(seed).sample over the id-ordered candidates."""
    import random

    return random.Random(seed).sample(candidates, min(size, len(candidates)))


@transaction.atomic(durable=True)
def plan_inspection(*, acting_user, title: str, units, period_start: dt.date, period_end: dt.date,
                    sample_size: int, seed: int | None = None):
    import secrets

    from ..models import Inspection

    policy.require(policy.can_inspect(acting_user), policy.SCHEDULE_INSPECTION_REFUSAL)
    units = list(units)
    errors = {}
    if not (title or "").strip():
        errors["title"] = "请填写督查名称。"
    if not units:
        errors["units"] = "请选择被督查单位。"
    if period_end < period_start:
        errors["period_end"] = "发布时间止不能早于发布时间起。"
    if sample_size < 1:
        errors["sample_size"] = "抽样数量至少为 1。"
    if errors:
        raise ValidationError(errors)
    inspection = Inspection.objects.create(title=title.strip(), period_start=period_start, period_end=period_end,
                                           sample_size=sample_size, created_by=acting_user,
                                           seed=seed if seed is not None else secrets.randbelow(2**31))
    inspection.units.set(units)
    audit.record("inspection.plan", actor=acting_user, obj=inspection,
                 details={"units": [u.pk for u in units], "period": [period_start.isoformat(), period_end.isoformat()],
                          "sample_size": sample_size, "seed": inspection.seed})
    return inspection


@transaction.atomic(durable=True)
def draw_sample(inspection, *, acting_user):
    """Draw once; the candidates' digest and the seed are recorded so anyone can redraw and compare."""
    import hashlib

    from govpub.content.models import Item

    from ..models import Inspection, InspectionSample, InspectionState

    policy.require(policy.can_inspect(acting_user), policy.SAMPLE_REFUSAL)
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.state != InspectionState.PLANNED:
        raise ValidationError("该督查已抽样。")
    candidates = inspection_candidates(inspection.units.all(), inspection.period_start, inspection.period_end)
    if not candidates:
        raise ValidationError("所选单位在该时间段内没有已发布的稿件，无法抽样。")
    chosen = sample_ids(candidates, inspection.sample_size, inspection.seed)
    items = Item.objects.in_bulk(chosen)
    InspectionSample.objects.bulk_create([
        InspectionSample(inspection=inspection, position=n, item_id=pk, revision_id=items[pk].live_revision_id)
        for n, pk in enumerate(chosen, start=1)])
    inspection.state, inspection.sampled_at = InspectionState.SAMPLED, timezone.now()
    inspection.candidate_count = len(candidates)
    inspection.candidate_digest = hashlib.sha256(",".join(map(str, candidates)).encode()).hexdigest()
    inspection.save(update_fields=["state", "sampled_at", "candidate_count", "candidate_digest"])
    audit.record("inspection.sample", actor=acting_user, obj=inspection,
                 details={"seed": inspection.seed, "candidates": len(candidates),
                          "digest": inspection.candidate_digest, "items": chosen})
    return inspection


@transaction.atomic(durable=True)
def review_sample(sample, *, acting_user, checklist: dict, comment: str = ""):
    """Re-review one sampled item against the 第八条 checklist; any failed point needs a comment."""
    from govpub.review.models import CHECKLIST_KEYS

    from ..models import Inspection, InspectionSample, InspectionState, SampleResult

    policy.require(policy.can_inspect(acting_user), policy.SAMPLE_REVIEW_REFUSAL)
    sample = InspectionSample.objects.select_for_update().select_related("inspection").get(pk=sample.pk)
    if sample.inspection.state == InspectionState.DONE:
        raise ValidationError("该督查已完成，不能再修改复核结果。")
    missing = [k for k in CHECKLIST_KEYS if k not in checklist]
    if missing:
        raise ValidationError("请逐项回答审核要点。")
    answers = {k: bool(checklist[k]) for k in CHECKLIST_KEYS}
    passed = all(answers.values())
    comment = (comment or "").strip()
    if not passed and not comment:
        raise ValidationError({"comment": "存在问题的，请填写复核意见。"})
    sample.checklist, sample.comment = answers, comment
    sample.result = SampleResult.PASS if passed else SampleResult.FAIL
    sample.reviewed_by, sample.reviewed_at = acting_user, timezone.now()
    sample.save()
    inspection = Inspection.objects.select_for_update().get(pk=sample.inspection_id)
    finished = not inspection.samples.filter(result=SampleResult.PENDING).exists()
    if finished:
        inspection.state, inspection.finished_at = InspectionState.DONE, timezone.now()
        inspection.save(update_fields=["state", "finished_at"])
    audit.record("inspection.review", actor=acting_user, obj=inspection, unit=sample.item.unit_id,
                 details={"sample": sample.pk, "item": sample.item_id, "result": sample.result,
                          "failed": [k for k, v in answers.items() if not v], "finished": finished})
    return sample
