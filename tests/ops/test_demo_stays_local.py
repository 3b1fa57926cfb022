"""The demo never leaves the machine: its website channel is the portal it serves, at the address served."""

import pytest

from govpub.channels.models import Channel, ChannelKind
from govpub.cli import served_base_url
from govpub.web.demo import WEBSITE, seed_demo


@pytest.mark.parametrize("host, port, expected", [
    ("127.0.0.1", 8123, "http://127.0.0.1:8123"),
    ("0.0.0.0", 9000, "http://127.0.0.1:9000"),  # every interface: this machine's browser uses loopback
    ("::1", 8000, "http://[::1]:8000"),
    ("govpub.intranet", 80, "http://govpub.intranet:80"),
])
def test_the_public_base_url_defaults_to_the_address_served(host, port, expected):
    assert served_base_url(host, port) == expected


@pytest.mark.django_db
def test_the_demo_website_is_this_server_and_follows_its_port():
    site = Channel.objects.get(kind=ChannelKind.WEBSITE, name=WEBSITE)
    assert site.url.startswith("http://127.0.0.1:"), site.url  # never a real government domain
    seed_demo(site_url="http://127.0.0.1:8123")
    site.refresh_from_db()
    assert site.url == "http://127.0.0.1:8123/"
    assert not Channel.objects.filter(url__contains=".gov.cn").exists()
