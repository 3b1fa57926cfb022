import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from govpub.orgs.models import Unit
from govpub.publishing import actions as publishing_actions
from govpub.publishing.models import Publication
from govpub.review.models import CHECKLIST_KEYS
from govpub.supervision import actions
from govpub.supervision.models import InspectionState, SampleResult

from .conftest import people

pytestmark = pytest.mark.django_db
ALL_PASS = {key: True for key in CHECKLIST_KEYS}


@pytest.fixture
def published(approved_item):
    def make(count):
        items = []
        for n in range(count):
            item = approved_item(title=f"政务公开工作动态第{n + 1}期")
            publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                            revision_hash=item.current_revision.content_hash)
            Publication.objects.filter(item=item).update(live_at=timezone.now())
            item.refresh_from_db()
            items.append(item)
        return items

    return make


def _plan(size=3, seed=20261126, **kwargs):
    today = timezone.localdate()
    return actions.plan_inspection(acting_user=people("demo-supervisor"), title="第四季度信息发布督查",
                                   units=[Unit.objects.get(name="区党政办公室")],
                                   period_start=today - dt.timedelta(days=30), period_end=today,
                                   sample_size=size, seed=seed, **kwargs)


def test_sample_is_reproducible_and_recorded(published):
    items = published(6)
    candidates = actions.inspection_candidates([Unit.objects.get(name="区党政办公室")],
                                               timezone.localdate() - dt.timedelta(days=30), timezone.localdate())
    assert set(candidates) >= {i.pk for i in items}
    expected = actions.sample_ids(candidates, 3, 20261126)
    inspection = actions.draw_sample(_plan(), acting_user=people("demo-supervisor"))
    assert [s.item_id for s in inspection.samples.all()] == expected
    assert inspection.candidate_count == len(candidates) and len(inspection.candidate_digest) == 64
    again = actions.draw_sample(_plan(), acting_user=people("demo-supervisor"))
    assert [s.item_id for s in again.samples.all()] == expected  # same seed, same candidates → same sample
    other = actions.draw_sample(_plan(seed=7), acting_user=people("demo-supervisor"))
    assert [s.item_id for s in other.samples.all()] == actions.sample_ids(candidates, 3, 7)
    sample = inspection.samples.first()
    assert sample.revision_id == sample.item.live_revision_id
    with pytest.raises(ValidationError):
        actions.draw_sample(inspection, acting_user=people("demo-supervisor"))


def test_review_against_the_checklist(published):
    published(2)
    inspection = actions.draw_sample(_plan(size=2), acting_user=people("demo-supervisor"))
    first, second = inspection.samples.all()[:2]
    assert inspection.samples.count() == 2
    with pytest.raises(ValidationError):
        actions.review_sample(first, acting_user=people("demo-supervisor"), checklist={"secrets": True})
    with pytest.raises(ValidationError):
        actions.review_sample(first, acting_user=people("demo-supervisor"), checklist=dict(ALL_PASS, language=False))
    actions.review_sample(first, acting_user=people("demo-supervisor"), checklist=dict(ALL_PASS, language=False),
                          comment="标题“第1期”表述不规范")
    first.refresh_from_db()
    assert first.result == SampleResult.FAIL and first.checklist["language"] is False
    for sample in inspection.samples.exclude(pk=first.pk):
        actions.review_sample(sample, acting_user=people("demo-supervisor"), checklist=ALL_PASS)
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.DONE and inspection.finished_at
    with pytest.raises(ValidationError):
        actions.review_sample(second, acting_user=people("demo-supervisor"), checklist=ALL_PASS)


def test_only_supervisors_inspect_and_empty_scope_is_explained(published):
    for username in ("demo-admin", "demo-principal"):
        with pytest.raises(PermissionDenied):
            actions.plan_inspection(acting_user=people(username), title="x", units=Unit.objects.all()[:1],
                                    period_start=timezone.localdate(), period_end=timezone.localdate(), sample_size=1)
    empty = actions.plan_inspection(acting_user=people("demo-supervisor"), title="沙窝乡督查",
                                    units=[Unit.objects.get(name="沙窝乡人民政府")],
                                    period_start=timezone.localdate(), period_end=timezone.localdate(), sample_size=3)
    with pytest.raises(ValidationError, match="没有已发布的稿件"):
        actions.draw_sample(empty, acting_user=people("demo-supervisor"))


def test_inspection_pages(published, client_for):
    published(2)
    supervisor = client_for("demo-supervisor")
    today = timezone.localdate()
    party = Unit.objects.get(name="区党政办公室")
    response = supervisor.post("/staff/supervision/inspections/new/", {
        "title": "专项督查", "units": [party.pk], "period_start": (today - dt.timedelta(days=7)).isoformat(),
        "period_end": today.isoformat(), "sample_size": 2, "seed": 42})
    assert response.status_code == 302
    detail = response["Location"]
    inspection_id = int(detail.rstrip("/").rsplit("/", 1)[1])
    assert supervisor.post(f"/staff/supervision/inspections/{inspection_id}/sample/").status_code == 302
    page = supervisor.get(detail).content.decode()
    from govpub.supervision.models import InspectionSample

    titles = [s.revision.title for s in InspectionSample.objects.filter(inspection_id=inspection_id)]
    assert "随机种子 42" in page and len(titles) == 2 and all(t in page for t in titles)

    sample = InspectionSample.objects.filter(inspection_id=inspection_id).first()
    form = {key: "on" for key in CHECKLIST_KEYS}
    form.pop("truthful")
    bad = supervisor.post(f"/staff/supervision/inspection-samples/{sample.pk}/review/", form)
    assert "请填写复核意见" in bad.content.decode()
    ok = supervisor.post(f"/staff/supervision/inspection-samples/{sample.pk}/review/",
                         dict(form, comment="发布日期与原文不符"))
    assert ok.status_code == 302
    sample.refresh_from_db()
    assert sample.result == SampleResult.FAIL
    assert client_for("demo-editor").get("/staff/supervision/inspections/").status_code == 403
    assert client_for("demo-admin").get("/staff/supervision/inspections/new/").status_code == 403
