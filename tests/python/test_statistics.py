"""finsam's statistics against independent implementations: statsmodels for the Wilson interval, the
two-proportion z-test and Newcombe's interval for a difference, lifelines for Kaplan-Meier and Aalen-Johansen. The data comes
from finsam's generator; the reference numbers are computed here from rows read with plain SQL."""

import csv
import io
import math

import pytest
import pandas as pd
from lifelines import AalenJohansenFitter, KaplanMeierFitter
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from conftest import run, run_json

# finsam's JSON carries full precision (the printed table rounds proportions to four decimals and p-values
# to six): its figures must equal the references' to floating-point noise.
TOLERANCE = 1e-9
TOLERANCE_P = 1e-9
DAYS_PER_MONTH = 30.4375
COHORTS = [
    ("gen-01-0", None),
    ("gen-02-1", "2020-2021"),
    ("gen-03-2", "2022-2023"),
    ("gen-01-4", None),
    ("gen-02-5", "2016-2025"),
]


def cohort_args(intervention, period):
    args = ["--intervention", intervention]
    if period:
        args += ["--period", period]
    return args


@pytest.mark.parametrize("intervention,period", COHORTS)
def test_wilson_intervals_match_statsmodels(generated_db, intervention, period):
    report = run_json("report", "--db", generated_db, "--raw", "--lang", "en", *cohort_args(intervention, period))
    outcomes = next(s for s in report["sections"] if s["title"].startswith("Outcomes"))
    assert len(outcomes["rows"]) == 5
    for row in outcomes["rows"]:
        k, n = row["k"], row["n"]
        assert n > 50, row
        low, high = proportion_confint(k, n, alpha=0.05, method="wilson")
        assert row["share"] == pytest.approx(k / n, abs=TOLERANCE)
        assert row["ci_low"] == pytest.approx(low, abs=TOLERANCE), row["measure"]
        assert row["ci_high"] == pytest.approx(high, abs=TOLERANCE), row["measure"]


@pytest.mark.parametrize("intervention", ["gen-01-0", "gen-02-1", "gen-03-3", "gen-01-4"])
def test_period_differences_match_statsmodels(generated_db, intervention):
    result = run_json(
        "compare", "--db", generated_db, "--raw", "--lang", "en",
        "--intervention", intervention, "--period", "2020-2021", "--vs", "2022-2023",
    )
    rows = result["sections"][0]["rows"]
    checked = 0
    for row in rows:
        values = list(row.values())  # columns in finsam's order: measure, then A, then B, then the change
        k_a, n_a = row["k_a"], row["n_a"]
        k_b, n_b = row["k_b"], row["n_b"]
        diff, low, high, p = row["difference"], row["ci_low"], row["ci_high"], row["p_value"]
        assert values[1:3] == [k_a, n_a]
        if k_a in (0, n_a) and k_b in (0, n_b):
            assert p is None  # the z-test is undefined when both shares are 0 or 1
            continue
        _, p_ref = proportions_ztest([k_b, k_a], [n_b, n_a], alternative="two-sided")
        low_ref, high_ref = confint_proportions_2indep(k_b, n_b, k_a, n_a, method="newcomb", compare="diff")
        assert diff == pytest.approx(k_b / n_b - k_a / n_a, abs=TOLERANCE)
        assert p == pytest.approx(p_ref, abs=TOLERANCE_P), values[0]
        assert low == pytest.approx(low_ref, abs=TOLERANCE), values[0]
        assert high == pytest.approx(high_ref, abs=TOLERANCE), values[0]
        checked += 1
    assert checked >= 3


def durations_by_sql(db, intervention, data_end="2025-06-30"):
    """Time on the list per enrolment, straight from the rows: censored at the data's end."""
    query = f"""
        SELECT coalesce(CASE WHEN exit_date <= DATE '{data_end}' THEN exit_date END, DATE '{data_end}') - start_date AS days,
               (exit_date IS NOT NULL AND exit_date <= DATE '{data_end}')::INT AS event
        FROM enrolment WHERE intervention_id = '{intervention}' AND consent"""
    text = run("sql", "--db", db, "--format", "csv", query).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    return [float(r["days"]) for r in rows], [int(r["event"]) for r in rows]


