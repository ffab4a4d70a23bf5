"""Run the `mqa` command line in a child process, as a user would, on one data directory."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def mqa(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orchestration.cli", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
