"""The `govpub` command (DESIGN.md §4)."""

from __future__ import annotations

import argparse
import os
import signal
import sys

from govpub.ops.filemodes import restrict_umask


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govpub.settings")
    import django

    django.setup()


def _manage(*args: str, **options) -> None:
    from django.core.management import call_command

    call_command(*args, **options)


def _exit_on_signal(signum, frame):
    raise SystemExit(0)


def served_base_url(host: str, port: int) -> str:
    """The address a browser on this machine reaches `govpub serve --host HOST --port PORT` at."""
    reachable = "127.0.0.1" if host in ("0.0.0.0", "", "::") else host
    return f"http://[{reachable}]:{port}" if ":" in reachable else f"http://{reachable}:{port}"


def cmd_serve(options) -> int:
    # One JSON object a line for log collectors; the demo is read by people (docs/deployment.md).
    os.environ.setdefault("GOVPUB_LOG_FORMAT", "plain" if options.demo else "json")
    # Links that leave GovPub (WeChat 阅读原文, feeds, e-mails) point at the address actually served
    # unless the operator names the public one; the setting is read once, when Django starts.
    os.environ.setdefault("GOVPUB_PUBLIC_BASE_URL", served_base_url(options.host, options.port))
    _django()
    from django.conf import settings
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY
    from waitress import serve

    from govpub.wsgi import application

    _manage("migrate", "--noinput", verbosity=0)
    if options.demo:
        from govpub.web.demo import DEMO_PASSWORD, PEOPLE, seed_demo

        seed_demo(site_url=settings.GOVPUB_PUBLIC_BASE_URL)
        from govpub.supervision.demo import seed_supervision_demo

        seed_supervision_demo()  # last quarter's reviews, tickets and scores, so the bulletin has real numbers
        from govpub.fakeplatforms.demo import wire_demo_channels  # demo WeChat/Weibo → local fake platforms

        for fake in wire_demo_channels(settings.GOVPUB_PUBLIC_BASE_URL):
            print(f"演示平台（模拟）{fake.platform}：{fake.url}  平台后台（可绕过审核直接发表）：{fake.url}/backend/",
                  flush=True)
    else:  # a demo that ran on this data before must not keep its loopback exemption (ops/netguard.py)
        from govpub.ops import netguard

        netguard.clear_demo_fakes()
    consumer = None
    autodiscover_modules("tasks")  # register every app's tasks (delivery, sweeper…) before consuming
    if not options.no_worker and not HUEY.immediate:
        # The task worker runs in this process, so one command is enough to use everything.
        consumer = HUEY.create_consumer(workers=2, worker_type="thread", periodic=True)
        handlers = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGHUP)}
        consumer.start()
        # The consumer takes over the signals for a run() loop this process never enters; Ctrl+C and
        # SIGTERM must stop the web server instead (and the finally below stops the consumer).
        for signum, handler in handlers.items():
            signal.signal(signum, handler)
        signal.signal(signal.SIGTERM, _exit_on_signal)
    url = f"http://{options.host}:{options.port}/"
    print(f"GovPub 已启动：{url}staff/  （按 Ctrl+C 停止）", flush=True)
    print(f"数据目录：{settings.HOME}", flush=True)
    if options.demo:
        print(f"演示账号（密码均为 {DEMO_PASSWORD}）：", flush=True)
        for username, full_name, _title, unit, role in PEOPLE:
            print(f"  {username:<18} {full_name}  {unit} · {role.label}", flush=True)
        from govpub.twofactor.demo import DEMO_TOTP_SECRET

        print(f"双因素认证：负责人、监管人员和管理员登录后还须输入验证码，手机验证器添加演示密钥 {DEMO_TOTP_SECRET}，"
              "或运行 govpub totp 账号 查看当前验证码。", flush=True)
    try:
        serve(application, host=options.host, port=options.port, threads=8, ident="GovPub")
    finally:
        if consumer is not None:
            consumer.stop(graceful=True)
        if options.demo:  # the fakes stop with this process; their ports may be anyone's afterwards
            from govpub.ops import netguard

            netguard.clear_demo_fakes()
    return 0


def cmd_worker(options) -> int:
    os.environ.setdefault("GOVPUB_LOG_FORMAT", "json")
    _django()
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    from govpub.settings import env_bool

    autodiscover_modules("tasks")  # as run_huey does: the consumer must know every task
    # Several workers share one queue; only one of them should enqueue the periodic tasks (docs/deployment.md).
    periodic = not options.no_periodic and env_bool("GOVPUB_WORKER_PERIODIC", True)
    HUEY.create_consumer(workers=options.workers, worker_type="thread", periodic=periodic).run()
    return 0


