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


class Listing(models.Model):
    """The site's lists, precomputed: one row per item and list it appears in, dated by the item's first
    day online (the date its entries show). A list is a column with all its sub-columns (the item's
    column and each ancestor get a row) or, with no column, the whole site. So every list is one range
    of one index, newest first, the publication id breaking ties — publication ids do not follow the
    dates (a scheduled publication is created before it goes live; a correction goes live long after
    the date the item keeps).

    Rewritten for an item by govpub.portal.listing.relist inside the publish/withdraw transaction, so
    a withdrawn entry leaves every list the moment the withdrawal commits."""

    publication = models.ForeignKey("publishing.Publication", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("content.Item", on_delete=models.CASCADE, related_name="+")
    column = models.ForeignKey("channels.Column", null=True, on_delete=models.CASCADE, related_name="+",
                               db_index=False)  # leads the list index below
    published_at = models.DateTimeField()

    class Meta:
        verbose_name = "网站列表条目"
        verbose_name_plural = "网站列表条目"
        indexes = [models.Index(fields=["column", "-published_at", "-publication"], name="portal_listing_idx")]
        constraints = [models.UniqueConstraint(fields=["column", "item"], name="portal_listing_once_per_list")]


class SiteIdentity(models.Model):
    """What the public site says about itself (《政府网站发展指引》: 网站标识 in the header, 主办/承办,
    网站标识码, ICP 备案, 公安备案, 党政机关网站标识 and contact in the footer). One row, edited by
    the system administrator (audited); empty fields fall back to the deployment's settings and to
    the registered website channel (sponsor and operator units, 网站标识码)."""

    site_name = models.CharField("网站名称", max_length=100, blank=True)
    icp = models.CharField("ICP 备案号", max_length=60, blank=True)
    psb = models.CharField("公安机关备案号", max_length=60, blank=True)
    conac_url = models.URLField("党政机关网站标识链接", max_length=500, blank=True)
    link_registries = models.BooleanField("备案号链接到备案查询系统", default=False)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    email = models.EmailField("联系邮箱", max_length=120, blank=True)
    address = models.CharField("联系地址", max_length=200, blank=True)
    logo = models.BinaryField("网站标识图片（PNG）", null=True, blank=True)
    favicon = models.BinaryField("浏览器图标（PNG）", null=True, blank=True)
    banner = models.BinaryField("页头横幅（PNG）", null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "网站标识"
        verbose_name_plural = "网站标识"
