"""The portal's own data: the full-text search catalogue of what the public can read now."""

from __future__ import annotations

from django.db import models


class SearchDocument(models.Model):
    """One row per publicly visible item, kept in step with publishing by govpub.portal.signals.

    `segmented` is the jieba-segmented title and body (words separated by spaces). It is what the
    database indexes: an FTS5 table over it on SQLite, a generated tsvector column with a GIN index on
    PostgreSQL (both created in migration 0001). `text` is the plain visible text, for snippets.
    """

    item = models.OneToOneField("content.Item", primary_key=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    text = models.TextField()
    segmented = models.TextField()
    column = models.ForeignKey("channels.Column", null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = "全文检索条目"
        verbose_name_plural = "全文检索条目"

    def __str__(self) -> str:
        return self.title
