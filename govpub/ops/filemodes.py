"""File modes: what GovPub writes stays readable by the account that runs it (and, for static files, its group).

Under the usual umask 022 the SQLite database, the queue, the secret key, uploads and backups would be
created 0644 — readable by every account on the server. Every `govpub` process and the WSGI application
tighten the umask at start (restrict_umask, the same 027 as the systemd units' UMask=, so nginx in the
group can still read the collected static files), and the private files are created 0600 and their
directories 0700 explicitly, whatever the umask of whoever imported the code.
"""

from __future__ import annotations

import os
from pathlib import Path

UMASK = 0o027
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def restrict_umask() -> None:
    """At least UMASK: a stricter umask the operator chose (e.g. 077) is kept."""
    os.umask(os.umask(UMASK) | UMASK)


def private_dir(path: str | os.PathLike) -> Path:
    """mkdir -p where every directory it creates is 0700 (Path.mkdir gives `mode` to the last one only)."""
    target = path = Path(path)
    missing = []
    while not path.exists() and path != path.parent:
        missing.append(path)
        path = path.parent
    for directory in reversed(missing):
        directory.mkdir(mode=PRIVATE_DIR, exist_ok=True)
    return target


def private_file(path: str | os.PathLike) -> Path:
    """Create `path` empty with mode 0600 if it is missing; an existing one that others could read is made 0600.

    SQLite accepts an empty file as a new database and gives its -wal, -shm and -journal files the
    database's own mode, so creating the database file this way before the first connection covers them."""
    path = Path(path)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    if path.stat().st_mode & 0o077:
        path.chmod(PRIVATE_FILE)
    return path


def private_sqlite(path: str | os.PathLike) -> Path:
    """The database file, created 0600, and any journal files an older install left readable made 0600."""
    path = private_file(path)
    for suffix in ("-wal", "-shm", "-journal"):
        sibling = path.with_name(path.name + suffix)
        if sibling.exists() and sibling.stat().st_mode & 0o077:
            sibling.chmod(PRIVATE_FILE)
    return path


def write_private(path: str | os.PathLike, text: str) -> None:
    """Write a new file that is 0600 from its first byte (no window in which others may open it)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    with os.fdopen(fd, "w") as fh:
        fh.write(text)
