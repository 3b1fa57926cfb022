import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/staff/", "/healthz"])
def test_strict_csp_everywhere(client_for, url):
    response = client_for("demo-editor").get(url)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_carry_no_inline_script_or_style(client_for):
    """What the CSP forbids must not be in the markup either, or the page would silently break."""
    import re

    client = client_for("demo-admin")
    pages = ["/", "/staff/", "/staff/units/", "/staff/channels/", "/staff/items/", "/staff/items/new/",
             "/staff/audit/", "/accounts/login/"]
    from govpub.channels.models import Channel

    pages += [f"/staff/channels/{c.pk}/" for c in Channel.objects.all()[:3]]
    for url in pages:
        response = client.get(url, follow=True)
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert not re.search(r"\sstyle=\"", html), url
        assert not re.search(r"\son[a-z]+=\"", html), url
