"""Every analyst notebook runs in a real Jupyter kernel against a published snapshot of the fixture
pages (the end-to-end test's) with a few real WAM NET offices in its support tables, without an
error, and draws at least one figure; 05_support_map runs on the snapshot as published too, with
its support tables empty."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT
from tests.ranker.support.fixture import OFFICES, add_support_rows

jupytext = pytest.importorskip("jupytext", reason="the notebook tests need the dev extra (jupytext, nbclient)")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("matplotlib", reason="the notebooks need the analysis extra: pip install -e '.[analysis]'")

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))
CELL_TIMEOUT = 120  # seconds per cell; the notebooks take ~30 s in all on 2 idle cores
SUPPORT_MAP = ROOT / "notebooks" / "05_support_map.py"


def _figures(notebook) -> int:
    return sum(1 for cell in notebook.cells if cell.cell_type == "code"
               for output in cell.get("outputs", []) if "image/png" in output.get("data", {}))


def _stderr(notebook) -> str:
    return "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []) if output.get("name") == "stderr")


def _run(path: Path, snapshot: Path, home: Path, monkeypatch: pytest.MonkeyPatch):
    # The notebooks read $IPPO_SNAPSHOT (their parameter left empty), as `ippo notebooks` passes it.
    monkeypatch.setenv("IPPO_SNAPSHOT", str(snapshot))
    monkeypatch.setenv("IPPO_HOME", str(home))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = jupytext.read(path)
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=CELL_TIMEOUT,
                                     resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, on any error
    assert _figures(notebook) >= 1, f"{path.name} drew no figure (no image/png output)"
    assert "Glyph" not in _stderr(notebook), f"{path.name} drew text its font has no glyphs for"
    return notebook


def _stdout(notebook) -> str:
    return "".join(output.get("text", "") for cell in notebook.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []) if output.get("name") == "stdout")


def _latest(published: Path) -> Path:
    snapshots = sorted((published / "serving").glob("*.duckdb"))
    assert snapshots, "the published fixture has no snapshot"
    return snapshots[-1]


@pytest.fixture(scope="module")
def with_support(published: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the published fixture snapshot whose support tables hold the real offices."""
    copy = tmp_path_factory.mktemp("notebooks") / _latest(published).name
    shutil.copyfile(_latest(published), copy)
    con = duckdb.connect(str(copy))
    try:
        add_support_rows(con)
    finally:
        con.close()
    return copy


def test_the_notebooks_are_found() -> None:
    assert [p.stem for p in NOTEBOOKS][:5] == ["01_coverage", "02_supportive_signals", "03_pay_and_hours",
                                              "04_ranker_quality", "05_support_map"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_and_draws(path: Path, published: Path, with_support: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    notebook = _run(path, with_support, published, monkeypatch)
    if path == SUPPORT_MAP:
        out = _stdout(notebook)
        assert "no support data loaded" not in out
        assert f"support offices: {len(OFFICES)} in 2 prefectures" in out


def test_support_map_without_support_data_says_so_and_draws(published: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    with duckdb.connect(str(_latest(published)), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM support_offices").fetchall() == [(0,)]
    notebook = _run(SUPPORT_MAP, _latest(published), published, monkeypatch)
    assert "no support data loaded: this snapshot holds no support office" in _stdout(notebook)
    assert _figures(notebook) >= 3, "the map, the bars and the table per service are drawn without support data"


def test_ippo_notebooks_starts_jupyterlab_on_the_current_snapshot(published: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ippo.cli import build_app
    from ippo.commands import notebooks as command

    started: dict[str, object] = {}

    def fake_launch(cmd: list[str], env: dict[str, str]) -> int:
        started.update(cmd=cmd, env=env)
        return 0

    monkeypatch.setenv("IPPO_HOME", str(published))
    monkeypatch.setattr(command, "launch", fake_launch)
    result = CliRunner().invoke(build_app("notebooks"), ["notebooks", "--no-browser", "--port", "8899"])
    assert result.exit_code == 0, result.output
    env = started["env"]
    assert isinstance(env, dict)
    snapshot = Path(env["IPPO_SNAPSHOT"])
    assert snapshot.parent == (published / "serving").resolve() and snapshot.is_file()
    assert started["cmd"][1:3] == ["-m", "jupyterlab"]
    assert "--no-browser" in started["cmd"] and "--port=8899" in started["cmd"]
    assert f"--ServerApp.root_dir={ROOT / 'notebooks'}" in started["cmd"]


def test_ippo_notebooks_without_the_analysis_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ippo.cli import build_app
    from ippo.commands import notebooks as command

    monkeypatch.setattr(command, "missing_modules", lambda: ["jupyterlab", "matplotlib"])
    monkeypatch.setattr(command, "launch", lambda cmd, env: pytest.fail("JupyterLab started without its extra"))
    result = CliRunner().invoke(build_app("notebooks"), ["notebooks"])
    assert result.exit_code == 2
    assert "analysis extra (jupyterlab, matplotlib not installed)" in result.output
    assert "pip install -e '.[analysis]'" in result.output


def test_ippo_notebooks_without_a_snapshot_says_how_to_make_one(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ippo.cli import build_app
    from ippo.commands import notebooks as command

    monkeypatch.setenv("IPPO_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(command, "launch", lambda cmd, env: pytest.fail("JupyterLab started without a snapshot"))
    result = CliRunner().invoke(build_app("notebooks"), ["notebooks"])
    assert result.exit_code == 2
    assert "run `ippo demo` or `ippo refresh` first" in result.output
