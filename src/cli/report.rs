use super::cohort_args::AnalysisArgs;
use finsam::analysis::report::report_statement;
use finsam::error::Result;
use finsam::present::outputs::report_output;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: AnalysisArgs,
    /// Print the report's one SQL statement, its parameters written in, instead of running it: to read,
    /// or to run in DuckDB's own CLI or Python package (it returns the unsuppressed counts).
    #[arg(long)]
    show_sql: bool,
}

pub fn run(args: Args) -> Result<()> {
    let a = args.common.open()?;
    if args.show_sql {
        println!("{};", report_statement(&a.model, &a.cohort)?);
        return Ok(());
    }
    super::print_output(&a.model, &report_output(&a.model, &a.cohort, a.lang, a.protection)?, a.format)
}
