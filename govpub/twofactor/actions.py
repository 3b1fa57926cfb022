"""Every change to someone's second factor: atomic, policy-checked, audited.

Neither secrets nor codes (TOTP or recovery) ever go into the audit details or the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from govpub.audit import log as audit
from govpub.orgs.models import Person
from govpub.orgs.policy import require

from . import codes, policy

WRONG_CODE = "验证码不正确。请确认手机时间准确，并输入验证器当前显示的 6 位数字。"
DEVICE_NAME = "验证器"
RECOVERY_NAME = "恢复码"


def _lock(person) -> Person:
    return Person.objects.select_for_update().get(pk=person.pk)


def _new_recovery_codes(person) -> list[str]:
    # The device is kept and only its tokens replaced: a session verified by a recovery code stays verified.
    device = StaticDevice.objects.filter(user=person).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=person, name=RECOVERY_NAME, confirmed=True)
    StaticDevice.objects.filter(user=person).exclude(pk=device.pk).delete()
    device.token_set.all().delete()
    device.throttle_reset()
    tokens = []
    while len(tokens) < codes.RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in tokens:
            tokens.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=t) for t in tokens)
    return tokens


def _create_totp(person, key: bytes, last_t: int = -1) -> TOTPDevice:
    return TOTPDevice.objects.create(
        user=person, name=DEVICE_NAME, key=key.hex(), step=codes.STEP, digits=codes.DIGITS,
        tolerance=codes.TOLERANCE, confirmed=True, last_t=last_t)


@transaction.atomic(durable=True)
def enrol(*, acting_user, key: bytes, code: str) -> tuple[TOTPDevice, list[str]]:
    """Bind the authenticator holding `key` once it proves itself with a current code; replaces any earlier
    device and issues fresh recovery codes, returned here once and never again."""
    require(policy.can_enrol(acting_user), "请先完成双因素验证，再重新绑定验证器。")
    t = codes.match(key, codes.normalise(code))
    if t is None:
        raise ValidationError({"code": WRONG_CODE})
    person = _lock(acting_user)
    re_enrolment = TOTPDevice.objects.filter(user=person).exists()
    TOTPDevice.objects.filter(user=person).delete()
    # last_t = the step just used, so the confirming code cannot be replayed at the verify step.
    device = _create_totp(person, key, last_t=t)
    recovery = _new_recovery_codes(person)
    audit.record("2fa.enrolled", actor=acting_user, obj=person,
                 details={"re_enrolment": re_enrolment, "recovery_codes": len(recovery)})
    return device, recovery


@transaction.atomic(durable=True)
def regenerate_recovery_codes(*, acting_user) -> list[str]:
    """New recovery codes for oneself; the old ones stop working at once."""
    require(policy.has_confirmed_device(acting_user) and policy.is_verified(acting_user),
            "请先绑定验证器并完成双因素验证。")
    person = _lock(acting_user)
    recovery = _new_recovery_codes(person)
    audit.record("2fa.recovery_regenerated", actor=acting_user, obj=person, details={"count": len(recovery)})
    return recovery


@transaction.atomic(durable=True)
def reset_two_factor(person, *, acting_user) -> Person:
    """An administrator removes someone's authenticator and recovery codes (lost phone); that person
    enrols again at the next login if a role requires it."""
    require(policy.can_reset_two_factor(acting_user, person), "只有系统管理员可以重置他人的双因素认证。")
    person = _lock(person)
    removed_totp, _ = TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    audit.record("2fa.reset", actor=acting_user, obj=person,
                 details={"person": person.username, "had_device": bool(removed_totp)})
    return person


@transaction.atomic(durable=True)
def install_device(person, *, acting_user, key: bytes, demo: bool = False) -> TOTPDevice:
    """An administrator binds a known secret to a person (the demo district's fixed secret)."""
    require(policy.can_reset_two_factor(acting_user, person) or acting_user.pk == person.pk)
    person = _lock(person)
    TOTPDevice.objects.filter(user=person).delete()
    device = _create_totp(person, key)
    audit.record("2fa.enrolled", actor=acting_user, obj=person, details={"demo": demo, "installed": True})
    return device


@dataclass
class Verification:
    ok: bool
    device: object = None
    kind: str = "totp"  # or "recovery"
    remaining: int | None = None  # recovery codes left after using one
    wait_seconds: int = 0  # the device is throttled after wrong codes
    errors: list[str] = field(default_factory=list)


@transaction.atomic(durable=True)
def verify_second_factor(*, acting_user, code: str, failures_before: int = 0) -> Verification:
    """Check a 6-digit TOTP code or a recovery code for the signed-in person.

    django_otp does the cryptography, refuses a code already used (last_t) and backs off exponentially
    after wrong codes (throttling, stored on the device); a recovery code is deleted when used."""
    require(getattr(acting_user, "is_authenticated", False), "请先登录。")
    code = codes.normalise(code)
    kind = "totp" if codes.TOTP_CODE.match(code) else "recovery"
    model = TOTPDevice if kind == "totp" else StaticDevice
    device = model.objects.select_for_update().filter(user=acting_user, confirmed=True).order_by("-pk").first()
    if device is not None:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            from django.utils import timezone

            until = (info or {}).get("locked_until")
            wait = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
            return Verification(False, kind=kind, wait_seconds=wait,
                                errors=[f"尝试过于频繁，请 {wait} 秒后再输入验证码。"])
    if code and device is not None and device.verify_token(code):
        if kind == "recovery":
            remaining = device.token_set.count()
            audit.record("2fa.recovery_used", actor=acting_user, obj=acting_user, details={"remaining": remaining})
            return Verification(True, device=device, kind=kind, remaining=remaining)
        return Verification(True, device=device, kind=kind)
    audit.record("2fa.verified_failed", actor=acting_user, obj=acting_user,
                 details={"kind": kind, "failures": failures_before + 1})
    message = WRONG_CODE if kind == "totp" else "恢复码不正确或已使用过。"
    return Verification(False, kind=kind, errors=[message])


@transaction.atomic(durable=True)
def record_code_disclosure(person, *, acting_user=None, via: str = "cli") -> None:
    """An operator printed the current code of a real (non-demo) authenticator: worth a trace, never the code."""
    audit.record("2fa.code_disclosed", actor=acting_user, obj=person, details={"person": person.username, "via": via})
