"""Every notebook in notebooks/ runs top to bottom in a real Jupyter kernel, and is stored without outputs."""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("finsam", reason="install the package with scripts/python-install.sh")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks():
    assert {p.stem for p in NOTEBOOKS} >= {"quickstart", "periods", "costs", "survival"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), "stored without outputs"
    nbclient.NotebookClient(nb, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # Charts show inline as SVG and PNG; tables as HTML.
    kinds = {k for o in outputs if o.output_type == "execute_result" for k in o.get("data", {})}
    assert "text/html" in kinds
    if any("m.chart(" in c.source for c in nb.cells if c.cell_type == "code"):
        assert {"image/svg+xml", "image/png"} <= kinds
