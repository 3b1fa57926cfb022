"""gunicorn's master preloads the application (deploy/gunicorn.conf.py) and govpub/wsgi.py compiles the
checker there, so that forked workers share it and no request pays for loading it."""

import runpy
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


@pytest.mark.parametrize("value, preload", [(None, True), ("1", True), ("0", False), ("off", False)])
def test_the_shipped_config_preloads_unless_turned_off(monkeypatch, value, preload):
    if value is None:
        monkeypatch.delenv("GOVPUB_WEB_PRELOAD", raising=False)
    else:
        monkeypatch.setenv("GOVPUB_WEB_PRELOAD", value)
    assert runpy.run_path(str(CONF))["preload_app"] is preload


@pytest.mark.django_db(transaction=True)  # outside a test transaction, where close() really closes
def test_warm_up_compiles_the_checker_and_leaves_no_connection_open():
    from django.db import connection

    from govpub.lexicons import checker

    checker._compiled.clear()
    checker.warm_up()
    assert len(checker._compiled) == 1
    compiled = next(iter(checker._compiled.values()))
    assert compiled.statistical is not None  # the typo model is loaded too
    assert connection.connection is None  # closed: a forked worker must not share the master's socket
    assert checker.current_checker() is compiled
