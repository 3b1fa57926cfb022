"""Publication targets: website columns and new-media accounts a unit may publish to (谁公开、谁审核)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q

from .models import Channel, ChannelKind, ChannelStatus, Column


@dataclass(frozen=True)
class Target:
    key: str  # "column:<id>" or "channel:<id>"
    channel: Channel
    column: Column | None

    @property
    def label(self) -> str:
        if self.column is not None:
            return f"{self.channel.name} / {self.column.path_name}"
        return str(self.channel)

    @property
    def is_running(self) -> bool:
        return self.channel.status == ChannelStatus.RUNNING


def allowed_targets(unit) -> list[Target]:
    """Columns the unit is responsible for in the content list (or every column of a website it operates),
    and the accounts it operates or sponsors. Closed channels are never offered."""
    targets = []
    websites = Channel.objects.filter(kind=ChannelKind.WEBSITE).exclude(status=ChannelStatus.CLOSED)
    for site in websites:
        columns = site.columns.filter(is_active=True).select_related("parent")
        if site.operator_unit_id != unit.pk:
            columns = columns.filter(content_list__responsible_unit=unit, content_list__is_active=True).distinct()
        targets += [Target(f"column:{c.pk}", site, c) for c in columns]
    accounts = (Channel.objects.exclude(kind=ChannelKind.WEBSITE).exclude(status=ChannelStatus.CLOSED)
                .filter(Q(operator_unit=unit) | Q(sponsor_unit=unit)).order_by("kind", "name"))
    targets += [Target(f"channel:{c.pk}", c, None) for c in accounts]
    return targets


def resolve(keys) -> list[Target]:
    """Targets for stored keys, whatever their current status (the gate checks status)."""
    targets = []
    for key in keys:
        kind, _, raw_id = str(key).partition(":")
        if kind == "column":
            column = Column.objects.select_related("channel", "parent").filter(pk=raw_id).first()
            if column is None:
                raise ValidationError(f"发布目标不存在：{key}")
            targets.append(Target(key, column.channel, column))
        elif kind == "channel":
            channel = Channel.objects.filter(pk=raw_id).exclude(kind=ChannelKind.WEBSITE).first()
            if channel is None:
                raise ValidationError(f"发布目标不存在：{key}")
            targets.append(Target(key, channel, None))
        else:
            raise ValidationError(f"无法识别的发布目标：{key}")
    return targets


def wechat_accounts(targets) -> list[Channel]:
    """The WeChat official accounts among targets: the ones a WeChat post preview is for."""
    return [t.channel for t in targets if t.channel.kind == ChannelKind.WECHAT]


def validate_targets(unit, keys) -> list[str]:
    """Normalised, de-duplicated, sorted keys, each one the unit may publish to."""
    keys = sorted({str(k) for k in keys})
    allowed = {t.key for t in allowed_targets(unit)}
    refused = [k for k in keys if k not in allowed]
    if refused:
        labels = []
        for key in refused:
            try:
                labels.append(resolve([key])[0].label)
            except ValidationError:
                labels.append(key)
        raise ValidationError({"targets": f"本单位不能向以下目标发布：{'、'.join(labels)}"})
    return keys
