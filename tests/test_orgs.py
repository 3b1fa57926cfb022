import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from govpub.audit.models import AuditEvent
from govpub.orgs import actions
from govpub.orgs.models import MeasureOrigin, Person, Role, RoleAssignment, Unit
from govpub.orgs.actions import lift_suspension  # supervision's hook keeps the tickets' history

pytestmark = pytest.mark.django_db


def test_suspension_blocks_publishing_and_lifting_restores(person, unit):
    supervisor, township = person("demo-supervisor"), unit("燕矶镇人民政府")
    assert township.publish_block_reason() is None
    actions.suspend_unit(township, acting_user=supervisor, reason="整改期间暂停发布")
    assert township.is_suspended and "整改期间暂停发布" in township.publish_block_reason()
    with pytest.raises(ValidationError):
        actions.suspend_unit(township, acting_user=supervisor, reason="再次暂停")
    lift_suspension(township, acting_user=supervisor, reason="已完成整改")
    assert not township.is_suspended and township.publish_block_reason() is None
    assert list(AuditEvent.objects.filter(object_id=str(township.pk), action__startswith="unit.")
                .values_list("action", flat=True).order_by("seq"))[-2:] == ["unit.suspend", "unit.lift_suspension"]


def test_only_the_authority_that_suspended_lifts(person, unit):
    township = unit("燕矶镇人民政府")
    suspension = actions.suspend_unit(township, acting_user=person("demo-admin"), reason="账号清理期间暂停")
    assert suspension.origin == MeasureOrigin.ADMIN
    with pytest.raises(PermissionDenied, match="只能由系统管理员解除"):
        lift_suspension(township, acting_user=person("demo-supervisor"), reason="恢复")
    lift_suspension(township, acting_user=person("demo-admin"), reason="清理完毕")

    suspension = actions.suspend_unit(township, acting_user=person("demo-supervisor"), reason="整改期间暂停")
    assert suspension.origin == MeasureOrigin.SUPERVISION
    with pytest.raises(PermissionDenied, match="只能由区政务公开办的监管人员解除"):
        lift_suspension(township, acting_user=person("demo-admin"), reason="恢复")
    assert township.is_suspended


def test_unit_without_confidentiality_review_cannot_publish(unit):
    assert "保密审查机制" in unit("沙窝乡人民政府").publish_block_reason()


def test_only_supervisor_or_admin_may_suspend(person, unit):
    for username in ("demo-principal", "yanji-principal", "demo-editor"):
        with pytest.raises(PermissionDenied):
            actions.suspend_unit(unit("燕矶镇人民政府"), acting_user=person(username), reason="x")
    assert not unit("燕矶镇人民政府").is_suspended


def test_suspension_needs_a_reason(person, unit):
    with pytest.raises(ValidationError):
        actions.suspend_unit(unit("燕矶镇人民政府"), acting_user=person("demo-supervisor"), reason="  ")


def test_grant_and_revoke_are_audited(person, unit):
    admin = person("demo-admin")
    assignment = actions.grant_role(acting_user=admin, person=person("demo-editor2"), unit=unit("区财政局"),
                                    role=Role.EDITOR)
    with pytest.raises(ValidationError):
        actions.grant_role(acting_user=admin, person=person("demo-editor2"), unit=unit("区财政局"), role=Role.EDITOR)
    actions.revoke_role(assignment, acting_user=admin)
    assignment.refresh_from_db()
    assert assignment.revoked_at is not None  # kept for history, not deleted
    events = AuditEvent.objects.filter(object_type="orgs.roleassignment", object_id=str(assignment.pk))
    assert [e.action for e in events] == ["role.grant", "role.revoke"]
    assert all(e.actor_name == "demo-admin" for e in events)


def test_non_admin_cannot_grant_roles(person, unit):
    with pytest.raises(PermissionDenied):
        actions.grant_role(acting_user=person("demo-principal"), person=person("demo-editor"),
                           unit=unit("区党政办公室"), role=Role.DEPUTY)


