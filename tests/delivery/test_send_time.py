"""Issue 12 items 1–2: only the approved revision's bytes leave, and every attempt re-checks the unit and the
channel at send time (paused means paused), through the fake platforms."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from govpub.channels import actions as channel_actions
from govpub.content import actions as content_actions
from govpub.content.files import stored_path
from govpub.content.models import Attachment, Revision
from govpub.orgs import actions as orgs_actions
from govpub.publishing import actions as publishing_actions
from govpub.publishing import delivery, manual
from govpub.publishing import policy as publishing_policy
from govpub.publishing.connectors import PermanentError, adapt
from govpub.publishing.connectors.adapt import default_cover_png
from govpub.publishing.gate import gate_problems
from govpub.publishing.models import Publication, PublicationStatus, WithdrawState
from govpub.review import actions as review_actions

from .conftest import approve, connect_wechat, new_item, people

pytestmark = pytest.mark.django_db
EDITOR = "demo-editor"


def png(rgb):
    return default_cover_png(width=4, height=4, rgb=rgb)


def with_image(item, data, name="现场.png"):
    picture = content_actions.add_attachment(item, SimpleUploadedFile(name, data), acting_user=people(EDITOR),
                                             kind=Attachment.Kind.IMAGE)
    content_actions.save_revision(item, acting_user=people(EDITOR),
                                  body_html=f'<p>现场</p><p><img src="/staff/attachments/{picture.pk}/download/" alt="现场"></p>')
    item.refresh_from_db()
    return picture


def publish(item):
    item.refresh_from_db()
    return publishing_actions.publish_item(item, acting_user=people(EDITOR),
                                           revision_hash=item.current_revision.content_hash)


def wechat_publication(item):
    return Publication.objects.get(item=item, channel__kind="wechat")


def received_image_hashes(fake):
    return {hashlib.sha256(data).hexdigest() for data in fake.images.values()}


def test_refused_edit_after_approval_sends_only_the_approved_image(fake_wechat, client_for):
    channel = connect_wechat(fake_wechat)
    item = new_item(targets=[f"channel:{channel.pk}"])
    approved_image = png((10, 20, 30))
    picture = with_image(item, approved_image)
    item = approve(item)
    approved_hash = item.current_revision.content_hash
    # After all approvals, an edit the form refuses (a 来源网址 the action rejects) carries a new image.
    response = client_for(EDITOR).post(f"/staff/items/{item.pk}/edit/", {
        "title": item.current_revision.title, "body_html": item.current_revision.body_html,
        "targets": [f"channel:{channel.pk}"], "source_kind": "original", "source_url": "ftp://example.com/x",
        "keep_attachments": list(item.current_revision.attachments.values_list("pk", flat=True)),
        "attachments": [SimpleUploadedFile("未审核.png", png((250, 0, 0)))]})
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.state == "approved" and item.current_revision.content_hash == approved_hash
    assert not item.attachments.filter(name="未审核.png").exists()
    publish(item)
    assert delivery.run(wechat_publication(item).pk) == "ok"
    assert received_image_hashes(fake_wechat) == {picture.sha256}  # the approved image as cleaned at upload


def test_a_file_outside_the_revision_is_refused_by_gate_and_connector(fake_wechat):
    """A revision whose body shows an item file it does not hold (data written before the rule) never leaves."""
    channel = connect_wechat(fake_wechat)
    item = new_item(targets=[f"channel:{channel.pk}"])
    stray = content_actions.add_attachment(item, SimpleUploadedFile("旁支.png", png((1, 1, 1))),
                                           acting_user=people(EDITOR), kind=Attachment.Kind.SOURCE_DOCX)
    current = item.current_revision
    crafted = Revision.objects.create(
        item=item, number=current.number + 1, content_hash="x" * 64, title=current.title, targets=current.targets,
        body_html=f'<p><img src="/staff/attachments/{stray.pk}/download/"></p>', created_by=people(EDITOR))
    item.current_revision = crafted
    item.save()
    assert any("不属于该审核版本" in p for p in gate_problems(item, crafted.content_hash))
    with pytest.raises(PermanentError) as refused:
        adapt.attachment_images(crafted, "微信公众号")
    assert refused.value.code == "foreign_image"


def test_foreign_image_blocks_at_machine_check_and_at_the_gate_even_when_dismissed():
    item = new_item(body='<p>图<img src="https://elsewhere.example.com/a.png" alt="外部图片"></p>')
    with pytest.raises(review_actions.SubmitBlocked) as blocked:
        review_actions.submit_for_review(item, acting_user=people(EDITOR))
    [finding] = [f for f in blocked.value.findings if f.rule == "link.foreign_image"]
    review_actions.dismiss_finding(finding, acting_user=people(EDITOR), reason="图片来自合作单位网站")
    item = approve(item)
    problems = gate_problems(item, item.current_revision.content_hash)
    assert any("外部网站的图片" in p for p in problems)


def test_stored_file_changed_on_disk_is_not_sent(fake_wechat):
    channel = connect_wechat(fake_wechat)
    item = new_item(targets=[f"channel:{channel.pk}"])
    picture = with_image(item, png((40, 50, 60)))
    publish(approve(item))
    stored_path(picture.storage_name).write_bytes(png((66, 66, 66)))
    publication = wechat_publication(item)
    assert delivery.run(publication.pk) == "permanent"
    publication.refresh_from_db()
    assert publication.last_error_code == "file_changed" and fake_wechat.images == {}


def queued_then_platform_down(fake_wechat):
    channel = connect_wechat(fake_wechat)
    item = publish_ready = approve(new_item(targets=[f"channel:{channel.pk}"]))
    fake_wechat.fail_next("/cgi-bin/draft/add", -1)
    publish(publish_ready)
    publication = wechat_publication(item)
    assert delivery.run(publication.pk) == "transient"
    return channel, item, publication


def test_a_delivery_queued_before_a_pause_does_not_go_out_after_it(fake_wechat, settings):
    channel, item, publication = queued_then_platform_down(fake_wechat)
    channel_actions.change_channel_status(channel, acting_user=people("demo-supervisor"), status="paused",
                                          reason="责令整改")
    settings.GOVPUB_DELIVERY_BACKOFF_BASE = 0
    publication.refresh_from_db()
    Publication.objects.filter(pk=publication.pk).update(next_attempt_at=None)
    assert delivery.run(publication.pk) == "permanent"
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.FAILED and publication.last_error_code == "not_sendable"
    assert "暂停" in publication.last_error and fake_wechat.live_posts() == []
    # Resending is refused while paused, and works once the channel runs again.
    with pytest.raises(ValidationError, match="不能重新发送"):
        publishing_actions.resend(publication, acting_user=people(EDITOR))
    channel_actions.change_channel_status(channel, acting_user=people("demo-supervisor"), status="running",
                                          reason="整改完成")
    publishing_actions.resend(publication, acting_user=people(EDITOR))
    assert delivery.run(publication.pk) == "ok" and len(fake_wechat.live_posts()) == 1


def test_a_delivery_queued_before_a_suspension_does_not_go_out(fake_wechat):
    _channel, item, publication = queued_then_platform_down(fake_wechat)
    orgs_actions.suspend_unit(item.unit, acting_user=people("demo-supervisor"), reason="未按期整改")
    Publication.objects.filter(pk=publication.pk).update(next_attempt_at=None)
    assert delivery.run(publication.pk) == "permanent"
    publication.refresh_from_db()
    assert publication.last_error_code == "not_sendable" and "暂停信息发布" in publication.last_error
    assert fake_wechat.live_posts() == [] and fake_wechat.posts == []


def test_a_post_submitted_before_the_pause_is_taken_down(fake_wechat, settings):
    """The platform accepted the submit but the reply was lost; paused before the retry: it comes down."""
    channel = connect_wechat(fake_wechat)
    item = approve(new_item(targets=[f"channel:{channel.pk}"]))
    fake_wechat.configure(lost_reply_rate=1.0, fail_paths={"/cgi-bin/freepublish/submit"})
    publish(item)
    publication = wechat_publication(item)
    assert delivery.run(publication.pk) == "transient"
    fake_wechat.configure(lost_reply_rate=0.0)
    channel_actions.change_channel_status(channel, acting_user=people("demo-supervisor"), status="paused",
                                          reason="责令整改")
    Publication.objects.filter(pk=publication.pk).update(next_attempt_at=None)
    delivery.run(publication.pk)
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.WITHDRAWN
    delivery.run_due("withdraw")
    publication.refresh_from_db()
    assert publication.withdraw_state == WithdrawState.DONE and fake_wechat.live_posts() == []


def test_manual_post_is_refused_on_a_paused_account():
    from govpub.channels.models import Channel, ChannelKind

    account = Channel.objects.filter(kind__in=manual.MANUAL_KINDS, status="running").first()
    item = approve(new_item(targets=[f"channel:{account.pk}"]))
    publish(item)
    publication = Publication.objects.get(item=item, channel=account)
    channel_actions.change_channel_status(account, acting_user=people("demo-supervisor"), status="paused",
                                          reason="责令整改")
    editor = next(p for p in [people(EDITOR), people("yanji-editor")] if publishing_policy.can_post_manually(p, publication))
    with pytest.raises(ValidationError, match="不能登记发布"):
        publishing_actions.record_manual_post(publication, acting_user=editor, url="https://www.douyin.com/video/1")
    assert account.kind != ChannelKind.WEBSITE
