"""`govpub monitor run [--channel ID]... [--allow-private] [--probe]`: run the monitors now, in this process."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "监测：检查政府网站（不可用链接、首页与栏目更新、空白栏目、慢页面）和政务新媒体账号更新情况"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run"])
        parser.add_argument("--channel", type=int, action="append", help="只监测指定渠道（ID，可多次指定）")
        parser.add_argument("--allow-private", action="store_true",
                            help="允许访问本机或内网地址（默认禁止，见 GOVPUB_MONITOR_ALLOW_PRIVATE）")
        parser.add_argument("--probe", action="store_true", help="只做一次首页可用性探测")
        parser.add_argument("--rescan", action="store_true", help="只用现行词库复查全部已发布稿件")

    def handle(self, *args, action, channel=None, allow_private=False, probe=False, rescan=False, **options):
        from govpub.channels.models import Channel

        from govpub.supervision import monitor

        if channel and Channel.objects.filter(pk__in=channel).count() != len(set(channel)):
            raise CommandError("指定的渠道不存在。")
        if rescan:
            from govpub.jobs.runner import drain, start_job

            # A job run here, in this process (its progress shows on the monitor page; if this command is
            # interrupted, the sweeper hands the remaining chunks to the task workers).
            job = start_job("rescan", enqueue=False)
            drain(job.pk)
            job.refresh_from_db()
            if job.state != "done":
                raise CommandError(f"复查未完成：{job.error or job.get_state_display()}")
            totals = job.result
            self.stdout.write(f"复查已发布稿件 {totals['items']} 篇：新发现严重问题 {totals['new']} 个，"
                              f"仍存在 {totals['again']} 个，已消除 {totals['resolved']} 个")
            return
        if probe:
            for result in monitor.probe_all(allow_private=allow_private or None):
                state = "正常" if result.ok else f"失败：{result.status or result.error}"
                self.stdout.write(f"{result.channel.name}：{state}（{result.elapsed_ms} 毫秒）")
            return
        runs = monitor.run_all(allow_private=allow_private or None, channel_ids=channel)
        for run in runs:
            s = run.summary
            if run.kind == "website":
                if not run.ok:
                    self.stdout.write(f"{run.channel.name}：无法访问首页（{s.get('error') or s.get('status')}）")
                    continue
                self.stdout.write(
                    f"{run.channel.name}：检查 {run.pages} 个页面，不可用链接 {s['broken_links']} 个，"
                    f"空白栏目 {s['empty_columns']} 个，未按期更新栏目 {s['stale_columns']} 个，慢页面 {s['slow_pages']} 个，"
                    f"首页最近更新 {run.home_last_update or '未知'}；新发现 {s['new']}，已消除 {s['resolved']}")
            else:
                days = s.get("days_since_last_post")
                self.stdout.write(f"{run.channel}：" + ("从未发布" if days is None else f"{days} 天前最后发布"))
