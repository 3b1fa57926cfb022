import pytest

from govpub.channels.models import Channel, ChannelKind
from govpub.content import actions as content_actions
from govpub.orgs.models import Person, Unit
from govpub.review import actions as review_actions
from govpub.review.evidence import acknowledged
from govpub.review.models import CHECKLIST_KEYS

PASS = {key: True for key in CHECKLIST_KEYS}
REVIEWERS = {"first_review": "demo-editor2", "second_review": "demo-office-head", "final_review": "demo-deputy",
             "principal_review": "demo-principal"}


def people(username):
    return Person.objects.get(username=username)


@pytest.fixture
def website_column(db):
    return Channel.objects.get(kind=ChannelKind.WEBSITE).columns.get(slug="gzdt")


@pytest.fixture
def make_item(db, website_column):
    def make(body="<p>区党政办公室召开全区政务公开工作推进会，部署下一阶段重点任务。</p>", major=False,
             author="demo-editor", **fields):
        fields.setdefault("title", "全区政务公开工作推进会召开")
        fields.setdefault("targets", [f"column:{website_column.pk}"])
        if major:
            fields.update(major=True, major_reason="涉及全区重大部署")
        return content_actions.create_item(acting_user=people(author), unit=Unit.objects.get(name="区党政办公室"),
                                           body_html=body, **fields)

    return make


def decide(item, step_or_user, decision="approve", **overrides):
    item.refresh_from_db()
    user = people(REVIEWERS.get(step_or_user, step_or_user))
    kwargs = dict(revision_hash=item.current_revision.content_hash, decision=decision, checklist=dict(PASS),
                  confidentiality_ok=True, proofread_ok=True, comment="同意" if decision == "approve" else "请修改",
                  point_notes=acknowledged(item.current_revision))
    kwargs.update(overrides)
    return review_actions.record_decision(item, acting_user=user, **kwargs)


@pytest.fixture
def approved_item(make_item):
    def make(**kwargs):
        item = make_item(**kwargs)
        review_actions.submit_for_review(item, acting_user=people("demo-editor"))
        steps = ["first_review", "second_review", "final_review"] + (["principal_review"] if kwargs.get("major") else [])
        for step in steps:
            decide(item, step)
        item.refresh_from_db()
        return item

    return make
