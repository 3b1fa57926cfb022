import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from govpub.audit.models import AuditEvent
from govpub.channels import actions
from govpub.channels.models import Channel, ChannelKind, ChannelStatus

pytestmark = pytest.mark.django_db


def test_demo_has_the_required_channels():
    site = Channel.objects.get(kind=ChannelKind.WEBSITE)
    assert site.columns.count() >= 8
    assert site.columns.filter(parent__slug="zfxxgk").count() >= 2
    assert Channel.objects.exclude(kind=ChannelKind.WEBSITE).count() >= 6
    assert site.content_list.filter(update_interval_days__isnull=False).exists()


def test_lifecycle_running_paused_running_closed(person):
    supervisor = person("demo-supervisor")
    channel = Channel.objects.get(name="燕矶发布")
    actions.change_channel_status(channel, acting_user=supervisor, status=ChannelStatus.PAUSED, reason="长期未更新")
    actions.change_channel_status(channel, acting_user=supervisor, status=ChannelStatus.RUNNING, reason="已整改")
    actions.change_channel_status(channel, acting_user=supervisor, status=ChannelStatus.CLOSED, reason="责令关停")
    with pytest.raises(ValidationError, match="已关停的渠道不能恢复"):
        actions.change_channel_status(channel, acting_user=supervisor, status=ChannelStatus.RUNNING, reason="x")
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.CLOSED  # kept for history
    moves = [(e.details["from"], e.details["to"]) for e in
             AuditEvent.objects.filter(action="channel.status", object_id=str(channel.pk)).order_by("seq")]
    assert moves == [("running", "paused"), ("paused", "running"), ("running", "closed")]


def test_a_paused_channel_is_reopened_by_the_authority_that_paused_it(person):
    channel = Channel.objects.get(name="燕矶发布")
    actions.change_channel_status(channel, acting_user=person("demo-admin"), status=ChannelStatus.PAUSED,
                                  reason="认证主体变更")
    channel.refresh_from_db()
    assert channel.status_origin == "admin"
    for username in ("demo-supervisor", "yanji-principal"):
        with pytest.raises(PermissionDenied, match="只能由系统管理员解除"):
            actions.change_channel_status(channel, acting_user=person(username), status=ChannelStatus.RUNNING,
                                          reason="恢复")
    actions.change_channel_status(channel, acting_user=person("demo-admin"), status=ChannelStatus.RUNNING,
                                  reason="变更完成")
    actions.change_channel_status(channel, acting_user=person("demo-supervisor"), status=ChannelStatus.PAUSED,
                                  reason="长期未更新")
    with pytest.raises(PermissionDenied, match="只能由区政务公开办的监管人员解除"):
        actions.change_channel_status(channel, acting_user=person("demo-admin"), status=ChannelStatus.RUNNING,
                                      reason="恢复")
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.PAUSED


def test_status_change_needs_reason_and_permission(person):
    channel = Channel.objects.get(name="燕矶发布")
    with pytest.raises(ValidationError):
        actions.change_channel_status(channel, acting_user=person("demo-supervisor"), status="paused", reason="")
    with pytest.raises(PermissionDenied):
        actions.change_channel_status(channel, acting_user=person("yanji-editor"), status="paused", reason="x")
    # The sponsor unit's principal may pause its own account.
    actions.change_channel_status(channel, acting_user=person("yanji-principal"), status="paused", reason="改版")


def test_columns_only_on_websites(person):
    with pytest.raises(ValidationError):
        actions.create_column(acting_user=person("demo-admin"), channel=Channel.objects.get(name="燕矶发布"),
                              name="栏目", slug="x")


def test_channel_pages(client_for):
    client = client_for("demo-office-head")
    site = Channel.objects.get(kind=ChannelKind.WEBSITE)
    page = client.get(reverse("channel_detail", args=[site.pk])).content.decode()
    for text in ("鄂州市临空经济区管理委员会", "政府信息公开", "法定主动公开内容", "发布内容清单", "添加栏目"):
        assert text in page
    response = client.post(reverse("column_create", args=[site.pk]),
                           {"name": "重点领域信息公开", "slug": "zdly", "position": 5})
    assert response.status_code == 302 and site.columns.filter(slug="zdly").exists()
    response = client.post(reverse("column_create", args=[site.pk]),
                           {"name": "重复", "slug": "zdly", "position": 5})
    assert "已有相同路径的栏目" in response.content.decode()


def test_admin_registers_account_with_clear_errors(client_for, unit):
    client = client_for("demo-admin")
    data = {"kind": "weibo", "name": "燕矶微博", "sponsor_unit": unit("燕矶镇人民政府").pk,
            "operator_unit": unit("燕矶镇人民政府").pk, "opened_on": "2024-02-30"}
    response = client.post(reverse("channel_create"), data)
    assert response.status_code == 200 and "日期" in response.content.decode()
    data["opened_on"] = "2024-02-28"
    assert client.post(reverse("channel_create"), data).status_code == 302
    assert "已存在同类型同名的渠道" in client.post(reverse("channel_create"), data).content.decode()
