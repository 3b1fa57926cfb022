"""The edits and runs behind the scores: indicator editions (检查指标), channel scores, and the annual
assessment's weights (考核权重); kept together because they share the 指标 permissions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from govpub.audit import log as audit
from govpub.channels.models import Channel, ChannelStatus

from .. import policy


def _stored_current_version():
    """The current version, saving the shipped defaults as version 1 first if nothing is stored yet
    (scores and later editions point at a stored row)."""
    from ..indicators import current_version

    version = current_version()
    if version.pk is None:
        version.save()
    return version


@transaction.atomic(durable=True)
def save_indicator_version(*, acting_user, config: dict, note: str = ""):
    """A new edition of the indicators; earlier editions and the scores computed with them stay as they were."""
    from ..indicators import validate_config
    from ..models import IndicatorVersion

    policy.require(policy.can_edit_indicators(acting_user), policy.INDICATORS_REFUSAL)
    validate_config(config)
    latest = _stored_current_version()
    if latest.config == config:
        raise ValidationError("指标内容没有变化。")
    version = IndicatorVersion.objects.create(number=latest.number + 1, config=config, note=(note or "").strip()[:300],
                                              created_by=acting_user)
    audit.record("indicators.version", actor=acting_user, obj=version,
                 details={"number": version.number, "previous": latest.number, "note": version.note})
    return version


@transaction.atomic(durable=True)
def compute_scores(*, acting_user, period_start: dt.date, period_end: dt.date, channels=None) -> list:
    """Score every channel (or the given ones) for the period with the current indicator version."""
    from ..indicators import collect_facts, score_facts
    from ..models import IndicatorScore

    policy.require(policy.can_run_system_task(acting_user), policy.SCORES_REFUSAL)
    if period_end < period_start:
        raise ValidationError({"period_end": "考核期止不能早于考核期起。"})
    version = _stored_current_version()
    if channels is None:
        channels = Channel.objects.exclude(status=ChannelStatus.CLOSED).order_by("kind", "name")
    results = []
    for channel in channels:
        facts = collect_facts(channel, period_start, period_end, version.config)
        score = score_facts(facts, version.config)
        results.append(IndicatorScore.objects.create(
            channel=channel, period_start=period_start, period_end=period_end, version=version, score=score.score,
            passed=score.passed, status=score.status, vetoes=score.vetoes, deductions=score.deductions, facts=facts.as_dict(),
            computed_by=acting_user))
    audit.record("indicators.score", actor=acting_user, details={
        "version": version.number, "period": [period_start.isoformat(), period_end.isoformat()],
        "channels": len(results), "failed": sum(1 for r in results if r.status == "failed"),
        "unmonitored": sum(1 for r in results if r.status == "unmonitored")})
    return results


@transaction.atomic(durable=True)
def save_assessment_weights(*, acting_user, weights: dict):
    from ..assessment import validate_weights
    from ..models import AssessmentConfig

    policy.require(policy.can_edit_indicators(acting_user), policy.WEIGHTS_REFUSAL)
    weights = validate_weights(weights)
    config = AssessmentConfig.objects.create(weights=weights, created_by=acting_user)
    audit.record("assessment.weights", actor=acting_user, obj=config, details=weights)
    return config
