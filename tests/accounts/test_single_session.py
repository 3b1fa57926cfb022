"""One live session per device kind (GOVPUB_SINGLE_SESSION, GOVPUB_SESSION_SCOPE): a phone and a PC each
keep theirs; a newer login on the same kind ends the older one; "account" scope keeps one in all."""

from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from govpub.audit.models import AuditEvent

from .conftest import DEMO_PASSWORD


PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "Mobile/15E148 MicroMessenger/8.0.50")
PC = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


def real_login(username="demo-editor", agent=PC) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    assert client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD}).status_code == 302
    return client


def test_second_login_ends_the_first_session(db):
    first = real_login()
    assert first.get(reverse("home")).status_code == 200
    second = real_login()
    response = first.get(reverse("item_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "您的账号已在其他地方登录，本会话已退出。" in [str(m) for m in get_messages(response.wsgi_request)]
    assert first.get(reverse("home")).status_code == 302  # it stays signed out
    assert second.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="auth.session_replaced", actor_name="demo-editor").count() == 1
    assert AuditEvent.objects.filter(action="auth.session_superseded", actor_name="demo-editor").count() == 1


def test_other_accounts_are_unaffected(client_for):
    editor = client_for("demo-editor")
    client_for("demo-editor2")
    assert editor.get(reverse("home")).status_code == 200


def test_signing_out_the_live_session_does_not_revive_an_older_one(client_for):
    first = client_for("demo-editor")
    second = client_for("demo-editor")
    second.post(reverse("logout"))
    assert first.get(reverse("home")).status_code == 302


def test_password_change_keeps_the_changing_session(client_for):
    client = client_for("demo-editor")
    response = client.post("/accounts/password/", {
        "old_password": DEMO_PASSWORD, "new_password1": "Nw-Passw0rd-2026!", "new_password2": "Nw-Passw0rd-2026!"})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_setting_off_keeps_both_sessions(db, settings):
    settings.GOVPUB_SINGLE_SESSION = False
    first = real_login()
    second = real_login()
    assert first.get(reverse("home")).status_code == 200
    assert second.get(reverse("home")).status_code == 200
    assert not AuditEvent.objects.filter(action__in=["auth.session_replaced", "auth.session_superseded"]).exists()


def test_a_phone_login_keeps_the_pc_session_and_each_kind_replaces_its_own(db):
    pc = real_login()
    phone = real_login(agent=PHONE)
    assert pc.get(reverse("home")).status_code == 200 and phone.get(reverse("home")).status_code == 200
    assert not AuditEvent.objects.filter(action="auth.session_replaced").exists()
    second_phone = real_login(agent=PHONE)
    assert phone.get(reverse("home")).status_code == 302  # the older phone session ends
    assert pc.get(reverse("home")).status_code == 200  # the PC goes on
    assert second_phone.get(reverse("home")).status_code == 200
    replaced = AuditEvent.objects.get(action="auth.session_replaced")
    assert replaced.details["device"] == "手机或平板"
    second_phone.post(reverse("logout"))  # signing out on the phone frees only the phone
    assert pc.get(reverse("home")).status_code == 200


def test_account_scope_keeps_one_session_in_all(db, settings):
    settings.GOVPUB_SESSION_SCOPE = "account"
    pc = real_login()
    phone = real_login(agent=PHONE)
    assert pc.get(reverse("home")).status_code == 302 and phone.get(reverse("home")).status_code == 200


def test_a_session_from_before_the_upgrade_stays_live(db):
    """The migration keeps an old single token under the "legacy" kind: the session it belongs to goes on."""
    from govpub.orgs.accounts import SESSION_KIND_KEY
    from govpub.orgs.models import Person

    client = real_login()
    session = client.session
    del session[SESSION_KIND_KEY]
    session.save()
    person = Person.objects.get(username="demo-editor")
    Person.objects.filter(pk=person.pk).update(session_tokens={"legacy": person.session_tokens["computer"]})
    assert client.get(reverse("home")).status_code == 200


def test_a_replaced_session_keeps_the_half_filled_form_for_after_signing_in(db):
    """The PC is replaced by a newer PC login while an editor is writing; the submit of the old session
    signs it out, keeps what was typed (not the password fields), and after signing in again the form's
    page carries it back (once)."""
    import json
    import re

    from govpub.content.models import Item

    item = Item.objects.filter(unit__name="区党政办公室").order_by("pk").first()
    edit = reverse("item_edit", args=[item.pk])
    first = real_login()
    real_login()  # a newer session on another PC
    response = first.post(edit, {"title": "写了一半的标题", "body_html": "<p>写了一半的正文</p>", "password": "x"},
                          HTTP_REFERER=f"http://testserver{edit}")
    assert response.status_code == 302 and response.url == f"{reverse('login')}?next={edit}"
    assert "您填写的内容已保留" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert first.post(reverse("login"), {"username": "demo-editor", "password": DEMO_PASSWORD}).status_code == 302
    page = first.get(edit).content.decode()
    kept = json.loads(re.search(r'<script id="resume-form" type="application/json">(.*?)</script>', page, re.S).group(1))
    assert kept["title"] == ["写了一半的标题"] and kept["body_html"] == ["<p>写了一半的正文</p>"]
    assert "password" not in kept and "csrfmiddlewaretoken" not in kept
    assert "已恢复您在会话结束前填写" in page
    assert 'id="resume-form"' not in first.get(edit).content.decode()  # given once
