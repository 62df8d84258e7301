"""The standard report and a period comparison in pandas, from Parquet exports of the enrolment and
participant tables. Prints the median seconds of the report and of the comparison. Reading the files is
not timed; joining them is, as it is for finsam and the hand-written query."""

import statistics
import sys
import time

import pandas as pd

PUBLIC = ["unemployment_insurance", "activity_support", "sickness_benefit", "activity_compensation",
          "sickness_compensation", "social_assistance"]
DATA_END = pd.Timestamp("2025-06-30")
BANDS = [0, 20, 25, 30, 40, 50, 60, 200]
LABELS = ["16–19", "20–24", "25–29", "30–39", "40–49", "50–59", "60–"]


def report(enrolment: pd.DataFrame, participant: pd.DataFrame) -> dict:
    c = enrolment[enrolment["consent"]].merge(participant[["participant_key", "sex", "birth_year"]], on="participant_key")
    exit_known = c["exit_date"].where(c["exit_date"] <= DATA_END)
    exited = exit_known.notna()
    x = c[exited]
    work_or_studies = x["occupation_after"].isin(["work", "studies"])
    increased = work_or_studies & (~x["occupation_before"].isin(["work", "studies"])
                                   | (x["extent_after_pct"].fillna(0) > x["extent_before_pct"].fillna(0)))
    days = (exit_known[exited] - c.loc[exited, "start_date"]).dt.days
    age = c["start_date"].dt.year - c["birth_year"]
    return {
        "enrolments": len(c),
        "participants": c["participant_key"].nunique(),
        "exits": int(exited.sum()),
        "work_or_studies": int(work_or_studies.sum()),
        "started_or_increased": int(increased.sum()),
        "self_supporting": int((~x["support_after"].isin(PUBLIC)).sum()),
        "unsubsidised_work": int(((x["occupation_after"] == "work") & ~x["subsidised_work_after"].fillna(False).astype(bool)).sum()),
        "still_enrolled": int((~exited).sum()),
        "quartiles": days.quantile([0.25, 0.5, 0.75]).tolist(),
        "by_sex_age": pd.crosstab(pd.cut(age, BANDS, right=False, labels=LABELS), c["sex"]),
        "occupation_before": x["occupation_before"].value_counts(),
        "occupation_after": x["occupation_after"].value_counts(),
        "transitions": pd.crosstab(x["support_before"], x["support_after"]),
    }


def timed(work, runs: int) -> float:
    work()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main() -> None:
    enrolment = pd.read_parquet(sys.argv[1])
    participant = pd.read_parquet(sys.argv[2])
    for column in ["start_date", "exit_date"]:
        enrolment[column] = pd.to_datetime(enrolment[column])
    runs = int(sys.argv[3])

    def compare():
        starts = enrolment["start_date"]
        first = enrolment[(starts >= "2020-01-01") & (starts <= "2021-12-31")]
        second = enrolment[(starts >= "2022-01-01") & (starts <= "2023-12-31")]
        return report(first, participant), report(second, participant)

    print(timed(lambda: report(enrolment, participant), runs), timed(compare, runs))


if __name__ == "__main__":
    main()
