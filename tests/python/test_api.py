"""The Python package: the API, zero-copy interop, display methods, errors, and interrupting a query."""

import _thread
import threading
import time

import pytest

finsam = pytest.importorskip("finsam", reason="install the package with scripts/python-install.sh")

import duckdb  # noqa: E402
import pandas  # noqa: E402
import polars  # noqa: E402
import pyarrow  # noqa: E402


@pytest.fixture(scope="module")
def model():
    return finsam.demo()


def test_demo_sql_and_params(model):
    t = model.sql("SELECT intervention_id, age_min, age_max FROM intervention WHERE intervention_id = ?", ["comung"])
    assert isinstance(t, finsam.Table)
    assert t.num_rows == 1 and len(t) == 1
    assert t.columns == ["intervention_id", "age_min", "age_max"]
    assert t.to_arrow().to_pylist() == [{"intervention_id": "comung", "age_min": 18, "age_max": 25}]
    assert model.synthetic is True
    assert model.schema_version == finsam.schema_version()
    assert model.path is None


def test_zero_copy_interop_gives_the_cores_values(model):
    t = model.sql("SELECT participant_id, birth_year, sex FROM participant ORDER BY participant_id LIMIT 500")
    arrow = pyarrow.table(t)
    assert arrow.num_rows == 500
    rows = t.to_arrow().to_pylist()
    assert polars.DataFrame(t).to_dicts() == rows
    assert t.to_polars().to_dicts() == rows
    assert t.to_pandas().to_dict("records") == rows
    # duckdb reads the Python object through the same capsule.
    tbl = t  # noqa: F841 - duckdb's replacement scan finds it by name
    assert duckdb.sql("SELECT count(*) FROM tbl").fetchall() == [(500,)]
    # The core's own figure and the Arrow copy agree.
    assert sum(r["birth_year"] for r in rows) == model.sql(
        "SELECT sum(birth_year) FROM (SELECT birth_year FROM participant ORDER BY participant_id LIMIT 500)"
    ).to_arrow().column(0)[0].as_py()


def test_report_compare_survival_costs_allocate(model):
    report = model.report(intervention="comung", period="2022-2023")
    assert isinstance(report, finsam.Output) and len(report) == 6
    outcomes = report["Utfall"].to_arrow().to_pylist()
    assert outcomes[0]["measure"] == "work_or_studies"
    assert 0 < outcomes[0]["ci_low"] < outcomes[0]["share"] < outcomes[0]["ci_high"] < 1
    english = model.report(intervention="comung", lang="en", raw=True)
    assert "[RAW" in english[2].title and english[2].suppressed is False
    comparison = model.compare(intervention="comung", period="2020-2021", vs="2022-2023")
    first = comparison[0].to_arrow().to_pylist()[0]
    assert first["difference"] > 0 and first["p_value"] < 0.05
    survival = model.survival(intervention="spanga-tensta", period="2014-03-01..2014-03-31", months=[12], raw=True)
    assert survival[0].to_arrow().to_pylist()[0]["share"] == pytest.approx(43 / 150, abs=1e-12)
    # Protected (the default): perturbed counts, within the documented error.
    protected = model.survival(intervention="spanga-tensta", period="2014-03-01..2014-03-31", months=[12])
    assert protected[0].protection == "perturbation" and "±2" in protected[0].note
    assert protected[0].to_arrow().to_pylist()[0]["share"] == pytest.approx(43 / 150, abs=4 / 148)
    suppressed = model.report(intervention="krami", period="2022-2023", protection="suppression")
    assert suppressed[0].protection == "suppression"
    with pytest.raises(finsam.InvalidArgumentError, match="contradict"):
        model.report(intervention="krami", protection="suppression", raw=True)
    with pytest.raises(finsam.InvalidArgumentError, match="expected perturbation"):
        model.report(intervention="krami", protection="none")
    costs = model.costs(federation="lund", period="2022-2023")
    assert len(costs) == 4
    allocation = model.allocate(2024)
    assert allocation[0].num_rows == 9


