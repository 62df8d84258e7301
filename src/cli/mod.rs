//! The `finsam` command line: argument parsing and printing only. Every figure comes from the core.

mod demo;
mod generate;
mod info;
mod sql;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::Result;
use crate::model::Model;
use crate::table::{Format, Table};

#[derive(Parser)]
#[command(name = "finsam", version, about = "Open analytics for Swedish Finsam federations (samordningsförbund)",
          long_about = "finsam keeps a federation's participants, interventions and money in one DuckDB database \
                        and compares cost and outcomes across interventions and periods.")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the synthetic demo federations of the founding documents into a new database.
    Demo(demo::Args),
    /// Generate a large synthetic model (for benchmarks), set-based inside DuckDB.
    Generate(generate::Args),
    /// Run SQL against a database and print the result.
    Sql(sql::Args),
    /// Show what a database holds: federations, interventions, periods, row counts, schema version.
    Info(info::Args),
}

/// The database path every subcommand takes.
#[derive(clap::Args)]
struct DbArg {
    /// The DuckDB database file.
    #[arg(long, value_name = "PATH")]
    db: PathBuf,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // --help and --version land here too, and exit 0.
            let code = err.exit_code();
            let _ = err.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Generate(args) => generate::run(args),
        Command::Sql(args) => sql::run(args),
        Command::Info(args) => info::run(args),
    };
    match result {
        Ok(()) => 0,
        Err(err) => {
            let line = err.to_string().replace('\n', " ");
            let _ = writeln!(std::io::stderr(), "error: {line}");
            1
        }
    }
}

/// Prints a table in the chosen format; a synthetic database says so (after a text table, or on stderr
/// so that CSV and JSON stay machine-readable).
fn print_table(model: &Model, table: &Table, format: Format) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let rendered = table.render(format)?;
    let _ = write!(out, "{rendered}");
    if !rendered.ends_with('\n') {
        let _ = writeln!(out);
    }
    if model.is_synthetic()? {
        let note = synthetic_note(model)?;
        match format {
            Format::Table => {
                let _ = writeln!(out, "{note}");
            }
            Format::Csv | Format::Json => eprintln!("{note}"),
        }
    }
    Ok(())
}

fn synthetic_note(model: &Model) -> Result<String> {
    let note = model.dataset_info("note_sv")?.unwrap_or_else(|| crate::demo::SYNTHETIC_NOTE_SV.to_string());
    Ok(format!("OBS! {note}"))
}
