"""Channel credentials: encrypted at rest, never shown back, never logged; entered by admins only."""

import logging

import pytest
from django.db import connection

from govpub.audit.models import AuditEvent
from govpub.publishing import delivery
from govpub.publishing.actions import set_credentials
from govpub.publishing.credentials import credentials_for, decrypt
from govpub.publishing.models import ChannelCredential, PublicationStatus

from .conftest import APPID, SECRET, WEIBO_TOKEN, connect_wechat, connect_weibo, people, queue_publications, \
    wechat_account

pytestmark = pytest.mark.django_db


def test_secrets_are_encrypted_in_the_database(fake_wechat, fake_weibo):
    connect_wechat(fake_wechat)
    connect_weibo(fake_weibo)
    with connection.cursor() as cursor:
        cursor.execute("SELECT app_id, secrets_encrypted, api_base FROM publishing_channelcredential")
        rows = cursor.fetchall()
    dump = repr(rows)
    assert len(rows) == 2 and APPID in dump  # the AppID is not a secret
    assert SECRET not in dump and WEIBO_TOKEN not in dump and "cb-tok-12" not in dump
    assert decrypt(ChannelCredential.objects.get(channel=wechat_account()).secrets_encrypted)["app_secret"] == SECRET
    assert SECRET not in repr(credentials_for(wechat_account()))


def test_secrets_stay_out_of_logs_and_audit(fake_wechat, fake_weibo, caplog, monkeypatch):
    # Whatever earlier tests did to logging, httpx logs every request here (its URL carries the token).
    monkeypatch.setattr(logging.getLogger("httpx"), "disabled", False)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")
    channel = connect_wechat(fake_wechat)
    weibo = connect_weibo(fake_weibo)
    for row in queue_publications(channel, 2) + queue_publications(weibo, 1, title="短讯"):
        delivery.run(row.pk)
    from govpub.publishing.connectors import connector_for

    connector_for(weibo).fetch_recent()  # a GET: the token travels in the query string
    assert "HTTP Request" in caplog.text  # the requests were logged…
    tokens = [t for t in fake_wechat.tokens]
    for secret in [SECRET, WEIBO_TOKEN, *tokens]:
        assert secret not in caplog.text  # …without any secret or access token
    events = AuditEvent.objects.filter(action="channel.credentials_set")
    assert events.count() == 2 and SECRET not in repr(list(events.values()))
    assert sorted(events.first().details["fields"]) == ["api_base", "app_id", "app_secret", "callback_token"]


def test_only_admins_set_credentials_and_the_page_never_shows_them(client_for, fake_wechat):
    channel = wechat_account()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        set_credentials(channel, acting_user=people("demo-editor"), app_secret="x")
    assert client_for("demo-editor").get(f"/staff/channels/{channel.pk}/credentials/").status_code == 403

    admin = client_for("demo-admin")
    page = admin.get(f"/staff/channels/{channel.pk}/credentials/")
    assert page.status_code == 200 and "已设置" not in page.content.decode()
    response = admin.post(f"/staff/channels/{channel.pk}/credentials/",
                          {"app_id": APPID, "app_secret": SECRET, "api_base": fake_wechat.url})
    assert response.status_code == 302
    html = admin.get(f"/staff/channels/{channel.pk}/credentials/").content.decode()
    assert "已设置" in html and SECRET not in html and APPID in html
    # an empty secret field keeps the stored one
    admin.post(f"/staff/channels/{channel.pk}/credentials/", {"app_id": APPID, "app_secret": "", "api_base": fake_wechat.url})
    assert credentials_for(channel).secret("app_secret") == SECRET
    [publication] = queue_publications(channel, 1)
    assert delivery.run(publication.pk) == "ok"


def test_demo_wiring_points_demo_accounts_at_local_fakes(settings, tmp_path):
    from govpub.fakeplatforms.demo import wire_demo_channels

    settings.HOME = tmp_path  # the demo records its fakes' ports in the data directory
    fakes = wire_demo_channels("http://127.0.0.1:8000")
    try:
        wechat, weibo = fakes
        channel = wechat_account()
        assert credentials_for(channel).api_base == wechat.url and wechat.url.startswith("http://127.0.0.1:")
        wechat.publish_delay, wechat.callback_url = 0, ""  # (no push to whatever listens on :8000)
        [publication] = queue_publications(channel, 1)
        assert delivery.run(publication.pk) == "ok"
        publication.refresh_from_db()
        assert publication.status == PublicationStatus.LIVE and len(wechat.posts) == 1
    finally:
        for fake in fakes:
            fake.stop()


def test_an_internal_api_address_is_refused_when_saved(db, person, settings):
    from django.core.exceptions import ValidationError

    from govpub.channels.models import Channel
    from govpub.publishing.actions import set_credentials

    settings.GOVPUB_ALLOW_PRIVATE_HOSTS = []
    channel = Channel.objects.exclude(kind="website").first()
    with pytest.raises(ValidationError) as refused:
        set_credentials(channel, acting_user=person("demo-admin"), api_base="http://169.254.169.254/latest")
    assert "SSRF" in str(refused.value)


def test_a_refused_address_is_shown_at_its_field_and_nothing_typed_is_lost(client_for, settings):
    settings.GOVPUB_ALLOW_PRIVATE_HOSTS = []
    channel = wechat_account()
    response = client_for("demo-admin").post(f"/staff/channels/{channel.pk}/credentials/",
                                             {"app_id": "wx-typed", "api_base": "http://169.254.169.254/latest"})
    html = response.content.decode()
    assert response.status_code == 200
    field = html[html.index('id="label-id_api_base"'):]
    assert "SSRF" in field[:field.index("</div>")]  # at the address field, not a banner far from it
    assert 'value="wx-typed"' in html and "169.254.169.254" in html  # the form comes back as typed
    assert not ChannelCredential.objects.filter(channel=channel, app_id="wx-typed").exists()
