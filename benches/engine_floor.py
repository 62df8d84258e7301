"""The engine's own time for finsam's statements: runs each SQL file (written by the benchmark with
`report_statement`, parameters inlined) in the DuckDB Python package on the same database file, read-only,
and prints its DuckDB version and the median seconds of each. This is the floor for any query finsam could send to this engine:
the benchmark compares it with pandas to show the best ratio the engine allows on this machine."""

import statistics
import sys
import time

import duckdb


def timed(con, sql: str, runs: int) -> float:
    con.execute(sql).fetchall()
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        con.execute(sql).fetchall()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def main() -> None:
    database, runs, files = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    con = duckdb.connect(database, read_only=True)
    print(duckdb.__version__, " ".join(f"{timed(con, open(f).read(), runs):.6f}" for f in files))


if __name__ == "__main__":
    main()
