"""`govpub serve --demo`: run the fake WeChat and Weibo in-process and point the demo accounts at them,
so a newcomer sees a full publish to “WeChat” work without any real account — and, on each fake's
/backend/ page, can post around GovPub the way an operator would in the platform's own back-end."""

from __future__ import annotations

from .wechat import FakeWeChat
from .weibo import FakeWeibo

DEMO_SECRET = "demo-app-secret"
DEMO_WEIBO_TOKEN = "demo-weibo-token"  # + "-<channel id>": each demo Weibo account is its own user
DEMO_CALLBACK_TOKEN = "demo-callback-token"


def wire_demo_channels(site_url: str) -> list:
    """Start the fakes on free loopback ports; store credentials and API addresses on every demo account."""
    from govpub.channels.models import Channel, ChannelKind
    from govpub.orgs.models import Person
    from govpub.publishing.actions import set_credentials

    admin = Person.objects.get(username="demo-admin")
    wechat_channels = list(Channel.objects.filter(kind=ChannelKind.WECHAT))
    weibo_channels = list(Channel.objects.filter(kind=ChannelKind.WEIBO))
    accounts = {f"wx_demo_{c.pk}": DEMO_SECRET for c in wechat_channels}
    wechat = FakeWeChat(accounts=accounts, publish_delay=1.0, callback_token=DEMO_CALLBACK_TOKEN).start()
    weibo_tokens = {f"{DEMO_WEIBO_TOKEN}-{c.pk}": str(7712345600 + c.pk) for c in weibo_channels}
    weibo = FakeWeibo(tokens=weibo_tokens or [DEMO_WEIBO_TOKEN]).start()
    from govpub.ops import netguard  # the SSRF guard lets connectors and crawler reach these loopback ports only

    # Recorded in the data directory, not in this process: a separate `govpub worker` delivers too.
    # The demo's own portal is on the list so that its monitoring can crawl and probe the demo website.
    netguard.record_demo_fakes(url.split("://", 1)[1].rstrip("/") for url in (wechat.url, weibo.url, site_url))
    for channel in wechat_channels:
        set_credentials(channel, acting_user=admin, app_id=f"wx_demo_{channel.pk}", api_base=wechat.url,
                        app_secret=DEMO_SECRET, callback_token=DEMO_CALLBACK_TOKEN)
    for channel in weibo_channels:
        set_credentials(channel, acting_user=admin, app_id="demo-weibo-app", api_base=weibo.url,
                        access_token=f"{DEMO_WEIBO_TOKEN}-{channel.pk}")
    if wechat_channels:  # the fake pushes PUBLISHJOBFINISH to the first account's hook, like the platform does
        wechat.callback_url = f"{site_url.rstrip('/')}/hooks/wechat/{wechat_channels[0].pk}/"
    return [wechat, weibo]
