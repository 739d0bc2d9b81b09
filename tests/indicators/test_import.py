"""`import govreports.indicators` stays light: it runs inside every `extract`."""

from __future__ import annotations

import subprocess
import sys


def test_import_pulls_no_heavy_libraries() -> None:
    code = (
        "import sys, govreports.indicators as gi\n"
        "gi.extract_mentions('办理法律援助案件12件。')\n"
        "heavy = {'pandas', 'duckdb', 'prefect', 'pandera', 'pyarrow', 'httpx'}\n"
        "heavy &= set(sys.modules)\n"
        "print(sorted(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
