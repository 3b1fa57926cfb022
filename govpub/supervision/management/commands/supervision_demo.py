from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "为演示数据生成上一季度的监管记录（交办问题、监测问题、指标得分），供季度通报演示"

    def handle(self, *args, **options):
        from govpub.supervision.demo import seed_supervision_demo

        result = seed_supervision_demo()
        self.stdout.write(f"{result['year']}年第{result['quarter']}季度：新建交办问题 {result['created']} 个")
