"""Items (稿件), their immutable revisions (版本), attachments and machine-check findings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class ItemState(models.TextChoices):
    DRAFT = "draft", "草稿"
    IN_REVIEW = "in_review", "审核中"
    RETURNED = "returned", "退回修改"
    REJECTED = "rejected", "不予发布"
    APPROVED = "approved", "审核通过"
    SCHEDULED = "scheduled", "定时发布"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤稿"


EDITABLE_STATES = {ItemState.DRAFT, ItemState.IN_REVIEW, ItemState.RETURNED, ItemState.APPROVED,
                   ItemState.SCHEDULED, ItemState.PUBLISHED, ItemState.WITHDRAWN}


class SourceKind(models.TextChoices):
    ORIGINAL = "original", "原创"
    REPRINT = "reprint", "转载"


class ItemQuerySet(models.QuerySet):
    def locked(self, pk) -> "Item":
        """The item row, locked until the transaction ends: every state change of an item goes through here.
        Only the item row is locked (`of`): PostgreSQL cannot lock the nullable side of the joins."""
        return (self.select_for_update(of=("self",)).select_related("current_revision", "unit", "author")
                .get(pk=getattr(pk, "pk", pk)))


class Item(models.Model):
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="items", verbose_name="单位")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="authored_items",
                               verbose_name="撰稿人")
    state = models.CharField("状态", max_length=12, choices=ItemState.choices, default=ItemState.DRAFT, db_index=True)
    current_revision = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.PROTECT,
                                         related_name="+", verbose_name="当前版本")
    # What the public sees now; a correction in review leaves it online until the new one is published.
    live_revision = models.ForeignKey("Revision", null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+", verbose_name="在线版本")
    scheduled_at = models.DateTimeField("定时发布时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    state_changed_at = models.DateTimeField("状态变更时间", auto_now_add=True)
    withdrawn_reason = models.CharField("撤稿原因", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "稿件"
        verbose_name_plural = "稿件"
        ordering = ["-updated_at"]
        # The staff lists page through 100,000s of items newest first: each order has its index, by unit too
        # (an editor sees their units' items only).
        indexes = [models.Index(fields=["-updated_at", "-id"], name="item_updated"),
                   models.Index(fields=["unit", "-updated_at", "-id"], name="item_unit_updated"),
                   models.Index(fields=["-state_changed_at", "-id"], name="item_state_changed"),
                   models.Index(fields=["unit", "-state_changed_at", "-id"], name="item_unit_state_changed")]

    def __str__(self) -> str:
        return self.current_revision.title if self.current_revision_id else f"稿件 #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("item_detail", args=[self.pk])

    def revision_or_current(self, number) -> "Revision | None":
        """The revision a page or API call names by its number (None when there is no such one), else the current one."""
        return self.revisions.filter(number=number).first() if number else self.current_revision

    @property
    def title(self) -> str:
        return self.current_revision.title if self.current_revision_id else ""


class Attachment(models.Model):
    """A stored file, content-addressed; kept outside the web root, served only through checked views."""

    class Kind(models.TextChoices):
        FILE = "file", "附件"
        IMAGE = "image", "图片"
        SOURCE_DOCX = "source_docx", "Word 原稿"

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="attachments", verbose_name="稿件")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices, default=Kind.FILE)
    name = models.CharField("文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    storage_name = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # Pixel size of an image (kind IMAGE): pages reserve its space before it loads.
    width = models.PositiveIntegerField("宽（像素）", null=True, blank=True)
    height = models.PositiveIntegerField("高（像素）", null=True, blank=True)
    # A Word file with comments, tracked changes or hidden text: whoever downloads it gets more than its page shows.
    has_hidden_content = models.BooleanField("含隐藏内容", default=False)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Rendition(models.Model):
    """A copy of an uploaded image made from its reviewed bytes at upload: smaller ones the portal serves, and
    one WeChat accepts. Stored content-addressed like the image; never edited, so what reviewers approved
    (the image, hashed into the revision) fixes what every copy shows."""

    class Use(models.TextChoices):
        WEB = "web", "网站"
        WECHAT = "wechat", "微信公众号"

    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="renditions")
    use = models.CharField(max_length=10, choices=Use.choices)
    content_type = models.CharField(max_length=100)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    storage_name = models.CharField(max_length=200)

    class Meta:
        ordering = ["attachment", "use", "width"]


class Revision(models.Model):
    """One immutable version of an item. The hash covers everything that will be published."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="revisions", verbose_name="稿件")
    number = models.PositiveIntegerField("版本号")
    content_hash = models.CharField("内容哈希", max_length=64, db_index=True)
    title = models.CharField("标题", max_length=200)
    body_html = models.TextField("正文")
    summary = models.CharField("摘要", max_length=500, blank=True)
    source_kind = models.CharField("信息来源", max_length=10, choices=SourceKind.choices, default=SourceKind.ORIGINAL)
    source_name = models.CharField("来源名称", max_length=100, blank=True)
    source_url = models.URLField("来源网址", max_length=500, blank=True)
    major = models.BooleanField("重大信息", default=False)
    major_reason = models.CharField("重大信息说明", max_length=300, blank=True)
    correction_note = models.CharField("更正说明", max_length=500, blank=True)
    # 政府信息公开 metadata
    index_no = models.CharField("索引号", max_length=60, blank=True)
    issuing_org = models.CharField("发布机构", max_length=100, blank=True)
    written_on = models.DateField("成文日期", null=True, blank=True)
    doc_no = models.CharField("文号", max_length=60, blank=True)
    topic = models.CharField("主题分类", max_length=60, blank=True)
    # Targets and attachments are snapshotted as data, so a revision never changes after the fact.
    targets = models.JSONField("发布目标", default=list)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="revisions", verbose_name="附件")
    cover = models.ForeignKey(Attachment, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name="封面图")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("保存时间", auto_now_add=True)

    class Meta:
        verbose_name = "版本"
        verbose_name_plural = "版本"
        ordering = ["item", "number"]
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="unique_revision_number")]

    def __str__(self) -> str:
        return f"{self.title}（第 {self.number} 版）"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("revisions are immutable")  # the database refuses it too
        super().save(*args, **kwargs)

    @property
    def short_hash(self) -> str:
        return self.content_hash[:12]


