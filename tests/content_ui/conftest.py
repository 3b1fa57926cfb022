import pytest

from govpub.channels.models import Channel, ChannelKind
from govpub.content import actions as content_actions
from govpub.orgs.models import Person, Unit
from govpub.review.models import CHECKLIST_KEYS

ID_NUMBER = "42070419900101123X"


def people(username):
    return Person.objects.get(username=username)


@pytest.fixture
def column(db):
    return Channel.objects.get(kind=ChannelKind.WEBSITE).columns.get(slug="gzdt")


@pytest.fixture
def make_item(db, column):
    def make(body="<p>区党政办公室召开全区政务公开工作推进会。</p>", **fields):
        fields.setdefault("title", "全区政务公开工作推进会召开")
        fields.setdefault("targets", [f"column:{column.pk}"])
        return content_actions.create_item(acting_user=people("demo-editor"),
                                           unit=Unit.objects.get(name="区党政办公室"), body_html=body, **fields)

    return make


def answers(value="yes"):
    data = {f"c_{key}": value for key in CHECKLIST_KEYS}
    data.update(confidentiality=value, proofread=value)
    return data
