"""Supervision (第五、六章): problem assignment (问题交办) and its life history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class TicketMethod(models.TextChoices):
    NETWORK = "network", "网络"
    PHONE = "phone", "电话"
    EMAIL = "email", "邮件"
    LETTER = "letter", "交办函"


class TicketState(models.TextChoices):
    ASSIGNED = "assigned", "已交办"
    RECTIFYING = "rectifying", "整改中"
    REPORTED = "reported", "已报送整改情况"
    VERIFIED = "verified", "已核验办结"
    SHUT_DOWN = "shut_down", "已责令关停"


# States in which the unit still owes a rectification; the deadline runs only in these.
OWING_STATES = (TicketState.ASSIGNED, TicketState.RECTIFYING)
OPEN_STATES = (TicketState.ASSIGNED, TicketState.RECTIFYING, TicketState.REPORTED)


def local_today() -> dt.date:
    return timezone.localdate()


class TicketQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today: dt.date | None = None):
        """Past the deadline with the rectification not yet reported."""
        return self.filter(state__in=OWING_STATES, deadline__lt=today or local_today())

    def due_soon(self, days: int, today: dt.date | None = None):
        today = today or local_today()
        return self.filter(state__in=OWING_STATES, deadline__gte=today, deadline__lte=today + dt.timedelta(days=days))


class Ticket(models.Model):
    """A problem found in supervision, assigned to the unit that runs the channel (第十一条(一))."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="tickets",
                                verbose_name="渠道")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="tickets", verbose_name="责任单位",
                             help_text="发布内容清单中负责该栏目或内容的单位，清单未列明时为渠道的承办单位")
    title = models.CharField("问题", max_length=200)
    description = models.TextField("问题描述")
    evidence = models.TextField("问题证据", blank=True, help_text="网址、截图说明、发现时间等")
    method = models.CharField("交办方式", max_length=10, choices=TicketMethod.choices)
    deadline = models.DateField("整改期限")
    state = models.CharField("状态", max_length=12, choices=TicketState.choices, default=TicketState.ASSIGNED,
                             db_index=True)
    machine_finding = models.ForeignKey("content.MachineFinding", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name="来源机审问题")
    monitor_finding = models.ForeignKey("MonitorFinding", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="tickets", verbose_name="来源监测问题")
    # 交办函 numbering: 〔year〕seq号, assigned once when the ticket is sent by letter.
    letter_year = models.PositiveIntegerField("发文年份", null=True, blank=True)
    letter_seq = models.PositiveIntegerField("发文序号", null=True, blank=True)
    letter_no = models.CharField("发文字号", max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="交办人")
    created_at = models.DateTimeField("交办时间", default=timezone.now)
    state_changed_at = models.DateTimeField("状态变更时间", default=timezone.now)
    reminded_at = models.DateTimeField("到期提醒时间", null=True, blank=True)
    overdue_marked_at = models.DateTimeField("标记逾期时间", null=True, blank=True)
    suspension = models.ForeignKey("orgs.Suspension", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="限期整改令（暂停发布）")
    shut_down_at = models.DateTimeField("责令关停时间", null=True, blank=True)
    verified_at = models.DateTimeField("核验时间", null=True, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name="核验人")

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = "问题交办"
        verbose_name_plural = "问题交办"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["letter_year", "letter_seq"], condition=Q(letter_seq__isnull=False),
                                    name="unique_ticket_letter_number"),
        ]

    def __str__(self) -> str:
        return f"交办 #{self.pk}：{self.title}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return self.state in OWING_STATES and self.deadline < local_today()

    @property
    def days_overdue(self) -> int:
        return max(0, (local_today() - self.deadline).days) if self.is_overdue else 0

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("ticket_detail", args=[self.pk])