def durations_with_entry_by_sql(db, intervention, period_start, period_end, data_end="2025-06-30"):
    """An overlap cohort (enrolled at some time in the period) straight from the rows: time from each start,
    and the entry, the days from the start to the period's first day for those who started before it. Those
    who left on that first day were never observed at risk and are not in it."""
    query = f"""
        SELECT coalesce(CASE WHEN exit_date <= DATE '{data_end}' THEN exit_date END, DATE '{data_end}') - start_date AS days,
               (exit_date IS NOT NULL AND exit_date <= DATE '{data_end}')::INT AS event,
               greatest(DATE '{period_start}' - start_date, 0) AS entry
        FROM enrolment WHERE intervention_id = '{intervention}' AND consent
          AND start_date <= DATE '{period_end}' AND (exit_date IS NULL OR exit_date >= DATE '{period_start}')
          AND NOT (start_date < DATE '{period_start}' AND exit_date = DATE '{period_start}')"""
    rows = list(csv.DictReader(io.StringIO(run("sql", "--db", db, "--format", "csv", query).stdout)))
    return [float(r["days"]) for r in rows], [int(r["event"]) for r in rows], [float(r["entry"]) for r in rows]


@pytest.mark.parametrize("intervention", ["gen-01-0", "gen-02-2", "gen-03-5"])
def test_delayed_entry_matches_lifelines(generated_db, intervention):
    """People on the list during 2022-2023, some of whom started before it: each joins the risk set at the
    period's first day (lifelines' `entry`), so those who left before the period do not bias the curve."""
    months = [1, 3, 6, 12, 18, 24, 36]
    result = run_json(
        "survival", "--db", generated_db, "--raw", "--lang", "en", "--intervention", intervention,
        "--period", "2022-2023", "--membership", "overlap", "--months", ",".join(map(str, months)),
    )
    durations, events, entries = durations_with_entry_by_sql(generated_db, intervention, "2022-01-01", "2023-12-31")
    assert any(e > 0 for e in entries), "some enrolments started before the period"
    kmf = KaplanMeierFitter().fit(durations, events, entry=entries)
    plain = KaplanMeierFitter().fit(durations, events)
    ci = kmf.confidence_interval_survival_function_
    section = result["sections"][0]
    assert "delayed entry" in section["title"]
    differs = False
    for row in section["rows"]:
        t = row["months"] * DAYS_PER_MONTH
        expected = float(kmf.survival_function_at_times(t).iloc[0])
        assert row["share"] == pytest.approx(expected, abs=TOLERANCE), row
        differs |= abs(expected - float(plain.survival_function_at_times(t).iloc[0])) > 1e-3
        at = ci[ci.index <= t].iloc[-1]
        if row["ci_low"] is not None and 0 < row["share"] < 1:
            assert row["ci_low"] == pytest.approx(float(at.iloc[0]), abs=TOLERANCE)
            assert row["ci_high"] == pytest.approx(float(at.iloc[1]), abs=TOLERANCE)
    assert differs, "delayed entry changes the curve here (else the test proves nothing)"


@pytest.mark.parametrize("intervention", ["gen-01-0", "gen-02-2", "gen-03-5", "gen-01-6"])
def test_kaplan_meier_matches_lifelines(generated_db, intervention):
    months = [1, 3, 6, 9, 12, 18, 24]
    result = run_json(
        "survival", "--db", generated_db, "--raw", "--lang", "en", "--intervention", intervention,
        "--months", ",".join(map(str, months)),
    )
    durations, events = durations_by_sql(generated_db, intervention)
    kmf = KaplanMeierFitter().fit(durations, events)
    ci = kmf.confidence_interval_survival_function_
    rows = result["sections"][0]["rows"]
    assert [r["months"] for r in rows] == months
    for row in rows:
        t = row["months"] * DAYS_PER_MONTH
        assert row["share"] == pytest.approx(float(kmf.survival_function_at_times(t).iloc[0]), abs=TOLERANCE)
        # The interval in force at t is the one of the last event time at or before t.
        at = ci[ci.index <= t].iloc[-1]
        if row["ci_low"] is not None and 0 < row["share"] < 1:
            assert row["ci_low"] == pytest.approx(float(at.iloc[0]), abs=TOLERANCE)
            assert row["ci_high"] == pytest.approx(float(at.iloc[1]), abs=TOLERANCE)
    median_months = kmf.median_survival_time_ / DAYS_PER_MONTH
    assert f"median {median_months:.1f} months" in result["heading"]


