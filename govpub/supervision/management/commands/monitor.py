"""`govpub monitor run [--channel ID]... [--allow-private] [--probe | --rescan | --accounts] [--format text|json]`:
run the monitors now, in this process; `govpub monitor scan URL [--max-pages N] [--allow-private]
[--format text|json]`: check any website's content now, without recording it (docs/operations.md)."""

import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "监测：检查政府网站（不可用链接、首页与栏目更新、空白栏目、慢页面）和政务新媒体账号更新情况"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["run", "scan"])
        parser.add_argument("url", nargs="?", help="scan：要检查的网站地址")
        parser.add_argument("--max-pages", type=int, help="scan：最多检查的页面数（默认 GOVPUB_MONITOR_MAX_PAGES 或 5000）")
        parser.add_argument("--channel", type=int, action="append", help="只监测指定渠道（ID，可多次指定）")
        parser.add_argument("--allow-private", action="store_true",
                            help="允许访问本机或内网地址（默认禁止，见 GOVPUB_MONITOR_ALLOW_PRIVATE）")
        parser.add_argument("--probe", action="store_true", help="只做一次首页可用性探测")
        parser.add_argument("--rescan", action="store_true", help="只用现行词库复查全部已发布稿件")
        parser.add_argument("--accounts", action="store_true",
                            help="只检查政务新媒体账号：经平台接口读取实际发布的内容，与审核通过的版本逐条核对")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="输出格式（默认 text）")

    def handle(self, *args, action, url=None, max_pages=None, channel=None, allow_private=False, probe=False,
               rescan=False, accounts=False, format="text", **options):
        from govpub.channels.models import Channel

        from govpub.supervision import monitor

        if action == "scan":
            return self.scan(url, max_pages=max_pages, allow_private=allow_private, format=format)
        if url:
            raise CommandError("monitor run 不接受网址；检查任意网站请用 monitor scan 网址。")
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
        if accounts:
            runs = monitor.check_accounts_now(channel_ids=channel)
        else:
            runs = monitor.run_all(allow_private=allow_private or None, channel_ids=channel)
        if format == "json":
            self.stdout.write(json.dumps(_as_json(runs), ensure_ascii=False, indent=2))
            return
        for run in runs:
            s = run.summary
            if run.kind == "website":
                if not run.ok:
                    self.stdout.write(f"{run.channel.name}：无法访问首页（{s.get('error') or s.get('status')}）")
                    continue
                self.stdout.write(
                    f"{run.channel.name}：检查 {run.pages} 个页面，不可用链接 {s['broken_links']} 个，"
                    f"空白栏目 {s['empty_columns']} 个，未按期更新栏目 {s['stale_columns']} 个，慢页面 {s['slow_pages']} 个，"
                    f"首页最近更新 {run.home_last_update or '未知'}，来源不明的网页 {s.get('unexplained_page', 0)} 个；"
                    f"新发现 {s['new']}，已消除 {s['resolved']}")
            else:
                days = s.get("days_since_last_post")
                line = f"{run.channel}：" + ("从未发布" if days is None else f"{days} 天前最后发布")
                if s.get("source") == "api":
                    line += (f"；平台上 {s['posts']} 条，未经审核发布 {s['unreviewed_post']} 条，"
                             f"与审核版本不一致 {s['content_mismatch']} 条，已撤稿仍在线 {s['withdrawn_online']} 条")
                elif s.get("read_error"):
                    line += f"（未能读取平台：{s['read_error']}；按发布记录计算）"
                self.stdout.write(line)


    def scan(self, url, *, max_pages, allow_private, format):
        """Exit 0: nothing serious; 1: serious findings; 2: the site could not be read."""
        from govpub.supervision.sitescan import UnreadableSite, scan_site

        if not url:
            raise CommandError("请给出要检查的网站地址，例如：govpub monitor scan https://www.example.gov.cn/", returncode=2)
        if max_pages is not None and max_pages < 1:
            raise CommandError("--max-pages 应为正整数。", returncode=2)
        try:
            report = scan_site(url, max_pages=max_pages, allow_private=allow_private)
        except UnreadableSite as error:
            hint = "" if allow_private else "（检查本机或内网网站请加 --allow-private）"
            raise CommandError(f"{error}{hint if '内网' in str(error) else ''}", returncode=2) from None
        if format == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            for f in report.findings:
                where = f"（第 {f.start} 字）" if f.start is not None else ""
                self.stdout.write(f"[{SEVERITY_LABELS[f.severity]}] {f.category} {f.url}{where}：{f.message}"
                                  f"｜{f.text}" + (f"｜建议：{f.suggestion}" if f.suggestion else ""))
            self.stdout.write(f"检查 {report.pages} 个页面：严重问题 {len(report.serious)} 个，"
                              f"其他问题 {len(report.findings) - len(report.serious)} 个")
        if report.serious:
            raise SystemExit(1)


SEVERITY_LABELS = {"serious": "严重", "warning": "警告", "info": "提示"}


def _as_json(runs) -> dict:
    """The runs and the open findings of their channels (fields: docs/operations.md)."""
    from govpub.supervision.models import MonitorFinding

    serious = {"unreviewed_post", "content_mismatch", "withdrawn_online", "serious_error", "unreachable",
               "hidden_link", "injected_code"}
    findings = (MonitorFinding.objects.filter(channel_id__in={r.channel_id for r in runs}, resolved_at__isnull=True)
                .select_related("channel").order_by("channel_id", "kind", "id"))
    return {
        "runs": [{"channel": r.channel_id, "name": r.channel.name, "kind": r.kind, "summary": r.summary} for r in runs],
        "findings": [{"channel": f.channel_id, "url": f.url, "kind": f.kind, "category": f.get_kind_display(),
                      "rule": f.evidence.get("rule") or f.kind,
                      "severity": f.evidence.get("severity") or ("serious" if f.kind in serious else "warning"),
                      "text": f.evidence.get("title") or f.evidence.get("text") or "", "message": f.message,
                      "suggestion": f.evidence.get("suggestion") or "", "first_seen": f.first_seen.isoformat(), "seen_count": f.seen_count}
                     for f in findings],
    }
