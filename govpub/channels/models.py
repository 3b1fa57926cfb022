"""The government website with its columns, the new-media accounts, and the content list (第二、四、九条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from govpub.orgs.models import MeasureOrigin


class ChannelKind(models.TextChoices):
    WEBSITE = "website", "政府网站"
    WECHAT = "wechat", "微信公众号"
    WEIBO = "weibo", "微博"
    DOUYIN = "douyin", "抖音"
    TOUTIAO = "toutiao", "今日头条"
    APP = "app", "自建移动客户端"
    OTHER = "other", "其他"


class ChannelStatus(models.TextChoices):
    RUNNING = "running", "运行"
    PAUSED = "paused", "暂停"
    CLOSED = "closed", "关停"


# 运行 → 暂停 → 运行, or → 关停, which is final (kept for history).
ALLOWED_TRANSITIONS = {
    ChannelStatus.RUNNING: {ChannelStatus.PAUSED, ChannelStatus.CLOSED},
    ChannelStatus.PAUSED: {ChannelStatus.RUNNING, ChannelStatus.CLOSED},
    ChannelStatus.CLOSED: set(),
}


class Channel(models.Model):
    kind = models.CharField("渠道类型", max_length=20, choices=ChannelKind.choices)
    name = models.CharField("名称", max_length=100)
    # “谁开设、谁主办” (第四条)
    sponsor_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="sponsored_channels",
                                     verbose_name="主办单位")
    operator_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="operated_channels",
                                      verbose_name="承办单位")
    opened_on = models.DateField("开设日期", null=True, blank=True)
    verified_entity = models.CharField("认证主体", max_length=100, blank=True)
    account_id = models.CharField("账号ID", max_length=100, blank=True)
    url = models.URLField("网址/主页", blank=True)
    site_code = models.CharField("网站标识码", max_length=40, blank=True)
    status = models.CharField("状态", max_length=10, choices=ChannelStatus.choices, default=ChannelStatus.RUNNING)
    status_reason = models.CharField("状态说明", max_length=500, blank=True)
    status_changed_at = models.DateTimeField("状态变更时间", null=True, blank=True)
    # Who set the current status: a pause the 政务公开办 imposed is reopened only by it. Blank: from before this
    # was recorded (anyone who may change the status may reopen it).
    status_origin = models.CharField("状态决定机关", max_length=12, choices=MeasureOrigin.choices, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "渠道"
        verbose_name_plural = "渠道"
        ordering = ["kind", "name"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="unique_channel_name_per_kind")]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_kind_display()}）"

    @property
    def is_website(self) -> bool:
        return self.kind == ChannelKind.WEBSITE

    @property
    def is_running(self) -> bool:
        return self.status == ChannelStatus.RUNNING

    def can_move_to(self, status: str) -> bool:
        return status in ALLOWED_TRANSITIONS[ChannelStatus(self.status)]


class Column(models.Model):
    """A 栏目 of the website; columns form a tree (e.g. 政府信息公开 → 法定主动公开内容)."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="columns", verbose_name="网站")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children",
                               verbose_name="上级栏目")
    name = models.CharField("栏目名称", max_length=60)
    slug = models.SlugField("路径", max_length=60)
    position = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["channel", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "slug"], name="unique_column_slug_per_site"),
        ]

    def __str__(self) -> str:
        return self.path_name

    @property
    def path_name(self) -> str:
        names, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name)
            node = node.parent
        return " / ".join(reversed(names))

    @property
    def depth(self) -> int:
        depth, node = 0, self.parent
        while node is not None and depth < 20:
            depth, node = depth + 1, node.parent
        return depth


class ContentListEntry(models.Model):
    """发布内容清单 (第九条): what a channel/column publishes, who is responsible, how often."""

    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="content_list", verbose_name="渠道")
    column = models.ForeignKey(Column, null=True, blank=True, on_delete=models.PROTECT, related_name="content_list",
                               verbose_name="栏目")
    category = models.CharField("内容类别", max_length=100)
    responsible_unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="content_list_entries",
                                         verbose_name="责任单位")
    responsible_person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+", verbose_name="责任人")
    update_interval_days = models.PositiveIntegerField("更新周期（天）", null=True, blank=True,
                                                       help_text="预期的最长更新间隔；留空表示按需更新")
    note = models.CharField("备注", max_length=300, blank=True)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = "发布内容清单条目"
        verbose_name_plural = "发布内容清单"
        ordering = ["channel", "column__position", "id"]

    def __str__(self) -> str:
        where = self.column.path_name if self.column else self.channel.name
        return f"{where}：{self.category}"
