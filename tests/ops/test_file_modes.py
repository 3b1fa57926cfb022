"""What GovPub writes is private to its account even under the usual umask 022: the database, the queue,
the secret key and backups 0600, their directories 0700 (the data directory 0750 for nginx's static files)."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

ROOT = Path(__file__).resolve().parents[2]
# Writes to the database (SQLite makes its -wal file, which it deletes again on close), then records the
# -wal file's mode in a file of its own, made under the process's umask.
PROBE = ("import os; from django.db import connection; c = connection.cursor(); c.execute('create table probe (x)');"
         "c.execute('insert into probe values (1)'); home = os.environ['GOVPUB_HOME'];"
         "open(home + '/probe', 'w').write(oct(os.stat(home + '/govpub.sqlite3-wal').st_mode & 0o777))")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_fresh_data_directory_is_private(tmp_path):
    home = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "GOVPUB_SECRET_KEY")}
    env.update(GOVPUB_HOME=str(home), PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="govpub.settings")
    result = subprocess.run([sys.executable, "-m", "govpub", "manage", "shell", "-c", PROBE], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=180, umask=0o022)
    assert result.returncode == 0, result.stderr
    assert mode(home) == 0o750
    for name in ("secret_key", "govpub.sqlite3", "queue.sqlite3"):
        assert mode(home / name) == 0o600, name
    assert (home / "probe").read_text() == "0o600"  # the -wal file SQLite created takes the database's mode
    assert mode(home / "probe") == 0o640  # the process umask: nothing it writes is readable by others


def test_an_existing_readable_database_is_made_private(tmp_path):
    home = tmp_path / "var"
    home.mkdir()
    for name in ("govpub.sqlite3", "govpub.sqlite3-wal", "queue.sqlite3"):
        (home / name).touch(mode=0o644)
        os.chmod(home / name, 0o644)
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(GOVPUB_HOME=str(home), PYTHONPATH=str(ROOT), DJANGO_SETTINGS_MODULE="govpub.settings")
    subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, cwd=tmp_path, check=True,
                   timeout=180)
    for name in ("govpub.sqlite3", "govpub.sqlite3-wal", "queue.sqlite3"):
        assert mode(home / name) == 0o600, name


@pytest.mark.django_db
def test_uploads_and_backups_are_private(settings, tmp_path, umask_022):
    from govpub.content.files import store_upload, stored_path
    from govpub.backup import create_backup

    settings.MEDIA_ROOT = tmp_path / "files"
    stored = store_upload(SimpleUploadedFile("通知.pdf", b"%PDF-1.4\n%%EOF\n"))
    path = stored_path(stored.storage_name)
    assert mode(path) == 0o600
    for directory in (path.parent, path.parent.parent, settings.MEDIA_ROOT):
        assert mode(directory) == 0o700, directory
    archive = create_backup(tmp_path / "backups" / "daily")
    assert mode(archive) == 0o600
    assert mode(tmp_path / "backups") == mode(tmp_path / "backups" / "daily") == 0o700
