"""The standard report and a period comparison in polars (lazy API, all cores), from the same Parquet exports
pandas reads. Prints the median seconds of the report and of the comparison. The files are read into memory
first and not timed; the join is timed, as it is for finsam, the hand-written query and pandas."""

import statistics
import sys
import time
from datetime import date

import polars as pl

PUBLIC = ["unemployment_insurance", "activity_support", "sickness_benefit", "activity_compensation",
          "sickness_compensation", "social_assistance"]
DATA_END = date(2025, 6, 30)
WORK_OR_STUDIES = ["work", "studies"]


def report_plan(enrolment: pl.LazyFrame, participant: pl.LazyFrame) -> list[pl.LazyFrame]:
    c = (enrolment.filter(pl.col("consent"))
         .join(participant.select("participant_key", "sex", "birth_year"), on="participant_key")
         .with_columns(exit_known=pl.when(pl.col("exit_date") <= DATA_END).then(pl.col("exit_date")),
                       age=pl.col("start_date").dt.year() - pl.col("birth_year")))
    exited = pl.col("exit_known").is_not_null()
    ws = pl.col("occupation_after").is_in(WORK_OR_STUDIES)
    increased = ws & (~pl.col("occupation_before").is_in(WORK_OR_STUDIES)
                      | (pl.col("extent_after_pct").fill_null(0) > pl.col("extent_before_pct").fill_null(0)))
    days = (pl.col("exit_known") - pl.col("start_date")).dt.total_days()
    totals = c.select(
        enrolments=pl.len(),
        participants=pl.col("participant_key").n_unique(),
        exits=exited.sum(),
        work_or_studies=(exited & ws).sum(),
        started_or_increased=(exited & increased).sum(),
        self_supporting=(exited & ~pl.col("support_after").is_in(PUBLIC)).sum(),
        unsubsidised_work=(exited & (pl.col("occupation_after") == "work") & ~pl.col("subsidised_work_after").fill_null(False)).sum(),
        still_enrolled=(~exited).sum(),
        q1=days.filter(exited).quantile(0.25, "linear"),
        median=days.filter(exited).quantile(0.5, "linear"),
        q3=days.filter(exited).quantile(0.75, "linear"),
    )
    band = pl.col("age").cut([20, 25, 30, 40, 50, 60], left_closed=True)
    x = c.filter(exited)
    return [
        totals,
        c.group_by(band.alias("band"), "sex").len(),
        x.group_by("occupation_before").len(),
        x.group_by("occupation_after").len(),
        x.group_by("support_before", "support_after").len(),
    ]


def run(plans: list[pl.LazyFrame]) -> list[pl.DataFrame]:
    return pl.collect_all(plans)


def timed(work, runs: int) -> float:
    work()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main() -> None:
    enrolment = pl.read_parquet(sys.argv[1]).lazy()
    participant = pl.read_parquet(sys.argv[2]).lazy()
    runs = int(sys.argv[3])
    starts = pl.col("start_date")
    first = enrolment.filter(starts.is_between(date(2020, 1, 1), date(2021, 12, 31)))
    second = enrolment.filter(starts.is_between(date(2022, 1, 1), date(2023, 12, 31)))
    report = timed(lambda: run(report_plan(enrolment, participant)), runs)
    compare = timed(lambda: run(report_plan(first, participant) + report_plan(second, participant)), runs)
    print(report, compare)


if __name__ == "__main__":
    main()
