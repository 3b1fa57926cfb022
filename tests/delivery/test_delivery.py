"""The outbox: claim/lease, retries with backoff, permanent failures, crash recovery, withdrawal, manual posting."""

import datetime as dt
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govpub.channels.models import Channel, ChannelKind
from govpub.notifications.models import Notification
from govpub.publishing import actions as publishing_actions
from govpub.publishing import delivery, manual
from govpub.publishing.connectors.wechat import WeChatConnector
from govpub.publishing.models import DeliveryAttempt, Publication, PublicationStatus, WithdrawState

from .conftest import approve, connect_wechat, connect_weibo, key_of, new_item, people, queue_publications

pytestmark = pytest.mark.django_db


def drain(kind="publish", rounds=200):
    for _ in range(rounds):
        if not Publication.objects.filter(delivery._needs_work(kind), channel__kind__in=delivery.API_KINDS).exists():
            return
        delivery.run_due(kind)
        time.sleep(0.01)
    raise AssertionError("deliveries did not settle")


def test_transient_errors_are_retried_with_backoff_and_recorded(fake_wechat):
    channel = connect_wechat(fake_wechat)
    [publication] = queue_publications(channel, 1)
    fake_wechat.fail_next("/cgi-bin/draft/add", -1, 45009, 45011)
    assert delivery.run(publication.pk) == "transient"
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.QUEUED and publication.next_attempt_at > timezone.now() - dt.timedelta(seconds=1)
    assert publication.last_error == "微信平台系统繁忙，稍后将自动重试。"
    assert publication.claim_token == "" and publication.claimed_until is None
    drain()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE
    outcomes = list(DeliveryAttempt.objects.filter(publication=publication).values_list("outcome", "code"))
    assert outcomes == [("transient", "-1"), ("transient", "45009"), ("transient", "45011"), ("ok", "")]
    assert all(a.ended_at and a.duration_ms is not None for a in DeliveryAttempt.objects.filter(publication=publication))
    assert len(fake_wechat.posts) == 1


def test_backoff_grows_exponentially_and_is_capped(settings):
    settings.GOVPUB_DELIVERY_BACKOFF_BASE, settings.GOVPUB_DELIVERY_BACKOFF_MAX = 10, 100
    assert 5 <= delivery.backoff_seconds(1) <= 10
    assert 20 <= delivery.backoff_seconds(3) <= 40
    assert 50 <= delivery.backoff_seconds(9) <= 100


def test_timeouts_and_5xx_are_transient(fake_wechat, settings):
    settings.GOVPUB_CONNECTOR_TIMEOUT = 0.3
    fake_wechat.hang = 1.0
    channel = connect_wechat(fake_wechat)
    [publication] = queue_publications(channel, 1)
    fake_wechat.fail_next("/cgi-bin/draft/add", "hang", "http_503")
    assert delivery.run(publication.pk) == "transient"
    publication.refresh_from_db()
    assert publication.last_error_code == "timeout" and "超时" in publication.last_error
    time.sleep(0.05)
    assert delivery.run(publication.pk) == "transient"
    publication.refresh_from_db()
    assert publication.last_error_code == "http_503"
    drain()
    assert len(fake_wechat.posts) == 1


def test_permanent_error_is_not_retried_and_the_editor_is_told(fake_wechat):
    channel = connect_wechat(fake_wechat)
    [publication] = queue_publications(channel, 1)
    fake_wechat.fail_next("/cgi-bin/freepublish/submit", 48001)
    assert delivery.run(publication.pk) == "permanent"
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.FAILED
    assert publication.last_error == "该公众号没有此接口的权限（需完成微信认证），请改为人工发布或联系管理员。"
    assert delivery.due("publish") == [] and delivery.run(publication.pk) == "skipped"
    assert DeliveryAttempt.objects.filter(publication=publication).count() == 1
    note = Notification.objects.get(recipient=people("demo-editor"), verb="publish_failed")
    assert "临空经济区发布" in note.message and "没有此接口的权限" in note.message
    # once fixed, the editor re-sends; the draft made before is reused
    publishing_actions.resend(publication, acting_user=people("demo-editor"))
    drain()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE and len(fake_wechat.posts) == 1
    assert [p for _, p in fake_wechat.calls].count("/cgi-bin/draft/add") == 1


