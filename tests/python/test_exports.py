"""Files finsam writes, read back the way a spreadsheet user's tools read them."""

import csv
import shutil

from conftest import run


def test_a_formula_in_a_name_is_neutralised_in_every_csv(demo_db, tmp_path):
    db = tmp_path / "formula.duckdb"
    shutil.copy(demo_db, db)
    formula = '=HYPERLINK("http://example.invalid","klicka")'
    run("sql", "--write", "--db", str(db), f"UPDATE intervention SET name = '{formula.replace(chr(39), chr(39) * 2)}' WHERE intervention_id = 'krami'")
    out = tmp_path / "insatser.csv"
    run("export", "--db", str(db), "--what", "intervention", "--out", str(out))
    with open(out, newline="", encoding="utf-8") as f:
        names = [row["name"] for row in csv.DictReader(f)]
    assert "'" + formula in names and formula not in names
    # The same in what the command line prints as CSV.
    printed = run("sql", "--db", str(db), "--format", "csv", "SELECT name FROM intervention WHERE intervention_id = 'krami'").stdout
    assert list(csv.reader(printed.splitlines()))[1] == ["'" + formula]
