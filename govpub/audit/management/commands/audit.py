from django.core.management.base import BaseCommand, CommandError

from govpub.audit.log import verify_chain


class Command(BaseCommand):
    help = "审计日志：verify 重新计算哈希链，发现篡改时以非零状态退出并指出第一条异常事件。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        result = verify_chain()
        if not result.ok:
            raise CommandError(f"审计链校验失败：事件 #{result.bad_seq}：{result.problem}（此前 {result.checked} 条完好）")
        self.stdout.write(f"审计链完好：共 {result.checked} 条事件。")
