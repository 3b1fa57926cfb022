"""SSRF: the server fetches no internal address unless GOVPUB_ALLOW_PRIVATE_HOSTS lists it."""

from urllib.parse import urlsplit

import pytest

from govpub.fakeplatforms import FakeWeChat, FakeWeibo
from govpub.ops import netguard
from govpub.publishing import delivery
from govpub.publishing.models import DeliveryAttempt, Publication, PublicationStatus
from govpub.supervision.crawler import CrawlConfig, crawl
from tests.delivery.conftest import APPID, SECRET, WEIBO_TOKEN, connect_wechat, connect_weibo, people, \
    queue_publications, wechat_account

INTERNAL = ["http://127.0.0.1:8080/", "http://10.1.2.3/", "http://169.254.169.254/latest/meta-data/",
            "http://[::1]:9000/", "http://[::ffff:127.0.0.1]/", "http://0.0.0.0/", "http://192.168.1.1/",
            "http://172.16.0.5/", "http://224.0.0.1/", "http://localhost:8000/", "http://[fe80::1]/"]


@pytest.mark.parametrize("url", INTERNAL)
def test_internal_addresses_are_refused(url, settings):
    settings.GOVPUB_ALLOW_PRIVATE_HOSTS = []
    with pytest.raises(netguard.BlockedAddress) as refused:
        netguard.check_url(url)
    assert "内网" in str(refused.value) and "GOVPUB_ALLOW_PRIVATE_HOSTS" in str(refused.value)


def test_public_addresses_pass_and_odd_urls_are_refused(settings):
    settings.GOVPUB_ALLOW_PRIVATE_HOSTS = []
    netguard.check_url("https://8.8.8.8/cgi-bin/token")
    netguard.check_url("http://[2001:4860:4860::8888]/")
    for url in ("file:///etc/passwd", "gopher://127.0.0.1/", "http:///nohost", "http://example.com:99999/"):
        with pytest.raises(netguard.BlockedAddress):
            netguard.check_url(url)


def test_the_allow_list_takes_hosts_networks_and_ports(settings):
    settings.GOVPUB_ALLOW_PRIVATE_HOSTS = ["10.0.0.0/8", "localhost", "127.0.0.1:8801", "::1"]
    netguard.check_url("http://10.200.3.4/api")
    netguard.check_url("http://localhost:5000/")  # by name, whatever it resolves to
    netguard.check_url("http://127.0.0.1:8801/")
    netguard.check_url("http://[::1]:8000/")
    with pytest.raises(netguard.BlockedAddress):
        netguard.check_url("http://127.0.0.1:8802/")  # another port of the same host
    with pytest.raises(netguard.BlockedAddress):
        netguard.check_url("http://169.254.169.254/")
    # Explicit allow-lists win over the settings (the crawler's and tests' use).
    with pytest.raises(netguard.BlockedAddress):
        netguard.check_url("http://10.200.3.4/api", allowed="192.168.0.0/16")
    netguard.check_url("http://192.168.7.7/", allowed="192.168.0.0/16,[::1]:80")


def test_the_environment_is_read_when_django_settings_do_not_say(monkeypatch, settings):
    del settings.GOVPUB_ALLOW_PRIVATE_HOSTS
    monkeypatch.setenv("GOVPUB_ALLOW_PRIVATE_HOSTS", "10.9.0.0/16")
    netguard.check_url("http://10.9.1.1/")
    with pytest.raises(netguard.BlockedAddress):
        netguard.check_url("http://10.8.1.1/")


@pytest.mark.django_db
@pytest.mark.parametrize("api_base", ["http://10.20.30.40:81", "http://169.254.169.254", "http://[::1]:9"])
def test_a_channel_pointing_inside_is_refused_with_a_permanent_chinese_error(api_base, settings):
    # Saved while the host was on the allow-list (saving refuses it otherwise); the list changed since.
    settings.GOVPUB_ALLOW_PRIVATE_HOSTS = [urlsplit(api_base).hostname]
    channel = connect_wechat(type("Fake", (), {"url": api_base})())
    settings.GOVPUB_ALLOW_PRIVATE_HOSTS = []
    row = queue_publications(channel, 1)[0]
    delivery.run(row.pk)
    row = Publication.objects.get(pk=row.pk)
    attempt = DeliveryAttempt.objects.filter(publication=row).latest("pk")
    assert row.status == PublicationStatus.FAILED
    assert attempt.outcome == DeliveryAttempt.Outcome.PERMANENT and attempt.code == "blocked_address"
    assert "内网" in attempt.message and "已拒绝发送" in attempt.message