PUBLIC_SUPPORT = {
    "unemployment_insurance", "activity_support", "sickness_benefit",
    "activity_compensation", "sickness_compensation", "social_assistance",
}


def sql_frame(db, query):
    return pd.read_csv(io.StringIO(run("sql", "--db", db, "--format", "csv", query).stdout))


def self_support_by_pandas(db, intervention, data_end="2025-06-30"):
    """Time to self-support per enrolment on public support at the start, computed here from the rows: the
    event is the first date known without public support (at exit, or at a follow-up observation up to the
    data's end); otherwise the observation ends at the exit or the last follow-up after it (kind 2: left
    without self-support, the competing event) or, still enrolled, at the data's end (kind 0: censored)."""
    end = pd.Timestamp(data_end)
    e = sql_frame(db, f"""SELECT enrolment_id, start_date, exit_date, support_before, support_after
                          FROM enrolment WHERE intervention_id = '{intervention}' AND consent""")
    o = sql_frame(db, f"""SELECT o.enrolment_id, o.observed_on, o.support FROM observation o
                          JOIN enrolment e USING (enrolment_id) WHERE e.intervention_id = '{intervention}' AND e.consent""")
    for frame, columns in ((e, ["start_date", "exit_date"]), (o, ["observed_on"])):
        for column in columns:
            frame[column] = pd.to_datetime(frame[column])
    e = e[e["support_before"].isin(PUBLIC_SUPPORT)].copy()
    e["exit_known"] = e["exit_date"].where(e["exit_date"] <= end)
    o = o[o["observed_on"] <= end]
    later = o[~o["support"].isin(PUBLIC_SUPPORT)].groupby("enrolment_id")["observed_on"].min()
    last_seen = o.groupby("enrolment_id")["observed_on"].max()
    e["later"] = e["enrolment_id"].map(later)
    e["last_seen"] = e["enrolment_id"].map(last_seen)
    e["at_exit"] = e["exit_known"].where(e["support_after"].notna() & ~e["support_after"].isin(PUBLIC_SUPPORT))
    event_at = e[["at_exit", "later"]].min(axis=1)
    observed_until = e[["exit_known", "last_seen"]].max(axis=1).where(e["exit_known"].notna(), end)
    ends = event_at.fillna(observed_until)
    kind = pd.Series(0, index=e.index)
    kind[event_at.notna()] = 1
    kind[event_at.isna() & e["exit_known"].notna()] = 2
    return (ends - e["start_date"]).dt.days.astype(float), kind


@pytest.mark.parametrize("intervention", ["gen-01-0", "gen-02-2", "gen-03-5"])
def test_self_support_with_a_competing_event_matches_lifelines(generated_db, intervention):
    """The second table of time to self-support: the cumulative incidence with leaving without self-support
    as a competing event, against lifelines' AalenJohansenFitter on the same observations: the shares and
    their intervals to the printed precision."""
    months = [3, 6, 12, 18, 24, 36]
    result = run_json(
        "survival", "--db", generated_db, "--raw", "--lang", "en", "--intervention", intervention,
        "--event", "self-support", "--months", ",".join(map(str, months)),
    )
    durations, kinds = self_support_by_pandas(generated_db, intervention)
    assert (kinds == 2).sum() > 0 and (kinds == 1).sum() > 0, "both events occur (else the test proves nothing)"
    km = KaplanMeierFitter().fit(durations, kinds == 1)
    # lifelines jitters tied times of different events at random, which can move an event past those censored
    # on the same day. Break the ties here instead, the way the estimate treats them: on a day, the competing
    # events after those of interest (the order among events does not change the estimate) and the censored
    # last. Every month asked for falls at least a quarter day after a whole day, so no time crosses one.
    untied = durations + kinds.map({1: 0.0, 2: 0.25, 0: 0.5})
    aj = AalenJohansenFitter().fit(untied, kinds, event_of_interest=1)
    cif = aj.cumulative_density_.iloc[:, 0]
    ci = aj.confidence_interval_
    km_section, aj_section = result["sections"]
    assert "censored at their last observation" in km_section["title"]
    assert "competing event" in aj_section["title"] and "Aalen" in aj_section["title"]
    below_km, intervals = False, 0
    for km_row, row in zip(km_section["rows"], aj_section["rows"]):
        t = row["months"] * DAYS_PER_MONTH
        # The Kaplan-Meier table, with the competing event censored, is lifelines' plain curve.
        assert km_row["share"] == pytest.approx(float(km.survival_function_at_times(t).iloc[0]), abs=TOLERANCE)
        expected = float(cif[cif.index <= t].iloc[-1])
        assert row["incidence"] == pytest.approx(expected, abs=TOLERANCE), row
        assert row["incidence"] <= 1 - km_row["share"] + TOLERANCE
        below_km |= row["incidence"] < 1 - km_row["share"] - 1e-3
        bounds = sorted(float(x) for x in ci[ci.index <= t].iloc[-1])
        # lifelines' variance is NaN once everyone left at risk has an event (0 times infinity); finsam leaves
        # that term out, as Greenwood's variance does.
        if row["ci_low"] is not None and not any(math.isnan(b) for b in bounds):
            assert row["ci_low"] == pytest.approx(bounds[0], abs=TOLERANCE)
            assert row["ci_high"] == pytest.approx(bounds[1], abs=TOLERANCE)
            intervals += 1
    assert below_km, "the competing event lowers the estimate here (else the test proves nothing)"
    assert intervals >= len(months) - 2, "most intervals compared"