def test_resend_needs_the_editor_role(fake_wechat):
    channel = connect_wechat(fake_wechat)
    [publication] = queue_publications(channel, 1)
    fake_wechat.fail_next("/cgi-bin/freepublish/submit", 48001)
    delivery.run(publication.pk)
    with pytest.raises(PermissionDenied):
        publishing_actions.resend(publication, acting_user=people("demo-deputy"))


def test_missing_credentials_fail_clearly_without_network():
    channel = Channel.objects.get(kind=ChannelKind.WECHAT, name="燕矶发布")
    [publication] = queue_publications(channel, 1)
    assert delivery.run(publication.pk) == "permanent"
    publication.refresh_from_db()
    assert "尚未配置接口凭据" in publication.last_error


def test_two_workers_never_hold_the_same_row(fake_wechat):
    channel = connect_wechat(fake_wechat)
    [publication] = queue_publications(channel, 1)
    first = delivery.claim(publication.pk, "publish")
    assert first is not None and first.status == PublicationStatus.SENDING
    assert delivery.claim(publication.pk, "publish") is None  # lease held
    assert delivery.run(publication.pk) == "skipped"
    # the worker dies; once the lease expires the sweeper's selection finds it again
    Publication.objects.filter(pk=publication.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert delivery.due("publish") == [publication.pk]
    assert delivery.sweep() == 1  # immediate mode in tests: the re-queued task runs now
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE and len(fake_wechat.posts) == 1


class Killed(BaseException):
    """A worker process dying: nothing in the delivery code catches it."""


@pytest.mark.parametrize("die_after", ["/cgi-bin/draft/add", "/cgi-bin/freepublish/submit"])
def test_crash_after_a_platform_call_never_posts_twice(fake_wechat, monkeypatch, die_after):
    channel = connect_wechat(fake_wechat)
    [publication] = queue_publications(channel, 1)
    real_call = WeChatConnector.call

    def dying_call(self, method, path, **kw):
        result = real_call(self, method, path, **kw)
        if f"/cgi-bin/{path}" == die_after:
            raise Killed()
        return result

    monkeypatch.setattr(WeChatConnector, "call", dying_call)
    with pytest.raises(Killed):
        delivery.run(publication.pk)
    monkeypatch.setattr(WeChatConnector, "call", real_call)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.SENDING  # abandoned under its lease
    assert DeliveryAttempt.objects.get(publication=publication).outcome == "running"
    Publication.objects.filter(pk=publication.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    drain()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE
    assert len(fake_wechat.posts) == 1 and key_of(publication) in fake_wechat.posts[0]["content_source_url"]


def test_lost_reply_to_submit_is_recovered_by_looking_on_the_platform(fake_wechat):
    channel = connect_wechat(fake_wechat)
    [publication] = queue_publications(channel, 1)
    fake_wechat.configure(lost_reply_rate=1.0, fail_paths={"/cgi-bin/freepublish/submit"})
    assert delivery.run(publication.pk) == "transient"  # the platform published, we saw a 502
    fake_wechat.configure(lost_reply_rate=0.0)
    drain()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE and len(fake_wechat.posts) == 1
    assert [p for _, p in fake_wechat.calls].count("/cgi-bin/freepublish/submit") == 1


def published_everywhere(fake_wechat, fake_weibo, capture):
    """An item published through the real actions to the website, WeChat, Weibo and the app (manual)."""
    wechat, weibo = connect_wechat(fake_wechat), connect_weibo(fake_weibo)
    app = Channel.objects.get(kind=ChannelKind.APP)
    site = Channel.objects.get(kind=ChannelKind.WEBSITE)
    item = approve(new_item(title="全区政务公开工作推进会召开", targets=[
        f"column:{site.columns.get(slug='gzdt').pk}", f"channel:{wechat.pk}", f"channel:{weibo.pk}",
        f"channel:{app.pk}"]))
    with capture(execute=True):
        publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                        revision_hash=item.current_revision.content_hash)
    return item, wechat, weibo, app


def test_publish_reaches_every_platform_and_withdrawal_removes_it_everywhere(
        fake_wechat, fake_weibo, django_capture_on_commit_callbacks):
    item, wechat, weibo, app = published_everywhere(fake_wechat, fake_weibo, django_capture_on_commit_callbacks)
    by_channel = {p.channel_id: p for p in Publication.objects.filter(item=item, column__isnull=True)}
    assert by_channel[wechat.pk].status == PublicationStatus.LIVE
    assert by_channel[weibo.pk].status == PublicationStatus.LIVE
    assert by_channel[app.pk].status == PublicationStatus.QUEUED  # waits for a person
    assert len(fake_wechat.live_posts()) == 1 and len(fake_weibo.live_posts()) == 1
    assert "全区政务公开工作推进会召开" in fake_weibo.live_posts()[0]["text"]

    # the app is posted by hand from the operator's to-do list
    editor = people("demo-editor")
    [task] = manual.manual_tasks_for(editor)
    assert "全区政务公开工作推进会召开" in manual.copy_text(task)
    publishing_actions.record_manual_post(task, acting_user=editor, url="https://app.example.gov.cn/a/1")

    with django_capture_on_commit_callbacks(execute=True):
        publishing_actions.withdraw_item(item, acting_user=editor, reason="内容需要调整")
    assert fake_wechat.live_posts() == [] and fake_weibo.live_posts() == []
    rows = {p.channel_id: p for p in Publication.objects.filter(item=item, column__isnull=True)}
    assert rows[wechat.pk].withdraw_state == WithdrawState.DONE and rows[weibo.pk].withdraw_state == WithdrawState.DONE
    assert rows[app.pk].withdraw_state == WithdrawState.PENDING
    [task] = manual.manual_tasks_for(editor)
    assert task.pk == rows[app.pk].pk
    publishing_actions.record_manual_withdrawal(task, acting_user=editor)
    assert list(manual.manual_tasks_for(editor)) == []
    kinds = set(DeliveryAttempt.objects.filter(publication__item=item).values_list("kind", "outcome"))
    assert ("withdraw", "ok") in kinds and ("publish", "ok") in kinds


def test_withdrawal_retries_transient_errors(fake_wechat, fake_weibo, django_capture_on_commit_callbacks):
    item, wechat, weibo, app = published_everywhere(fake_wechat, fake_weibo, django_capture_on_commit_callbacks)
    fake_wechat.fail_next("/cgi-bin/freepublish/delete", 45011)
    fake_weibo.fail_next("/2/statuses/destroy.json", 10023)
    with django_capture_on_commit_callbacks(execute=True):
        publishing_actions.withdraw_item(item, acting_user=people("demo-editor"), reason="撤下")
    assert len(fake_wechat.live_posts()) == 1 and len(fake_weibo.live_posts()) == 1
    drain("withdraw")
    assert fake_wechat.live_posts() == [] and fake_weibo.live_posts() == []


def test_withdrawal_of_a_never_sent_publication_calls_nothing(fake_wechat, django_capture_on_commit_callbacks):
    wechat = connect_wechat(fake_wechat)
    [publication] = queue_publications(wechat, 1)
    delivery.request_withdrawal([publication])
    Publication.objects.filter(pk=publication.pk).update(status=PublicationStatus.WITHDRAWN)
    assert delivery.run(publication.pk, "withdraw") == "ok"
    assert [p for _, p in fake_wechat.calls if p != "/cgi-bin/stable_token"] == []


def test_manual_post_is_for_the_operator_unit_only_and_needs_a_url():
    app = Channel.objects.get(kind=ChannelKind.APP)
    [publication] = queue_publications(app, 1)
    assert delivery.run(publication.pk) == "manual"
    with pytest.raises(PermissionDenied):
        publishing_actions.record_manual_post(publication, acting_user=people("demo-deputy"), url="https://a.example/1")
    with pytest.raises(ValidationError):
        publishing_actions.record_manual_post(publication, acting_user=people("demo-editor"), url="not a url")
    publication = publishing_actions.record_manual_post(publication, acting_user=people("demo-editor"), url="https://a.example/1")
    assert publication.status == PublicationStatus.LIVE and publication.url == "https://a.example/1"


def test_manual_page_and_attempts_include(client_for, fake_wechat):
    app = Channel.objects.get(kind=ChannelKind.APP)
    [publication] = queue_publications(app, 1)
    client = client_for("demo-editor")
    page = client.get("/staff/publishing/manual/")
    assert page.status_code == 200 and "区政务公开推进会召开0" in page.content.decode()
    response = client.post(f"/staff/publishing/manual/{publication.pk}/post/", {"url": "https://a.example/2"})
    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.LIVE

    from django.template.loader import render_to_string

    channel = connect_wechat(fake_wechat)
    [failed] = queue_publications(channel, 1, title="失败")
    fake_wechat.fail_next("/cgi-bin/freepublish/submit", 53503)
    delivery.run(failed.pk)
    html = render_to_string("publishing/_attempts.html", {"publications": Publication.objects.filter(pk=failed.pk)})
    assert "该草稿未通过微信的发表检查" in html and "53503" in html and "重新发送" in html


def test_correction_replaces_the_posts_on_every_platform(fake_wechat, fake_weibo, django_capture_on_commit_callbacks):
    item, wechat, weibo, app = published_everywhere(fake_wechat, fake_weibo, django_capture_on_commit_callbacks)
    from govpub.content import actions as content_actions

    content_actions.save_revision(item, acting_user=people("demo-editor"), title="全区政务公开工作推进会召开（更正）",
                                  correction_note="会议时间更正为周五。")
    item.refresh_from_db()
    item = approve(item)
    with django_capture_on_commit_callbacks(execute=True):
        publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                        revision_hash=item.current_revision.content_hash)
    drain("withdraw")
    drain("publish")
    for fake in (fake_wechat, fake_weibo):
        posts = fake.live_posts()
        assert len(posts) == 1 and "更正" in str(posts[0]), posts
    old = Publication.objects.filter(item=item).exclude(revision=item.current_revision)
    assert {p.status for p in old if p.column_id is None} == {PublicationStatus.WITHDRAWN}
    assert {p.status for p in old if p.column_id} == {PublicationStatus.SUPERSEDED}


def test_item_page_lists_every_delivery_attempt(fake_wechat, fake_weibo, django_capture_on_commit_callbacks,
                                                client_for):
    fake_wechat.fail_next("/cgi-bin/draft/add", 45009)
    item, wechat, weibo, app = published_everywhere(fake_wechat, fake_weibo, django_capture_on_commit_callbacks)
    drain("publish")
    page = client_for("demo-editor").get(f"/staff/items/{item.pk}/").content.decode()
    assert "发送记录" in page and "45009" in page and wechat.name in page


def test_website_only_item_shows_no_empty_delivery_section(client_for):
    site = Channel.objects.get(kind=ChannelKind.WEBSITE)
    item = approve(new_item(title="只发网站的稿件", targets=[f"column:{site.columns.get(slug='gzdt').pk}"]))
    publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                    revision_hash=item.current_revision.content_hash)
    page = client_for("demo-editor").get(f"/staff/items/{item.pk}/").content.decode()
    assert "发布记录" in page and "发送记录" not in page
