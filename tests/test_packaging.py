"""The wheel built from the repository holds every file the package reads, installs, and builds a kb (issue #8, part 6).

The wheel is built from a copy of the sources (so no build/ or egg-info lands in the tree) without
build isolation (no network: the test environment's setuptools builds it). It is installed with
``--no-deps`` into a fresh virtual environment whose only other packages are the test
environment's dependencies (spaCy, torch ...), reached through a ``.pth`` line naming their
site-packages folder: that folder's own ``.pth`` files are not run, so an editable install of the
source tree there stays out of sight, and ``tessera`` can only come from the wheel (checked).
"""
from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = REPO / "src" / "tessera"
EXAMPLES = REPO / "examples" / "corpus"


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, env=env, timeout=600, **kwargs)


def _data_files() -> set[str]:
    """Every file of the package that is not Python source: lexicons, models, codes, templates, static files."""
    return {f"tessera/{p.relative_to(PACKAGE).as_posix()}" for p in PACKAGE.rglob("*")
            if p.is_file() and p.suffix not in (".py", ".pyc") and "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    shutil.copy(REPO / "pyproject.toml", source)
    shutil.copy(REPO / "README.md", source)
    shutil.copytree(REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    dist = tmp_path_factory.mktemp("dist")
    done = _run(sys.executable, "-m", "pip", "wheel", source, "--no-deps", "--no-build-isolation", "--no-index",
                "-w", dist)
    assert done.returncode == 0, done.stderr[-3000:]
    (found,) = dist.glob("tessera-*.whl")
    return found


@pytest.mark.slow
def test_the_wheel_holds_every_data_file_the_package_reads(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"tessera/analyze/lexicons/cues.json", "tessera/analyze/models/roles/roles.safetensors",
            "tessera/export/gtd_codes.json", "tessera/web/templates/document.html"} <= _data_files()
    missing = sorted(_data_files() - names)
    assert not missing, f"package-data in pyproject.toml leaves out {missing}"
    sources = {f"tessera/{p.relative_to(PACKAGE).as_posix()}" for p in PACKAGE.rglob("*.py")
               if "__pycache__" not in p.parts}
    assert not sources - names


@pytest.mark.slow
def test_the_installed_wheel_builds_the_examples(wheel, tmp_path):
    venv = tmp_path / "venv"
    done = _run(sys.executable, "-m", "venv", "--without-pip", venv)
    assert done.returncode == 0, done.stderr
    python = venv / "bin" / "python"
    own = _run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    ours = [p for p in {*site.getsitepackages(), sysconfig.get_paths()["purelib"]} if Path(p).is_dir()]
    Path(own, "test-environment-dependencies.pth").write_text("\n".join(ours) + "\n")
    done = _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", wheel)
    assert done.returncode == 0, done.stderr[-3000:]

    where = _run(python, "-c", "import tessera, sys; print(tessera.__file__)", cwd=tmp_path).stdout.strip()
    assert Path(where).is_relative_to(venv), f"tessera imported from {where}, not from the wheel"

    kb = tmp_path / "kb.db"
    done = _run(venv / "bin" / "tessera", "build", kb, EXAMPLES, cwd=tmp_path)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-3000:])
    assert "8 added, 0 unchanged, 0 failed" in done.stdout + done.stderr
    done = _run(venv / "bin" / "tessera", "profile", kb, "GLA", cwd=tmp_path)
    assert done.returncode == 0 and "Gourma Liberation Army" in done.stdout, done.stderr[-2000:]
