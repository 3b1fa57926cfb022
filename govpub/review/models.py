"""The 三审三校 review run and its decisions (第六、八条)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Step(models.TextChoices):
    FIRST = "first_review", "初审"
    SECOND = "second_review", "复审"
    FINAL = "final_review", "终审"
    PRINCIPAL = "principal_review", "主要负责人审核"


# 第八条 (一)–(十): the API field name and the question reviewers answer.
CHECKLIST = [
    ("secrets", "不涉及国家秘密、工作秘密、商业秘密、个人隐私"),
    ("law_and_policy", "符合国家政策方针和法律法规相关规定"),
    ("political", "不存在政治性表述错误"),
    ("language", "不存在错别字、表述不规范、语病等错误"),
    ("harm", "不会给其他单位、个人造成危害"),
    ("local_benefit", "有利于本地本部门的宣传和发展"),
    ("sensitive", "不属敏感性问题"),
    ("truthful", "信息真实准确"),
    ("public_opinion", "不会引发严重负面舆情"),
    ("other", "其他需要根据情况审核的内容已审核"),
]
CHECKLIST_KEYS = [key for key, _ in CHECKLIST]


class RunStatus(models.TextChoices):
    ACTIVE = "active", "审核中"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"
    REJECTED = "rejected", "不予发布"
    VOIDED = "voided", "已作废"


class ReviewRun(models.Model):
    """One pass of the required steps over exactly one revision."""

    item = models.ForeignKey("content.Item", on_delete=models.PROTECT, related_name="review_runs")
    revision = models.ForeignKey("content.Revision", on_delete=models.PROTECT, related_name="review_runs")
    revision_hash = models.CharField(max_length=64)
    steps = models.JSONField(help_text="required steps, in order")
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.ACTIVE)
    started_at = models.DateTimeField(auto_now_add=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item"], condition=models.Q(status="active"), name="one_active_run_per_item")
        ]

    def approved_steps(self) -> list[str]:
        return [d.step for d in self.decisions.all() if d.decision == Decision.Outcome.APPROVE]

    @property
    def next_step(self) -> str | None:
        if self.status != RunStatus.ACTIVE:
            return None
        done = set(self.approved_steps())
        return next((s for s in self.steps if s not in done), None)


class Decision(models.Model):
    class Outcome(models.TextChoices):
        APPROVE = "approve", "通过"
        RETURN = "return", "退回修改"
        REJECT = "reject", "不予发布"

    run = models.ForeignKey(ReviewRun, on_delete=models.PROTECT, related_name="decisions")
    revision_hash = models.CharField("所审版本哈希", max_length=64)
    step = models.CharField("审核环节", max_length=20, choices=Step.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_decisions")
    decision = models.CharField("审核意见", max_length=10, choices=Outcome.choices)
    checklist = models.JSONField("审核要点")
    # A return or rejection needs only its reason: what the reviewer left unanswered is None.
    confidentiality_ok = models.BooleanField("保密审查通过", null=True)
    proofread_ok = models.BooleanField("已校对", null=True)
    comment = models.TextField("意见", blank=True)
    # checklist key → why 是 although the machine check has open findings on that point (evidence.py)
    point_notes = models.JSONField("审核要点说明", default=dict, blank=True)
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "id"]
        # One decision per step per run: a second click cannot approve twice.
        constraints = [models.UniqueConstraint(fields=["run", "step"], name="one_decision_per_step")]


class AnnotationQuerySet(models.QuerySet):
    def of_item(self, item):
        """Every 批注 on the item, the newest review run first, each run's in the order they were made."""
        return self.filter(run__item=item).select_related("author", "revision").order_by("-run_id", "created_at", "id")


class Annotation(models.Model):
    """审核批注: a reviewer's comment on one passage of the revision under review, for the editor to see on
    return. Anchored by the passage's own words (found again in later revisions while they still say it)."""

    run = models.ForeignKey(ReviewRun, on_delete=models.PROTECT, related_name="annotations")
    revision = models.ForeignKey("content.Revision", on_delete=models.PROTECT, related_name="annotations")
    step = models.CharField("审核环节", max_length=20, choices=Step.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    quote = models.CharField("所批原文", max_length=300)
    comment = models.TextField("批注")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AnnotationQuerySet.as_manager()

    class Meta:
        verbose_name = "审核批注"
        verbose_name_plural = "审核批注"
        ordering = ["created_at", "id"]