class LetterCounter(models.Model):
    """The last 交办函 number used in a year; the row is locked while a number is taken."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)


class TicketProblem(models.Model):
    """One of the problems a ticket (and its 交办函) lists: several findings on one channel go out in one letter."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="problems")
    position = models.PositiveIntegerField()
    text = models.CharField("问题", max_length=500)
    url = models.CharField("网址", max_length=1000, blank=True)
    monitor_finding = models.ForeignKey("MonitorFinding", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", verbose_name="来源监测问题")

    class Meta:
        ordering = ["ticket", "position"]
        constraints = [models.UniqueConstraint(fields=["ticket", "position"], name="unique_ticket_problem_position")]


class TicketEvent(models.Model):
    """One step in a ticket's life, shown as its history (the audit log holds the same facts, chained)."""

    class Kind(models.TextChoices):
        ASSIGN = "assign", "交办"
        ACCEPT = "accept", "签收并开始整改"
        REPORT = "report", "报送整改情况"
        SEND_BACK = "send_back", "退回重新整改"
        VERIFY = "verify", "核验办结"
        REMIND = "remind", "到期提醒"
        OVERDUE = "overdue", "标记逾期"
        ORDER = "order", "下达限期整改令（暂停发布）"
        LIFT = "lift", "解除暂停发布"
        SHUT_DOWN = "shut_down", "责令关停"

    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="events", verbose_name="问题交办")
    kind = models.CharField("事项", max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", verbose_name="办理人")
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.TextField("说明", blank=True)
    file_name = models.CharField("证明材料", max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    file_content_type = models.CharField(max_length=100, blank=True)
    file_storage = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = "交办记录"
        verbose_name_plural = "交办记录"
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.at:%Y-%m-%d %H:%M}）"


class MonitorKind(models.TextChoices):
    BROKEN_LINK = "broken_link", "不可用链接"
    HOME_STALE = "home_stale", "首页长期未更新"
    COLUMN_STALE = "column_stale", "栏目未按期更新"
    COLUMN_EMPTY = "column_empty", "空白栏目"
    SLOW_PAGE = "slow_page", "页面打开缓慢"
    UNREACHABLE = "unreachable", "站点无法访问"
    INTERACTION = "interaction", "留言超期未回复"
    SERIOUS_ERROR = "serious_error", "严重错误"
    ACCOUNT_SILENT = "account_silent", "账号长期未更新"
    # What an account really shows, held against GovPub's publications (supervision/reconcile.py)
    UNREVIEWED_POST = "unreviewed_post", "未经审核发布"
    CONTENT_MISMATCH = "content_mismatch", "发布内容与审核版本不一致"
    WITHDRAWN_ONLINE = "withdrawn_online", "已撤稿仍在线"
    # What the content scan of a website's pages and attachments found (supervision/pagescan.py)
    PAGE_CONTENT = "page_content", "网页内容问题"
    HIDDEN_LINK = "hidden_link", "暗链"
    INJECTED_CODE = "injected_code", "挂马迹象"
    UNEXPLAINED_PAGE = "unexplained_page", "来源不明"  # an external site's article with no publication behind it


class MonitorFinding(models.Model):
    """A problem a monitor found on a channel; one row per (channel, kind, key) while it lasts (de-duplicated)."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="monitor_findings",
                                verbose_name="渠道")
    kind = models.CharField("问题类型", max_length=20, choices=MonitorKind.choices)
    key = models.CharField("标识", max_length=500, help_text="同一问题在多次监测中的标识，如链接地址")
    url = models.CharField("网址", max_length=1000, blank=True)
    column = models.ForeignKey("channels.Column", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name="栏目")
    message = models.CharField("说明", max_length=300)
    evidence = models.JSONField("证据", default=dict)
    first_seen = models.DateTimeField("首次发现", default=timezone.now)
    last_seen = models.DateTimeField("最近发现", default=timezone.now)
    seen_count = models.PositiveIntegerField("发现次数", default=1)
    resolved_at = models.DateTimeField("已消除", null=True, blank=True)

    class Meta:
        verbose_name = "监测问题"
        verbose_name_plural = "监测问题"
        ordering = ["-last_seen", "id"]
        constraints = [
            models.UniqueConstraint(fields=["channel", "kind", "key"], condition=Q(resolved_at__isnull=True),
                                    name="one_open_monitor_finding"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.message}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return f"{reverse('monitor_list')}?channel={self.channel_id}&kind={self.kind}"

    @property
    def days_open(self) -> int:
        end = self.resolved_at or timezone.now()
        return (end - self.first_seen).days


class Probe(models.Model):
    """One availability check of a website's home page (站点无法访问 is judged on a week of these)."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="probes")
    at = models.DateTimeField(default=timezone.now, db_index=True)
    ok = models.BooleanField()
    status = models.PositiveIntegerField(null=True, blank=True)
    elapsed_ms = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at"]


class IndicatorVersion(models.Model):
    """One edition of the check indicators (检查指标); never changed, a new edition gets the next number."""

    number = models.PositiveIntegerField("版本号", unique=True)
    config = models.JSONField("指标配置")
    note = models.CharField("修订说明", max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="修订人")
    created_at = models.DateTimeField("修订时间", default=timezone.now)

    class Meta:
        verbose_name = "检查指标版本"
        verbose_name_plural = "检查指标版本"
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"检查指标第 {self.number} 版"


class IndicatorScore(models.Model):
    """A channel's score for one period, computed with one indicator version (named in the result)."""

    class Status(models.TextChoices):
        PASSED = "passed", "合格"
        FAILED = "failed", "不合格"
        UNMONITORED = "unmonitored", "未监测"

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="indicator_scores",
                                verbose_name="渠道")
    period_start = models.DateField("考核期起")
    period_end = models.DateField("考核期止")
    version = models.ForeignKey(IndicatorVersion, on_delete=models.PROTECT, related_name="scores",
                                verbose_name="指标版本")
    score = models.DecimalField("得分", max_digits=5, decimal_places=1, null=True, blank=True,
                                help_text="未监测的渠道没有得分")
    passed = models.BooleanField("合格")
    status = models.CharField("结果", max_length=12, choices=Status.choices, default=Status.PASSED)
    vetoes = models.JSONField("单项否决", default=list)
    deductions = models.JSONField("扣分", default=list)
    facts = models.JSONField("依据数据", default=dict)
    computed_at = models.DateTimeField("计算时间", default=timezone.now)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        ordering = ["-period_end", "channel_id", "-computed_at"]