@pytest.mark.django_db
def test_loopback_platforms_are_refused_before_sending_and_allowed_when_listed(settings):
    settings.GOVPUB_CONNECTOR_TIMEOUT = 2.0
    with FakeWeChat(accounts={APPID: SECRET}, seed=7) as wechat, FakeWeibo(tokens=[WEIBO_TOKEN], seed=7) as weibo:
        settings.GOVPUB_ALLOW_PRIVATE_HOSTS = ["127.0.0.1"]  # saved while allowed, refused once no longer listed
        channels = connect_wechat(wechat), connect_weibo(weibo)
        settings.GOVPUB_ALLOW_PRIVATE_HOSTS = []
        rows = queue_publications(channels[0], 1) + queue_publications(channels[1], 1, title="短讯")
        for row in rows:
            delivery.run(row.pk)
            assert Publication.objects.get(pk=row.pk).status == PublicationStatus.FAILED
        assert wechat.calls == [] and weibo.calls == []  # nothing left the server

        host_port = wechat.url.split("://", 1)[1]
        settings.GOVPUB_ALLOW_PRIVATE_HOSTS = [host_port]  # this port only
        row = queue_publications(wechat_account(), 1, title="第二条")[0]
        delivery.run(row.pk)
        assert Publication.objects.get(pk=row.pk).status == PublicationStatus.LIVE
        assert wechat.calls and weibo.calls == []


def test_the_crawler_uses_the_same_policy(settings):
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    import threading

    class Page(BaseHTTPRequestHandler):
        def do_GET(self):
            body = "<html><body>2026-11-01</body></html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        settings.GOVPUB_ALLOW_PRIVATE_HOSTS = []
        refused = crawl(CrawlConfig(url, obey_robots=False, rate_per_host=0))
        assert refused.refused and (refused.home is None or refused.home.status is None)
        settings.GOVPUB_ALLOW_PRIVATE_HOSTS = ["127.0.0.0/8"]
        allowed = crawl(CrawlConfig(url, obey_robots=False, rate_per_host=0))
        assert not allowed.refused and allowed.home.status == 200
    finally:
        server.shutdown()
        server.server_close()


WORKER_PROBE = """
import sys
import django

django.setup()
from govpub.ops import netguard

for url in sys.argv[1:]:
    try:
        netguard.check_url(url)
        print("allowed")
    except netguard.BlockedAddress:
        print("blocked")
"""


def probe_in_a_fresh_process(home, *urls):
    """What the SSRF guard of another process on the same data directory (a `govpub worker`) decides."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(GOVPUB_HOME=str(home), GOVPUB_ALLOW_PRIVATE_HOSTS="", PYTHONPATH=str(root),
               DJANGO_SETTINGS_MODULE="govpub.settings")
    result = subprocess.run([sys.executable, "-c", WORKER_PROBE, *urls], env=env, capture_output=True, text=True,
                            timeout=180, cwd=home)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


@pytest.mark.django_db
def test_serve_demo_allows_exactly_its_own_fake_platforms_in_every_process(settings, tmp_path):
    """A separate `govpub worker` next to `serve --demo` delivers to the fakes too: the exemption is data in
    the data directory, not a flag of the serving process, and it opens those two loopback ports plus the demo's
    own portal (its website channel, which the demo's monitoring crawls) only."""
    from govpub.channels.models import Channel, ChannelKind
    from govpub.fakeplatforms.demo import wire_demo_channels

    settings.HOME = tmp_path
    settings.GOVPUB_ALLOW_PRIVATE_HOSTS = []
    settings.GOVPUB_CONNECTOR_TIMEOUT = 2.0
    settings.GOVPUB_WECHAT_POLL_INTERVAL = 0.01
    fakes = wire_demo_channels("http://127.0.0.1:8000")
    try:
        weibo = next(f for f in fakes if f.platform == "weibo")
        wechat = next(f for f in fakes if f.platform == "wechat")
        assert probe_in_a_fresh_process(tmp_path, weibo.url + "/2/statuses/share.json", wechat.url + "/cgi-bin/token",
                                        "http://127.0.0.1:8000/", "http://127.0.0.1:8001/", "http://10.1.2.3/") == \
            ["allowed", "allowed", "allowed", "blocked", "blocked"]  # any other port or host stays refused
        row = queue_publications(Channel.objects.filter(kind=ChannelKind.WEIBO).first(), 1, title="演示短讯")[0]
        delivery.run(row.pk)
        assert Publication.objects.get(pk=row.pk).status == PublicationStatus.LIVE and weibo.calls
        netguard.clear_demo_fakes()  # `govpub serve` without --demo, or the demo stopping
        with pytest.raises(netguard.BlockedAddress):
            netguard.check_url(weibo.url + "/2/statuses/share.json")
    finally:
        for fake in fakes:
            fake.stop()


def test_the_demo_record_never_opens_more_than_single_loopback_ports(settings, tmp_path):
    settings.HOME = tmp_path
    settings.GOVPUB_ALLOW_PRIVATE_HOSTS = []
    netguard.record_demo_fakes(["10.0.0.0/8", "127.0.0.0/8", "192.168.1.5:80", "127.0.0.1", "localhost:8000",
                                "127.0.0.1:8801", "nonsense:port"])
    netguard.check_url("http://127.0.0.1:8801/")
    for url in ("http://10.1.2.3/", "http://127.0.0.2:8801/", "http://192.168.1.5/", "http://127.0.0.1:8000/",
                "http://localhost:8000/", "http://127.0.0.1/"):
        with pytest.raises(netguard.BlockedAddress):
            netguard.check_url(url)
