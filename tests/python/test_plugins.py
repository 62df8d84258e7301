"""Plugins from Python: the listing, `model.run` and `cohort.run` with checked arguments, the same output as
the command line, and the stats-sql functions against statsmodels."""

import math

import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

import finsam

from conftest import run_json


def test_plugins_are_listed_with_their_arguments():
    listing = finsam.plugins().to_arrow().to_pylist()
    assert {r["plugin"] for r in listing} == {"allocation", "stats-sql", "uppfoljning", "age-sex", "socio-economic"}
    allocation = next(r for r in listing if r["name"] == "allocation")
    assert "year (integer, required)" in allocation["arguments"]
    assert {r["name"] for r in listing if r["kind"] == "sql function"} == {
        "wilson_low", "wilson_high", "newcombe_low", "newcombe_high", "age_band"}


def test_run_checks_arguments_and_protects_counts(demo_db):
    m = finsam.open(demo_db, read_only=True)
    out = m.run("age-sex", intervention="comung", min_age=20)
    table = out[0]
    assert table.protection == "perturbation" and "±2" in table.note
    for row in table.to_arrow().to_pylist():
        for column in ("women", "men", "total"):
            assert row[column] == 0 or row[column] >= 5
    with pytest.raises(finsam.InvalidArgumentError, match=r"min_age \(integer, default 0\)"):
        m.run("age-sex", min_age="eighteen")
    with pytest.raises(finsam.PluginError, match="min_age 18 cuts through an age band: use one of 0, 20, 25"):
        m.run("age-sex", min_age=18)
    with pytest.raises(finsam.InvalidArgumentError, match="no argument 'minage'"):
        m.run("age-sex", minage=3)
    with pytest.raises(finsam.UnknownNameError, match="allocation, age-sex"):
        m.run("agesex")
    with pytest.raises(finsam.PluginError, match="no allocation inputs"):
        m.allocate(1999)
    # The model is usable after a plugin's error.
    assert m.allocate(2024)[0].num_rows == 9
    assert m.allocate(2024, max_cut=0, redistribute=True)[0].num_rows == 9


def test_cli_and_python_give_the_same_output(demo_db):
    m = finsam.open(demo_db, read_only=True)
    for python, cli in [
        (m.cohort(intervention="comung", period="2022-2023").run("age-sex", protection="suppression"),
         ["run", "age-sex", "--db", demo_db, "--intervention", "comung", "--period", "2022-2023", "--protection", "suppression"]),
        (m.allocate(2024, lang="en"), ["allocate", "--db", demo_db, "--year", "2024", "--lang", "en"]),
        (m.run("age-sex", federation="umea", min_age=20), ["run", "age-sex", "--db", demo_db, "--federation", "umea", "--min-age", "20"]),
    ]:
        printed = run_json(*cli)
        assert printed["heading"] == python.heading
        assert [s["title"] for s in printed["sections"]] == [t.title for t in python.tables]
        for section, table in zip(printed["sections"], python.tables):
            assert section["rows"] == table.to_arrow().to_pylist()


@pytest.mark.parametrize("k, n", [(0, 10), (3, 7), (65, 100), (10, 10), (1, 1000)])
def test_sql_wilson_matches_statsmodels(k, n):
    m = finsam.demo()
    low, high = m.sql("SELECT wilson_low(?, ?), wilson_high(?, ?)", [k, n, k, n]).to_arrow().to_pylist()[0].values()
    ref_low, ref_high = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert low == pytest.approx(max(ref_low, 0.0), abs=1e-12) and high == pytest.approx(min(ref_high, 1.0), abs=1e-12)


@pytest.mark.parametrize("k1, n1, k2, n2", [(56, 70, 48, 80), (9, 10, 3, 10), (0, 20, 5, 20)])
def test_sql_newcombe_matches_statsmodels(k1, n1, k2, n2):
    m = finsam.demo()
    low, high = m.sql("SELECT newcombe_low(?, ?, ?, ?), newcombe_high(?, ?, ?, ?)", [k1, n1, k2, n2] * 2).to_arrow().to_pylist()[0].values()
    ref_low, ref_high = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=0.05)
    assert low == pytest.approx(ref_low, abs=1e-9) and high == pytest.approx(ref_high, abs=1e-9)


