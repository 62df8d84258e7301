"""Peak memory and time of importing one large participants file, against the file's size.

A federation's files are small; this measures what a file at the import's size limit would need, so that the
limit stays one a 4 GB machine can import. Usage:

    python benches/import_memory.py FINSAM_BINARY WORK_DIR [MEGABYTES]

It writes a CSV of valid personnummer (about 36 bytes a row) once, imports it into a new database under
/usr/bin/time -v, and prints the file's size, the peak resident memory, their ratio and the wall time.
"""

import os
import random
import re
import subprocess
import sys
import time


def control_digit(nine: str) -> int:
    total = 0
    for i, ch in enumerate(nine):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d // 10 + d % 10
    return (10 - total % 10) % 10


def write_people(path: str, megabytes: int) -> None:
    rng = random.Random(1)
    target = megabytes << 20
    educations = ["gymnasieskola", "grundskola", "post_secondary", ""]
    seen = set()
    with open(path, "w", encoding="utf-8") as f:
        f.write("personnummer;förbund;utbildning\n")
        written = 0
        while written < target:
            year = rng.randint(1940, 2005)
            month = rng.randint(1, 12)
            day = rng.randint(1, 28)
            serial = rng.randint(0, 999)
            nine = f"{year % 100:02d}{month:02d}{day:02d}{serial:03d}"
            number = f"{year}{month:02d}{day:02d}-{serial:03d}{control_digit(nine)}"
            if number in seen:
                continue
            seen.add(number)
            line = f"{number};umea;{rng.choice(educations)}\n"
            f.write(line)
            written += len(line.encode())


def main() -> None:
    finsam, work = sys.argv[1], sys.argv[2]
    megabytes = int(sys.argv[3]) if len(sys.argv) > 3 else 120
    os.makedirs(work, exist_ok=True)
    people = os.path.join(work, f"deltagare-{megabytes}mb.csv")
    if not os.path.exists(people):
        write_people(people, megabytes)
    db = os.path.join(work, "import.duckdb")
    for leftover in (db, db + ".wal"):
        if os.path.exists(leftover):
            os.remove(leftover)
    subprocess.run([finsam, "demo", "--db", db], check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ, FINSAM_KEY="a benchmark key, kept elsewhere 0123456789")
    started = time.monotonic()
    done = subprocess.run(
        ["/usr/bin/time", "-v", finsam, "import", "--db", db, "--kind", "participants", people],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit(f"the import failed: {done.stderr[-2000:]}")
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr).group(1))
    size = os.path.getsize(people)
    rows = sum(1 for _ in open(people, encoding="utf-8")) - 1
    print(f"import of {size / 2**20:.0f} MB ({rows} participants): peak {peak_kb / 2**20:.2f} GB, "
          f"{peak_kb * 1024 / size:.1f}x the file, {seconds:.0f} s")


if __name__ == "__main__":
    main()