def cmd_demo(options) -> int:
    _django()
    _manage("migrate", "--noinput", verbosity=0)
    _manage("demo")
    return 0


def cmd_audit(options) -> int:
    _django()
    from django.core.management.base import CommandError

    try:
        _manage("audit", options.action)
    except CommandError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def cmd_backup(options) -> int:
    _django()
    from govpub.backup import BackupError, create_backup, notice, read_manifest

    try:
        archive = create_backup(options.output)
    except BackupError as error:
        print(f"备份失败：{error}", file=sys.stderr)
        return 1
    print(f"备份完成：{archive}")
    # On stderr, so the line above stays the one a script reads; an operator sees both.
    print(notice(read_manifest(archive)), file=sys.stderr)
    return 0


def cmd_restore(options) -> int:
    _django()
    from govpub.backup import BackupError, restore_backup

    if not options.yes:
        print("恢复将覆盖当前数据库和上传文件，请先停止平台服务；确认后加 --yes 重新执行。", file=sys.stderr)
        return 2
    try:
        result = restore_backup(options.archive)
    except BackupError as error:
        print(f"恢复失败：{error}", file=sys.stderr)
        return 1
    print(f"恢复完成，审计链完好：共 {result['audit_events']} 条事件。")
    if result["undecryptable_channels"]:
        # The data is back, but publishing to these channels would fail: a distinct exit code, not a silent 0.
        print(result["credentials_warning"], file=sys.stderr)
        return 3
    return 0


def cmd_totp(options) -> int:
    _django()
    from govpub.twofactor.cli import print_code

    return print_code(options.username, force=options.force)


def cmd_check(argv: list[str]) -> int:
    from govpub.textcheck.cli import main as check_main

    return check_main(argv)


def cmd_manage(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govpub.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["govpub manage", *argv])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="govpub", description="政务信息审核发布管理平台")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="迁移数据库并启动平台（含任务进程）")
    serve.add_argument("--demo", action="store_true", help="先创建演示数据")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--no-worker", action="store_true", help="不在本进程内运行任务队列")
    serve.set_defaults(func=cmd_serve)

    worker = sub.add_parser("worker", help="运行后台任务进程")
    worker.add_argument("--workers", type=int, default=int(os.environ.get("GOVPUB_WORKER_THREADS", "2")))
    worker.add_argument("--no-periodic", action="store_true",
                        help="不调度定时任务（多个任务进程时，只让其中一个调度；也可设 GOVPUB_WORKER_PERIODIC=0）")
    worker.set_defaults(func=cmd_worker)

    demo = sub.add_parser("demo", help="创建演示数据（可重复执行）")
    demo.set_defaults(func=cmd_demo)

    audit = sub.add_parser("audit", help="审计日志：verify 校验哈希链和链外锚点；anchor 立即写入锚点")
    audit.add_argument("action", choices=["verify", "anchor"])
    audit.set_defaults(func=cmd_audit)

    backup = sub.add_parser("backup", help="备份数据库和上传文件")
    backup.add_argument("--output", default="backups", help="备份文件存放目录（默认 ./backups）")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="从备份恢复（须先停止服务）")
    restore.add_argument("archive")
    restore.add_argument("--yes", action="store_true", help="确认覆盖当前数据")
    restore.set_defaults(func=cmd_restore)

    totp = sub.add_parser("totp", help="显示账号验证器当前的 6 位验证码（仅限演示密钥；其他账号须 --force）")
    totp.add_argument("username")
    totp.add_argument("--force", action="store_true", help="运维人员在服务器上查看非演示账号的验证码（记入审计日志）")
    totp.set_defaults(func=cmd_totp)

    sub.add_parser("token", help="接口令牌：token create 用户名 [--name 名称]（令牌只显示一次）", add_help=False)
    sub.add_parser("check", help="机审：检查文件或标准输入", add_help=False)
    sub.add_parser("monitor", help="监测：monitor run [--channel ID] [--allow-private] [--probe] [--rescan]", add_help=False)
    sub.add_parser("manage", help="任意 Django 管理命令", add_help=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    restrict_umask()  # the database, queue, uploads and backups this process creates are not world-readable
    # `check` and `manage` pass their arguments through untouched.
    if argv and argv[0] == "check":
        return cmd_check(argv[1:])
    if argv and argv[0] == "manage":
        return cmd_manage(argv[1:])
    if argv and argv[0] == "monitor":  # the `monitor` management command: run the monitors now
        return cmd_manage(argv)
    if argv and argv[0] == "token":  # the `token` management command: create / list / revoke
        return cmd_manage(argv)
    options = build_parser().parse_args(argv)
    return options.func(options)


if __name__ == "__main__":
    sys.exit(main())
