"""The benchmark script runs end to end (quick mode); it reports figures, this checks none."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_benchmark_quick_mode_runs_and_writes_json(tmp_path):
    output = tmp_path / "results.json"
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--output", str(output)],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    results = json.loads(output.read_text())
    assert set(results) >= {
        "machine",
        "cold_render",
        "in_process",
        "handler_cold_init",
        "handler_warm",
        "package",
    }
    assert results["quick"] is True
    assert set(results["handler_warm"]) == {
        "POST /data",
        "GET /data/{id}",
        "PUT /data/{id}",
        "GET /data (25 items)",
    }
    assert set(results["package"]["files"]) == {"app.py", "items.py", "store.py", "requirements.txt"}
    assert "ratio" in result.stdout
    assert not (ROOT / "handler" / "__pycache__").exists(), (
        "the benchmark must not leave bytecode in handler/"
    )
