//! The floor a finsam command is measured against (`scripts/bench.sh`, latency): a process that opens a
//! DuckDB file read-only with the DuckDB finsam is built with, runs one statement and prints its rows, and
//! nothing else. Whatever a finsam command takes beyond this is finsam's own.
//!
//! `duckdb_process DB SQL`

use duckdb::arrow::util::display::array_value_to_string;
use duckdb::{AccessMode, Config, Connection};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(db), Some(sql)) = (args.next(), args.next()) else {
        return Err("usage: duckdb_process DB SQL".into());
    };
    let conn = Connection::open_with_flags(db, Config::default().access_mode(AccessMode::ReadOnly)?)?;
    let mut statement = conn.prepare(&sql)?;
    for batch in statement.query_arrow([])? {
        for row in 0..batch.num_rows() {
            let cells = batch.columns().iter().map(|column| array_value_to_string(column, row)).collect::<Result<Vec<_>, _>>()?;
            println!("{}", cells.join("\t"));
        }
    }
    Ok(())
}
