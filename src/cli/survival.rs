use super::cohort_args::AnalysisArgs;
use crate::analysis::outputs::survival_output;
use crate::analysis::survival::Event;
use crate::error::Result;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: AnalysisArgs,
    /// The event: exit (time on the list) or self-support (time to no public support).
    #[arg(long, default_value = "exit", value_parser = ["exit", "self-support"])]
    event: String,
    /// Months at which to report the share still without the event, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "3,6,9,12,18,24")]
    months: Vec<u32>,
}

pub fn run(args: Args) -> Result<()> {
    let a = args.common.open()?;
    let event: Event = args.event.parse()?;
    super::print_output(&a.model, &survival_output(&a.model, &a.cohort, event, &args.months, a.lang, a.protection)?, a.format)
}