def test_sql_functions_give_null_not_nan():
    m = finsam.demo()
    row = m.sql("SELECT wilson_low(0, 0) AS a, wilson_high(NULL, 4) AS b, newcombe_low(0, 0, 1, 2) AS c").to_arrow().to_pylist()[0]
    assert row == {"a": None, "b": None, "c": None}
    assert not any(isinstance(v, float) and math.isnan(v) for v in row.values())
    with pytest.raises(finsam.DatabaseError, match="must not exceed"):
        m.sql("SELECT wilson_low(5, 4)")


def test_national_follow_up_export_opens_in_pandas(demo_db, tmp_path):
    import pandas as pd

    m = finsam.open(demo_db, read_only=True)
    path = tmp_path / "uppfoljning.xlsx"
    assert m.export("uppfoljning", path, args={"year": 2023}) == 2
    sheets = pd.read_excel(path, sheet_name=None)
    interventions, funding = sheets.values()
    for column in ["förbund", "insats-id", "år", "nya deltagare kvinnor", "avslutade män", "anonyma deltagare kvinnor",
                   "budget staten", "utfall ESF", "budget totalt", "utfall totalt"]:
        assert column in interventions.columns
    assert set(interventions["år"].dropna().astype(int)) == {2023}
    counts = interventions[["nya deltagare kvinnor", "nya deltagare män", "avslutade kvinnor", "avslutade män"]].dropna()
    assert ((counts == 0) | (counts >= 5)).all().all()
    assert {"förbund", "år", "kommuner kr", "eget kapital kr"} <= set(funding.columns)
    # The same file from the command line.
    from conftest import run
    run("export", "--db", demo_db, "--format", "uppfoljning", "--arg", "year=2023", "--out", str(tmp_path / "cli.xlsx"))
    cli = pd.read_excel(tmp_path / "cli.xlsx", sheet_name=None)
    for a, b in zip(sheets.values(), cli.values()):
        pd.testing.assert_frame_equal(a, b)
    with pytest.raises(finsam.InvalidArgumentError, match="no argument 'yr'"):
        m.export("uppfoljning", tmp_path / "x.xlsx", args={"yr": 2023})


def test_plugin_chart_and_sus_export(demo_db, tmp_path):
    import pandas as pd

    m = finsam.open(demo_db, read_only=True)
    chart = m.chart("age-sex", intervention="comung")
    assert chart.title == "Deltagare efter ålder och kön" and chart.svg().startswith("<svg")
    m.export("sus-rapport", tmp_path / "sus.xlsx", intervention="comung", period="2022-2023")
    sheets = pd.read_excel(tmp_path / "sus.xlsx", sheet_name=None)
    assert len(sheets) == 5
    occupation = list(sheets.values())[1]
    assert list(occupation.columns) == ["sysselsättning", "före (avslutade)", "efter (avslutade)"]
    labels = list(occupation["sysselsättning"].dropna())
    assert labels[:4] == ["Förvärvsarbete", "Studier", "Aktivt arbetssökande", "Övrigt"]
    assert "±2" in labels[-1], "the protection's legend is written under the table"


def test_the_socio_economic_calculation_from_python_equals_the_command_line(demo_db, tmp_path):
    m = finsam.open(demo_db, read_only=True)
    cohort = m.cohort(intervention="ungdomstorget", period="2022-2023")
    out = cohort.run("socio-economic", horizon_years=3)
    actors = out[0].to_pandas()
    assert list(actors["actor"])[-1] == "Samhället totalt"
    assert "net_3_years" in actors.columns and out[0].labels["net_3_years"] == "netto 3 år"
    # The society row is the sum of the actors (to the krona, each rounded).
    assert abs(actors["net_3_years"].iloc[:-1].sum() - actors["net_3_years"].iloc[-1]) <= 6
    # Counts beside the money are protected.
    for title in ("Underlag: kohortens inskrivningar",):
        for n in out[title].to_pandas()["antal"]:
            assert n == 0 or n >= 5
    printed = run_json("run", "socio-economic", "--db", demo_db, "--intervention", "ungdomstorget", "--period", "2022-2023",
                       "--horizon-years", "3")
    assert [s["rows"] for s in printed["sections"]] == [t.to_arrow().to_pylist() for t in out.tables]
    # A copy of the parameters to edit; a bad edit is named by file and key.
    target = tmp_path / "p.toml"
    m.run("socio-economic-parameters", write_to=str(target))
    target.write_text(target.read_text(encoding="utf-8").replace("value = 0.03,", "value = -1,"), encoding="utf-8")
    with pytest.raises(finsam.PluginError, match=r"p\.toml: rates\.discount_rate: expected a share"):
        cohort.run("socio-economic", parameters=str(target))
