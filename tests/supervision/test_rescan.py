import datetime as dt

import pytest
from django.utils import timezone

from govpub.publishing import actions as publishing_actions
from govpub.supervision import actions
from govpub.supervision.indicators import collect_facts, default_config, score_facts
from govpub.supervision.models import MonitorFinding
from govpub.supervision.rescan import RescanJob, chunks, scan_items
from govpub.supervision.tasks import rescan_archive

from .conftest import people

pytestmark = pytest.mark.django_db
NEW_TERM = [("下一阶段重点任务", "secret", "block", "", "词库更新：新增涉密表述（测试）")]


def test_lexicon_update_rescan_finds_deduplicates_and_resolves(approved_item, website_channel):
    item = approved_item(title="推进会召开")
    publishing_actions.publish_item(item, acting_user=people("demo-editor"),
                                    revision_hash=item.current_revision.content_hash)
    item.refresh_from_db()
    assert scan_items([item.pk]) == {item.pk: []}  # clean under the shipped lexicons

    found = scan_items([item.pk], extra_rows=NEW_TERM)
    assert [p["category"] for p in found[item.pk]] == ["secret"]
    assert actions.record_rescan(found)["new"] >= 1
    finding = MonitorFinding.objects.get(kind="serious_error", channel=website_channel, resolved_at__isnull=True)
    assert finding.evidence["item"] == item.pk and "下一阶段重点任务" in finding.message
    assert RescanJob.run({"extra_rows": NEW_TERM}, {"items": [item.pk]})["again"] == 1  # the same problem again: not a new row

    today = timezone.localdate()
    facts = collect_facts(website_channel, today - dt.timedelta(days=7), today, default_config())
    assert facts.confirmed == {"secret": 1}
    assert "leaked_secrets" in {v["code"] for v in score_facts(facts, default_config()).vetoes}

    assert RescanJob.run({}, {"items": [item.pk]})["resolved"] == 1  # term removed from the lexicon again
    assert not MonitorFinding.objects.filter(kind="serious_error", resolved_at__isnull=True).exists()


def test_archive_is_split_into_chunks():
    assert chunks(list(range(450)), 200) == [list(range(200)), list(range(200, 400)), list(range(400, 450))]
    assert rescan_archive.call_local() >= 0


def test_cli_rescan(monkeypatch, capsys):
    from govpub import cli

    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    assert cli.main(["monitor", "run", "--rescan"]) == 0
    assert "复查已发布稿件" in capsys.readouterr().out
