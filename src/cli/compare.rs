use super::cohort_args::{AnalysisArgs, CompareArgs};
use finsam::error::Result;
use finsam::options::{VS, VS_FEDERATION, VS_INTERVENTION};
use finsam::present::outputs::compare_output;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    common: AnalysisArgs,
    #[command(flatten)]
    second: CompareArgs,
}

pub fn run(args: Args) -> Result<()> {
    let a = args.common.open()?;
    let given = &args.second.given;
    let b = a.cohort.versus(given.text(&VS)?, given.texts(&VS_INTERVENTION)?, given.texts(&VS_FEDERATION)?)?;
    super::print_output(&a.model, &compare_output(&a.model, &a.cohort, &b, a.lang, a.protection)?, a.format)
}
