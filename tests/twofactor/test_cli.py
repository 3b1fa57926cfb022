"""`govpub totp <username>`: the demo code for anyone, a real authenticator's code only with --force (audited)."""

import pytest

from govpub import cli
from govpub.audit.models import AuditEvent
from govpub.orgs.models import Person
from govpub.twofactor import actions, codes
from govpub.twofactor.demo import DEMO_TOTP_KEY

pytestmark = pytest.mark.django_db


def run(capsys, *args):
    status = cli.main(["totp", *args])
    out, err = capsys.readouterr()
    return status, out.strip(), err


def test_prints_the_demo_code_the_server_accepts(capsys, password_only):
    status, code, _err = run(capsys, "demo-deputy")
    assert status == 0 and codes.match(DEMO_TOTP_KEY, code) is not None
    client = password_only(Person.objects.get(username="demo-deputy"))
    assert client.post("/accounts/2fa/verify/", {"code": code}).url == "/staff/"
    # That code is spent now; the command gives the next one, which the server still accepts.
    status, second, _err = run(capsys, "demo-deputy")
    assert status == 0 and second != code
    other = password_only(Person.objects.get(username="demo-deputy"))
    assert other.post("/accounts/2fa/verify/", {"code": second}).url == "/staff/"


def test_refuses_a_real_authenticator_without_force(capsys, admin):
    deputy = Person.objects.get(username="demo-deputy")
    key = codes.new_key()
    actions.install_device(deputy, acting_user=admin, key=key)
    status, out, err = run(capsys, "demo-deputy")
    assert status == 2 and out == ""
    assert "不是演示密钥" in err and "--force" in err
    before = AuditEvent.objects.count()
    status, code, _err = run(capsys, "demo-deputy", "--force")
    assert status == 0 and codes.match(key, code) is not None
    disclosed = AuditEvent.objects.get(action="2fa.code_disclosed", seq__gt=before)
    assert disclosed.details == {"person": "demo-deputy", "via": "cli"} and code not in str(disclosed.details)


@pytest.mark.parametrize("username, message", [("nobody-here", "没有账号"), ("demo-editor", "尚未绑定验证器")])
def test_unknown_person_or_no_authenticator(capsys, username, message):
    status, out, err = run(capsys, username)
    assert status == 1 and out == "" and message in err
