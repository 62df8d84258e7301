use super::cohort_args::{CohortArgs, OutputArgs};
use crate::analysis::outputs::survival_output;
use crate::analysis::survival::Event;
use crate::error::Result;
use crate::model::Model;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
    #[command(flatten)]
    cohort: CohortArgs,
    /// The event: exit (time on the list) or self-support (time to no public support).
    #[arg(long, default_value = "exit", value_parser = ["exit", "self-support"])]
    event: String,
    /// Months at which to report the share still without the event, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "3,6,9,12,18,24")]
    months: Vec<u32>,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> Result<()> {
    let model = Model::open_read_only(&args.db.db)?;
    let cohort = args.cohort.cohort(None)?;
    let event: Event = args.event.parse()?;
    let (lang, privacy, format) = (args.output.lang()?, args.output.privacy(), args.output.format()?);
    super::print_output(&model, &survival_output(&model, &cohort, event, &args.months, lang, privacy)?, format)
}
