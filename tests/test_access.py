"""Role-scoped access: cross-unit access is refused at every view and for every role.

Another unit's object is a 404, like an id that does not exist (a 403 would confirm that it exists); a 403 is
for what the person may see but not do."""

import pytest
from django.test import Client
from django.urls import reverse

from govpub.channels.models import Channel, ContentListEntry
from govpub.orgs.models import Person, RoleAssignment, Unit

pytestmark = pytest.mark.django_db

PARTY_OFFICE_ROLES = ["demo-editor", "demo-office-head", "demo-deputy", "demo-principal"]
YANJI_ROLES = ["yanji-editor", "yanji-office-head", "yanji-deputy", "yanji-principal"]


def _other_unit_targets():
    """(method, url) pairs that touch 燕矶镇's unit, people and channels."""
    yanji = Unit.objects.get(name="燕矶镇人民政府")
    yanji_person = Person.objects.get(username="yanji-editor")
    yanji_role = RoleAssignment.objects.get(person=yanji_person, unit=yanji)
    yanji_channel = Channel.objects.get(name="燕矶发布")
    yanji_entry = ContentListEntry.objects.filter(channel=yanji_channel).first()
    return [
        ("get", reverse("unit_detail", args=[yanji.pk])),
        ("get", reverse("unit_edit", args=[yanji.pk])),
        ("get", reverse("unit_suspend", args=[yanji.pk])),
        ("get", reverse("unit_lift", args=[yanji.pk])),
        ("post", reverse("unit_confidentiality_review", args=[yanji.pk])),
        ("post", reverse("role_grant", args=[yanji.pk])),
        ("post", reverse("role_revoke", args=[yanji_role.pk])),
        ("get", reverse("person_detail", args=[yanji_person.pk])),
        ("post", reverse("person_set_active", args=[yanji_person.pk])),
        ("get", reverse("channel_detail", args=[yanji_channel.pk])),
        ("get", reverse("channel_edit", args=[yanji_channel.pk])),
        ("get", reverse("channel_status", args=[yanji_channel.pk])),
        ("post", reverse("channel_status", args=[yanji_channel.pk])),
        ("get", reverse("content_list_add", args=[yanji_channel.pk])),
        ("post", reverse("content_list_deactivate", args=[yanji_entry.pk])),
    ]


@pytest.mark.parametrize("username", PARTY_OFFICE_ROLES)
def test_cross_unit_access_is_refused_everywhere(client_for, username):
    client = client_for(username)
    for method, url in _other_unit_targets():
        response = getattr(client, method)(url)
        assert response.status_code == 404, (username, method, url, response.status_code)
    # Nothing was changed by the refused POSTs.
    assert not Unit.objects.get(name="燕矶镇人民政府").is_suspended
    assert Person.objects.get(username="yanji-editor").is_active


@pytest.mark.parametrize("username", YANJI_ROLES)
def test_township_roles_cannot_see_the_party_office(client_for, username):
    client = client_for(username)
    party = Unit.objects.get(name="区党政办公室")
    assert client.get(reverse("unit_detail", args=[party.pk])).status_code == 404
    assert client.get(reverse("person_detail", args=[Person.objects.get(username="demo-deputy").pk])).status_code == 404
    website = Channel.objects.get(kind="website")
    # 燕矶镇 is responsible for the 乡镇动态 column, so it may see the website, but not change it.
    assert client.get(reverse("channel_detail", args=[website.pk])).status_code == 200
    assert client.get(reverse("channel_edit", args=[website.pk])).status_code == 403
    assert client.get(reverse("column_create", args=[website.pk])).status_code == 403


@pytest.mark.parametrize("username", PARTY_OFFICE_ROLES + YANJI_ROLES)
def test_admin_pages_are_refused_to_unit_roles(client_for, username):
    client = client_for(username)
    for name in ("unit_create", "person_create", "channel_create", "audit_log"):
        assert client.get(reverse(name)).status_code == 403, name


def test_lists_show_only_own_unit(client_for):
    client = client_for("demo-office-head")
    people = client.get(reverse("person_list")).content.decode()
    assert "demo-editor2" in people and "yanji-editor" not in people
    units = client.get(reverse("unit_list")).content.decode()
    assert "区党政办公室" in units and "燕矶镇人民政府" not in units
    channels = client.get(reverse("channel_list")).content.decode()
    assert "临空经济区发布" in channels and "燕矶发布" not in channels


@pytest.mark.parametrize("username", ["demo-supervisor", "demo-admin"])
def test_supervisor_and_admin_see_every_unit(client_for, username):
    client = client_for(username)
    for unit in Unit.objects.all():
        assert client.get(reverse("unit_detail", args=[unit.pk])).status_code == 200
    for channel in Channel.objects.all():
        assert client.get(reverse("channel_detail", args=[channel.pk])).status_code == 200
    assert client.get(reverse("audit_log")).status_code == 200


def test_anonymous_is_sent_to_login_everywhere(db):
    client = Client()
    for name in ("home", "unit_list", "person_list", "channel_list", "content_list_all", "audit_log", "unit_create"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith(reverse("login")), name
    for method, url in _other_unit_targets():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url


def test_revoked_role_loses_access_immediately(client_for):
    admin = Person.objects.get(username="demo-admin")
    head = Person.objects.get(username="demo-office-head")
    party = Unit.objects.get(name="区党政办公室")
    client = client_for("demo-office-head")
    assert client.get(reverse("unit_detail", args=[party.pk])).status_code == 200
    from govpub.orgs import actions

    actions.revoke_role(RoleAssignment.objects.get(person=head, unit=party), acting_user=admin)
    assert client.get(reverse("unit_detail", args=[party.pk])).status_code == 404


def _shape(response) -> str:
    """The answer with what differs per request (CSRF tokens, CSP nonces) blanked out."""
    import re

    body = response.content.decode()
    return re.sub(r'(csrfmiddlewaretoken" value|nonce)="[^"]*"', r'\1=""', body)


@pytest.mark.parametrize("username", ["demo-editor", "demo-office-head"])
def test_another_units_object_is_answered_like_a_missing_one(client_for, username):
    """A 403 for another unit's id next to a 404 for a made-up id would tell which ids exist."""
    yanji = Unit.objects.get(name="燕矶镇人民政府")
    yanji_person = Person.objects.get(username="yanji-editor")
    yanji_role = RoleAssignment.objects.get(person=yanji_person, unit=yanji)
    yanji_channel = Channel.objects.get(name="燕矶发布")
    yanji_entry = ContentListEntry.objects.filter(channel=yanji_channel).first()
    missing = 999999
    client = client_for(username)
    pairs = [
        ("get", "unit_detail", yanji.pk), ("get", "unit_edit", yanji.pk), ("get", "unit_suspend", yanji.pk),
        ("post", "unit_confidentiality_review", yanji.pk), ("post", "role_grant", yanji.pk),
        ("post", "role_revoke", yanji_role.pk), ("get", "person_detail", yanji_person.pk),
        ("post", "person_set_active", yanji_person.pk), ("post", "two_factor_reset", yanji_person.pk),
        ("get", "channel_detail", yanji_channel.pk), ("get", "channel_status", yanji_channel.pk),
        ("get", "channel_credentials", yanji_channel.pk), ("post", "content_list_deactivate", yanji_entry.pk),
    ]
    for method, name, pk in pairs:
        foreign = getattr(client, method)(reverse(name, args=[pk]))
        unknown = getattr(client, method)(reverse(name, args=[missing]))
        assert (foreign.status_code, unknown.status_code) == (404, 404), (name, foreign.status_code)
        assert _shape(foreign) == _shape(unknown), name
