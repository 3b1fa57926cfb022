"""`govpub totp <username>`: the code a person's authenticator shows now, for the demo and for operators."""

from __future__ import annotations

import sys
import time

EXIT_NOT_FOUND = 1
EXIT_REFUSED = 2


def print_code(username: str, *, force: bool = False, out=None, err=None) -> int:
    from govpub.orgs.models import Person

    from . import actions, codes, policy
    from .demo import is_demo_device

    out, err = out or sys.stdout, err or sys.stderr
    person = Person.objects.filter(username=username).first()
    if person is None:
        print(f"没有账号“{username}”。", file=err)
        return EXIT_NOT_FOUND
    device = policy.confirmed_totp(person)
    if device is None:
        print(f"账号“{username}”尚未绑定验证器。", file=err)
        return EXIT_NOT_FOUND
    demo = is_demo_device(device)
    if not demo and not force:
        print(f"拒绝：账号“{username}”的验证器不是演示密钥，不能代为显示验证码。"
              "确需查看（例如协助本人登录）的，须由服务器上的运维人员加 --force 执行，此操作将记入审计日志。",
              file=err)
        return EXIT_REFUSED
    if not demo:
        actions.record_code_disclosure(person)
    key = device.bin_key
    code, wait = codes.next_usable_code(key, device.last_t)
    if wait:
        # The current and the next code were both used already; a code is accepted once only.
        print(f"当前验证码已使用过，等待 {wait} 秒后的新验证码……", file=err)
        time.sleep(wait)
        code, _ = codes.next_usable_code(key, device.last_t)
    print(code, file=out)
    return 0
