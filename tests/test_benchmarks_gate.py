"""Quality gate on the public benchmarks' dev splits: every figure in benchmarks/floors.json must hold.

Each entry runs one benchmark command (the same code as ``python -m benchmarks.<name>``) on a
sample of the dev split and compares the figures it prints with the floors. Raising a floor is
a commit of its own; a change that lowers a figure fails here. Needs ../shared/eval (present in
CI); skipped with the reason elsewhere.
"""
from __future__ import annotations

import contextlib
import importlib
import io
import json
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FLOORS = json.loads((REPO / "benchmarks" / "floors.json").read_text(encoding="utf-8"))
EVAL = REPO.parent / "shared" / "eval"


def figures(output: str) -> dict[str, float]:
    """``P``/``R``/``F1`` from a benchmark's last lines, plus any ``name: value`` lines it marks as gated."""
    out = {}
    for line in output.splitlines():
        m = re.fullmatch(r"(P|R|F1|gate [\w.+-]+) (-?[\d.]+)", line.strip())
        if m:
            out[m.group(1).removeprefix("gate ")] = float(m.group(2))
    return out


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(k for k in FLOORS if not k.startswith("_")))
def test_benchmark_meets_its_floors(name):
    entry = FLOORS[name]
    if not (EVAL / entry["data"]).is_dir():
        pytest.skip(f"{EVAL / entry['data']} is not here; the public data lives in ../shared/eval (present in CI)")
    module = importlib.import_module(f"benchmarks.{entry['module']}")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert module.main(entry["args"]) == 0
    got = figures(buf.getvalue())
    for key, floor in entry["floors"].items():
        assert key in got, f"{name}: the benchmark printed no {key!r}"
        assert got[key] >= floor, f"{name}: {key} {got[key]} is below its floor {floor}"
