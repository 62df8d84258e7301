"""Latency at a federation's size: what a person waits for in a notebook or at the command line, on the demo
database (about 7 700 enrolments, the size of a real federation). Run by `bash scripts/bench.sh`.

Each figure is the median of RUNS warm runs (one untimed run first); the model keeps a cohort's rows for
the session, so one row asks for a new cohort each run (what the first question of a cohort costs). Python calls go through the installed
`finsam` package on one open model, as a notebook would; processes are timed from spawn to exit. The
references are measured here on the same machine and file:
  - `engine`: the report's statement run by DuckDB's own Python package on an open connection (no finsam),
    the reference of `report()`;
  - `duckdb process`: `examples/duckdb_process.rs`, a process that opens the file read-only with the DuckDB
    finsam is built with, runs the same statement and prints its rows, and does nothing else. A new process
    pays DuckDB's first open and first statement (about 10 and 7 ms here) whoever runs it, so this is the
    floor a finsam command stands on."""

import itertools
import json
import os
import statistics
import subprocess
import sys
import time

import duckdb
import finsam

RUNS = int(os.environ.get("FINSAM_BENCH_RUNS", "15"))


def median_seconds(work, runs=RUNS):
    work()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def process_seconds(args, runs=RUNS):
    return median_seconds(lambda: subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), runs)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return "unknown CPU"


def main():
    finsam_bin, duckdb_process, db, out_dir = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    model = finsam.open(db, read_only=True)
    rows = []

    def row(name, seconds, target, reference=None, reference_name=""):
        rows.append({"work": name, "ms": seconds * 1000, "target_ms": target, "reference_ms": None if reference is None else reference * 1000, "reference": reference_name})

    cohort = {"federation": "umea"}
    # The engine reference: the report's own statement run by DuckDB's Python package on an open connection.
    statement = subprocess.run([finsam_bin, "report", "--db", db, "--federation", "umea", "--show-sql"], check=True, capture_output=True, text=True).stdout
    con = duckdb.connect(db, read_only=True)
    engine = median_seconds(lambda: con.execute(statement).fetchall())
    con.close()
    row("report() from Python", median_seconds(lambda: model.report(**cohort)), 10, engine, "engine")
    # The model keeps a cohort's rows for the session, so a question asked again reads nothing; a cohort
    # asked for the first time (here a new period each run, whole months) pays the read.
    new_periods = (f"{2012 + i // 12}-{i % 12 + 1:02d}-01..2024-12-31" for i in itertools.count())
    row("report() of a new cohort each run", median_seconds(lambda: model.report(period=next(new_periods), **cohort)), None, engine, "engine")
    row("compare() from Python", median_seconds(lambda: model.compare(period="2020-2021", vs="2022-2023", **cohort)), 20)
    row("costs() from Python", median_seconds(lambda: model.costs(**cohort)), 15)
    row("survival() from Python", median_seconds(lambda: model.survival(**cohort)), 10)
    chart = lambda: model.chart("outcomes", **cohort)  # noqa: E731
    row("chart('outcomes') as SVG", median_seconds(lambda: chart().svg()), 60)
    row("chart('outcomes') as PNG", median_seconds(lambda: chart().save(os.path.join(out_dir, "bench.png"), overwrite=True)), 120)


    row("finsam sql 'select 1' (process)", process_seconds([finsam_bin, "sql", "--db", db, "SELECT 1"]), None,
        process_seconds([duckdb_process, db, "SELECT 1"]), "duckdb process")
    row("finsam report (process)", process_seconds([finsam_bin, "report", "--db", db, "--federation", "umea"]), None,
        process_seconds([duckdb_process, db, statement]), "duckdb process")
    charts_dir = os.path.join(out_dir, "charts")
    row("finsam charts, all eight (process)", process_seconds([finsam_bin, "charts", "--db", db, "--out", charts_dir, "--force"], max(3, RUNS // 3)), 500)

    print(f"machine: {cpu_model()}, {os.cpu_count()} cores; medians of {RUNS} warm runs")
    width = max(len(r["work"]) for r in rows)
    print(f"{'':<{width}} {'ms':>9} {'target':>8} {'reference ms':>13} {'ratio':>7}")
    for r in rows:
        target = "-" if r["target_ms"] is None else f"{r['target_ms']:.0f}"
        ref = "-" if r["reference_ms"] is None else f"{r['reference_ms']:.1f}"
        ratio = "-" if r["reference_ms"] is None else f"{r['ms'] / r['reference_ms']:.2f}x"
        print(f"{r['work']:<{width}} {r['ms']:>9.1f} {target:>8} {ref:>13} {ratio:>7}")
    with open(os.path.join(out_dir, "latency.json"), "w") as f:
        json.dump(rows, f, indent=1)


if __name__ == "__main__":
    main()
