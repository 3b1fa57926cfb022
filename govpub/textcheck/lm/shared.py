"""The model's arrays as read-only memory maps, shared by every process on the machine.

Expanding data/model.npz takes about 1 s and 110 MB of private memory per process; every gunicorn
worker paid both.  Here the expanded arrays are written once as .npy files into a cache directory
(named by the model file's SHA-256, so a retrained model gets new files) and memory-mapped: the pages
live in the page cache once and count towards every worker's RSS without being copied.

Cache directory: ``GOVPUB_TEXTCHECK_CACHE``, else ``$GOVPUB_HOME/cache/typo-model`` (``./var`` when
GOVPUB_HOME is unset, as in settings.py).  When it cannot be written, the model is expanded in
process memory as before.  ``GOVPUB_TEXTCHECK_MMAP=0`` forces that old path (for measurements).
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np

from .ngram import derive

_log = logging.getLogger(__name__)
FORMAT = "2"  # bump when derive() changes what it stores


def cache_root() -> Path:
    if explicit := os.environ.get("GOVPUB_TEXTCHECK_CACHE"):
        return Path(explicit)
    return Path(os.environ.get("GOVPUB_HOME", Path.cwd() / "var")) / "cache" / "typo-model"


def _digest(path: Path) -> str:
    h = hashlib.sha256(FORMAT.encode())
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()[:32]


def _mapped(folder: Path) -> dict[str, np.ndarray]:
    # np.asarray: plain ndarray views of the maps (np.memmap's subclass overhead on every slice is not free)
    return {f.stem: np.asarray(np.load(f, mmap_mode="r", allow_pickle=False)) for f in folder.glob("*.npy")}


def _build(path: Path, folder: Path) -> None:
    """Write the expanded arrays next to ``folder`` and move them in with one rename (another process
    building at the same time loses the race harmlessly)."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        for name, arr in derive(path).items():
            np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
        (tmp / "complete").touch()
        os.rename(tmp, folder)
    except OSError:
        if not (folder / "complete").exists():
            raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def load(path: str | Path) -> dict[str, np.ndarray]:
    """The arrays of :func:`derive` for the model file ``path``: memory-mapped from the cache if possible."""
    path = Path(path)
    if os.environ.get("GOVPUB_TEXTCHECK_MMAP", "1").strip().lower() in ("0", "false", "no", "off"):
        return derive(path)
    folder = cache_root() / _digest(path)
    try:
        if not (folder / "complete").exists():
            _build(path, folder)
        return _mapped(folder)
    except (OSError, ValueError) as e:  # read-only or full disk, a damaged cache file
        _log.warning("typo model cache %s unusable (%s); the model is loaded into this process only", folder, e)
        return derive(path)