def test_the_report_statement_runs_in_duckdb_itself(demo_db):
    """`finsam report --show-sql` prints a statement DuckDB's own Python package runs on the same file,
    giving the report's totals."""
    import duckdb

    filters = ["--intervention", "comung", "--period", "2022-2023"]
    statement = run("report", "--db", demo_db, *filters, "--show-sql").stdout.strip().rstrip(";")
    con = duckdb.connect(demo_db, read_only=True)
    row = con.sql(statement).fetchall()[0]
    enrolments, participants = row[0], row[2]  # the second column is the enrolments' cell key
    con.close()
    heading = run_json("report", "--db", demo_db, *filters, "--raw")["heading"]
    assert f"({enrolments} inskrivningar" in heading
    assert 0 < participants <= enrolments
    # The Python package hands out the same statement.
    import finsam

    with finsam.open(demo_db, read_only=True) as model:
        assert model.report_sql(intervention="comung", period="2022-2023") + ";" == run("report", "--db", demo_db, *filters, "--show-sql").stdout.strip()
        assert model.cohort(intervention="comung", period="2022-2023").report_sql().startswith("WITH c AS")


@pytest.mark.parametrize("intervention,months", [("gen-01-0", 12), ("gen-02-2", 6), ("gen-03-5", 24)])
def test_a_fixed_follow_up_window_matches_a_direct_computation(generated_db, intervention, months):
    """--follow-up W: only enrolments that started at least W months before the data's end, and an exit
    counted only within W months of the start; checked against pandas on the rows."""
    import pandas as pd

    data_end = pd.Timestamp("2025-06-30")
    query = f"""SELECT start_date, exit_date, occupation_after FROM enrolment
                WHERE intervention_id = '{intervention}' AND consent"""
    rows = pd.read_csv(io.StringIO(run("sql", "--db", generated_db, "--format", "csv", query).stdout),
                       parse_dates=["start_date", "exit_date"])
    window_end = rows["start_date"] + pd.DateOffset(months=months)
    followed = rows[window_end <= data_end].copy()
    exited = followed["exit_date"].notna() & (followed["exit_date"] <= window_end[followed.index]) & (followed["exit_date"] <= data_end)
    work_or_studies = exited & followed["occupation_after"].isin(["work", "studies"])
    report = run_json("report", "--db", generated_db, "--raw", "--lang", "en", "--intervention", intervention,
                      "--follow-up", str(months))
    assert f"followed {months} months from start" in report["heading"]
    outcomes = {r["measure"]: r for r in next(s for s in report["sections"] if s["title"].startswith("Outcomes"))["rows"]}
    assert (outcomes["work_or_studies"]["k"], outcomes["work_or_studies"]["n"]) == (int(work_or_studies.sum()), int(exited.sum()))
    assert (outcomes["still_enrolled"]["k"], outcomes["still_enrolled"]["n"]) == (int((~exited).sum()), len(followed))
    without = run_json("report", "--db", generated_db, "--raw", "--lang", "en", "--intervention", intervention)
    assert "followed" not in without["heading"]
