"""Concurrent clicks: two publish calls at once produce exactly one publication per target."""

import threading

import pytest
from django.db import close_old_connections, connection

from govpub.channels.models import Channel, ChannelKind
from govpub.content import actions as content_actions
from govpub.orgs.models import Person, Unit
from govpub.publishing import actions as publishing_actions
from govpub.publishing.models import Publication
from govpub.review import actions as review_actions
from govpub.review.evidence import acknowledged
from govpub.review.models import CHECKLIST_KEYS


def _approved_item():
    people = {p.username: p for p in Person.objects.all()}
    site = Channel.objects.get(kind=ChannelKind.WEBSITE)
    targets = [f"column:{site.columns.get(slug='gzdt').pk}", f"column:{site.columns.get(slug='tzgg').pk}",
               f"channel:{Channel.objects.get(kind=ChannelKind.WECHAT, name='临空经济区发布').pk}"]
    item = content_actions.create_item(acting_user=people["demo-editor"], unit=Unit.objects.get(name="区党政办公室"),
                                       title="并发发布测试", body_html="<p>正文。</p>", targets=targets)
    review_actions.submit_for_review(item, acting_user=people["demo-editor"])
    for username in ("demo-editor2", "demo-office-head", "demo-deputy"):
        item.refresh_from_db()
        review_actions.record_decision(item, acting_user=people[username],
                                       revision_hash=item.current_revision.content_hash, decision="approve",
                                       checklist={k: True for k in CHECKLIST_KEYS}, confidentiality_ok=True,
                                       proofread_ok=True, point_notes=acknowledged(item.current_revision))
    item.refresh_from_db()
    return item, len(targets)


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_publish_creates_one_publication_per_target(demo_committed, attempt):
    item, target_count = _approved_item()
    digest = item.current_revision.content_hash
    editors = [Person.objects.get(username="demo-editor"), Person.objects.get(username="demo-editor2")]
    barrier = threading.Barrier(len(editors))
    outcomes = []

    def click(user):
        try:
            barrier.wait()
            publications = publishing_actions.publish_item(item, acting_user=user, revision_hash=digest)
            outcomes.append(sorted(p.pk for p in publications))
        except Exception as error:  # recorded and asserted below
            outcomes.append(error)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=click, args=(user,)) for user in editors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Publication.objects.filter(item=item).count() == target_count, outcomes
    assert all(isinstance(o, list) for o in outcomes), outcomes
    assert outcomes[0] == outcomes[1]  # the second click sees the first one's publications
