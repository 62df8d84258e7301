use super::cohort_args::{AnalysisArgs, SurvivalArgs};
use finsam::error::Result;
use finsam::present::outputs::survival_output;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: AnalysisArgs,
    #[command(flatten)]
    survival: SurvivalArgs,
}

pub fn run(args: Args) -> Result<()> {
    let a = args.common.open()?;
    let (event, months) = (args.survival.given.event()?, args.survival.given.months_of_survival()?);
    super::print_output(&a.model, &survival_output(&a.model, &a.cohort, event, &months, a.lang, a.protection)?, a.format)
}
