use super::cohort_args::AnalysisArgs;
use finsam::analysis::survival::Event;
use finsam::error::Result;
use finsam::present::outputs::survival_output;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: AnalysisArgs,
    /// The event: exit (time on the list) or self-support (time to no public support).
    #[arg(long, default_value = "exit", value_parser = super::choice::choice::<Event>())]
    event: Event,
    /// Months at which to report the share still without the event, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "3,6,9,12,18,24")]
    months: Vec<u32>,
}

pub fn run(args: Args) -> Result<()> {
    let a = args.common.open()?;
    super::print_output(&a.model, &survival_output(&a.model, &a.cohort, args.event, &args.months, a.lang, a.protection)?, a.format)
}
