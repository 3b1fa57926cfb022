from django.core.management.base import BaseCommand
from django.db import transaction

from govpub.portal.listing import relist_all
from govpub.portal.search import reindex_all


class Command(BaseCommand):
    help = "重建政府网站的栏目列表和全文检索索引"

    def handle(self, *args, **options):
        with transaction.atomic():
            listed = relist_all()
        self.stdout.write(f"已重建 {listed} 条信息的栏目列表，已索引 {reindex_all()} 条信息。")