def test_bootstrap_admin_refused_once_an_admin_exists(unit):
    with pytest.raises(ValidationError):
        actions.bootstrap_admin(unit=unit("区党政办公室"), username="x-admin", full_name="x", password="Abcdefgh12!")


@pytest.mark.parametrize("password, message", [
    ("Ab1!", "密码长度太短"),
    ("abcdefghijkl", "至少包含小写字母、大写字母、数字、符号中的 3 类"),
    ("abcdefghij12", "至少包含小写字母、大写字母、数字、符号中的 3 类"),
])
def test_password_policy_errors_are_shown_in_chinese(client_for, password, message):
    client = client_for("demo-admin")
    response = client.post(reverse("person_create"), {
        "username": "new-editor", "full_name": "新人", "password1": password, "password2": password})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.filter(username="new-editor").exists()


def test_admin_creates_person_with_good_password(client_for):
    client = client_for("demo-admin")
    response = client.post(reverse("person_create"), {
        "username": "new-editor", "full_name": "新人", "password1": "Strong-pass-2026", "password2": "Strong-pass-2026"})
    assert response.status_code == 302
    created = Person.objects.get(username="new-editor")
    assert created.check_password("Strong-pass-2026")
    assert AuditEvent.objects.filter(action="person.create", object_id=str(created.pk)).exists()


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_login_success_and_failure_are_audited(settings, db):
    client = Client()
    before = AuditEvent.objects.count()
    assert _login(client, "demo-editor", "wrong-password").status_code == 200
    assert _login(client, "demo-editor", "Govpub@2026demo").status_code == 302
    actions_seen = list(AuditEvent.objects.filter(seq__gt=before).values_list("action", flat=True))
    assert actions_seen == ["auth.login_failed", "auth.login"]
    failed = AuditEvent.objects.get(seq__gt=before, action="auth.login_failed")
    assert "wrong-password" not in str(failed.details)


def test_lockout_after_repeated_failures(settings, db):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "demo-deputy", "wrong-password")
    response = _login(client, "demo-deputy", "Govpub@2026demo")
    assert response.status_code == 429
    assert "已暂时锁定" in response.content.decode()
    # Other accounts are unaffected.
    assert _login(Client(), "demo-principal", "Govpub@2026demo").status_code == 302


def test_idle_session_times_out(client_for, settings):
    client = client_for("demo-editor")
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["govpub_last_seen"] = 1  # long ago
    session.save()
    response = client.get(reverse("unit_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302


def test_production_settings_use_argon2_and_wal():
    import importlib

    import govpub.settings as production

    importlib.reload(production)
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    if "sqlite" in production.DATABASES["default"]["ENGINE"]:
        assert "journal_mode=WAL" in production.DATABASES["default"]["OPTIONS"]["init_command"]


def test_unit_pages_render_for_admin(client_for, unit):
    client = client_for("demo-admin")
    party = unit("区党政办公室")
    page = client.get(reverse("unit_detail", args=[party.pk])).content.decode()
    for text in ("王晓明", "承办机构负责人", "授予角色", "暂停信息发布"):
        assert text in page
    assert client.get(reverse("unit_edit", args=[party.pk])).status_code == 200
    response = client.post(reverse("unit_create"), {"name": "区教育局", "kind": "department"})
    assert response.status_code == 302 and Unit.objects.filter(name="区教育局").exists()
    response = client.post(reverse("unit_create"), {"name": "区教育局", "kind": "department"})
    assert "已存在同名单位" in response.content.decode()


def test_role_grant_through_the_ui(client_for, person, unit):
    client = client_for("demo-admin")
    finance = unit("区财政局")
    response = client.post(reverse("role_grant", args=[finance.pk]),
                           {"person": person("health-editor").pk, "role": Role.EDITOR})
    assert response.status_code == 302
    assert RoleAssignment.objects.active().filter(person__username="health-editor", unit=finance).exists()
