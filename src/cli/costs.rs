use super::cohort_args::{CohortArgs, OutputArgs};
use crate::analysis::outputs::costs_output;
use crate::error::Result;
use crate::model::Model;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: super::DbArg,
    /// Filters: --federation, --intervention, --period (whole years).
    #[command(flatten)]
    cohort: CohortArgs,
    #[command(flatten)]
    output: OutputArgs,
}

pub fn run(args: Args) -> Result<()> {
    let model = Model::open_read_only(&args.db.db)?;
    let cohort = args.cohort.cohort(None)?;
    let (lang, privacy, format) = (args.output.lang()?, args.output.privacy(), args.output.format()?);
    super::print_output(&model, &costs_output(&model, &cohort, lang, privacy)?, format)
}