class MonitorRun(models.Model):
    """One monitoring pass over a channel, with its headline figures."""

    channel = models.ForeignKey("channels.Channel", on_delete=models.PROTECT, related_name="monitor_runs",
                                verbose_name="渠道")
    kind = models.CharField("监测类型", max_length=20, default="website")
    started_at = models.DateTimeField("开始时间", default=timezone.now)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    url = models.CharField("起始网址", max_length=1000, blank=True)
    pages = models.PositiveIntegerField("检查页面数", default=0)
    links_checked = models.PositiveIntegerField("检查链接数", default=0)
    home_last_update = models.DateField("首页最近更新日期", null=True, blank=True)
    ok = models.BooleanField("完成", default=True)
    summary = models.JSONField("结果摘要", default=dict)

    class Meta:
        verbose_name = "监测记录"
        verbose_name_plural = "监测记录"
        ordering = ["-started_at", "-id"]


class InspectionState(models.TextChoices):
    PLANNED = "planned", "已计划"
    SAMPLED = "sampled", "已抽样"
    DONE = "done", "已完成"


class Inspection(models.Model):
    """督查 (第十一条(二)): a seeded, reproducible random sample of published items, re-reviewed by the checklist."""

    title = models.CharField("督查名称", max_length=200)
    units = models.ManyToManyField("orgs.Unit", related_name="inspections", verbose_name="被督查单位")
    period_start = models.DateField("发布时间起")
    period_end = models.DateField("发布时间止")
    sample_size = models.PositiveIntegerField("抽样数量")
    seed = models.BigIntegerField("随机种子", help_text="同一种子与同一候选范围总是抽出相同样本")
    state = models.CharField("状态", max_length=10, choices=InspectionState.choices, default=InspectionState.PLANNED)
    candidate_count = models.PositiveIntegerField("候选稿件数", null=True, blank=True)
    candidate_digest = models.CharField("候选范围摘要", max_length=64, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    sampled_at = models.DateTimeField("抽样时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "督查"
        verbose_name_plural = "督查"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("inspection_detail", args=[self.pk])


class SampleResult(models.TextChoices):
    PENDING = "pending", "待复核"
    PASS = "pass", "合格"
    FAIL = "fail", "存在问题"


class InspectionSample(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="samples")
    position = models.PositiveIntegerField("序号")
    item = models.ForeignKey("content.Item", on_delete=models.PROTECT, related_name="+", verbose_name="稿件")
    revision = models.ForeignKey("content.Revision", on_delete=models.PROTECT, related_name="+",
                                 verbose_name="抽中的在线版本")
    result = models.CharField("复核结果", max_length=10, choices=SampleResult.choices, default=SampleResult.PENDING)
    checklist = models.JSONField("审核要点", default=dict)
    comment = models.TextField("复核意见", blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["inspection", "position"]
        constraints = [models.UniqueConstraint(fields=["inspection", "item"], name="one_sample_per_item")]


class Incident(models.Model):
    """责任追究 (第十二、十三条): a harmful publication or serious failure, its remedy and the accountability."""

    class Remedy(models.TextChoices):
        WITHDRAWN = "withdrawn", "撤稿"
        CORRECTED = "corrected", "更正"
        CLOSED = "closed", "关停渠道"
        OTHER = "other", "其他补救措施"
        NONE = "none", "尚未采取"

    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="incidents", verbose_name="责任单位")
    title = models.CharField("事件", max_length=200)
    description = models.TextField("事件经过")
    occurred_at = models.DateTimeField("发生时间")
    remedy = models.CharField("补救措施", max_length=12, choices=Remedy.choices, default=Remedy.NONE)
    remedy_note = models.CharField("补救说明", max_length=500, blank=True)
    items = models.ManyToManyField("content.Item", blank=True, related_name="+", verbose_name="涉及稿件")
    tickets = models.ManyToManyField(Ticket, blank=True, related_name="incidents", verbose_name="相关交办问题")
    responsible = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                         verbose_name="相关责任人")
    suspension = models.ForeignKey("orgs.Suspension", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="暂停发布")
    audit_events = models.JSONField("相关审计事件", default=list, help_text="审计日志序号")
    decision = models.TextField("问责决定", blank=True)
    decided_at = models.DateTimeField("问责时间", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = "责任追究事件"
        verbose_name_plural = "责任追究事件"
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return self.title


class AssessmentConfig(models.Model):
    """Weights of the annual assessment (考核); a new row for every change, the newest is used."""

    weights = models.JSONField("权重")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
