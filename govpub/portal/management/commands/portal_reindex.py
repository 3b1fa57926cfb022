from django.core.management.base import BaseCommand

from govpub.portal.search import reindex_all


class Command(BaseCommand):
    help = "重建政府网站全文检索索引"

    def handle(self, *args, **options):
        self.stdout.write(f"已索引 {reindex_all()} 条信息。")
