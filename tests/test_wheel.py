"""The wheel holds everything runtime code reads and nothing of tests/; runtime code never points
into tests/ or the shared data folder beside the repository (an installed ippo has neither)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

RUNTIME_PACKAGES = ("ippo", "pipeline", "ranker", "api", "crawlers")
# Folders of data files read at run time: every file in them must ship.
RUNTIME_DATA = ("pipeline/vocab", "pipeline/data/occupations", "pipeline/warehouse/schema", "ippo/samples",
                "ippo/demo_pages", "ippo/demo_payloads")
BUILD_INPUTS = ("pyproject.toml", "README.md", *RUNTIME_PACKAGES, "benchmarks", "tests", "scripts")
FORBIDDEN = re.compile(r"tests/fixtures|\.\./shared")


def _copy_sources(into: Path) -> None:
    """The files a build reads (tests/ included, so the check that it stays out means something)."""
    into.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in BUILD_INPUTS:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=ignore)
        else:
            shutil.copy2(source, into / name)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    work = tmp_path_factory.mktemp("wheel")
    _copy_sources(work / "src")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(work / "out"),
         str(work / "src")],
        capture_output=True, text=True, timeout=600,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    [path] = (work / "out").glob("ippo-*.whl")
    return zipfile.ZipFile(path)


@pytest.mark.slow
def test_the_wheel_ships_every_runtime_data_file(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    expected = {
        path.relative_to(ROOT).as_posix()
        for folder in RUNTIME_DATA
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc")
    }
    assert {"pipeline/vocab/municipality_prefectures.json", "ippo/demo_pages/mc-nurse.html",
            "ippo/samples/profile_returning_nurse_ja.json", "pipeline/vocab/signals/career_gap_ok.toml",
            "ippo/demo_payloads/greenhouse/datadog.json.gz", "ippo/demo_payloads/SOURCES.md"} <= expected
    assert expected - names == set()


@pytest.mark.slow
def test_the_wheel_holds_nothing_of_tests(wheel: zipfile.ZipFile) -> None:
    assert [n for n in wheel.namelist() if n.startswith("tests/") or "/tests/" in n] == []


@pytest.mark.slow
def test_no_runtime_module_points_into_tests_or_the_shared_data(wheel: zipfile.ZipFile) -> None:
    modules = [n for n in wheel.namelist() if n.endswith(".py") and n.split("/")[0] in RUNTIME_PACKAGES]
    assert len(modules) > 50
    offending = [
        f"{name}:{number}: {line.strip()}"
        for name in modules
        for number, line in enumerate(wheel.read(name).decode("utf-8").splitlines(), start=1)
        if FORBIDDEN.search(line)
    ]
    assert offending == []
