//! The `finsam` command line: argument parsing and printing only. Every figure comes from the core.

mod board;
mod chart;
mod cohort_args;
mod compare;
mod costs;
mod demo;
mod generate;
mod import;
mod info;
mod options;
mod plugins;
mod report;
mod sql;
mod survival;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use finsam::error::Result;
use finsam::model::Model;
use finsam::present::section::TitledTable;
use finsam::table::{Format, Table};

#[derive(Parser)]
#[command(
    name = "finsam",
    version,
    about = "Open analytics for Swedish Finsam federations (samordningsförbund)",
    long_about = "finsam keeps a federation's participants, interventions and money in one DuckDB database \
                        and compares cost and outcomes across interventions and periods."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the synthetic demo federations of the founding documents into a new database.
    Demo(demo::Args),
    /// Create a new, empty database (readable by its owner only) to import a federation's files into.
    Init(demo::InitArgs),
    /// Generate a large synthetic model (for benchmarks), set-based inside DuckDB.
    Generate(generate::Args),
    /// Run SQL against a database and print the result.
    Sql(sql::Args),
    /// Show what a database holds: federations, interventions, periods, row counts, schema version.
    Info(info::Args),
    /// The standard participant report (SUS's) for a cohort; protected for boards unless --raw.
    Report(report::Args),
    /// Compare two cohorts: --period A --vs B, or --vs-intervention / --vs-federation.
    Compare(compare::Args),
    /// Time to exit or to self-support (Kaplan–Meier), with the share still without it after N months.
    Survival(survival::Args),
    /// Budget against actual, cost per participant and per outcome, funding shares against 50/25/25.
    Costs(costs::Args),
    /// The plugins and what they add: analyses, SQL functions, tables.
    Plugins(plugins::ListArgs),
    /// Run a plugin analysis: `finsam run NAME --db F [cohort filters] [--ARG ...]` (`finsam run` lists
    /// them). `finsam allocate` is `finsam run allocation` (the state allocation model).
    Run(plugins::RunArgs),
    /// Import participants or enrolments from CSV (validated; all or nothing; personnummer pseudonymised).
    Import(import::Args),
    /// Remove a person and every row about them.
    Forget(import::ForgetArgs),
    /// The pseudonym key: `finsam key new --out FILE` writes a new one.
    Key(import::KeyArgs),
    /// Write an empty import template (.xlsx with an explanation sheet, or .csv).
    Template(import::TemplateArgs),
    /// Export a table or an analysis to CSV, XLSX or Parquet (protected unless --raw).
    Export(import::ExportArgs),
    /// The board report: one federation, one period against another, as one HTML file (protected).
    BoardReport(board::Args),
    /// Draw one chart to an SVG or PNG file.
    Chart(chart::Args),
    /// Draw the whole chart set (every kind, SVG and PNG) into a directory.
    Charts(chart::SetArgs),
}

/// The database path every subcommand takes.
#[derive(clap::Args)]
pub(crate) struct DbArg {
    /// The DuckDB database file.
    #[arg(long, value_name = "PATH")]
    pub(crate) db: PathBuf,
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    // Output into a closed pipe (`finsam info | head`) ends the program quietly, as other commands do,
    // instead of a panic with a backtrace.
    #[cfg(unix)]
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // `finsam allocate ...` is the allocation plugin's analysis under its short name (`finsam allocate` reads as what it does).
    let mut argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if argv.get(1).is_some_and(|a| a == "allocate") {
        argv.splice(1..2, ["run".into(), "allocation".into()]);
    }
    let cli = match Cli::try_parse_from(argv) {
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
        Command::Init(args) => demo::init(args),
        Command::Generate(args) => generate::run(args),
        Command::Sql(args) => sql::run(args),
        Command::Info(args) => info::run(args),
        Command::Report(args) => report::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Survival(args) => survival::run(args),
        Command::Costs(args) => costs::run(args),
        Command::Plugins(args) => plugins::list(args),
        Command::Run(args) => plugins::run(args),
        Command::Import(args) => import::run(args),
        Command::Forget(args) => import::forget(args),
        Command::Key(args) => import::key_command(args),
        Command::Template(args) => import::template(args),
        Command::Export(args) => import::export(args),
        Command::BoardReport(args) => board::run(args),
        Command::Chart(args) => chart::run(args),
        Command::Charts(args) => chart::run_set(args),
    };
    match result {
        Ok(()) => 0,
        Err(finsam::error::FinsamError::Validation { errors, total }) => {
            // The one case with more than one line: every problem (up to the first 100), one a line.
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {total} problem(s) in the imported file(s); nothing was imported:");
            for e in &errors {
                let _ = writeln!(stderr, "  {e}");
            }
            if total > errors.len() {
                let _ = writeln!(stderr, "  ... and {} more", total - errors.len());
            }
            1
        }
        Err(err) => {
            // A file name or a value in a message may hold a personnummer: never echoed in clear.
            let line = finsam::import::mask_personnummer(&err.to_string().replace('\n', " "));
            let _ = writeln!(std::io::stderr(), "error: {line}");
            1
        }
    }
}

/// A path as finsam prints it: a personnummer in a file name is masked like everywhere else.
fn shown(path: &std::path::Path) -> String {
    finsam::import::mask_personnummer(&path.display().to_string())
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
    print_synthetic_note(model, format, &mut out, "")
}

/// Says that the data is synthetic: after a text table, or on stderr beside CSV and JSON.
fn print_synthetic_note(model: &Model, format: Format, out: &mut impl Write, before: &str) -> Result<()> {
    if model.is_synthetic()? {
        let note = synthetic_note(model)?;
        match format {
            Format::Table => {
                let _ = writeln!(out, "{before}{note}");
            }
            Format::Csv | Format::Json => eprintln!("{note}"),
        }
    }
    Ok(())
}

fn synthetic_note(model: &Model) -> Result<String> {
    let note = model.synthetic_note(finsam::codes::Lang::Sv)?;
    Ok(format!("OBS! {note}"))
}

/// Prints titled sections as the core writes them (`present::printed`); a synthetic database says so.
fn print_sections(model: &Model, heading: &str, sections: &[TitledTable], note: Option<&str>, format: Format) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let _ = write!(out, "{}", finsam::present::printed::sections_text(heading, sections, note, format)?);
    print_synthetic_note(model, format, &mut out, "\n")
}

/// Prints an analysis result, with what the suppression markers mean under the tables.
fn print_output(model: &Model, output: &finsam::present::outputs::Output, format: Format) -> Result<()> {
    print_sections(model, &output.heading, &output.sections, output.note.as_deref(), format)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap checks its own rules (no two arguments with one name...) only in debug builds; the tests run in
    /// release, so ask for the check here.
    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
