"""A Job is split into Chunks when it starts; workers lease chunks one at a time (runner.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class JobState(models.TextChoices):
    PENDING = "pending", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class ChunkState(models.TextChoices):
    PENDING = "pending", "待处理"
    RUNNING = "running", "处理中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class Job(models.Model):
    kind = models.CharField("作业类型", max_length=40)
    params = models.JSONField("参数", default=dict, blank=True)
    state = models.CharField("状态", max_length=10, choices=JobState.choices, default=JobState.PENDING)
    total = models.PositiveIntegerField("工作量", default=0, help_text="稿件、网站或单位的数量")
    done = models.PositiveIntegerField("已完成", default=0)
    chunks_total = models.PositiveIntegerField("分片数", default=0)
    chunks_done = models.PositiveIntegerField("已完成分片", default=0)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", verbose_name="发起人")
    created_at = models.DateTimeField("创建时间", default=timezone.now, db_index=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台作业"
        verbose_name_plural = "后台作业"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label}（{self.get_state_display()}）"

    @property
    def label(self) -> str:
        from .runner import kind_label

        return kind_label(self.kind)

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)


class Chunk(models.Model):
    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField("序号")
    payload = models.JSONField("内容", default=dict)
    size = models.PositiveIntegerField("工作量", default=0)
    state = models.CharField("状态", max_length=10, choices=ChunkState.choices, default=ChunkState.PENDING)
    lease_until = models.DateTimeField("租约到期", null=True, blank=True)
    token = models.CharField(max_length=32, blank=True)
    attempts = models.PositiveIntegerField("尝试次数", default=0)
    worker = models.CharField("任务进程", max_length=120, blank=True)
    result = models.JSONField("结果", default=dict, blank=True)
    error = models.TextField("错误", blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "作业分片"
        verbose_name_plural = "作业分片"
        ordering = ["job", "number"]
        constraints = [models.UniqueConstraint(fields=["job", "number"], name="one_chunk_number_per_job")]
        indexes = [models.Index(fields=["job", "state", "number"]), models.Index(fields=["state", "lease_until"])]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.number}"
