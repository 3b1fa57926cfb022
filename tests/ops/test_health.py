import pytest
from django.test import Client


@pytest.mark.django_db
def test_health_and_readiness_need_no_login():
    client = Client()
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "queue": "ok"}


@pytest.mark.django_db
def test_readiness_reports_a_broken_queue(monkeypatch):
    from huey.contrib.djhuey import HUEY

    def broken():
        raise ConnectionError("queue down")

    monkeypatch.setattr(HUEY, "pending_count", broken)
    ready = Client().get("/readyz")
    assert ready.status_code == 503 and ready.json()["checks"]["queue"] == "unavailable"