# The parts of a revision a finding can be about, as the item page and messages name them.
FIELD_LABELS = {"title": "标题", "summary": "摘要", "body": "正文", "attachment": "附件"}


class MachineFinding(models.Model):
    """A textcheck finding on one revision; a `block` finding must be fixed or dismissed with a reason."""

    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="findings")
    checked_at = models.DateTimeField(auto_now_add=True)
    category = models.CharField(max_length=20)
    rule = models.CharField(max_length=60)
    severity = models.CharField(max_length=8)
    field = models.CharField(max_length=20, default="body", help_text="title / summary / body / attachment")
    start = models.IntegerField()
    end = models.IntegerField()
    text = models.CharField(max_length=500)
    message = models.CharField(max_length=300)
    suggestion = models.CharField(max_length=500, blank=True, null=True)
    basis = models.CharField(max_length=40, blank=True, null=True)
    location = models.CharField(max_length=300, blank=True, null=True)
    dismissed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["revision", "field", "start", "id"]

    def __str__(self) -> str:
        return f"{self.rule}: {self.text}"

    @property
    def is_open_block(self) -> bool:
        return self.severity == "block" and self.dismissed_at is None

    def as_dict(self) -> dict:
        return {"id": self.pk, "category": self.category, "rule": self.rule, "severity": self.severity,
                "field": self.field, "start": self.start, "end": self.end, "text": self.text,
                "message": self.message, "suggestion": self.suggestion, "basis": self.basis,
                "location": self.location, "dismissed": self.dismissed_at is not None,
                "dismissed_reason": self.dismissed_reason}
