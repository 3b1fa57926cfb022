"""Lexicon rows admins add on top of the shipped lexicons (DESIGN.md §4 lexicon format)."""

from django.conf import settings
from django.db import models

from govpub.textcheck import CATEGORIES, SEVERITIES
from govpub.textcheck.findings import CATEGORY_LABELS, SEVERITY_LABELS

CATEGORY_CHOICES = [(c, CATEGORY_LABELS[c]) for c in CATEGORIES] + [("allow", "白名单（不报告）")]
SEVERITY_CHOICES = [(s, SEVERITY_LABELS[s]) for s in SEVERITIES]


class LexiconEntry(models.Model):
    term = models.CharField("词条", max_length=100)
    category = models.CharField("类别", max_length=20, choices=CATEGORY_CHOICES)
    severity = models.CharField("严重程度", max_length=8, choices=SEVERITY_CHOICES, default="warn")
    suggestion = models.CharField("建议", max_length=200, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("添加时间", auto_now_add=True)
    deactivated_at = models.DateTimeField("停用时间", null=True, blank=True)

    class Meta:
        verbose_name = "词库词条"
        verbose_name_plural = "词库词条"
        ordering = ["category", "term", "id"]
        constraints = [models.UniqueConstraint(fields=["term", "category"], condition=models.Q(is_active=True),
                                               name="one_active_entry_per_term_and_category")]

    def __str__(self) -> str:
        return f"{self.term}（{self.get_category_display()}）"

    def as_row(self) -> tuple:
        return (self.term, self.category, self.severity, self.suggestion, self.note)