def test_display_methods(model):
    t = model.sql("SELECT * FROM participant")
    html = t._repr_html_()
    assert html.count("<tr>") == 21  # the header and 20 rows
    assert "20 of" in html and "NOT protected" in html
    board = model.report(intervention="krami", period="2022-2023")
    assert "Antal 1–4 visas aldrig" in board[0]._repr_html_()
    english = model.report(intervention="krami", period="2022-2023", lang="en", protection="suppression")
    assert "&lt;5 = 1–4 people" in english[0]._repr_html_()
    assert "<h4>" in board._repr_html_()
    chart = model.chart("pyramid", intervention="krami", period="2022-2023")
    bundle = chart._repr_mimebundle_()
    assert bundle["image/svg+xml"].startswith("<svg") and bundle["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    only_png = chart._repr_mimebundle_(include=["image/png"])
    assert "image/svg+xml" not in only_png and "image/png" in only_png
    assert "image/png" not in chart._repr_mimebundle_(exclude=["image/png"])
    assert "Antal 1–4 visas aldrig" in chart.svg()
    suppressed = model.chart("pyramid", intervention="krami", period="2022-2023", protection="suppression")
    assert "&lt;5" in suppressed.svg() or "&gt;..&lt;" in suppressed.svg() or ">..<" in suppressed.svg()


def test_chart_save(model, tmp_path):
    chart = model.chart("periods", period="2020-2021", vs="2022-2023", federation="umea", lang="en")
    chart.save(tmp_path / "p.svg")
    chart.save(str(tmp_path / "p.png"))
    assert (tmp_path / "p.svg").read_text().startswith("<svg")
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(finsam.InvalidArgumentError, match=".svg or .png"):
        chart.save(tmp_path / "p.pdf")
    with pytest.raises(finsam.InvalidArgumentError, match="already exists"):
        chart.save(tmp_path / "p.svg")
    chart.save(tmp_path / "p.svg", overwrite=True)


def test_errors_are_a_hierarchy_with_clear_messages(model, tmp_path):
    with pytest.raises(finsam.UnknownNameError, match="unknown intervention 'comun'"):
        model.report(intervention="comun")
    with pytest.raises(finsam.InvalidArgumentError, match="is not a period"):
        model.report(period="last year")
    with pytest.raises(finsam.DatabaseError, match="nowhere"):
        model.sql("SELECT * FROM nowhere")
    with pytest.raises(finsam.UnknownNameError, match="chart kind"):
        model.chart("pie")
    with pytest.raises(TypeError, match="unexpected keyword 'colour'"):
        model.report(colour="blue")
    with pytest.raises(TypeError):
        model.sql(42)
    with pytest.raises(TypeError, match="intervention must be a string or a list"):
        model.report(intervention=7)
    notes = tmp_path / "notes.duckdb"
    notes.write_text("not a database")
    with pytest.raises(finsam.NotADatabaseError, match="not a DuckDB database"):
        finsam.open(notes)
    assert notes.read_text() == "not a database"
    assert issubclass(finsam.NotADatabaseError, finsam.FinsamError)


def test_file_errors_are_os_errors_and_bad_content_is_named(tmp_path):
    """A file that cannot be read is an OSError as well as a FinsamError; one that reads but is not what its
    name says is a FileFormatError naming the file."""
    assert issubclass(finsam.FileError, finsam.FinsamError) and issubclass(finsam.FileError, OSError)
    with pytest.raises(OSError, match="finsam init"):
        finsam.open(tmp_path / "missing.duckdb")
    model = finsam.open(tmp_path / "f.duckdb", create=True)
    with pytest.raises(finsam.FileError, match="absent.csv"):
        model.import_files("participants", [tmp_path / "absent.csv"], key="9f86d081884c7d659a2f")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK not really a workbook")
    with pytest.raises(finsam.FileFormatError, match="broken.xlsx: not a readable Excel workbook"):
        model.import_files("participants", [broken], key="9f86d081884c7d659a2f")
    assert model.sql("SELECT count(*) AS n FROM participant").to_arrow().to_pylist() == [{"n": 0}]


def test_a_closed_model_says_so(tmp_path):
    with pytest.raises(finsam.FileError, match="finsam init"):
        finsam.open(tmp_path / "f.duckdb")
    assert not (tmp_path / "f.duckdb").exists()
    with finsam.open(tmp_path / "f.duckdb", create=True) as m:
        assert m.sql("SELECT count(*) FROM federation").num_rows == 1
    with pytest.raises(finsam.ClosedError, match="closed"):
        m.sql("SELECT 1")
    assert "closed" in repr(m)
    reopened = finsam.open(tmp_path / "f.duckdb", read_only=True)
    assert reopened.schema_version == finsam.schema_version()


def test_ctrl_c_interrupts_a_long_query_and_the_model_survives(model):
    slow = "SELECT count(*) FROM range(1000000000000) a, range(10) b WHERE a.range % 7 = b.range"
    timer = threading.Timer(0.5, _thread.interrupt_main)
    started = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        model.sql(slow)
    elapsed = time.monotonic() - started
    timer.cancel()
    assert elapsed < 10, f"the interrupt took {elapsed:.1f} s"
    assert model.sql("SELECT 42 AS answer").to_arrow().to_pylist() == [{"answer": 42}]


def test_interrupt_from_another_thread(model):
    threading.Timer(0.5, model.interrupt).start()
    with pytest.raises(finsam.DatabaseError, match="(?i)interrupt"):
        model.sql("SELECT count(*) FROM range(1000000000000) a, range(10) b WHERE a.range % 7 = b.range")
    assert model.sql("SELECT 1").num_rows == 1


def test_a_cohort_object_carries_its_filters(model):
    c = model.cohort(intervention="comung", period="2022-2023")
    assert "comung" in repr(c)
    assert c.report().heading == model.report(intervention="comung", period="2022-2023").heading
    shares = c.outcomes().to_arrow().to_pylist()
    assert [r["measure"] for r in shares][0] == "work_or_studies"
    self_support = c.survival(event="self-support", lang="en")
    assert len(self_support) == 2 and self_support[0].num_rows == 6 and self_support[1].num_rows == 6
    assert "competing event" in self_support[1].title
    assert len(c.costs()) == 4
    assert c.chart("pyramid").title == "Inskrivningar efter kön och ålder"
    comparison = c.compare(vs="2020-2021", lang="en")
    assert len(comparison) == 2, "the shares and the cost comparison"
    costs = comparison[1].to_arrow().to_pylist()
    assert costs[0]["measure"] == "sek_per_participant_year" and costs[0]["change"] is not None


def test_import_with_validation_errors_then_export(tmp_path):
    m = finsam.open(tmp_path / "f.duckdb", create=True)
    m.close()
    demo = finsam.demo()
    key = "a federation key, kept elsewhere"
    good = tmp_path / "deltagare.csv"
    good.write_text("personnummer;förbund\n19121212-1212;lund\n", encoding="utf-8")
    assert demo.import_files("participants", [good], key=key) == {"inserted": 1, "updated": 0, "unchanged": 0}
    bad = tmp_path / "fel.csv"
    bad.write_text("personnummer;förbund\n19121212-1213;atlantis\n", encoding="utf-8")
    with pytest.raises(finsam.ValidationError) as caught:
        demo.import_files("participants", [bad], key=key)
    columns = {(e["row"], e["column"]) for e in caught.value.errors}
    assert columns == {(2, "personnummer"), (2, "förbund")}
    assert all(e["file"].endswith("fel.csv") and e["expected"] for e in caught.value.errors)
    out = tmp_path / "rapport.xlsx"
    assert demo.export("report", out, intervention="comung") == 6 and out.stat().st_size > 0
    with pytest.raises(finsam.InvalidArgumentError, match="person-level"):
        demo.export("participant", tmp_path / "p.csv")
    assert demo.forget(personnummer="19121212-1212", key=key) == 0


def test_tables_speak_to_machines_and_read_like_the_printed_table(model):
    columns = ["measure", "k_a", "n_a", "share_a", "k_b", "n_b", "share_b", "difference", "ci_low", "ci_high", "p_value"]
    sv = model.compare(intervention="comung", period="2020-2021", vs="2022-2023")[0]
    en = model.compare(intervention="comung", period="2020-2021", vs="2022-2023", lang="en")[0]
    # The same stable names in both languages; the headings as printed beside them.
    assert sv.columns == en.columns == columns
    assert sv.labels["p_value"] == "p-värde" and en.labels["p_value"] == "p-value"
    assert sv.labels["share_a"] == "andel 2020–2021"
    table = sv.to_arrow()
    assert table.schema.metadata[b"finsam.a"].decode() == "ComUng · inskrivna 2020–2021"
    assert table.schema.metadata[b"finsam.difference"] == b"share_b - share_a"
    assert table.schema.field("ci_low").metadata[b"finsam.label"] == "lägre 95 %".encode()
    # Full precision: the share is the published k over the published n, not rounded to four decimals.
    rows = table.to_pylist()
    assert [r["measure"] for r in rows][:2] == ["work_or_studies", "started_or_increased"]
    first = rows[0]
    assert first["share_a"] == first["k_a"] / first["n_a"]
    assert first["difference"] == pytest.approx(first["share_b"] - first["share_a"], abs=1e-15)
    # The notebook shows the shares as percentages with the interval, in the output's language.
    html = sv._repr_html_()
    assert "skillnad (95 % intervall)" in html and "p.e. (" in html and "rader." in html and "text-align:right" in html
    assert "Counts are" not in html and "±2" in html
    assert "rows." in en._repr_html_()
    # The text form is the printed table, unchanged: headings and four decimals.
    assert "andel 2020–2021" in repr(sv) and "work_or_studies" not in repr(sv)
    # Hidden counts: ".." or "<5" for people, null for machines.
    suppressed = model.report(intervention="krami", period="2022-2023", protection="suppression")
    hidden = [(t, c) for t in suppressed.tables for c in t.columns if t.labels[c] and None in t.to_arrow().column(c).to_pylist()]
    assert any(("<5" in repr(t) or ".." in repr(t)) for t, _ in hidden), "a hidden count to look at"
    # A machine tells which: each null of a hidden count is listed with its mark.
    for t in suppressed.tables:
        data = t.to_arrow().to_pylist()
        for row, column, mark in t.marks:
            assert data[row][column] is None and mark in ("<5", "..")
    assert any(mark == "<5" for t in suppressed.tables for _, _, mark in t.marks)


def test_every_table_is_found_by_its_id_in_either_language():
    m = finsam.demo()
    for lang in ("sv", "en"):
        report = m.report(federation="umea", lang=lang)
        assert [t.id for t in report.tables] == ["sex_age", "occupation", "outcomes", "transitions", "days", "anonymous"]
        assert report["outcomes"].title == report.tables[2].title
    socio = m.run("socio-economic", intervention="ungdomstorget", period="2022-2023")
    assert socio["actors"].id == "actors" and socio["assumptions"].num_rows > 0
    costs = m.costs(federation="umea")
    assert [t.id for t in costs.tables] == ["budget", "unit_costs", "funding_shares", "administration"]
