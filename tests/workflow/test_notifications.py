import pytest

from govpub.notifications.models import Notification
from govpub.review import actions as review_actions

from .conftest import decide, people

pytestmark = pytest.mark.django_db


def test_submit_notifies_first_reviewers_by_app_and_mail(make_item, mailoutbox, django_capture_on_commit_callbacks):
    item = make_item()
    with django_capture_on_commit_callbacks(execute=True):
        review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    recipients = set(Notification.objects.filter(link=item.get_absolute_url(), verb="submit").values_list("recipient__username", flat=True))
    # Any editor of the unit may do 初审, the author included.
    assert recipients == {"demo-editor", "demo-editor2"}
    assert len(mailoutbox) == 1 and set(mailoutbox[0].to) == {
        "demo-editor@lkjjq.example.gov.cn", "demo-editor2@lkjjq.example.gov.cn"}
    assert "待初审" in mailoutbox[0].subject


def test_no_mail_for_a_change_that_rolled_back(make_item, mailoutbox, django_capture_on_commit_callbacks):
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(Exception):
            decide(item, "first_review", checklist={})  # refused: nothing recorded, nothing sent
    assert mailoutbox == []


def test_each_step_notifies_the_next_reviewer_then_the_author(make_item, django_capture_on_commit_callbacks):
    item = make_item()
    review_actions.submit_for_review(item, acting_user=people("demo-editor"))
    decide(item, "first_review")
    assert Notification.objects.filter(link=item.get_absolute_url(), verb="approve", recipient=people("demo-office-head")).exists()
    decide(item, "second_review")
    assert Notification.objects.filter(link=item.get_absolute_url(), verb="approve", recipient=people("demo-deputy")).exists()
    decide(item, "final_review")
    assert Notification.objects.filter(link=item.get_absolute_url(), verb="approved", recipient=people("demo-editor")).exists()
