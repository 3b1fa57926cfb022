"""Units, people and their roles (第四至六条), confidentiality review and suspension (第十二条)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class Person(AbstractUser):
    """A civil servant who uses GovPub. Roles are held per unit, see RoleAssignment."""

    full_name = models.CharField("姓名", max_length=60, blank=True)
    phone = models.CharField("办公电话", max_length=30, blank=True)
    job_title = models.CharField("职务", max_length=60, blank=True)
    # Account policies (govpub/orgs/accounts.py): password expiry, first-login change, one session per account.
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    must_change_password = models.BooleanField("须修改密码", default=False)
    # The live session of each device kind (accounts.claim_session): {"mobile": token, "computer": token}.
    session_tokens = models.JSONField("当前会话标识", default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class UnitKind(models.TextChoices):
    DISTRICT = "district", "管委会"
    TOWNSHIP = "township", "乡镇人民政府"
    DEPARTMENT = "department", "区直部门"
    DUAL = "dual", "双管单位"
    OPEN_OFFICE = "open_office", "政务公开办"


class Unit(models.Model):
    name = models.CharField("单位名称", max_length=100, unique=True)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("单位类型", max_length=20, choices=UnitKind.choices)
    code = models.CharField("单位代码", max_length=40, blank=True, help_text="统一社会信用代码或内部编码")
    has_confidentiality_review = models.BooleanField(
        "已建立保密审查机制", default=False,
        help_text="第十二条：未建立政府信息公开保密审查机制的，暂停信息发布。",
    )
    confidentiality_review_note = models.CharField("保密审查机制说明", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def active_suspension(self) -> "Suspension | None":
        return self.suspensions.filter(lifted_at__isnull=True).first()

    @property
    def is_suspended(self) -> bool:
        return self.suspensions.filter(lifted_at__isnull=True).exists()

    def publish_block_reason(self) -> str | None:
        """Why this unit may not publish now (第十二条), or None."""
        if not self.has_confidentiality_review:
            return "该单位未建立保密审查机制，暂停信息发布（第十二条）"
        suspension = self.active_suspension
        if suspension:
            return f"该单位已被暂停信息发布：{suspension.reason}"
        return None


class Role(models.TextChoices):
    PRINCIPAL = "principal", "主要负责人"
    DEPUTY = "deputy", "分管负责人"
    OFFICE_HEAD = "office_head", "承办机构负责人"
    EDITOR = "editor", "经办人"
    SUPERVISOR = "supervisor", "监管人员"
    ADMIN = "admin", "系统管理员"


UNIT_ROLES = (Role.PRINCIPAL, Role.DEPUTY, Role.OFFICE_HEAD, Role.EDITOR)


class RoleAssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class RoleAssignment(models.Model):
    """A person holds a role in a unit from granted_at until revoked_at (kept for history)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="roles", verbose_name="人员")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="roles", verbose_name="单位")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)
    granted_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = "角色任命"
        verbose_name_plural = "角色任命"
        ordering = ["unit", "role", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "unit", "role"], condition=Q(revoked_at__isnull=True),
                name="one_active_role_per_person_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.get_role_display()} · {self.person}"


class MeasureOrigin(models.TextChoices):
    """The authority that imposed a measure (a suspension, a paused channel): only it lifts the measure."""

    SUPERVISION = "supervision", "区政务公开办"
    ADMIN = "admin", "系统管理员"
    UNIT = "unit", "主办单位"


class Suspension(models.Model):
    """An order that a unit stops publishing (第十二条), until lifted.

    A unit without a confidentiality-review mechanism is blocked by Unit.has_confidentiality_review instead:
    that block ends when the mechanism is recorded (orgs.actions.set_confidentiality_review)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="suspensions", verbose_name="单位")
    reason = models.CharField("暂停原因", max_length=500)
    origin = models.CharField("决定机关", max_length=12, choices=MeasureOrigin.choices,
                              default=MeasureOrigin.SUPERVISION,
                              help_text="谁下达的暂停发布，只能由谁解除（区政务公开办的整改令、关停，或系统管理员）")
    started_at = models.DateTimeField("暂停时间", auto_now_add=True)
    started_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    lifted_at = models.DateTimeField("解除时间", null=True, blank=True)
    lifted_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lift_reason = models.CharField("解除说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "暂停发布"
        verbose_name_plural = "暂停发布"
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(lifted_at__isnull=True),
                                    name="one_active_suspension_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit}：{self.reason}"


class PasswordHistory(models.Model):
    """The hashes of a person's recent passwords, so that they are not reused (GOVPUB_PASSWORD_HISTORY)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="password_history", verbose_name="人员")
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person} · {self.created_at:%Y-%m-%d %H:%M}"
