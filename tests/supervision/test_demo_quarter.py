import pytest
from django.core.management import call_command

from govpub.supervision.bulletin import compute
from govpub.supervision.demo import seed_supervision_demo
from govpub.supervision.models import Ticket

pytestmark = pytest.mark.django_db


def test_demo_quarter_feeds_the_bulletin(client_for):
    result = seed_supervision_demo()
    assert result["created"] == 6
    assert seed_supervision_demo()["created"] == 0  # idempotent
    rows = {r.unit.name: r for r in compute(result["year"], result["quarter"])[2]}
    yanji, health, party = rows["燕矶镇人民政府"], rows["区卫生健康局"], rows["区党政办公室"]
    # 燕矶发布: 3 tickets — one closed in time, one reported after its deadline, one still open past it
    assert (yanji.tickets_opened, yanji.tickets_closed_in_time, yanji.tickets_overdue) == (3, 1, 2)
    assert (health.tickets_opened, health.tickets_closed_in_time, health.tickets_overdue) == (2, 1, 1)
    assert (party.tickets_opened, party.tickets_closed_in_time, party.tickets_overdue) == (1, 0, 0)
    assert party.monitor_problems >= 3 and party.scores
    # Items reviewed in the quarter (hand-countable from supervision.demo.ITEMS): submit → publish takes
    # 0.5 h → 26 h = 25.5 h on a straight run, and resubmission 8.5 h → 33 h = 24.5 h after a return.
    assert (yanji.items_published, yanji.returned, yanji.rejected) == (2, 1, 1)
    assert (party.items_published, party.returned, party.rejected) == (2, 0, 0)
    assert yanji.avg_hours_to_publish == pytest.approx(25.0) and party.avg_hours_to_publish == pytest.approx(25.5)
    from govpub.audit.log import verify_chain

    assert verify_chain().ok
    assert Ticket.objects.overdue().filter(title__startswith="【演示】").count() == 2
    page = client_for("demo-supervisor").get(
        f"/staff/supervision/bulletin/?year={result['year']}&quarter={result['quarter']}").content.decode()
    assert "燕矶镇人民政府" in page
    call_command("supervision_demo")  # the command runs (and changes nothing the second time)
