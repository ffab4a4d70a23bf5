"""A fingerprint of the landing folder: it changes exactly when a file lands, changes or leaves."""

from __future__ import annotations

import hashlib
from pathlib import Path


def landing_fingerprint(landing_dir: Path) -> str:
    """Hash of (relative path, size, mtime) of every file under the landing folder.

    Cheap enough to compute on every sensor tick (no file is read); an empty or missing
    folder gives the fingerprint of nothing.
    """
    digest = hashlib.sha256()
    if landing_dir.exists():
        for path in sorted(p for p in landing_dir.rglob("*") if p.is_file()):
            stat = path.stat()
            digest.update(
                f"{path.relative_to(landing_dir).as_posix()}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode()
            )
    return digest.hexdigest()
