from django.core.management.base import BaseCommand, CommandError

from govpub.audit import anchors
from govpub.audit.log import ChainBroken, anchor_now, describe_failure, verify_chain


class Command(BaseCommand):
    help = ("审计日志：verify 重新计算哈希链并与链外锚点核对，发现篡改、清空或尾部丢失时以非零状态退出并指出第一条异常事件或锚点；"
            "anchor 立即把当前链头写入锚点文件。")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "anchor"])

    def handle(self, *args, **options):
        if options["action"] == "anchor":
            try:
                entry = anchor_now()
            except ChainBroken as broken:
                raise CommandError(f"{broken}；未写入锚点。") from None
            except anchors.AnchorProblem as problem:
                raise CommandError(f"{problem}；未写入锚点。") from None
            self.stdout.write(f"已写入{anchors.describe(entry)}：共 {entry['events']} 条事件，链头 {entry['head'][:16]}…"
                              f"（{anchors.anchor_path()}）。")
            return
        result = verify_chain()
        if not result.ok:
            raise CommandError(describe_failure(result))
        if result.newest_anchor:
            against = (f"，与 {result.anchors} 个链外锚点一致（最新为{anchors.describe(result.newest_anchor)}，"
                       f"记录 {result.newest_anchor['events']} 条）")
        else:
            against = f"（尚无链外锚点：{anchors.anchor_path()} 不存在或为空）"
        self.stdout.write(f"审计链完好：共 {result.checked} 条事件{against}。")
